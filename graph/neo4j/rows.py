"""Neo4j parameter rows of extractions: what graph/neo4j/store.py writes with ``UNWIND``.

Pure (no driver, no I/O), so rows can be built in worker processes and merged with
:meth:`GraphRows.extend`. Shared nodes (agencies, groups, programs) are de-duplicated by IRI,
and groups get the broader chain graph.rdf.mapping describes, so both stores hold the same nodes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.neo4j import queries as q
from graph.rdf.citations import cited_key, stub_label
from graph.rdf.mapping import EMPTY_GROUPS, GroupVocabulary, group_vocabulary
from loaders.citations import canonical_number
from loaders.model import Chapter, Extraction, Measure
from ontology.iris import Iris

Row = dict[str, Any]


@dataclass
class GraphRows:
    """The parameter rows of a batch of documents, shared nodes de-duplicated by IRI."""

    documents: list[Row] = field(default_factory=list)
    chapters: list[Row] = field(default_factory=list)
    measures: list[Row] = field(default_factory=list)
    agencies: dict[str, Row] = field(default_factory=dict)
    group_stubs: dict[str, Row] = field(default_factory=dict)
    groups: dict[str, Row] = field(default_factory=dict)
    programs: dict[str, Row] = field(default_factory=dict)
    broader: dict[tuple[str, str], Row] = field(default_factory=dict)
    responsibilities: list[Row] = field(default_factory=list)
    targets: list[Row] = field(default_factory=list)
    uses: list[Row] = field(default_factory=list)
    cited: dict[str, Row] = field(default_factory=dict)  # citation stubs by IRI
    cites: list[Row] = field(default_factory=list)

    def statements(self) -> list[tuple[str, list[Row]]]:
        """(query, rows) in dependency order: nodes before the relationships using them."""
        return [
            (q.MERGE_DOCUMENTS, self.documents),
            (q.MERGE_CHAPTERS, self.chapters),
            (q.MERGE_MEASURES, self.measures),
            (q.MERGE_AGENCIES, list(self.agencies.values())),
            (q.MERGE_GROUP_STUBS, list(self.group_stubs.values())),
            (q.MERGE_GROUPS, list(self.groups.values())),
            (q.MERGE_PROGRAMS, list(self.programs.values())),
            (q.MERGE_BROADER, list(self.broader.values())),
            (q.CREATE_RESPONSIBILITIES, self.responsibilities),
            (q.CREATE_TARGETS, self.targets),
            (q.CREATE_USES, self.uses),
            (q.MERGE_CITED, list(self.cited.values())),
            (q.CREATE_CITES, self.cites),
        ]

    def row_count(self) -> int:
        return sum(len(rows) for _, rows in self.statements())

    def extend(self, other: GraphRows) -> None:
        """Append another document's rows exactly as ``add_rows`` would have (parent side of
        worker-built rows): lists concatenate, agencies/groups/broader latest wins, programs
        and group stubs first wins."""
        self.documents += other.documents
        self.chapters += other.chapters
        self.measures += other.measures
        self.responsibilities += other.responsibilities
        self.targets += other.targets
        self.uses += other.uses
        self.cites += other.cites
        for row in other.cited.values():
            _add_cited(self.cited, row)
        self.agencies.update(other.agencies)
        self.groups.update(other.groups)
        self.broader.update(other.broader)
        for mine, theirs in (
            (self.programs, other.programs),
            (self.group_stubs, other.group_stubs),
        ):
            for key, row in theirs.items():
                mine.setdefault(key, row)


def add_rows(
    rows: GraphRows,
    extraction: Extraction,
    iris: Iris,
    version: str,
    vocab: GroupVocabulary = EMPTY_GROUPS,
) -> None:
    """Append one document's nodes and relationships (pure; no I/O)."""
    meta = extraction.document
    doc_id = meta.id
    doc_iri = str(iris.document(doc_id))
    rows.documents.append(
        {
            "iri": doc_iri,
            "id": doc_id,
            "name": meta.title,
            "title": meta.title,
            "doc_number": meta.doc_number,
            "number_key": canonical_number(meta.doc_number) if meta.doc_number else None,
            "issuer": meta.issuer,
            "publisher": meta.publisher,
            "index_number": meta.index_number,
            "written_date": meta.written_date,
            "published_date": meta.published_date,
            "effective_date": meta.effective_date,
            "addressees": list(meta.addressees),
            "contact_unit": meta.contact_unit,
            "contact_phone": meta.contact_phone,
            "measures_title": meta.measures_title,
            "jurisdiction": meta.jurisdiction,
            "source_name": meta.source_name,
            "version": version,
        }
    )
    for chapter in extraction.chapters:
        iri = str(iris.chapter(doc_id, chapter.ordinal))
        own = (doc_id, f"{doc_id}/chapter/{chapter.ordinal}")
        rows.chapters.append(_part(iri, ("document_iri", doc_iri), own, chapter))
    for measure in extraction.measures:
        m_iri = str(iris.measure(doc_id, measure.ordinal))
        chapter_iri = str(iris.chapter(doc_id, measure.chapter))
        rows.measures.append(
            _part(
                m_iri,
                ("chapter_iri", chapter_iri),
                (doc_id, measure.id),
                measure,
                text=measure.text,
                chapter=measure.chapter,
                deadline=measure.deadline,
                leaders=list(measure.leaders),
                clause_notes=[n for c in measure.clauses for n in c.notes],
                no_agencies=measure.no_agencies,
            )
        )
        for agency in measure.agencies:
            a_iri = str(iris.agency(agency.id))
            rows.agencies[a_iri] = {
                "iri": a_iri,
                "id": agency.id,
                "name": agency.canonical_name,
                "canonical_name": agency.canonical_name,
                "kind": agency.kind,
                "jurisdiction": agency.jurisdiction,
                "registered": agency.registered,
                "function": agency.function.id if agency.function else None,
                "function_label": agency.function.label if agency.function else None,
                "level": agency.level,
            }
            rows.responsibilities.append(
                {
                    "agency": a_iri,
                    "measure": m_iri,
                    "role": agency.role,
                    "rank": agency.rank,
                    "as_written": agency.name,
                }
            )
        for group in measure.target_groups:
            rows.targets.append({"measure": m_iri, "group": str(iris.target_group(group.id))})
        for program in measure.programs:
            p_iri = str(iris.program(program.id))
            rows.programs.setdefault(
                p_iri,
                {
                    "iri": p_iri,
                    "id": program.id,
                    "name": program.name,
                    "type": program.type,
                },
            )
            rows.uses.append({"measure": m_iri, "program": p_iri})
    _add_groups(rows, extraction, iris, vocab)
    _add_citations(rows, extraction, iris)


