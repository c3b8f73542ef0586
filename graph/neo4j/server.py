"""A local Neo4j Community 5 development server without Docker.

Why this shape: Neo4j's jars are on Maven Central but its server tarball is not, so Maven
fetches ``org.neo4j:neo4j`` (which brings the Bolt server) once into a cache under
``settings.neo4j_home`` and compiles our launcher (``graph/neo4j/launcher``), which runs
Neo4j embedded with Bolt on 127.0.0.1. The JVM runs detached in its own process group; a pid
file and a log file under ``neo4j_home`` let later commands find and stop it.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from graph.neo4j.connection import connect, dev_server_uri
from graph.settings import Settings
from ontology.errors import SetupError, StoreUnavailable

LAUNCHER_DIR = Path(__file__).with_name("launcher")
LAUNCHER_SOURCES = (
    LAUNCHER_DIR / "pom.xml",
    LAUNCHER_DIR / "src/main/java/policykg/Neo4jLauncher.java",
)
MAIN_CLASS = "policykg.Neo4jLauncher"
READY_LINE = "policykg: neo4j ready"
START_TIMEOUT_S = 120.0
STOP_TIMEOUT_S = 60.0
READY_GRACE_S = 10.0  # Bolt is up once the ready line is printed; allow slow first sessions
FETCH_TIMEOUT_S = 900.0
INSTALL_HINT = "apt-get install openjdk-17-jdk-headless maven"
_MEMORY = re.compile(r"^[1-9][0-9]*[kmgKMG]?$")
# JVM flags Neo4j's own start script passes, so the page cache can use direct buffers.
_JVM_FLAGS = (
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-XX:+UseG1GC",
    "-XX:+ExitOnOutOfMemoryError",
)


@dataclass(frozen=True)
class ServerPaths:
    """Where the development server keeps its jars, config, data, pid and log."""

    home: Path

    @property
    def conf(self) -> Path:
        return self.home / "conf" / "neo4j.conf"

    @property
    def pid_file(self) -> Path:
        return self.home / "neo4j.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "launcher.log"

    @property
    def import_dir(self) -> Path:
        return self.home / "import"

    @property
    def plugins_dir(self) -> Path:
        return self.home / "plugins"

    @property
    def lock_file(self) -> Path:
        return self.home / ".lock"

    @property
    def credentials_stamp(self) -> Path:
        """Hash of the user and password last set; lives in data/ so it goes with the users."""
        return self.home / "data" / "policykg-credentials.sha256"

    def dist(self, version: str) -> Path:
        """Jar cache for one Neo4j version and one revision of the launcher sources."""
        digest = hashlib.sha256(version.encode())
        for source in LAUNCHER_SOURCES:
            try:
                digest.update(source.read_bytes())
            except OSError:
                raise SetupError(
                    f"the Neo4j launcher source {source} is missing from this install; "
                    "install policykg from a checkout (pip install -e .)"
                ) from None
        # Resolved: the class-data archive only matches the class path it was recorded with.
        return (self.home / "dist").resolve() / f"{version}-{digest.hexdigest()[:12]}"


@dataclass(frozen=True)
class ServerStatus:
    running: bool
    pid: int | None
    uri: str
    home: Path
    log_file: Path
    already_running: bool = False


def _paths(settings: Settings) -> ServerPaths:
    return ServerPaths(settings.neo4j_home.resolve())


def _require_tool(name: str, why: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise SetupError(f"`{name}` was not found on PATH; {why}. Install it: {INSTALL_HINT}")
    return path


def _check_java(java: str) -> None:
    """Neo4j 5.26 needs Java 17 or 21; an older JVM fails with an obscure class error."""
    out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    match = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if match is None:
        raise SetupError(f"cannot tell the version of {java}: {out.stderr.strip()[:200]}")
    major = int(match.group(1)) if match.group(1) != "1" else int(match.group(2) or 0)
    if major < 17:
        raise SetupError(f"{java} is Java {major}; Neo4j 5 needs Java 17+. Install: {INSTALL_HINT}")


def fetch(settings: Settings) -> Path:
    """Download Neo4j's jars and compile the launcher once; return the cache folder."""
    dist = _paths(settings).dist(settings.neo4j_version)
    if (dist / "complete").is_file():
        return dist
    mvn = _require_tool("mvn", "Maven fetches Neo4j's jars on first use")
    _require_tool("javac", "a JDK compiles the Neo4j launcher")
    partial = dist.with_name(dist.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    command = [
        mvn, "-q", "-B", "-f", str(LAUNCHER_DIR / "pom.xml"),
        f"-Dneo4j.version={settings.neo4j_version}",
        f"-Dpolicykg.build.dir={partial / 'build'}",
        "-Dmaven.test.skip=true", "package", "dependency:copy-dependencies",
        "-DincludeScope=runtime", f"-DoutputDirectory={partial / 'lib'}",
    ]  # fmt: skip
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=FETCH_TIMEOUT_S, check=False
        )
    except subprocess.TimeoutExpired:
        raise SetupError(
            f"Maven did not fetch Neo4j {settings.neo4j_version} within {FETCH_TIMEOUT_S:.0f} s"
        ) from None
    if done.returncode != 0:
        tail = "\n".join((done.stdout + done.stderr).strip().splitlines()[-15:])
        raise SetupError(
            f"Maven could not fetch Neo4j {settings.neo4j_version} (exit {done.returncode}); "
            f"its last lines:\n{tail}"
        )
    shutil.rmtree(dist, ignore_errors=True)
    partial.rename(dist)
    (dist / "complete").write_text(settings.neo4j_version + "\n", encoding="utf-8")
    return dist


