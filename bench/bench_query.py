"""Query benchmark: policykg's /sparql and REST detail pages under load, beside two baselines.

    python bench/bench_query.py --docs 1000 [--requests 2000] [--concurrency 8] [--out FILE]

Builds the synthetic corpus (bench/generate.py, cached in bench/out/) into an RDF store in a
temporary data dir, then measures, in one run and over loopback (127.0.0.1) only:

1. the floor: the mix run in this process on pyoxigraph (query + serialisation), one at a time;
2. ``policykg serve`` (a real uvicorn process): the mix one at a time (latency, compared with
   the floor), the mix at ``--concurrency`` (throughput), REST detail pages at ``--concurrency``;
3. rdflib-endpoint (the ``bench`` extra) serving the same quads from an rdflib Dataset, one at a
   time — on the first ``--rdflib-docs`` documents when rdflib cannot hold the whole corpus.

The load generator is a small asyncio HTTP/1.1 keep-alive client (cheaper than httpx, so the
client is not what is measured); request counts and time are bounded. Results are printed as
tables with ratios and the issue's targets, and written as JSON to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from bench.query_mix import (  # noqa: E402
    HOST,
    MIX,
    Item,
    Phase,
    QueryRequest,
    Result,
    Sample,
    answer_size,
    list_paths,
    load,
    rest_paths,
    sparql_items,
    sparql_requests,
)
from graph import pipeline  # noqa: E402
from graph.rdf.store import RdfStore  # noqa: E402
from graph.settings import get_settings  # noqa: E402
from ontology.iris import Iris  # noqa: E402


# --------------------------------------------------------------------------- data
def corpus(docs: int, seed: int, folder: Path | None) -> Path:
    from bench.generate import generate

    out = folder or ROOT / "bench" / "out" / f"corpus-{docs}-s{seed}"
    if not (out / "manifest.json").is_file():
        generate(docs, seed, out)
    return out


def build_store(folder: Path, path: Path, iris: Iris, workers: int) -> tuple[int, int, float]:
    """Extract and load the corpus; (documents, triples, seconds)."""
    start = time.perf_counter()
    files = pipeline.expand_paths([folder])
    with RdfStore.open(path, iris) as rdf:
        rdf.ensure_vocabularies()
        batch = []
        for source, extraction, reason in pipeline.extract_all(files, workers):
            if extraction is None:
                raise SystemExit(f"extraction failed: {source}: {reason}")
            batch.append(extraction)
            if len(batch) >= 100:
                rdf.load_documents(batch)
                batch.clear()
        rdf.load_documents(batch)
        docs, triples = len(rdf.document_ids()), len(rdf.store)
    return docs, triples, time.perf_counter() - start


def take_sample(rdf: RdfStore, doc_ids: list[str], seed: int) -> Sample:
    """Ids from ``doc_ids`` (the documents every system holds) to fill the templates."""
    rng = random.Random(seed)
    chosen = sorted(rng.sample(doc_ids, min(50, len(doc_ids))))
    values = " ".join(f"<{rdf.iris.document(d)}>" for d in chosen)
    rows = rdf.select(
        f"SELECT ?d ?o ?t ?a ?g ?date WHERE {{ VALUES ?d {{ {values} }} "
        "?m pkg:inDocument ?d ; pkg:ordinal ?o ; dcterms:title ?t ; pkg:responsibility ?r . "
        "?r pkg:agency ?a . OPTIONAL { ?m pkg:targets ?g } OPTIONAL { ?d pkg:publishedDate ?date }"
        "}"
    )
    prefix = str(rdf.iris.document(""))
    return Sample(
        documents=tuple(chosen),
        measures=tuple(sorted({(r["d"][len(prefix) :], r["o"]) for r in rows})),
        measure_titles=tuple(sorted({r["t"] for r in rows})),
        agencies=tuple(sorted({r["a"] for r in rows})),
        groups=tuple(sorted({r["g"] for r in rows if r["g"]})),
        years=tuple(sorted({r["date"].year for r in rows if r["date"]})) or (2020,),
    )


def floor(store_path: Path, requests: list[QueryRequest]) -> Phase:
    """The mix in this process on a read-only pyoxigraph store, results serialised."""
    store = ox.Store.read_only(str(store_path))
    results = []
    start = time.perf_counter()
    for r in requests:
        t0 = time.perf_counter()
        answer = store.query(r.text, use_default_graph_as_union=True)
        if isinstance(answer, ox.QueryTriples):
            body = answer.serialize(format=ox.RdfFormat.N_TRIPLES) or b""
        else:
            body = answer.serialize(format=ox.QueryResultsFormat.JSON) or b""
        results.append(Result(r.name, time.perf_counter() - t0, 200, answer_size(r.form, body)))
    wall = time.perf_counter() - start
    del store
    return Phase("pyoxigraph in-process (floor)", 0, 1, results, wall)


def write_nquads(store_path: Path, iris: Iris, doc_ids: set[str], out: Path) -> int:
    """The vocabularies and the given documents' graphs as N-Quads; quads written (streamed:
    the whole corpus would not fit in memory as Python objects)."""
    store = ox.Store.read_only(str(store_path))
    prefix = str(iris.document_graph(""))
    written = 0

    def quads() -> Any:
        nonlocal written
        for g in store.named_graphs():
            v = g.value
            if v.startswith(prefix) and urllib.parse.unquote(v[len(prefix) :]) not in doc_ids:
                continue
            for q in store.quads_for_pattern(None, None, None, g):
                written += 1
                yield q

    with out.open("wb") as fh:
        ox.serialize(quads(), fh, format=ox.RdfFormat.N_QUADS)
    return written


class _NotStarted(Exception):
    """The rdflib-endpoint process did not come up (reported, the other phases stand)."""


def peak_rss_gb(pid: int) -> float:
    """Peak resident memory of a process so far (Linux /proc VmHWM), in GB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1e6
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------- servers
def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def start(cmd: list[str], env: dict[str, str], log: Path, port: int, timeout: float) -> Any:
    """Start a server process and wait until it answers on ``port``."""
    with log.open("wb") as fh:
        proc = subprocess.Popen(cmd, env=env, stdout=fh, stderr=subprocess.STDOUT)
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{cmd[0]} exited: {log.read_text(errors='replace')[-2000:]}")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return proc
        except OSError:
            time.sleep(0.2)
    stop(proc)
    raise SystemExit(f"server on port {port} did not start within {timeout:g} s")


