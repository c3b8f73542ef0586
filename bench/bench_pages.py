"""Cost of the public pages (issue 10, point 5): coordination endpoints, views, the home page.

    python bench/bench_pages.py --data-dir DIR [--tree SRC] [--timeout 30] [--out FILE]
    python bench/bench_pages.py --docs 1000 --seed 1      # builds bench/out/pages-1000-s1 first

Serves an already loaded data dir with ``policykg serve`` from a source tree (``--tree``: this
checkout by default, or another worktree, e.g. the code before the fix) over loopback only.
For each page a fresh server is started, so **cold** is the first request after start-up
(nothing kept: the network, the analysis and the page are all computed), then ``--warm``
requests on the same connection give **warm** (median). The home page is also asked by
``--clients`` concurrent clients (p50, p99). A request that takes longer than ``--timeout`` is
reported as ``>timeout`` and its warm requests are skipped. Writes JSON to ``--out``.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.bench_query import free_port, stop  # noqa: E402

HOST = "127.0.0.1"
COORDINATION = (
    "workload",
    "coresponsibility",
    "coresponsibility/links",
    "working-groups",
    "meetings",
    "coverage",
    "assignments",
    "duties",
)
VIEWS = ("accountability", "coresponsibility", "groups")


def paths(document: str, agency: str) -> list[str]:
    """The home page and its corpus-wide tables (agencies, the corpus view), every
    coordination endpoint and view, corpus-wide and for one document."""
    found = [f"/api/coordination/{name}" for name in COORDINATION]
    found += [f"/viz/{name}" for name in VIEWS]
    both = found + [f"{p}?document={document}" for p in found]
    return [
        "/",
        "/api/agencies",
        "/api/corpus",
        *both,
        f"/viz/ego?agency={agency}",
        f"/viz/ego?measure={document}/measure/1",
        "/viz/ego",
        "/viz/ego?agency=nobody",
    ]


# --------------------------------------------------------------------------- servers
def start(tree: Path, data_dir: Path, log: Path) -> tuple[subprocess.Popen[bytes], int]:
    """``policykg serve`` of ``tree`` on a free loopback port, once it answers."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "POLICYKG_"))}
    env.update(POLICYKG_DATA_DIR=str(data_dir), PYTHONPATH=str(tree))
    code = "import sys; from api.cli import main; sys.argv[0] = 'policykg'; main()"
    cmd = [sys.executable, "-c", code, "serve", "--host", HOST, "--port", str(port)]
    with log.open("ab") as fh:
        proc = subprocess.Popen(cmd, env=env, cwd=tree, stdout=fh, stderr=subprocess.STDOUT)
    deadline = time.perf_counter() + 120
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"server exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return proc, port
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise SystemExit("server did not start within 120 s")


def get(conn: http.client.HTTPConnection, path: str) -> tuple[int, int, float]:
    """(status, body bytes on the wire, seconds) of one GET on a kept-alive connection."""
    started = time.perf_counter()
    conn.request("GET", path, headers={"Accept-Encoding": "gzip, deflate"})  # as browsers do
    response = conn.getresponse()
    body = response.read()
    return response.status, len(body), time.perf_counter() - started


# --------------------------------------------------------------------------- phases
def page_cost(
    tree: Path, data_dir: Path, path: str, warm: int, timeout: float, log: Path
) -> dict[str, Any]:
    proc, port = start(tree, data_dir, log)
    row: dict[str, Any] = {"path": path}
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        try:
            status, size, cold = get(conn, path)
        except TimeoutError:
            return {**row, "status": None, "cold_s": None, "warm_ms": None, "timed_out": True}
        times = [get(conn, path)[2] for _ in range(warm)]
        conn.close()
        return {
            **row,
            "status": status,
            "bytes": size,
            "cold_s": cold,
            "warm_ms": 1000 * statistics.median(times),
            "timed_out": False,
        }
    finally:
        stop(proc)