def _memory(value: str, name: str) -> str:
    if not _MEMORY.match(value):
        raise SetupError(f"{name}={value!r} is not a memory size like 512m or 1g")
    return value


def jvm_options(settings: Settings) -> list[str]:
    """Heap bounded by settings.neo4j_heap (fixed size, as Neo4j recommends) and our flags."""
    heap = _memory(settings.neo4j_heap, "neo4j_heap")
    return [f"-Xms{heap}", f"-Xmx{heap}", *_JVM_FLAGS]


def server_config(settings: Settings, paths: ServerPaths) -> dict[str, str]:
    """neo4j.conf for a local server that a public read-only Cypher endpoint may use."""
    port = settings.neo4j_bolt_port
    if not 0 < port < 65536:
        raise SetupError(f"POLICYKG_NEO4J_BOLT_PORT={port} is not a TCP port")
    return {
        "server.default_listen_address": "127.0.0.1",
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"127.0.0.1:{port}",
        "server.bolt.advertised_address": f"127.0.0.1:{port}",
        "server.bolt.tls_level": "DISABLED",
        "server.http.enabled": "false",
        "server.https.enabled": "false",
        "dbms.security.auth_enabled": "true",
        "server.memory.pagecache.size": _memory(settings.neo4j_pagecache, "neo4j_pagecache"),
        # Hardening: no file access from Cypher, no plugin procedures, bounded transactions.
        "dbms.security.allow_csv_import_from_file_urls": "false",
        "server.directories.import": str(paths.import_dir),
        "server.directories.plugins": str(paths.plugins_dir),
        "dbms.security.procedures.allowlist": "",
        "dbms.security.procedures.unrestricted": "",
        "db.transaction.timeout": "120s",
        "dbms.memory.transaction.total.max": "512m",
        "db.memory.transaction.max": "256m",
        "dbms.usage_report.enabled": "false",
        # Bolt waits 5 s twice on shutdown by default; a dev server may stop faster.
        "internal.server.bolt.thread_pool_shutdown_wait_time": "1s",
        "internal.server.bolt.connection_shutdown_wait_time": "1s",
    }


def _write_config(settings: Settings, paths: ServerPaths) -> None:
    config = server_config(settings, paths)
    for folder in (paths.conf.parent, paths.log_file.parent, paths.plugins_dir):
        folder.mkdir(parents=True, exist_ok=True)
    # The import folder stays empty: LOAD CSV cannot read any file even if allowed later.
    shutil.rmtree(paths.import_dir, ignore_errors=True)
    paths.import_dir.mkdir()
    lines = [f"{key}={value}" for key, value in config.items()]
    paths.conf.write_text("# written by policykg neo4j start\n" + "\n".join(lines) + "\n")


def _credentials_hash(settings: Settings) -> str:
    secret = f"{settings.neo4j_user}\0{settings.neo4j_password.get_secret_value()}"
    return hashlib.sha256(secret.encode()).hexdigest()


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    """True when ``pid`` runs our launcher (not a zombie, not a recycled pid)."""
    try:
        reaped, _ = os.waitpid(pid, os.WNOHANG)
        if reaped == pid:
            return False
    except ChildProcessError:
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    state = stat.rsplit(")", 1)[-1].split()[0]
    return state not in ("Z", "X") and MAIN_CLASS.encode() in cmdline


def _running_pid(paths: ServerPaths) -> int | None:
    try:
        pid = int(paths.pid_file.read_text().strip())
    except (OSError, ValueError):
        return None
    return pid if _alive(pid) else None


def status(settings: Settings) -> ServerStatus:
    paths = _paths(settings)
    pid = _running_pid(paths)
    return ServerStatus(pid is not None, pid, dev_server_uri(settings), paths.home, paths.log_file)