def _add_cited(cited: dict[str, Row], row: Row) -> None:
    """A stub row, its titles merged with those of an earlier row for the same stub."""
    found = cited.get(row["iri"])
    if found is None:
        cited[row["iri"]] = {**row, "titles": list(row["titles"])}
    else:
        found["titles"] += [t for t in row["titles"] if t not in found["titles"]]


def _add_citations(rows: GraphRows, extraction: Extraction, iris: Iris) -> None:
    """CITES rows and stubs, exactly as graph.rdf.citations states them in RDF."""
    doc_iri = str(iris.document(extraction.document.id))
    seen: set[tuple[str, str]] = set()
    for c in extraction.document.cites:
        key = cited_key(c)
        if key is None:
            continue
        stub = str(iris.cited(key))
        number = canonical_number(c.doc_number) if c.doc_number else None
        titles = [c.title] if c.title else []
        _add_cited(
            rows.cited,
            {"iri": stub, "id": key, "name": stub_label(c), "doc_number": number, "titles": titles},
        )
        if (stub, c.relation) not in seen:
            seen.add((stub, c.relation))
            rows.cites.append({"document": doc_iri, "cited": stub, "relation": c.relation})


def _part(
    iri: str, parent: tuple[str, str], ids: tuple[str, str], part: Chapter | Measure, **more: Any
) -> Row:
    """The row of a chapter or measure: its IRI, its parent's (key, IRI), its (document id,
    own id) and its properties."""
    key, parent_iri = parent
    doc_id, node_id = ids
    props: Row = {"iri": iri, "id": node_id, "name": part.title, "title": part.title}
    props |= {"ordinal": part.ordinal, "document": doc_id, **more}
    return {"iri": iri, key: parent_iri, "props": props}


def _add_groups(
    rows: GraphRows, extraction: Extraction, iris: Iris, vocab: GroupVocabulary
) -> None:
    """Targeted groups and their broader chain, exactly as graph.rdf.mapping describes them."""
    refs = {g.id: g for m in extraction.measures for g in m.target_groups}
    for gid in [*refs, *vocab.chain(refs)]:
        ref = refs.get(gid)
        g_iri = str(iris.target_group(gid))
        label = ref.label if ref is not None else vocab.labels.get(gid, gid)
        rows.groups[g_iri] = {"iri": g_iri, "id": gid, "name": label}
        parents = (ref.broader if ref is not None else ()) + vocab.broader.get(gid, ())
        for parent in dict.fromkeys(parents):
            b_iri = str(iris.target_group(parent))
            if parent not in refs and parent not in vocab.labels:
                rows.group_stubs.setdefault(b_iri, {"iri": b_iri, "id": parent})
            rows.broader[(g_iri, b_iri)] = {"narrower": g_iri, "broader": b_iri}


def build_rows(
    batch: Iterable[tuple[Extraction, str]], iris: Iris, vocab: GroupVocabulary | None = None
) -> GraphRows:
    """Rows of (extraction, version) pairs; a later duplicate document id wins.

    ``vocab`` defaults to the target-group vocabulary graph.rdf.mapping uses, so both stores
    describe the same broader chain.
    """
    latest = {extraction.document.id: (extraction, version) for extraction, version in batch}
    rows = GraphRows()
    vocab = group_vocabulary(iris) if vocab is None else vocab
    for extraction, version in latest.values():
        add_rows(rows, extraction, iris, version, vocab)
    return rows


__all__ = ["GraphRows", "Row", "add_rows", "build_rows"]