def stop(proc: Any) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def serve_rdflib(nquads: Path, port: int) -> None:
    """(Child process) rdflib-endpoint over a Dataset holding ``nquads``."""
    import uvicorn
    from rdflib import Dataset
    from rdflib_endpoint import SparqlEndpoint

    dataset = Dataset(default_union=True)
    dataset.parse(str(nquads), format="nquads")
    app = SparqlEndpoint(graph=dataset, path="/sparql", cors_enabled=False)
    uvicorn.run(app, host=HOST, port=port, log_level="warning")


# --------------------------------------------------------------------------- report
def ms(value: float) -> str:
    return "n/a" if value != value else f"{value:,.1f}"


def report(summaries: list[dict[str, Any]], checks: dict[str, Any]) -> str:
    lines = [
        f"{'system':34} {'docs':>6} {'conc':>4} {'reqs':>6} {'err':>4} {'p50 ms':>9} "
        f"{'p99 ms':>9} {'req/s':>8}"
    ]
    for s in summaries:
        lines.append(
            f"{s['system']:34} {s['corpus_docs']:>6} {s['concurrency']:>4} {s['requests']:>6} "
            f"{s['errors']:>4} {ms(s['p50_ms']):>9} {ms(s['p99_ms']):>9} {s['req_per_s']:>8,.1f}"
        )
    lines.append("")
    lines.append(
        f"{'query (p50 ms, one at a time)':26} {'floor':>8} {'policykg':>9} {'rdflib':>10} "
        f"{'pkg/floor':>9} {'rdflib/pkg':>10}"
    )
    per = checks["per_query"]
    for name, row in per.items():
        lines.append(
            f"{name:26} {ms(row['floor']):>8} {ms(row['policykg']):>9} {ms(row['rdflib']):>10} "
            f"{row['policykg'] / row['floor']:>8.2f}x {row['rdflib'] / row['policykg']:>9.0f}x"
        )
    lines.append("")
    for text in checks["targets"]:
        lines.append(text)
    return "\n".join(lines)


