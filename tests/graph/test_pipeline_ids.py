"""Issue 10 point 7: two different documents never share an id in a load; the same document
from another file replaces the earlier one and the outcome says so."""

from __future__ import annotations

import hashlib
from pathlib import Path

from graph import pipeline
from graph.rdf.store import RdfStore
from loaders.ids import sha1_10
from ontology.iris import Iris
from tests.paths import ROOT

IRIS = Iris("http://kg.test")
WEIFANG = ROOT / "tests" / "fixtures" / "docs" / "weifang-bom.txt"  # no 发文字号
JINAN = ROOT / "data" / "jinan-2025-5.txt"
PLAIN = f"weifang-{sha1_10('潍坊市促进高校毕业生就业十条措施')}"


def _write(folder: Path, name: str, text: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")


def test_same_title_documents_get_their_own_ids(tmp_path: Path) -> None:
    text = WEIFANG.read_text(encoding="utf-8-sig")
    folder = tmp_path / "docs"
    _write(folder, "a.txt", text)  # 二〇二五年五月十日
    _write(folder, "b.txt", text.replace("二〇二五年五月十日", "二〇二三年三月一日"))
    undated = text.replace("二〇二五年五月十日", "").replace("（4）", "（4）开展就业见习。")
    _write(folder, "c.txt", undated)
    with RdfStore.open(None, IRIS) as rdf:
        report = pipeline.load_paths([folder], rdf, None, IRIS)
        ids = [o.doc_id for o in report.outcomes]
        assert [o.status for o in report.outcomes] == ["loaded", "loaded", "loaded"]
        assert ids[0] == PLAIN
        assert ids[1] == f"{PLAIN}-20230301"
        # neither a number nor a date: the text tells them apart
        assert ids[2] == f"{PLAIN}-{hashlib.sha1(undated.encode('utf-8')).hexdigest()[:8]}"
        # was 1 document: each replaced the last
        assert sorted(rdf.document_ids()) == sorted(str(i) for i in ids)
        again = pipeline.load_paths([folder], rdf, None, IRIS)
        assert [o.doc_id for o in again.outcomes] == ids
        assert [o.status for o in again.outcomes] == ["unchanged"] * 3


def test_same_document_from_another_file_is_reported_as_replaced(tmp_path: Path) -> None:
    text = JINAN.read_text(encoding="utf-8")
    first, second = tmp_path / "one", tmp_path / "two"
    _write(first, "jinan-a.txt", text)
    _write(second, "jinan-b.txt", text + "\n附件：无\n")
    with RdfStore.open(None, IRIS) as rdf:
        pipeline.load_paths([first], rdf, None, IRIS)
        report = pipeline.load_paths([second], rdf, None, IRIS)
        (outcome,) = report.outcomes
        assert (outcome.doc_id, outcome.status, outcome.replaced) == (
            "jinan-2025-5",
            "replaced",
            "jinan-a.txt",
        )
        assert rdf.document_ids() == ["jinan-2025-5"]
