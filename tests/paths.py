"""Where the tests find the repository's data, wherever in tests/ they live."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
