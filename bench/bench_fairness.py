"""Fairness under runaway queries (issue #10 point 4): p99 of a cheap query with 0, 2, 4
runaways running, old code and new code in the same run.

For each code tree (``--old``: a worktree of the code before the fix; ``--new``: this tree) a
real ``policykg serve`` starts on loopback over a fresh data directory (the bundled Jinan
document) and, when ``NEO4J_URI`` is set, that Neo4j. For each number of runaways, that many
client threads send a runaway query over and over (each answer, 503 included, is followed at
once by the next: clients that ignore ``Retry-After``), and one probe client sends the cheap
query ``--probes`` times, one after another (for at most ``--max-probe-s``); we report the
probe's p50/p99/max latency and its non-200 answers. SPARQL: ``SELECT ?s WHERE { ?s ?p ?o }
LIMIT 5`` against a triple cross product; Cypher: ``RETURN 1`` against ``UNWIND range(1,
10^10) ... count``. Both time limits are 10 s, as in the issue.

    git worktree add /tmp/old-hb 7707e29
    POLICYKG_DATA_DIR=/tmp/hb-neo POLICYKG_NEO4J_BOLT_PORT=7698 .venv/bin/policykg neo4j start
    NEO4J_URI=bolt://127.0.0.1:7698 .venv/bin/python bench/bench_fairness.py --old /tmp/old-hb
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parents[1]
SPARQL_CHEAP = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"
SPARQL_RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CYPHER_CHEAP = "RETURN 1 AS one"
CYPHER_RUNAWAY = "UNWIND range(1, 10000000000) AS x RETURN count(x) AS n"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@contextmanager
def serve(tree: Path, env_extra: dict[str, str], log: Path) -> Iterator[str]:
    """``policykg serve`` of the code in ``tree`` on a free loopback port; yields its URL."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(tree), **env_extra}
    code = "import sys; from api.cli import main; sys.exit(main())"
    cmd = [sys.executable, "-c", code, "serve", "--host", HOST, "--port", str(port)]
    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, cwd=tree, env=env, stdout=fh, stderr=subprocess.STDOUT)
    url = f"http://{HOST}:{port}"
    try:
        deadline = time.monotonic() + 180
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"serve exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(url + "/api/documents", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise SystemExit("serve did not start within 180 s")
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def sparql(client: httpx.Client, url: str, query: str) -> int:
    r = client.post(
        url + "/sparql",
        content=query.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": "application/json"},
    )
    return r.status_code


def cypher(client: httpx.Client, url: str, query: str) -> int:
    return client.post(url + "/cypher", json={"query": query}).status_code


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def scenario(
    url: str,
    send: Callable[[httpx.Client, str, str], int],
    cheap: str,
    runaway: str,
    runaways: int,
    probes: int,
    settle_s: float,
    max_probe_s: float,
) -> dict[str, Any]:
    """Probe latency with ``runaways`` clients looping on the runaway query."""
    stop = threading.Event()
    runaway_status: list[int] = []

    def loop() -> None:
        with httpx.Client(timeout=60) as client:
            while not stop.is_set():
                try:
                    runaway_status.append(send(client, url, runaway))
                except httpx.HTTPError:
                    runaway_status.append(0)

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(runaways)]
    for t in threads:
        t.start()
    time.sleep(settle_s if runaways else 0)
    times: list[float] = []
    statuses: list[int] = []
    with httpx.Client(timeout=60) as client:
        send(client, url, cheap)  # connection warm
        until = time.perf_counter() + max_probe_s
        for _ in range(probes):
            if time.perf_counter() > until:  # the old code can take 10 s a probe
                break
            started = time.perf_counter()
            try:
                statuses.append(send(client, url, cheap))
            except httpx.HTTPError:
                statuses.append(0)
            times.append(time.perf_counter() - started)
            time.sleep(0.05)
    stop.set()
    for t in threads:
        t.join(timeout=60)
    return {
        "runaways": runaways,
        "probes": len(times),
        "p50_ms": round(percentile(times, 0.5) * 1000, 1),
        "p99_ms": round(percentile(times, 0.99) * 1000, 1),
        "max_ms": round(max(times) * 1000, 1),
        "probe_non_200": sum(1 for s in statuses if s != 200),
        "probe_statuses": sorted(set(statuses)),
        "runaway_statuses": {str(s): runaway_status.count(s) for s in sorted(set(runaway_status))},
        "load_avg": [round(x, 2) for x in os.getloadavg()],
    }


def run_tree(label: str, tree: Path, args: argparse.Namespace, tmp: Path) -> list[dict[str, Any]]:
    data = tmp / f"data-{label}"
    env = {
        "POLICYKG_DATA_DIR": str(data),
        "POLICYKG_QUERY_TIMEOUT_S": "10",
        "POLICYKG_CYPHER_TIMEOUT_S": "10",
    }
    rows: list[dict[str, Any]] = []
    with serve(tree, env, tmp / f"serve-{label}.log") as url:
        endpoints = [("sparql", sparql, SPARQL_CHEAP, SPARQL_RUNAWAY)]
        if os.environ.get("NEO4J_URI"):
            endpoints.append(("cypher", cypher, CYPHER_CHEAP, CYPHER_RUNAWAY))
        for name, send, cheap, runaway in endpoints:
            for k in args.runaways:
                row = scenario(
                    url, send, cheap, runaway, k, args.probes, args.settle, args.max_probe_s
                )
                row.update(code=label, endpoint=name)
                print(json.dumps(row, ensure_ascii=False), flush=True)
                rows.append(row)
                time.sleep(11 if k else 0)  # let the last runaways reach their time limit
    return rows


def report(rows: list[dict[str, Any]]) -> str:
    lines = [
        "| endpoint | runaways | old p50 / p99 / max (ms) | old non-200 | "
        "new p50 / p99 / max (ms) | new non-200 |",
        "|---|---|---|---|---|---|",
    ]
    index = {(r["code"], r["endpoint"], r["runaways"]): r for r in rows}
    for endpoint in ("sparql", "cypher"):
        for k in sorted({r["runaways"] for r in rows}):
            old, new = index.get(("old", endpoint, k)), index.get(("new", endpoint, k))
            if not (old or new):
                continue

            def cell(r: dict[str, Any] | None) -> str:
                return f"{r['p50_ms']} / {r['p99_ms']} / {r['max_ms']}" if r else "—"

            def bad(r: dict[str, Any] | None) -> str:
                return f"{r['probe_non_200']}/{r['probes']}" if r else "—"

            lines.append(
                f"| {endpoint} | {k} | {cell(old)} | {bad(old)} | {cell(new)} | {bad(new)} |"
            )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--old", type=Path, help="worktree of the code before the fix")
    parser.add_argument("--new", type=Path, default=ROOT)
    parser.add_argument("--runaways", type=int, nargs="+", default=[0, 2, 4])
    parser.add_argument("--probes", type=int, default=40)
    parser.add_argument("--settle", type=float, default=2.0, help="s before probing")
    parser.add_argument("--max-probe-s", type=float, default=45, help="probing stops then")
    parser.add_argument("--json", type=Path, help="write every row here")
    args = parser.parse_args()
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="bench-fairness-") as tmp:
        trees = [("old", args.old)] if args.old else []
        for label, tree in [*trees, ("new", args.new)]:
            rows += run_tree(label, tree, args, Path(tmp))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1, ensure_ascii=False))
    print(report(rows))


if __name__ == "__main__":
    main()
