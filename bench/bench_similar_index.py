"""The similar-measures index step alone, at scale: what ``similar_index.after_load`` costs.

    python bench/bench_similar_index.py bench/out/corpus-10000-s1 --entries /tmp/e10000.pkl

The corpus is extracted once (2 workers, as ``policykg load``) and each document's similar
entry (n-gram ids, MinHash signatures: graph/prepared.py) pickled to ``--entries``, reused
when that file exists. Then the entries are fed to ``after_load`` in batches of 300, in load
order, into a fresh on-disk RDF store holding nothing else, as the pipeline does after its
first batch: no extraction, no document writes, so the figure is the index step's own (LSH,
rescoring, offers, the lists' writes) without the machine's other work in the way. Reported:
the total and per-batch seconds, the links stored and a check that the similar graphs hold
four triples a link and nothing more. ``--lists FILE`` pickles the stored lists, to compare
two versions of the code (run one from a ``git archive`` of the other with ``PYTHONPATH``).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import tempfile
import time
from pathlib import Path
from typing import Any

from graph import prepared, similar_index
from graph.analysis.similarity import Entry
from graph.rdf import similar as rdf_similar
from graph.rdf.store import RdfStore
from graph.settings import Settings
from ontology.iris import Iris


def entries_of(folder: Path, iris: Iris, cache: Path | None, workers: int) -> list[Entry]:
    """Every document's similar entry, in load order (extracted once, then cached)."""
    if cache is not None and cache.exists():
        with cache.open("rb") as f:
            cached: list[Entry] = pickle.load(f)
        return cached
    files = prepared.expand_paths([folder])
    out: list[Entry] = []
    for source, doc, reason in prepared.prepare_all(files, iris, False, workers):
        if doc is None or doc.similar is None:
            raise SystemExit(f"{source}: {reason}")
        out.append(doc.similar)
    if cache is not None:
        with cache.open("wb") as f:
            pickle.dump(out, f)
    return out


def run(entries: list[Entry], iris: Iris, batch: int) -> tuple[dict[str, Any], dict]:
    """Feed the entries to after_load batch by batch; the timings and the stored lists."""
    with tempfile.TemporaryDirectory() as tmp:
        rdf = RdfStore.open(Path(tmp) / "store", iris)
        similar_index._indexes[rdf] = similar_index.SimilarIndex()  # as after a first batch
        seconds: list[float] = []
        touched = 0
        for start in range(0, len(entries), batch):
            chunk = entries[start : start + batch]
            ids = sorted(e[0] for e in chunk)
            began = time.perf_counter()
            change = similar_index.after_load(rdf, None, ids, (), "neo4j", {e[0]: e for e in chunk})
            seconds.append(time.perf_counter() - began)
            touched += change.touched()
        stored = rdf_similar.stored_lists(rdf)
        prefix = str(iris.similar_graph(""))
        quads = sum(
            1
            for q in rdf.store.quads_for_pattern(None, None, None)
            if str(getattr(q.graph_name, "value", "")).startswith(prefix)
        )
        rdf.close()
    links = sum(len(v) for v in stored.values())
    measures = sum(len(e[1]) for e in entries)
    total = sum(seconds)
    return {
        "documents": len(entries),
        "measures": measures,
        "index_step_seconds": round(total, 1),
        "ms_per_measure": round(1000 * total / max(measures, 1), 3),
        "batch_seconds": [round(s, 2) for s in seconds],
        "links": links,
        "lists_written": touched,
        "similar_triples_are_four_a_link": quads == 4 * links,
        "load_avg_after": [round(x, 2) for x in os.getloadavg()],
    }, stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--entries", type=Path, default=None, help="pickle of the entries")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--batch", type=int, default=300)
    parser.add_argument("--lists", type=Path, default=None, help="pickle the stored lists here")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    iris = Iris(Settings().normalised_base())
    entries = entries_of(args.corpus, iris, args.entries, args.workers)
    before = [round(x, 2) for x in os.getloadavg()]
    result, stored = run(entries, iris, args.batch)
    result = {"corpus": str(args.corpus), "load_avg_before": before, **result}
    print(json.dumps(result), flush=True)
    if args.lists is not None:
        with args.lists.open("wb") as f:
            pickle.dump(stored, f)
    if args.json is not None:
        args.json.write_text(json.dumps(result, indent=1) + "\n")


if __name__ == "__main__":
    main()
