"""The RDF mapping (graph.rdf.mapping) written straight to canonical N-Triples lines.

:func:`graph.rdf.mapping.extraction_facts` states the mapping once, as readable generators of
Python values; turning ~2,000 facts per document into lines that way costs ~8 ms, most of
it generator steps, ``isinstance`` dispatch and rdflib ``URIRef`` construction. This
module emits the same lines with pre-rendered predicates and per-document string
templates (~3x faster), split by graph as the store keeps them. It must stay equal to
``graph.rdf.mapping.split_lines`` / ``extraction_lines`` — tests/graph/rdf/test_lines.py compares
on the Jinan document and on generated corpora, line for line and graph for graph.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from rdflib import DCTERMS, RDF, RDFS, SKOS, XSD

from graph.rdf.citations import citation_lines
from graph.rdf.mapping import ROLE_LABELS_ZH, SplitLines, clause_facts
from graph.rdf.vocab import GroupVocabulary, agency_vocabulary, group_vocabulary
from loaders.citations import canonical_number
from loaders.model import Chapter, Extraction, Measure, ProgramRef, Span
from ontology.iris import ELI, ORG, TERMS, Iris

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_INT = f"^^<{XSD.integer}>"
_BOOL = {True: f'"true"^^<{XSD.boolean}>', False: f'"false"^^<{XSD.boolean}>'}
_DATE = f"^^<{XSD.date}>"


def _lit(text: str) -> str:
    return f'"{text.translate(_ESCAPES)}"'


@dataclass(frozen=True)
class _Terms:
    """Predicates and class IRIs already in N-Triples form (``<...>``), one per Iris."""

    type: str
    label: str
    title: str
    pref: str
    alt: str
    broader: str
    concept: str
    organization: str
    pkg: dict[str, str]
    roles: dict[str, str]
    shared: dict[tuple[str, str], str]  # (kind, id) → "<iri>" of agencies, groups, programs

    def entity(self, iris: Iris, kind: str, entity_id: str) -> str:
        """``<iri>`` of a shared entity, minted by ``iris`` once per process."""
        key = (kind, entity_id)
        found = self.shared.get(key)
        if found is None:
            found = self.shared[key] = f"<{getattr(iris, kind)(entity_id)}>"
        return found


@lru_cache(maxsize=8)
def _terms(iris: Iris) -> _Terms:
    return _Terms(
        type=f"<{RDF.type}>",
        label=f"<{RDFS.label}>",
        title=f"<{DCTERMS.title}>",
        pref=f"<{SKOS.prefLabel}>",
        alt=f"<{SKOS.altLabel}>",
        broader=f"<{SKOS.broader}>",
        concept=f"<{SKOS.Concept}>",
        organization=f"<{ORG.Organization}>",
        pkg={term: f"<{iris.pkg[term]}>" for term in TERMS},
        roles={role: f"<{iris.role(role)}>" for role in ROLE_LABELS_ZH},
        shared={},
    )


def _spans(out: set[str], node: str, span: Span, start: str, end: str) -> None:
    out.add(f'{node} {start} "{span.start}"{_INT}')
    out.add(f'{node} {end} "{span.end}"{_INT}')


def _document(out: set[str], ex: Extraction, iris: Iris, t: _Terms) -> str:
    meta = ex.document
    pkg = t.pkg
    doc = f"<{iris.document(meta.id)}>"
    title = _lit(meta.title)
    out.add(f"{doc} {t.type} {pkg['PolicyDocument']}")
    out.add(f"{doc} {t.label} {title}")
    out.add(f"{doc} {t.title} {title}")
    fields: tuple[tuple[str, str | date | None], ...] = (
        ("docNumber", meta.doc_number),
        ("issuer", meta.issuer),
        ("publisher", meta.publisher),
        ("indexNumber", meta.index_number),
        ("writtenDate", meta.written_date),
        ("publishedDate", meta.published_date),
        ("effectiveDate", meta.effective_date),
        *(("addressee", addressee) for addressee in meta.addressees),
        ("contactUnit", meta.contact_unit),
        ("contactPhone", meta.contact_phone),
        ("measuresTitle", meta.measures_title),
        ("jurisdiction", meta.jurisdiction),
        ("sourceName", meta.source_name),
    )
    for term, value in fields:
        if isinstance(value, date):
            out.add(f'{doc} {pkg[term]} "{value.isoformat()}"{_DATE}')
        elif value is not None:
            out.add(f"{doc} {pkg[term]} {_lit(value)}")
    if meta.doc_number:
        out.add(f"{doc} <{ELI.id_local}> {_lit(canonical_number(meta.doc_number))}")
    for chapter in ex.chapters:
        _part(out, t, f"<{iris.chapter(meta.id, chapter.ordinal)}>", "Chapter", chapter, doc)
    return doc


def _part(out: set[str], t: _Terms, node: str, cls: str, part: Chapter | Measure, doc: str) -> None:
    """Lines a chapter and a measure share: class, title (label too), ordinal, document, span."""
    pkg = t.pkg
    title = _lit(part.title)
    out.add(f"{node} {t.type} {pkg[cls]}")
    out.add(f"{node} {t.label} {title}")
    out.add(f'{node} {pkg["ordinal"]} "{part.ordinal}"{_INT}')
    out.add(f"{node} {t.title} {title}")
    out.add(f"{node} {pkg['inDocument']} {doc}")
    _spans(out, node, part.span, pkg["spanStart"], pkg["spanEnd"])


def _measures(out: set[str], ex: Extraction, iris: Iris, t: _Terms, doc: str) -> None:
    pkg = t.pkg
    doc_id = ex.document.id
    start, end = pkg["spanStart"], pkg["spanEnd"]
    p_resp, p_agency, p_role, p_rank = (
        pkg["responsibility"],
        pkg["agency"],
        pkg["role"],
        pkg["rank"],
    )
    p_written, p_mention, p_about = pkg["asWritten"], pkg["mention"], pkg["about"]
    c_resp, c_mention = pkg["Responsibility"], pkg["Mention"]
    for m in ex.measures:
        node = f"<{iris.measure(doc_id, m.ordinal)}>"
        _part(out, t, node, "Measure", m, doc)
        out.add(f"{node} {pkg['text']} {_lit(m.text)}")
        out.add(f"{node} {pkg['inChapter']} <{iris.chapter(doc_id, m.chapter)}>")
        for ag in m.agencies:
            resp = f"<{iris.responsibility(doc_id, m.ordinal, ag.rank)}>"
            label = f"{ag.canonical_name}（{ROLE_LABELS_ZH[ag.role]}）"
            out.add(f"{node} {p_resp} {resp}")
            out.add(f"{resp} {t.type} {c_resp}")
            out.add(f"{resp} {t.label} {_lit(label)}")
            out.add(f"{resp} {p_agency} {t.entity(iris, 'agency', ag.id)}")
            out.add(f"{resp} {p_role} {t.roles[ag.role]}")
            out.add(f'{resp} {p_rank} "{ag.rank}"{_INT}')
            out.add(f"{resp} {p_written} {_lit(ag.name)}")
            _spans(out, resp, ag.span, start, end)
        for term, text in clause_facts(m):
            out.add(f"{node} {pkg[term]} {_lit(text)}")
        mentions = [
            ("group", pkg["targets"], t.entity(iris, "target_group", g.id), g.name, g.span)
            for g in m.target_groups
        ] + [
            ("program", pkg["uses"], t.entity(iris, "program", p.id), p.name, p.span)
            for p in m.programs
        ]
        counters = {"group": 0, "program": 0}
        for kind, link, about, written, span in mentions:
            counters[kind] += 1
            mention = f"<{iris.mention(doc_id, m.ordinal, kind, counters[kind])}>"
            name = _lit(written)
            out.add(f"{node} {link} {about}")
            out.add(f"{node} {p_mention} {mention}")
            out.add(f"{mention} {t.type} {c_mention}")
            out.add(f"{mention} {t.label} {name}")
            out.add(f"{mention} {p_about} {about}")
            out.add(f"{mention} {p_written} {name}")
            _spans(out, mention, span, start, end)


def _group(out: set[str], node: str, label: str, t: _Terms) -> None:
    out.add(f"{node} {t.type} {t.pkg['TargetGroup']}")
    out.add(f"{node} {t.type} {t.concept}")
    out.add(f"{node} {t.pref} {label}")
    out.add(f"{node} {t.label} {label}")


def _shared(
    shared: set[str],
    known: set[str],
    ex: Extraction,
    iris: Iris,
    t: _Terms,
    groups: GroupVocabulary,
) -> None:
    """Shared-node lines: into ``known`` when a vocabulary describes the node, else ``shared``."""
    pkg = t.pkg
    registry = agency_vocabulary(iris)
    seen: set[tuple[object, ...]] = set()
    for m in ex.measures:
        for ag in m.agencies:
            key = (
                *(ag.id, ag.canonical_name, ag.name, ag.kind, ag.jurisdiction),
                *(ag.registered, ag.function, ag.level),
            )
            if key in seen:
                continue
            seen.add(key)
            out = known if ag.id in registry else shared
            node = t.entity(iris, "agency", ag.id)
            name = _lit(ag.canonical_name)
            out.add(f"{node} {t.type} {pkg['Agency']}")
            out.add(f"{node} {t.type} {t.organization}")
            out.add(f"{node} {t.pref} {name}")
            out.add(f"{node} {t.label} {name}")
            if ag.name != ag.canonical_name:
                out.add(f"{node} {t.alt} {_lit(ag.name)}")
            out.add(f"{node} {pkg['agencyKind']} {t.entity(iris, 'agency_kind', ag.kind)}")
            if ag.jurisdiction is not None:
                out.add(f"{node} {pkg['jurisdiction']} {_lit(ag.jurisdiction)}")
            out.add(f"{node} {pkg['registered']} {_BOOL[ag.registered]}")
            if ag.function is not None:
                out.add(f"{node} {pkg['function']} {t.entity(iris, 'function', ag.function.id)}")
            if ag.level is not None:
                out.add(f"{node} {pkg['level']} <{iris.level(ag.level)}>")
    refs = {g.id: g for m in ex.measures for g in m.target_groups}
    for gid in [*refs, *groups.chain(refs)]:
        node = t.entity(iris, "target_group", gid)
        ref = refs.get(gid)
        label = ref.label if ref is not None else groups.labels.get(gid, gid)
        out = known if gid in groups.labels else shared
        _group(out, node, _lit(label), t)
        parents = (ref.broader if ref is not None else ()) + groups.broader.get(gid, ())
        for parent in dict.fromkeys(parents):
            pnode = t.entity(iris, "target_group", parent)
            out.add(f"{node} {t.broader} {pnode}")
            if parent not in refs and parent not in groups.labels:
                _group(shared, pnode, _lit(parent), t)
    first: dict[str, ProgramRef] = {}
    for m in ex.measures:
        for program in m.programs:
            first.setdefault(program.id, program)
    for pid, p in first.items():
        node = t.entity(iris, "program", pid)
        shared.add(f"{node} {t.type} {pkg['Program']}")
        shared.add(f"{node} {t.label} {_lit(p.name)}")
        shared.add(f"{node} {pkg['programType']} {t.entity(iris, 'program_type', p.type)}")


def _fast_sets(
    ex: Extraction, iris: Iris, groups: GroupVocabulary | None
) -> tuple[set[str], set[str], set[str]]:
    vocab = group_vocabulary(iris) if groups is None else groups
    t = _terms(iris)
    document: set[str] = set()
    shared: set[str] = set()
    known: set[str] = set()
    doc = _document(document, ex, iris, t)
    _measures(document, ex, iris, t, doc)
    _shared(shared, known, ex, iris, t, vocab)
    cited_own, cited_shared = citation_lines(ex, iris)
    document |= cited_own
    shared |= cited_shared
    return document, shared, known - shared


def fast_split_lines(
    ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None
) -> SplitLines:
    """The store's lines of one document, per graph: equal to ``graph.rdf.mapping.split_lines``."""
    document, shared, _known = _fast_sets(ex, iris, groups)
    return SplitLines(document=sorted(document), shared=sorted(shared))


def fast_extraction_lines(
    ex: Extraction, iris: Iris, groups: GroupVocabulary | None = None
) -> list[str]:
    """Canonical N-Triples lines of one document, equal to ``mapping.extraction_lines``."""
    document, shared, known = _fast_sets(ex, iris, groups)
    return sorted(document | shared | known)
