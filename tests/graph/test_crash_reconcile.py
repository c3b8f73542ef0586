"""graph/reconcile.py on the states a crash leaves: each intent is finished, rolled back or
cleared, and `policykg verify --repair` does the same on demand (issue 10 point 6)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph import pipeline, reconcile, verify
from graph.neo4j import store as neo4j_store
from graph.rdf import intents
from graph.rdf.bulk import load_payloads
from graph.rdf.intents import Intent
from graph.rdf.store import RdfStore
from graph.settings import Settings, get_settings
from loaders import extract_file
from ontology.iris import Iris
from tests.paths import ROOT

JINAN = ROOT / "data" / "jinan-2025-5.txt"


def _crash_after_rdf(rdf: RdfStore, iris: Iris, previous: str = "", rows: str = "") -> str:
    """What a process killed after the RDF transaction of a load leaves: document and intent
    in the RDF store, nothing in Neo4j."""
    prepared = pipeline.prepare(extract_file(JINAN), iris, with_rows=True)
    intent = Intent(
        prepared.doc_id,
        "load",
        version=prepared.version,
        digest=prepared.rdf.digest,
        rows=rows or prepared.packed_rows,
        previous=previous,
    )
    load_payloads(rdf, [prepared.rdf], {prepared.doc_id: intent})
    return prepared.doc_id


def test_interrupted_load_is_finished(neo4j: Any, settings: Settings) -> None:
    iris = Iris(settings.normalised_base())
    with RdfStore.open(None, iris) as rdf:
        doc_id = _crash_after_rdf(rdf, iris)
        assert [i.doc_id for i in intents.pending(rdf.store, iris)] == [doc_id]
        assert verify.compare_documents(rdf, neo4j, settings.neo4j_database).only_in_rdf == [doc_id]
        (result,) = reconcile.reconcile(rdf, neo4j, settings.neo4j_database)
        assert (result.doc_id, result.action) == (doc_id, "finished")
        assert intents.pending(rdf.store, iris) == []
        assert verify.compare_stores(rdf, neo4j, settings.neo4j_database).identical
        assert reconcile.reconcile(rdf, neo4j, settings.neo4j_database) == []


def test_unusable_rows_roll_back_a_new_document(neo4j: Any, settings: Settings) -> None:
    iris = Iris(settings.normalised_base())
    with RdfStore.open(None, iris) as rdf:
        doc_id = _crash_after_rdf(rdf, iris, rows=intents.pack("not json"))
        (result,) = reconcile.reconcile(rdf, neo4j, settings.neo4j_database)
        assert (result.doc_id, result.action) == (doc_id, "rolled back")
        assert rdf.document_ids() == []
        assert intents.pending(rdf.store, iris) == []


def test_stale_intent_is_cleared(neo4j: Any, settings: Settings) -> None:
    iris = Iris(settings.normalised_base())
    with RdfStore.open(None, iris) as rdf:
        doc_id = _crash_after_rdf(rdf, iris)
        stale = Intent(doc_id, "load", version="v0", digest="not-the-stored-hash")
        intents.clear(rdf.store, iris, [doc_id])
        rdf.store.update(f"INSERT DATA {{ {intents.insert_block(iris, [stale])} }}")
        (result,) = reconcile.reconcile(rdf, neo4j, settings.neo4j_database)
        assert (result.action, result.why) == (
            "cleared",
            "stale: the RDF store holds a later write",
        )


def test_interrupted_removal_is_finished(neo4j: Any, settings: Settings) -> None:
    iris = Iris(settings.normalised_base())
    with RdfStore.open(None, iris) as rdf:
        pipeline.load_extraction(extract_file(JINAN), rdf, neo4j, iris, settings.neo4j_database)
        # killed after Neo4j removed it: the removal intent is in the RDF store
        rdf.store.update(
            f"INSERT DATA {{ {intents.insert_block(iris, [Intent('jinan-2025-5', 'remove')])} }}"
        )
        neo4j_store.remove_document(neo4j, "jinan-2025-5", settings.neo4j_database)
        (result,) = reconcile.reconcile(rdf, neo4j, settings.neo4j_database)
        assert (result.doc_id, result.action) == ("jinan-2025-5", "finished")
        assert rdf.document_ids() == []


def test_verify_repair_settles_and_then_agrees(
    neo4j: Any, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("POLICYKG_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    try:
        ours = get_settings()
        iris = Iris(ours.normalised_base())
        with RdfStore.open(ours.rdf_store_dir, iris) as rdf:
            doc_id = _crash_after_rdf(rdf, iris)
        runner = CliRunner()
        before = runner.invoke(app, ["verify", "--neo4j"])
        assert before.exit_code == 1
        flat = " ".join(before.output.split())
        assert f"document {doc_id}: interrupted write not settled yet" in flat
        assert f"document {doc_id}: in the RDF store, not in Neo4j" in flat
        repaired = runner.invoke(app, ["verify", "--neo4j", "--repair"])
        assert repaired.exit_code == 0, repaired.output
        assert f"repaired {doc_id}: finished" in " ".join(repaired.output.split())
    finally:
        get_settings.cache_clear()
