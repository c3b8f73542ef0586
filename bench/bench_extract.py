"""Per-document extraction time, today's loaders against the loaders of commit 7707e29.

Both run in the same benchmark, on the same generated corpus (``bench/generate.py``), each in
its own worker process (the old code imported from a ``git worktree`` of the old commit).
Every round starts fresh processes for both, warms each up on other documents (imports,
registries), then has them extract every corpus document once, in lock step: old and new
extract document k one right after the other (which one first alternates by document and
round), so both see the same load on a shared machine (timing one whole pass after the
other let the load drift between them: the same code measured 1.17x and 1.36x minutes
apart). No document is timed with caches its own earlier extraction filled (both loaders
cache lookups, and today's also clause readings). A document's time is the best of its
rounds (the least disturbed one). Prints per-document median, mean and 90th percentile for
both, and the ratio new/old (the target: at most 1.3). The clock is the worker's CPU time
by default (other processes on a shared machine then cost nothing), ``--clock wall`` for
elapsed time.

    .venv/bin/python bench/bench_extract.py --docs 300 --rounds 5
    .venv/bin/python bench/bench_extract.py --old-root /tmp/old --json bench/results/extract.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OLD_COMMIT = "7707e29"

#: The worker: imports ``loaders`` from the root it is given, warms up on the first list of
#: files, then for each index it reads extracts that file of the second list once and
#: prints the seconds it took.
WORKER = r"""
import json, sys, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from loaders import extract_bytes
warm, files = json.loads(sys.stdin.readline())
for path in warm:
    extract_bytes(Path(path).read_bytes(), Path(path).name)
data = [(Path(p).read_bytes(), Path(p).name) for p in files]
print(json.dumps({"ready": sys.modules["loaders"].__file__}), flush=True)
clock = time.process_time if sys.argv[2] == "cpu" else time.perf_counter
for line in sys.stdin:
    raw, name = data[int(line)]
    t0 = clock()
    extract_bytes(raw, name)
    print(json.dumps(clock() - t0), flush=True)
"""


class Worker:
    """One extraction process importing ``loaders`` from ``root`` (each file once)."""

    def __init__(self, root: Path, warm: list[Path], files: list[Path], clock: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(root)}
        self.proc = subprocess.Popen(
            [sys.executable, "-c", WORKER, str(root), clock],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=tempfile.gettempdir(),  # not the repository: its loaders/ must not shadow root
            env=env,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps([[str(f) for f in warm], [str(f) for f in files]]) + "\n")
        self.proc.stdin.flush()
        self.loaded_from = json.loads(self.proc.stdout.readline())["ready"]

    def time(self, k: int) -> float:
        """Seconds to extract file ``k``."""
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(f"{k}\n")
        self.proc.stdin.flush()
        seconds: float = json.loads(self.proc.stdout.readline())
        return seconds

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=60)


def old_worktree(path: Path) -> Path:
    """A worktree of the old commit at ``path`` (made once, reused)."""
    if not (path / "loaders" / "extract.py").exists():
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(path), OLD_COMMIT],
            check=True,
            capture_output=True,
        )
    return path


def corpus(docs: int, seed: int, out: Path) -> list[Path]:
    sys.path.insert(0, str(ROOT))
    from bench.generate import generate

    generate(docs, seed, out)
    return sorted(out.glob("*.txt"))


def summary(best: list[float]) -> dict[str, float]:
    ms = sorted(t * 1000 for t in best)
    return {
        "median_ms": round(statistics.median(ms), 3),
        "mean_ms": round(statistics.fmean(ms), 3),
        "p90_ms": round(ms[int(0.9 * (len(ms) - 1))], 3),
        "total_s": round(sum(ms) / 1000, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument(
        "--old-root", type=Path, default=Path(tempfile.gettempdir()) / "policykg-7707e29"
    )
    parser.add_argument("--corpus", type=Path, help="an existing folder of .txt documents")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument(
        "--clock",
        choices=("cpu", "wall"),
        default="cpu",
        help="cpu: the process's CPU time per document (robust on a shared machine); wall",
    )
    args = parser.parse_args()
    roots = {"old": old_worktree(args.old_root), "new": ROOT}
    loaded_from: dict[str, str] = {}
    with tempfile.TemporaryDirectory() as tmp:
        files = (
            sorted(args.corpus.glob("*.txt"))
            if args.corpus
            else corpus(args.docs, args.seed, Path(tmp) / "corpus")
        )
        warm = corpus(10, args.seed + 1000, Path(tmp) / "warm")
        best: dict[str, list[float]] = {name: [float("inf")] * len(files) for name in roots}
        for r in range(args.rounds):
            workers = {name: Worker(roots[name], warm, files, args.clock) for name in roots}
            for name, worker in workers.items():
                loaded_from[name] = worker.loaded_from
            for k in range(len(files)):
                for name in ("old", "new") if (r + k) % 2 == 0 else ("new", "old"):
                    best[name][k] = min(best[name][k], workers[name].time(k))
            for worker in workers.values():
                worker.close()
    figures = {name: summary(times) for name, times in best.items()}
    ratio = {key: round(figures["new"][key] / figures["old"][key], 3) for key in figures["new"]}
    result = {
        "documents": len(files),
        "rounds": args.rounds,
        "clock": args.clock,
        "old": {"commit": OLD_COMMIT, "loaded_from": loaded_from["old"], **figures["old"]},
        "new": {"loaded_from": loaded_from["new"], **figures["new"]},
        "ratio_new_over_old": ratio,
        "load_average": os.getloadavg(),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