def home_under_load(
    tree: Path, data_dir: Path, clients: int, each: int, timeout: float, log: Path
) -> dict[str, Any]:
    """``clients`` threads, each ``each`` GET / on its own connection, from a cold start."""
    proc, port = start(tree, data_dir, log)
    times: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()
    barrier = threading.Barrier(clients)

    def client() -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        barrier.wait()
        for _ in range(each):
            try:
                status, _size, seconds = get(conn, "/")
            except (TimeoutError, OSError) as exc:
                with lock:
                    failures.append(type(exc).__name__)
                return
            with lock:
                times.append(seconds) if status == 200 else failures.append(str(status))
        conn.close()

    try:
        started = time.perf_counter()
        threads = [threading.Thread(target=client) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - started
    finally:
        stop(proc)
    times.sort()
    pick = (lambda q: 1000 * times[min(len(times) - 1, int(q * len(times)))]) if times else None
    return {
        "clients": clients,
        "requests": clients * each,
        "ok": len(times),
        "failures": failures,
        "wall_s": wall,
        "p50_ms": pick(0.5) if pick else None,
        "p99_ms": pick(0.99) if pick else None,
    }


def sample(data_dir: Path) -> tuple[str, str, int]:
    """A document id of the store, an agency of its first measure, and the document count."""
    from graph.rdf.store import RdfStore
    from graph.settings import Settings
    from ontology.iris import Iris

    settings = Settings(data_dir=data_dir, neo4j_uri=None)
    iris = Iris(settings.normalised_base())
    with RdfStore.open(settings.rdf_store_dir, iris) as store:
        ids = store.document_ids()
        rows = store.select(
            "SELECT ?a WHERE { ?m pkg:inDocument ?d ; pkg:ordinal 1 ; pkg:responsibility ?r . "
            "?r pkg:agency ?a ; pkg:rank 1 }",
            d=iris.document(ids[0]),
        )
    agency = str(rows[0]["a"]).rsplit("/", 1)[-1]
    return ids[0], agency, len(ids)


def loaded(docs: int, seed: int) -> Path:
    """bench/out/pages-N-sS: the generated corpus, loaded with ``policykg load``."""
    from bench.generate import generate

    out = ROOT / "bench" / "out" / f"pages-{docs}-s{seed}"
    corpus, data = out / "corpus", out / "data"
    if not (corpus / "manifest.json").is_file():
        generate(docs, seed, corpus)
    if not (data / "oxigraph").is_dir():
        env = {k: v for k, v in os.environ.items() if not k.startswith("NEO4J_")}
        env["POLICYKG_DATA_DIR"] = str(data)
        cmd = [str(Path(sys.executable).parent / "policykg"), "load", str(corpus), "--no-neo4j"]
        subprocess.run([*cmd, "--workers", "2", "--batch-size", "300"], env=env, check=True)
    return data


def fmt(row: dict[str, Any], timeout: float) -> str:
    if row["timed_out"]:
        return f"{row['path']:<58} {'—':>4} {'>' + format(timeout, 'g') + ' s':>9} {'—':>9}"
    return f"{row['path']:<58} {row['status']:>4} {row['cold_s']:>8.3f}s {row['warm_ms']:>8.1f}ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, help="a loaded POLICYKG_DATA_DIR")
    parser.add_argument("--docs", type=int, default=1000, help="without --data-dir: generate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tree", type=Path, default=ROOT, help="source tree to serve from")
    parser.add_argument("--warm", type=int, default=5, help="warm requests per page")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds per request")
    parser.add_argument("--clients", type=int, default=32, help="home page clients")
    parser.add_argument("--each", type=int, default=10, help="home requests per client")
    parser.add_argument("--only", nargs="*", help="only these paths")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    data_dir = args.data_dir or loaded(args.docs, args.seed)
    document, agency, count = sample(data_dir)
    log = Path(tempfile.mkdtemp(prefix="bench-pages-")) / "serve.log"
    print(f"{count} documents in {data_dir}; serving {args.tree}; document {document}, "
          f"agency {agency}; load avg {os.getloadavg()}; log {log}", flush=True)  # fmt: skip
    print(f"{'path':<58} {'code':>4} {'cold':>9} {'warm p50':>9}", flush=True)
    rows = []
    for path in args.only or paths(document, agency):
        row = page_cost(args.tree, data_dir, path, args.warm, args.timeout, log)
        rows.append(row)
        print(fmt(row, args.timeout), flush=True)
    home = home_under_load(args.tree, data_dir, args.clients, args.each, args.timeout, log)
    print(f"home under {home['clients']} clients: {home['ok']}/{home['requests']} ok, "
          f"p50 {home['p50_ms']} ms, p99 {home['p99_ms']} ms, {home['wall_s']:.1f} s; "
          f"load avg {os.getloadavg()}", flush=True)  # fmt: skip
    result = {"documents": count, "tree": str(args.tree), "pages": rows, "home_load": home}
    if args.out:
        args.out.write_text(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
