"""Writes must not stall reads (issue #10 point 3): SPARQL and REST latency during a stream of
uploads, and during a stream of failed uploads, old code and new code in the same run.

For each code tree a real ``policykg serve`` (RDF store only, upload token set) starts over a
fresh data directory (the bundled Jinan document). One client uploads ``--docs`` generated
documents (bench/generate.py), one every ``--interval`` seconds (the issue: 80 in 30 s);
meanwhile two clients loop on ``SELECT ?s WHERE { ?s ?p ?o } LIMIT 5`` and one on the REST
detail ``/api/documents/jinan-2025-5``. Then the same with documents that cannot be
extracted (422). Reported: SPARQL answers that were not 200, p50/p99 of both readers, and
how many documents SPARQL sees at the end.

    git worktree add /tmp/old-hb 7707e29
    .venv/bin/python bench/bench_writes.py --old /tmp/old-hb
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_fairness import ROOT, SPARQL_CHEAP, percentile, serve
from bench.generate import generate

TOKEN = "bench-writes-token"
DOCS = "SELECT (COUNT(?d) AS ?n) WHERE { ?d a pkg:PolicyDocument }"
BAD = "这份文件没有发文字号，也没有任何措施。".encode()


def stream(url: str, bodies: list[bytes], interval: float) -> dict[str, Any]:
    """Upload ``bodies`` one every ``interval`` s while three readers loop; their figures."""
    done = threading.Event()
    reads: dict[str, list[tuple[int, float]]] = {"sparql": [], "rest": []}
    write_status: list[int] = []

    def reader(kind: str) -> None:
        with httpx.Client(timeout=60) as client:
            while not done.is_set():
                started = time.perf_counter()
                try:
                    if kind == "sparql":
                        r = client.post(
                            url + "/sparql",
                            content=SPARQL_CHEAP.encode(),
                            headers={"Content-Type": "application/sparql-query"},
                        )
                    else:
                        r = client.get(url + "/api/documents/jinan-2025-5")
                    status = r.status_code
                except httpx.HTTPError:
                    status = 0
                reads[kind].append((status, time.perf_counter() - started))
                time.sleep(0.05)

    threads = [threading.Thread(target=reader, args=(k,)) for k in ("sparql", "sparql", "rest")]
    for t in threads:
        t.start()
    started = time.perf_counter()
    with httpx.Client(timeout=120) as client:
        for i, body in enumerate(bodies):
            time.sleep(max(0.0, started + i * interval - time.perf_counter()))
            r = client.post(
                url + f"/api/documents?name=doc{i}.txt",
                content=body,
                headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "text/plain"},
            )
            write_status.append(r.status_code)
    elapsed = time.perf_counter() - started
    time.sleep(0.5)
    done.set()
    for t in threads:
        t.join(timeout=120)
    row: dict[str, Any] = {
        "writes": len(bodies),
        "write_seconds": round(elapsed, 1),
        "write_statuses": {str(s): write_status.count(s) for s in sorted(set(write_status))},
        "load_avg": [round(x, 2) for x in os.getloadavg()],
    }
    for kind, samples in reads.items():
        times = [t for _, t in samples]
        row[kind] = {
            "requests": len(samples),
            "non_200": sum(1 for s, _ in samples if s != 200),
            "statuses": {str(s): [x for x, _ in samples].count(s) for s in {x for x, _ in samples}},
            "p50_ms": round(percentile(times, 0.5) * 1000, 1) if times else None,
            "p99_ms": round(percentile(times, 0.99) * 1000, 1) if times else None,
            "max_ms": round(max(times) * 1000, 1) if times else None,
        }
    return row


def documents_seen(url: str) -> int:
    r = httpx.post(
        url + "/sparql",
        content=DOCS.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
        timeout=60,
    )
    return int(r.json()["results"]["bindings"][0]["n"]["value"])


def run_tree(label: str, tree: Path, args: argparse.Namespace, tmp: Path) -> list[dict[str, Any]]:
    corpus = tmp / "corpus"
    bodies = [p.read_bytes() for p in sorted(corpus.glob("*.txt"))]
    env = {"POLICYKG_DATA_DIR": str(tmp / f"data-{label}"), "POLICYKG_UPLOAD_TOKEN": TOKEN}
    os.environ.pop("NEO4J_URI", None)  # the RDF store only: the stall was in the SPARQL pool
    rows = []
    with serve(tree, env, tmp / f"serve-{label}.log") as url:
        httpx.post(
            url + "/sparql",
            content=b"ASK {}",
            timeout=60,
            headers={"Content-Type": "application/sparql-query"},
        )  # workers started
        for phase, payload in (("uploads", bodies), ("failed uploads", [BAD] * args.bad)):
            row = stream(url, payload, args.interval)
            row.update(code=label, phase=phase, documents_seen_after=documents_seen(url))
            print(json.dumps(row, ensure_ascii=False), flush=True)
            rows.append(row)
    return rows


def report(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| code | phase | writes (s) | SPARQL non-200 | SPARQL p50 / p99 (ms) | "
        "REST detail p50 / p99 (ms) | documents seen after |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        s, d = r["sparql"], r["rest"]
        lines.append(
            f"| {r['code']} | {r['phase']} | {r['writes']} ({r['write_seconds']}) | "
            f"{s['non_200']}/{s['requests']} | {s['p50_ms']} / {s['p99_ms']} | "
            f"{d['p50_ms']} / {d['p99_ms']} | {r['documents_seen_after']} |"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", type=Path, help="worktree of the code before the fix")
    parser.add_argument("--new", type=Path, default=ROOT)
    parser.add_argument("--docs", type=int, default=80)
    parser.add_argument("--bad", type=int, default=40, help="failed uploads")
    parser.add_argument("--interval", type=float, default=0.375, help="s between uploads")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-writes-") as tmp:
        generate(args.docs, args.seed, Path(tmp) / "corpus")
        trees = [("old", args.old)] if args.old else []
        for label, tree in [*trees, ("new", args.new)]:
            rows += run_tree(label, tree, args, Path(tmp))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    print(report(rows))


if __name__ == "__main__":
    main()
