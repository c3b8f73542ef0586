"""The ``policykg`` typer application and the error boundary every command shares."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import ParamSpec, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from ontology.errors import PolicyKGError

app = typer.Typer(
    name="policykg",
    help="Knowledge graph of public policy: measures, agencies, target groups, programs.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True)

P = ParamSpec("P")
R = TypeVar("R")


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn expected errors into one red line on stderr and exit code 2 (no traceback)."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except PolicyKGError as exc:
            err_console.print(
                f"[red]error:[/red] {escape(exc.title)}: {escape(exc.detail)}",
                markup=True,
                highlight=False,
            )
            raise typer.Exit(code=2) from None

    return wrapper
