"""Command-line interface. Each command lives in its own module and registers on ``app``."""

from __future__ import annotations

from api.cli import (  # noqa: F401  (imported to register their commands)
    compare,
    extract,
    neo4j,
    plan,
    serve,
    store,
    viz,
)
from api.cli.app import app


def main() -> None:
    app()


__all__ = ["app", "main"]