def _rest_line(r: dict[str, Any]) -> str:
    cpu = r.get("server_cpu_ms_per_request")
    return (
        f"{r['system']}: {r['req_per_s']:,.0f} req/s, p99 {ms(r['p99_ms'])} ms at concurrency "
        f"{r['concurrency']}"
        + (f", server CPU {cpu:.2f} ms/request" if cpu else "")
        + f"  [target >= 1000 req/s: {'MET' if r['req_per_s'] >= 1000 else 'MISSED'}; "
        f"p99 < 50 ms: {'MET' if r['p99_ms'] < 50 else 'MISSED'}]"
    )


def targets(
    floor_p: Phase, pkg_lat: Phase, pkg_thr: Phase, rdf: Phase | None, rest: list[Phase]
) -> dict[str, Any]:
    f, p, t = floor_p.summary(), pkg_lat.summary(), pkg_thr.summary()
    rd = rdf.summary() if rdf else None
    per: dict[str, dict[str, float]] = {}
    bounded: list[str] = []  # rdflib queries that timed out: their time is a lower bound
    for template in MIX:
        n = template.name
        rdflib_ms = rd["per_query_p50_ms"].get(n, float("nan")) if rd else float("nan")
        if rd and rdflib_ms != rdflib_ms and n in rd["per_query_timed_out_ms"]:
            rdflib_ms = rd["per_query_timed_out_ms"][n]
            bounded.append(n)
        per[n] = {
            "floor": f["per_query_p50_ms"].get(n, float("nan")),
            "policykg": p["per_query_p50_ms"].get(n, float("nan")),
            "rdflib": rdflib_ms,
        }
    mix_pkg = sum(v["policykg"] for v in per.values())
    mix_rdf = sum(v["rdflib"] for v in per.values())
    rdf_docs = rd["corpus_docs"] if rd else 0
    bound = 1.5 * f["p50_ms"] + 2.0
    within = [n for n, v in per.items() if v["policykg"] <= 1.5 * v["floor"] + 2.0]
    at_least = ">= " if bounded else ""
    if not rd:
        versus = "rdflib-endpoint not run (--rdflib-requests 0): the 50x target is not measured"
    elif mix_rdf != mix_rdf:
        missing = [n for n, v in per.items() if v["rdflib"] != v["rdflib"]]
        versus = f"rdflib-endpoint answered no request for {', '.join(missing)}: not measured"
    else:
        versus = (
            f"rdflib-endpoint vs policykg, one pass of the mix (sum of per-query p50): "
            f"{at_least}{ms(mix_rdf)} ms ({rdf_docs} docs) vs {ms(mix_pkg)} ms "
            f"({p['corpus_docs']} docs) = {at_least}{mix_rdf / mix_pkg:,.0f}x  [target >= 50x: "
            f"{'MET' if mix_rdf / mix_pkg >= 50 else 'MISSED'}]"
            + (f"; timed out (time = lower bound): {', '.join(bounded)}" if bounded else "")
        )
    lines = [
        versus,
        f"policykg p50 {ms(p['p50_ms'])} ms vs floor p50 {ms(f['p50_ms'])} ms: bound 1.5x+2 ms = "
        f"{ms(bound)} ms  [{'MET' if p['p50_ms'] <= bound else 'MISSED'}]; per query within the "
        f"bound: {len(within)}/{len(per)}",
        *(_rest_line(phase.summary()) for phase in rest),
        f"policykg /sparql throughput at concurrency {t['concurrency']}: "
        f"{t['req_per_s']:,.0f} req/s (p50 {ms(t['p50_ms'])} ms, p99 {ms(t['p99_ms'])} ms)",
    ]
    return {"per_query": per, "targets": lines}


# --------------------------------------------------------------------------- main
def cross_check(reference: Phase, other: Phase) -> tuple[int, int]:
    """(agreeing, compared): answers of equal size, request by request, in the same order."""
    pairs = [
        (a, b)
        for a, b in zip(reference.results, other.results, strict=False)
        if b.status == 200 and a.name == b.name
    ]
    return sum(1 for a, b in pairs if a.answer == b.answer), len(pairs)


