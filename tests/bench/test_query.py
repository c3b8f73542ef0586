"""Query benchmark: a deterministic mix, right statistics, and the script runs end to end."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from bench.query_mix import MIX, Sample, answer_size, quantile, rest_paths, sparql_requests
from ontology.iris import Iris
from tests.paths import ROOT

IRIS = Iris("http://example.org/pkg")
SAMPLE = Sample(
    documents=("jinan-2025-5", "qingdao-2020-3"),
    measures=(("jinan-2025-5", 1), ("jinan-2025-5", 2), ("qingdao-2020-3", 7)),
    measure_titles=("扩大就业", "支持创业"),
    agencies=("http://example.org/pkg/id/agency/jinan-hrss",),
    groups=("http://example.org/pkg/id/group/graduates",),
    years=(2020, 2025),
)


def test_quantile_is_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]  # 1..100
    assert quantile(values, 0.50) == 50.0
    assert quantile(values, 0.99) == 99.0
    assert quantile([3.0, 7.0], 0.5) == 3.0
    assert quantile([3.0, 7.0], 0.99) == 7.0
    assert quantile([5.0], 0.99) == 5.0


def test_answer_size_counts_rows_booleans_and_triples() -> None:
    select = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{}},{"x":{}},{"x":{}}]}}'
    assert answer_size("SELECT", select) == 3
    assert answer_size("ASK", b'{"head":{},"boolean":true}') == 1
    assert answer_size("ASK", b'{"head":{},"boolean":false}') == 0
    nt = b"<a> <b> <c> .\n<a> <b> <d> .\n\n"
    assert answer_size("CONSTRUCT", nt) == 2


def test_requests_cycle_through_the_mix_deterministically() -> None:
    first = sparql_requests(IRIS, SAMPLE, 20, seed=4)
    again = sparql_requests(IRIS, SAMPLE, 20, seed=4)
    other = sparql_requests(IRIS, SAMPLE, 20, seed=5)
    assert [r.text for r in first] == [r.text for r in again]
    assert [r.text for r in first] != [r.text for r in other]
    assert [r.name for r in first[: len(MIX)]] == [t.name for t in MIX]
    assert first[len(MIX)].name == MIX[0].name
    # every query declares its prefixes and names only ids from the sample
    for r in first:
        assert r.text.startswith("PREFIX ")
        assert "PREFIX pkg: <http://example.org/pkg/ontology#>" in r.text
        assert not re.search(r"\{(measure|document|agency|group|word|year)\}", r.text)
    texts = " ".join(r.text for r in first)
    assert "http://example.org/pkg/id/document/jinan-2025-5" in texts
    assert "http://example.org/pkg/id/agency/jinan-hrss" in texts
    ask = next(r for r in first if r.name == "document_exists")
    assert ask.form == "ASK" and ask.accept == "application/sparql-results+json"
    construct = next(r for r in first if r.name == "describe_measure")
    assert construct.accept == "application/n-triples"


def test_rest_paths_are_detail_pages_of_sampled_ids() -> None:
    paths = rest_paths(SAMPLE, 8, seed=1)
    assert [name for name, _ in paths] == ["measure_detail"] * 3 + ["document_detail"] + [
        "measure_detail"
    ] * 3 + ["document_detail"]
    allowed = {f"/api/measures/{d}/{o}" for d, o in SAMPLE.measures} | {
        f"/api/documents/{d}" for d in SAMPLE.documents
    }
    assert {p for _, p in paths} <= allowed


@pytest.mark.slow
def test_script_runs_on_a_tiny_corpus_and_reports_every_figure(tmp_path: Path) -> None:
    out = tmp_path / "result.json"
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "bench_query.py"),
            "--docs",
            "6",
            "--corpus",
            str(tmp_path / "corpus"),
            "--requests",
            "40",
            "--latency-requests",
            "16",
            "--concurrency",
            "2",
            "--rdflib-docs",
            "6",
            "--rdflib-requests",
            "8",
            "--workers",
            "1",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = proc.stdout
    for label in ("p50 ms", "p99 ms", "req/s", "pkg/floor", "rdflib/pkg", "target >= 50x"):
        assert label in text
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["docs"] == 6
    assert result["rdflib"]["docs"] == 6
    phases = {(p["system"], p["concurrency"]): p for p in result["phases"]}
    assert sorted(phases) == sorted(
        [
            ("pyoxigraph in-process (floor)", 1),
            ("policykg /sparql", 1),
            ("policykg /sparql", 2),
            ("rdflib-endpoint", 1),
            ("policykg REST detail pages", 2),
            ("policykg REST detail pages, no cache", 2),
            ("policykg REST lists, home page", 1),
        ]
    )
    assert phases[("pyoxigraph in-process (floor)", 1)]["requests"] == 16
    assert phases[("policykg /sparql", 1)]["requests"] == 16
    assert phases[("policykg /sparql", 2)]["requests"] == 40
    assert phases[("rdflib-endpoint", 1)]["requests"] == 8
    assert phases[("policykg REST detail pages", 2)]["requests"] == 40
    assert phases[("policykg REST detail pages, no cache", 2)]["requests"] == 40
    lists = phases[("policykg REST lists, home page", 1)]
    assert lists["requests"] == 21 and lists["errors"] == 0
    assert sorted(lists["per_query_p50_ms"]) == sorted(
        [
            "list_measures",
            "list_measures_agency",
            "list_measures_group",
            "list_measures_search",
            "list_documents",
            "list_agencies",
            "home_page",
        ]
    )
    rest_keys = [("policykg REST detail pages", 2), ("policykg REST detail pages, no cache", 2)]
    for key in rest_keys:
        # measured (in clock ticks of 10 ms: 40 tiny requests may well use none)
        assert isinstance(phases[key]["server_cpu_ms_per_request"], float), key
    for key in (("policykg /sparql", 1), ("rdflib-endpoint", 1), *rest_keys):
        assert phases[key]["errors"] == 0, key
        assert phases[key]["p50_ms"] > 0
        assert phases[key]["p99_ms"] >= phases[key]["p50_ms"]
        assert phases[key]["req_per_s"] > 0
    assert set(result["per_query_p50_ms"]) == {t.name for t in MIX}
    assert "policykg answers equal in size to the floor's: 16/16" in result["targets"]
    assert "rdflib answers equal in size to the floor's: 8/8" in result["targets"]


def _phase(system: str, latencies: dict[str, list[float]], timed_out: dict[str, float]) -> Any:
    from bench.query_mix import Phase, Result

    results = [Result(n, x, 200) for n, xs in latencies.items() for x in xs]
    results += [Result(n, x, 0, None, "TimeoutError") for n, x in timed_out.items()]
    return Phase(system, 10, 1, results, 1.0)


def test_targets_count_an_rdflib_timeout_as_a_lower_bound() -> None:
    from bench.bench_query import targets

    names = [t.name for t in MIX]
    floor = _phase("floor", {n: [0.001] for n in names}, {})
    pkg = _phase("policykg", {n: [0.002] for n in names}, {})
    rest = _phase("REST", {"measure_detail": [0.004] * 10}, {})
    rest.server_cpu_s = 0.005
    # rdflib answered every query in 0.1 s except the second, which timed out after 900 s
    rdflib = _phase("rdflib", {n: [0.1] for n in names if n != names[1]}, {names[1]: 900.0})
    lines = targets(floor, pkg, pkg, rdflib, [rest])["targets"]
    # mix: 7 x 100 ms + >= 900,000 ms vs 8 x 2 ms = >= 56,293x
    assert lines[0].startswith(
        "rdflib-endpoint vs policykg, one pass of the mix (sum of per-query p50): "
        ">= 900,700.0 ms (10 docs) vs 16.0 ms (10 docs) = >= 56,294x  [target >= 50x: MET]"
    )
    assert lines[0].endswith(f"timed out (time = lower bound): {names[1]}")
    assert lines[2] == (
        "REST: 10 req/s, p99 4.0 ms at concurrency 1, server CPU 0.50 ms/request  "
        "[target >= 1000 req/s: MISSED; p99 < 50 ms: MET]"
    )
    # a query rdflib never answered nor timed out on leaves the comparison unmeasured
    silent = _phase("rdflib", {n: [0.1] for n in names[:-1]}, {})
    assert targets(floor, pkg, pkg, silent, [rest])["targets"][0] == (
        f"rdflib-endpoint answered no request for {names[-1]}: not measured"
    )
