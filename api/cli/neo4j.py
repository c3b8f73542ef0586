"""`policykg neo4j start|stop|status`: a local Neo4j development server without Docker."""

from __future__ import annotations

import typer

from api.cli.app import app, console, handle_errors
from graph.neo4j import server as neo4j_server
from graph.settings import get_settings

neo4j_app = typer.Typer(
    help="Local Neo4j Community server for development and tests (no Docker needed).",
    no_args_is_help=True,
)
app.add_typer(neo4j_app, name="neo4j")

# LSB convention for `status`: 0 running, 3 not running.
EXIT_NOT_RUNNING = 3


@neo4j_app.command("start")
@handle_errors
def start() -> None:
    """Start the server (fetching Neo4j with Maven on first use); wait until Bolt answers."""
    settings = get_settings()
    state = neo4j_server.start(settings)
    verb = "already running" if state.already_running else "started"
    console.print(
        f"Neo4j {settings.neo4j_version} {verb} at {state.uri} (pid {state.pid}, "
        f"user {settings.neo4j_user}); log: {state.log_file}",
        markup=False,
        highlight=False,
    )


@neo4j_app.command("stop")
@handle_errors
def stop() -> None:
    """Stop the server cleanly (SIGTERM, SIGKILL after a minute); fine when not running."""
    pid, forced = neo4j_server.stop(get_settings())
    if pid is None:
        console.print("Neo4j is not running.", markup=False, highlight=False)
    elif forced:
        console.print(f"Neo4j (pid {pid}) did not stop in time and was killed.", markup=False)
    else:
        console.print(f"Neo4j (pid {pid}) stopped.", markup=False, highlight=False)


@neo4j_app.command("status")
@handle_errors
def status() -> None:
    """Print running/stopped, pid and URI; exit code 0 when running, 3 when stopped."""
    state = neo4j_server.status(get_settings())
    if state.running:
        console.print(
            f"running  pid {state.pid}  {state.uri}  home {state.home}",
            markup=False,
            highlight=False,
        )
        return
    console.print(f"stopped  {state.uri}  home {state.home}", markup=False, highlight=False)
    raise typer.Exit(code=EXIT_NOT_RUNNING)