def run(args: argparse.Namespace) -> dict[str, Any]:
    iris = Iris(get_settings().normalised_base())
    loadavg = [os.getloadavg()[0]]
    folder = corpus(args.docs, args.seed, args.corpus)
    with tempfile.TemporaryDirectory(prefix="policykg-bench-") as tmp:
        data = args.data_dir or Path(tmp) / "data"
        store_path = get_settings().model_copy(update={"data_dir": data}).rdf_store_dir
        if args.data_dir and store_path.is_dir():  # built by an earlier run: reuse it
            t_build = float("nan")
            with RdfStore(ox.Store.read_only(str(store_path)), iris, None) as kept:
                docs, triples = len(kept.document_ids()), len(kept.store)
        else:
            docs, triples, t_build = build_store(folder, store_path, iris, args.workers)
        print(f"store: {docs} documents, {triples:,} quads, built in {t_build:.0f} s", flush=True)
        rdf = RdfStore(ox.Store.read_only(str(store_path)), iris, None)
        doc_ids = rdf.document_ids()
        measures_total = rdf.counts()["measures"]
        subset = sorted(random.Random(args.seed).sample(doc_ids, min(args.rdflib_docs, docs)))
        sample = take_sample(rdf, subset, args.seed)
        del rdf
        lat_requests = sparql_requests(iris, sample, args.latency_requests, args.seed)
        thr_requests = sparql_requests(iris, sample, args.requests, args.seed + 1)
        warm = sparql_requests(iris, sample, 4 * len(MIX), args.seed + 2)
        list_items = [
            Item(n, p, "text/html" if n == "home_page" else "application/json")
            for n, p in list_paths(sample, iris, docs, measures_total, args.seed)
        ]
        rest_items = [
            Item(n, p, "application/json") for n, p in rest_paths(sample, args.requests, args.seed)
        ]

        floor(store_path, warm)
        floor_phase = floor(store_path, lat_requests)
        floor_phase.corpus_docs = docs
        print("floor measured", flush=True)

        port = free_port()
        env = {
            **os.environ,
            "POLICYKG_DATA_DIR": str(data),
            "POLICYKG_NEO4J_URI": "",
            "POLICYKG_BASE_IRI": iris.base,
        }
        cmd = [str(Path(sys.executable).parent / "policykg"), "serve", "--host", HOST]
        proc = start([*cmd, "--port", str(port)], env, Path(tmp) / "serve.log", port, 120)

        def rest_phase(proc: Any, port: int, system: str) -> Phase:
            load(port, rest_items[:100], args.concurrency, args.time_limit)
            cpu = cpu_seconds(proc.pid)
            res, wall = load(port, rest_items, args.concurrency, args.time_limit)
            phase = Phase(system, docs, args.concurrency, res, wall)
            phase.server_cpu_s = cpu_seconds(proc.pid) - cpu
            return phase

        try:
            # One at a time first: concurrent requests can break the service (see README).
            load(port, sparql_items(warm), 1, args.time_limit)
            lat_res, lat_wall = load(port, sparql_items(lat_requests), 1, args.time_limit)
            pkg_lat = Phase("policykg /sparql", docs, 1, lat_res, lat_wall)
            thr_res, thr_wall = load(
                port, sparql_items(thr_requests), args.concurrency, args.time_limit
            )
            pkg_thr = Phase("policykg /sparql", docs, args.concurrency, thr_res, thr_wall)
            rest = rest_phase(proc, port, "policykg REST detail pages")
            list_res, list_wall = load(port, list_items, 1, args.time_limit, 120.0)
            lists = Phase("policykg REST lists, home page", docs, 1, list_res, list_wall)
        finally:
            stop(proc)
        # The same pages with the detail cache off: what every read costs (README, REST).
        port = free_port()
        env["POLICYKG_REST_CACHE_ENTRIES"] = "0"
        proc = start([*cmd, "--port", str(port)], env, Path(tmp) / "serve-nocache.log", port, 120)
        try:
            rest_nocache = rest_phase(proc, port, "policykg REST detail pages, no cache")
        finally:
            stop(proc)
        loadavg.append(os.getloadavg()[0])
        print("policykg measured", flush=True)

        rdf_phase = None
        rdflib_info: dict[str, Any] = {"docs": len(subset)}
        if args.rdflib_requests > 0:
            nquads = Path(tmp) / "subset.nq"
            rdflib_info["quads"] = write_nquads(store_path, iris, set(subset), nquads)
            port = free_port()
            cmd = [sys.executable, str(Path(__file__).resolve()), "--serve-rdflib", str(nquads)]
            t0 = time.perf_counter()
            try:
                proc = start(
                    [*cmd, "--port", str(port)],
                    dict(os.environ),
                    Path(tmp) / "rdflib.log",
                    port,
                    3600,
                )
            except SystemExit as exc:  # e.g. killed by the kernel: out of memory
                rdflib_info["failed"] = f"{str(exc)[:300]} after {time.perf_counter() - t0:.0f} s"
                print(f"rdflib-endpoint did not start: {rdflib_info['failed']}", flush=True)
                proc = None
            rdflib_info["load_s"] = time.perf_counter() - t0
            print(
                f"rdflib-endpoint: {len(subset)} documents, {rdflib_info['quads']:,} quads "
                f"loaded in {rdflib_info['load_s']:.0f} s",
                flush=True,
            )
            try:
                if proc is None:
                    raise _NotStarted
                rdflib_info["rss_gb"] = peak_rss_gb(proc.pid)
                load(port, sparql_items(warm[6:7]), 1, args.rdflib_timeout, args.rdflib_timeout)
                items = sparql_items(lat_requests[: args.rdflib_requests])
                res, wall = load(port, items, 1, args.rdflib_budget, args.rdflib_timeout)
                rdf_phase = Phase("rdflib-endpoint", len(subset), 1, res, wall)
                rdflib_info["timed_out"] = [r.name for r in res if r.status == 0]
                rdflib_info["not_sent"] = len(items) - len(res)
                rdflib_info["rss_gb"] = peak_rss_gb(proc.pid)
            except _NotStarted:
                pass
            finally:
                if proc is not None:
                    stop(proc)
        loadavg.append(os.getloadavg()[0])

    phases = [
        floor_phase,
        pkg_lat,
        pkg_thr,
        *([rdf_phase] if rdf_phase else []),
        rest,
        rest_nocache,
        lists,
    ]
    summaries = [p.summary() for p in phases]
    checks = targets(floor_phase, pkg_lat, pkg_thr, rdf_phase, [rest, rest_nocache])
    if "failed" in rdflib_info:
        checks["targets"][0] = (
            f"rdflib-endpoint could not serve {len(subset)} documents "
            f"({rdflib_info['quads']:,} quads): {rdflib_info['failed']}"
        )
    by_kind: dict[str, list[float]] = {}
    for r in lists.results:
        by_kind.setdefault(r.name, []).append(r.latency * 1000 if r.status == 200 else math.nan)
    checks["targets"].append(
        "REST lists one at a time (ms, each call): "
        + "; ".join(f"{k} " + " / ".join(ms(x) for x in v) for k, v in by_kind.items())
    )
    agree, compared = cross_check(floor_phase, pkg_lat)
    checks["targets"].append(f"policykg answers equal in size to the floor's: {agree}/{compared}")
    if rdf_phase is not None and len(subset) == docs:
        agree, compared = cross_check(floor_phase, rdf_phase)
        checks["targets"].append(f"rdflib answers equal in size to the floor's: {agree}/{compared}")
    checks["targets"].append(
        "1-min load average (2 CPUs) at start / after policykg / at end: "
        + " / ".join(f"{x:.1f}" for x in loadavg)
    )
    print()
    print(report(summaries, checks))
    return {
        "docs": docs,
        "quads": triples,
        "build_s": t_build,
        "rdflib": rdflib_info,
        "loadavg": loadavg,
        "phases": summaries,
        "per_query_p50_ms": checks["per_query"],
        "targets": checks["targets"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description="policykg query benchmark")
    parser.add_argument("--docs", type=int, default=1000, help="corpus size")
    parser.add_argument("--requests", type=int, default=2000, help="requests per load phase")
    parser.add_argument("--concurrency", type=int, default=8, help="open connections")
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--corpus", type=Path, help="corpus folder (default bench/out/...)")
    parser.add_argument("--workers", type=int, default=2, help="extraction processes")
    parser.add_argument(
        "--data-dir",
        type=Path,
        help="keep the built store here and reuse it on the next run (default: a temporary dir)",
    )
    parser.add_argument("--latency-requests", type=int, default=200)
    parser.add_argument("--time-limit", type=float, default=120.0, help="seconds per phase")
    parser.add_argument("--rdflib-docs", type=int, default=1000)
    parser.add_argument("--rdflib-requests", type=int, default=16)
    parser.add_argument("--rdflib-timeout", type=float, default=120.0)
    parser.add_argument("--rdflib-budget", type=float, default=600.0)
    parser.add_argument("--serve-rdflib", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_rdflib:
        serve_rdflib(args.serve_rdflib, args.port)
        return
    results = run(args)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")
        print(f"results written to {args.out}")


if __name__ == "__main__":
    main()
