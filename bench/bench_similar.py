"""Similar measures at scale: what they add to a load, and how fast one measure's list answers.

    python bench/generate.py --docs 1000 --seed 1 --out bench/out/corpus-1000-s1
    python bench/bench_similar.py bench/out/corpus-1000-s1 --json bench/results/similar-1000.json

For one corpus, in one run, two loads with ``pipeline.load_paths`` exactly as ``policykg
load`` runs it (2 workers, batches of 300) into fresh on-disk RDF stores (and, with
``--neo4j URI``, the wiped Neo4j database): first **without** similar measures (the
index step and the workers' n-gram/MinHash work patched out), then **with** them. Reported:
both wall times, their difference as a share of the load without, the time spent in the
index step itself (``similar_index.after_load``, timed around each call), the links stored,
then the answer time of ``graph.catalog.similar.similar_measures`` (limit 10) for random
measures (p50, p99), and the recall of the stored lists against the exact top 5 (by
``pairwise`` over the whole corpus) for a sample of measures.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any
from unittest import mock

import numpy as np

from graph import pipeline, prepared, similar_index
from graph.analysis.similarity import THRESHOLD, TOP_K, pairwise
from graph.catalog.similar import similar_measures
from graph.rdf import similar as rdf_similar
from graph.rdf.store import RdfStore
from graph.settings import Settings
from ontology.iris import Iris


def load_avg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _driver(uri: str | None) -> Any:
    if uri is None:
        return None
    from neo4j import GraphDatabase

    from graph.neo4j.store import ensure_schema

    settings = Settings()
    driver = GraphDatabase.driver(uri, auth=(settings.neo4j_user, settings.neo4j_password))
    with driver.session(database=settings.neo4j_database) as session:
        session.run("MATCH (n) CALL { WITH n DETACH DELETE n } IN TRANSACTIONS").consume()
    ensure_schema(driver, settings.neo4j_database)
    return driver


def load(folder: Path, store_dir: Path, iris: Iris, args: argparse.Namespace, on: bool) -> dict:
    """One load into a fresh store; with ``on`` False the similar-measure work is patched out."""
    spent = [0.0]
    real = similar_index.after_load

    def timed(*a: Any, **k: Any) -> similar_index.Change:
        start = time.perf_counter()
        try:
            return real(*a, **k)
        finally:
            spent[0] += time.perf_counter() - start

    patches = (
        [mock.patch.object(similar_index, "after_load", timed)]
        if on
        else [
            mock.patch.object(similar_index, "after_load", lambda *a, **k: None),
            mock.patch.object(prepared, "entry", lambda *a, **k: None),
        ]
    )
    driver = _driver(args.neo4j)
    before = load_avg()
    rdf = RdfStore.open(store_dir, iris)
    for p in patches:
        p.start()
    try:
        start = time.perf_counter()
        report = pipeline.load_paths(
            [folder], rdf, driver, iris, batch_size=args.batch, workers=args.workers
        )
        rdf.store.flush()
        seconds = time.perf_counter() - start
    finally:
        for p in patches:
            p.stop()
    if not report.ok:
        raise SystemExit(f"{report.count('failed')} documents failed")
    out = {
        "seconds": round(seconds, 1),
        "documents": report.count("loaded"),
        "measures": sum(o.measures for o in report.outcomes),
        "load_avg_before": before,
        "load_avg_after": load_avg(),
        "rdf": rdf,
        "driver": driver,
    }
    if on:
        out["index_step_seconds"] = round(spent[0], 1)
    return out


def answers(rdf: RdfStore, iris: Iris, n: int, seed: int) -> dict[str, Any]:
    """Answer time of similar_measures for ``n`` random measures (ms)."""
    rng = random.Random(seed)
    rows = rdf.select("SELECT ?m WHERE { GRAPH ?g { ?m a pkg:Measure } }")
    measures = [rdf_similar.measure_key(iris, str(r["m"])) for r in rows]
    sample = rng.sample(measures, min(n, len(measures)))
    times = []
    found = 0
    for doc, number in sample:
        start = time.perf_counter()
        got = similar_measures(rdf, iris, doc, number, 10)
        times.append((time.perf_counter() - start) * 1000)
        found += bool(got)
    times.sort()
    return {
        "requests": len(times),
        "with_links": found,
        "p50_ms": round(statistics.median(times), 2),
        "p99_ms": round(times[min(len(times) - 1, int(len(times) * 0.99))], 2),
        "max_ms": round(times[-1], 2),
    }


def recall(rdf: RdfStore, iris: Iris, n: int, seed: int) -> dict[str, Any]:
    """Stored lists against the exact top TOP_K (>= THRESHOLD, other documents) of a sample."""
    docs = rdf.document_ids()
    texts = rdf_similar.measure_texts(rdf, docs)
    names = [m for _, m, _ in texts]
    doc_of = np.array([d for d, _, _ in texts])
    rng = random.Random(seed)
    sample = rng.sample(range(len(texts)), min(n, len(texts)))
    stored = rdf_similar.stored_lists(rdf)
    exact_links = hit = 0
    for chunk in range(0, len(sample), 50):
        rows = sample[chunk : chunk + 50]
        scores = pairwise([texts[i][2] for i in rows], [t for _, _, t in texts])
        for k, i in enumerate(rows):
            s = np.where(doc_of == doc_of[i], 0.0, scores[k])
            best = [j for j in np.argsort(-s, kind="stable")[: TOP_K * 4] if s[j] >= THRESHOLD]
            best = sorted(best, key=lambda j: (-s[j], names[j]))[:TOP_K]
            want = {names[j] for j in best}
            have = {o for o, _ in stored.get(names[i], [])}
            exact_links += len(want)
            hit += len(want & have)
    return {
        "sample": len(sample),
        "exact_links": exact_links,
        "found": hit,
        "recall": round(hit / exact_links, 3) if exact_links else None,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=300)
    parser.add_argument("--neo4j", default=None, help="bolt URI of a Neo4j to wipe and use")
    parser.add_argument("--answers", type=int, default=1000)
    parser.add_argument("--recall", type=int, default=300)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--only-with",
        action="store_true",
        help="one load, with similar measures; the load without is its time less the index step",
    )
    args = parser.parse_args()
    iris = Iris(Settings().normalised_base())
    with tempfile.TemporaryDirectory() as tmp:
        if args.only_with:
            off = {"seconds": None, "rdf": None, "driver": None, "estimated": True}
        else:
            off = load(args.corpus, Path(tmp) / "off", iris, args, on=False)
            off["rdf"].close()
            print(f"load WITHOUT similar measures: {off['seconds']} s {off}", flush=True)
        on = load(args.corpus, Path(tmp) / "on", iris, args, on=True)
        if args.only_with:
            off["seconds"] = round(on["seconds"] - on["index_step_seconds"], 1)
        rdf: RdfStore = on.pop("rdf")
        off.pop("rdf")
        for run in (on, off):
            driver = run.pop("driver")
            if driver is not None and run is off:
                driver.close()
        links = sum(len(v) for v in rdf_similar.stored_lists(rdf).values())
        result: dict[str, Any] = {
            "corpus": str(args.corpus),
            "stores": "RDF store and Neo4j" if args.neo4j else "RDF store",
            "without": off,
            "with": on,
            "added_seconds": round(on["seconds"] - off["seconds"], 1),
            "added_share_of_load": round((on["seconds"] - off["seconds"]) / off["seconds"], 3),
            "index_step_share_of_load": round(on["index_step_seconds"] / off["seconds"], 3),
            "links": links,
            "links_per_measure": round(links / max(on["measures"], 1), 2),
        }
        print(json.dumps(result, indent=1), flush=True)
        result["answers"] = answers(rdf, iris, args.answers, 7)
        print("answers", result["answers"], load_avg(), flush=True)
        result["recall"] = recall(rdf, iris, args.recall, 11)
        print("recall", result["recall"], load_avg(), flush=True)
        rdf.close()
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
