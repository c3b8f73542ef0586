"""Where the tests find the repository's data, wherever in tests/ they live."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
#: The eight State Council documents beside the repository (read-only input, see its README).
REALDOCS = ROOT.parent / "shared" / "realdocs"