@contextmanager
def _locked(paths: ServerPaths) -> Iterator[None]:
    """One start/stop at a time per neo4j_home."""
    paths.home.mkdir(parents=True, exist_ok=True)
    with paths.lock_file.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def log_tail(paths: ServerPaths, lines: int = 30) -> str:
    try:
        text = paths.log_file.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "(no log written)"
    return "\n".join(text.splitlines()[-lines:]) or "(log is empty)"


def start(settings: Settings, timeout_s: float = START_TIMEOUT_S) -> ServerStatus:
    """Start the server detached and return once Bolt accepts our credentials."""
    paths = _paths(settings)
    java = _require_tool("java", "Neo4j runs on Java 17")
    with _locked(paths):
        current = status(settings)
        if current.running:
            return ServerStatus(**{**current.__dict__, "already_running": True})
        options = jvm_options(settings)
        server_config(settings, paths)  # settings errors before any download
        _check_java(java)
        dist = fetch(settings)
        _write_config(settings, paths)
        # Class-data sharing: the first run records the classes it loads, later runs map them.
        archive = dist / "classes.jsa"
        cds = "SharedArchiveFile" if archive.is_file() else "ArchiveClassesAtExit"
        command = [
            java, *options, f"-XX:{cds}={archive}",
            "-cp", f"{dist / 'build' / 'neo4j-launcher.jar'}{os.pathsep}{dist / 'lib' / '*'}",
            MAIN_CLASS, str(paths.home), str(paths.conf),
        ]  # fmt: skip
        env = {**os.environ}
        stamp = _credentials_hash(settings)
        if _read(paths.credentials_stamp) != stamp:
            # Setting a password compiles admin Cypher on a cold JVM: only when it changed.
            env["POLICYKG_LAUNCHER_USER"] = settings.neo4j_user
            env["POLICYKG_LAUNCHER_PASSWORD"] = settings.neo4j_password.get_secret_value()
        with paths.log_file.open("w", encoding="utf-8") as log:
            process = subprocess.Popen(
                command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                cwd=paths.home, env=env, start_new_session=True,
            )  # fmt: skip
        paths.pid_file.write_text(f"{process.pid}\n")
        try:
            _wait_ready(settings, paths, process, timeout_s)
        except SetupError:
            _terminate(process.pid, grace_s=10.0)
            paths.pid_file.unlink(missing_ok=True)
            raise
        paths.credentials_stamp.write_text(stamp + "\n", encoding="utf-8")
        paths.credentials_stamp.chmod(0o600)
        return ServerStatus(True, process.pid, dev_server_uri(settings), paths.home, paths.log_file)


def _wait_ready(
    settings: Settings, paths: ServerPaths, process: subprocess.Popen[bytes], timeout_s: float
) -> None:
    """Wait for the launcher's ready line, then for a Bolt session with our credentials."""
    local = settings.model_copy(update={"neo4j_uri": dev_server_uri(settings)})
    deadline = time.monotonic() + timeout_s
    last_error = "no ready line in the log"
    ready_at: float | None = None
    while time.monotonic() < deadline:
        code = process.poll()
        if code is not None:
            raise SetupError(
                f"Neo4j exited with code {code} while starting; last lines of "
                f"{paths.log_file}:\n{log_tail(paths)}"
            )
        if ready_at is None and READY_LINE in log_tail(paths, lines=200):
            ready_at = time.monotonic()
        if ready_at is not None:
            try:
                connect(local).close()
                return
            except StoreUnavailable as exc:
                last_error = exc.detail
            if time.monotonic() - ready_at > READY_GRACE_S:
                # Bolt is up but refuses us (e.g. the password was changed by hand): the
                # next start sets the configured password again.
                paths.credentials_stamp.unlink(missing_ok=True)
                raise SetupError(
                    f"Neo4j started but {last_error} Run `policykg neo4j start` again to "
                    "reset the password to the configured one."
                )
        time.sleep(0.25)
    raise SetupError(
        f"Neo4j did not answer on {dev_server_uri(settings)} within {timeout_s:.0f} s "
        f"({last_error}); last lines of {paths.log_file}:\n{log_tail(paths)}"
    )


def _terminate(pid: int, grace_s: float) -> bool:
    """SIGTERM the launcher's process group, SIGKILL after ``grace_s``; True if it was forced."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return False
    deadline = time.monotonic() + grace_s
    while time.monotonic() < deadline:
        if not _alive(pid):
            return False
        time.sleep(0.2)
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        return False
    while _alive(pid):
        time.sleep(0.1)
    return True


def stop(settings: Settings, timeout_s: float = STOP_TIMEOUT_S) -> tuple[int | None, bool]:
    """Stop the server cleanly; return (pid it had or None, whether SIGKILL was needed)."""
    paths = _paths(settings)
    with _locked(paths):
        pid = _running_pid(paths)
        forced = False if pid is None else _terminate(pid, grace_s=timeout_s)
        paths.pid_file.unlink(missing_ok=True)
        return pid, forced
