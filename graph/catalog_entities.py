"""Catalog reads for measures, agencies, target groups and programs (see graph/catalog.py)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graph.catalog import Ids, Row, Selectable, by_key, count, lit, page, predicate_keys, rows
from ontology.errors import NotFound
from ontology.iris import Iris


@dataclass(frozen=True)
class MeasureFilter:
    """Filters of the measure list; ids are REST ids, ``q`` a substring of title or text."""

    document: str | None = None
    chapter: int | None = None
    agency: str | None = None
    role: str | None = None
    group: str | None = None
    program: str | None = None
    q: str | None = None


def _measure_where(iris: Iris, f: MeasureFilter) -> str:
    parts = [
        "?m a pkg:Measure ; pkg:inDocument ?doc ; pkg:ordinal ?ordinal ; dcterms:title ?title ."
    ]
    if f.document is not None:
        parts.append(f"FILTER(?doc = <{iris.document(f.document)}>)")
    if f.chapter is not None:
        parts.append(f"?m pkg:inChapter ?fc . ?fc pkg:ordinal {int(f.chapter)} .")
    if f.agency is not None or f.role is not None:
        parts.append("?m pkg:responsibility ?fr .")
        if f.agency is not None:
            parts.append(f"?fr pkg:agency <{iris.agency(f.agency)}> .")
        if f.role is not None:
            parts.append(f"?fr pkg:role <{iris.role(f.role)}> .")
    if f.group is not None:
        parts.append(f"?m pkg:targets/skos:broader* <{iris.target_group(f.group)}> .")
    if f.program is not None:
        parts.append(f"?m pkg:uses <{iris.program(f.program)}> .")
    if f.q:
        parts.append(
            f"OPTIONAL {{ ?m pkg:text ?ftext }} "
            f"FILTER(CONTAINS(?title, {lit(f.q)}) || CONTAINS(COALESCE(?ftext, ''), {lit(f.q)}))"
        )
    return "\n".join(parts)


def _agencies_of(store: Selectable, iris: Iris, measures: list[str]) -> dict[str, list[Row]]:
    """The agencies of each measure in rank order, in one query anchored on the measures.

    Agency labels are described once (README "RDF mapping"), so no DISTINCT is needed."""
    if not measures:
        return {}
    values = " ".join(f"<{m}>" for m in measures)
    found = rows(
        store,
        iris,
        f"""SELECT ?m ?a ?name ?role ?rank ?written WHERE {{
          VALUES ?m {{ {values} }}
          ?m pkg:responsibility ?r . ?r pkg:agency ?a ; pkg:role ?role ; pkg:rank ?rank .
          OPTIONAL {{ ?r pkg:asWritten ?written }} OPTIONAL {{ ?a rdfs:label ?name }}
        }}""",
    )
    return _responsibilities(iris, found)


def _responsibilities(iris: Iris, found: list[Row]) -> dict[str, list[Row]]:
    """Rows ``m a name role rank written`` → agency records per measure, by rank."""
    ids = Ids(iris)
    out: dict[str, list[Row]] = {}
    seen: set[tuple[str, str, int]] = set()
    for r in sorted(found, key=lambda r: (r["m"], r["rank"], r["a"])):
        key = (r["m"], r["a"], r["rank"])
        if key in seen:  # a second asWritten or label would repeat the agency
            continue
        seen.add(key)
        out.setdefault(r["m"], []).append(
            {
                "id": ids.agency(r["a"]),
                "name": r.get("name"),
                "role": ids.role(r["role"]),
                "rank": r["rank"],
                "as_written": r.get("written"),
            }
        )
    return out


def list_measures(
    store: Selectable, iris: Iris, f: MeasureFilter, *, limit: int, offset: int
) -> Row:
    where = _measure_where(iris, f)
    total = count(store, iris, where, "m")
    found = rows(
        store,
        iris,
        f"""SELECT DISTINCT ?m ?doc ?ordinal ?title ?chapter WHERE {{
          {where}
          OPTIONAL {{ ?m pkg:inChapter ?c . ?c pkg:ordinal ?chapter }}
        }} ORDER BY ?doc ?ordinal LIMIT {limit} OFFSET {offset}""",
    )
    ids = Ids(iris)
    agencies = _agencies_of(store, iris, [r["m"] for r in found])
    items = [
        {
            "id": ids.measure(r["m"]),
            "iri": r["m"],
            "document": ids.document(r["doc"]),
            "ordinal": r["ordinal"],
            "chapter": r.get("chapter"),
            "title": r["title"],
            "lead_agencies": [a["name"] for a in agencies.get(r["m"], []) if a["role"] == "lead"],
            "agencies": [a["name"] for a in agencies.get(r["m"], [])],
        }
        for r in found
    ]
    return page(total, limit, offset, items)


_MEASURE_KEYS = {
    "type": "rdf:type",
    "title": "dcterms:title",
    "text": "pkg:text",
    "start": "pkg:spanStart",
    "end": "pkg:spanEnd",
    "chapter": "pkg:inChapter",
    "group": "pkg:targets",
    "program": "pkg:uses",
    "responsibility": "pkg:responsibility",
    "ordinal": "pkg:ordinal",
    "agency": "pkg:agency",
    "role": "pkg:role",
    "rank": "pkg:rank",
    "written": "pkg:asWritten",
    "label": "rdfs:label",
    "program_type": "pkg:programType",
}


def get_measure(store: Selectable, iris: Iris, doc_id: str, ordinal: int) -> Row:
    """One query anchored on the measure IRI (its cost does not grow with the corpus): the
    measure's triples, those of its chapter and responsibilities (all in the document's
    graph), and the label and type of each agency, group and program it links to (described
    once, in the vocabulary or shared graph)."""
    m = str(iris.measure(doc_id, ordinal))
    g = iris.document_graph(doc_id)
    found = rows(
        store,
        iris,
        f"""SELECT ?x ?p ?o WHERE {{
          {{ GRAPH <{g}> {{ <{m}> ?p ?o FILTER(?p IN (rdf:type, dcterms:title, pkg:text,
               pkg:spanStart, pkg:spanEnd, pkg:inChapter, pkg:targets, pkg:uses,
               pkg:responsibility)) }} }}
          UNION {{ GRAPH <{g}> {{ <{m}> pkg:responsibility ?x . ?x ?p ?o
               FILTER(?p IN (pkg:agency, pkg:role, pkg:rank, pkg:asWritten)) }} }}
          UNION {{ GRAPH <{g}> {{ <{m}> pkg:inChapter ?x . ?x ?p ?o
               FILTER(?p IN (pkg:ordinal, dcterms:title)) }} }}
          UNION {{ GRAPH <{g}> {{ <{m}> pkg:targets|pkg:uses|pkg:responsibility/pkg:agency ?x }}
                   ?x ?p ?o FILTER(?p IN (rdfs:label, pkg:programType)) }}
        }}""",
    )
    keys = predicate_keys(iris, _MEASURE_KEYS)
    own = by_key([r for r in found if r["x"] is None], keys)
    if str(iris.pkg.Measure) not in own.get("type", ()) or "title" not in own:
        raise NotFound(f"no measure {ordinal} in document {doc_id!r}")
    about: dict[str, list[Row]] = {}
    for r in found:
        if r["x"] is not None:
            about.setdefault(r["x"], []).append(r)
    facts = {x: by_key(rs, keys) for x, rs in about.items()}

    def one(values: dict[str, list[Any]], key: str) -> Any:
        return values[key][0] if key in values else None

    chapter = next((facts.get(c, {}) for c in own.get("chapter", ())), {})
    responsibilities = [
        {"m": m, "a": a, "name": one(facts.get(a, {}), "label"), "role": role, "rank": rank,
         "written": one(f, "written")}
        for r in own.get("responsibility", ())
        for f in [facts.get(r, {})]
        for a in f.get("agency", ())
        for role in f.get("role", ())
        for rank in f.get("rank", ())
    ]  # fmt: skip
    ids = Ids(iris)
    start, end = one(own, "start"), one(own, "end")
    return {
        "id": f"{doc_id}/measure/{ordinal}",
        "iri": m,
        "document": doc_id,
        "ordinal": ordinal,
        "chapter": one(chapter, "ordinal"),
        "chapter_title": one(chapter, "title") if "ordinal" in chapter else None,
        "title": one(own, "title"),
        "text": one(own, "text"),
        "span": {"start": start, "end": end} if start is not None and end is not None else None,
        "agencies": _responsibilities(iris, responsibilities).get(m, []),
        "target_groups": [
            {"id": ids.group(x), "label": one(facts.get(x, {}), "label")}
            for x in _by_label(own.get("group", ()), facts)
        ],
        "programs": [
            {
                "id": ids.program(x),
                "name": one(facts.get(x, {}), "label"),
                "type": _type(one(facts.get(x, {}), "program_type")),
            }
            for x in _by_label(own.get("program", ()), facts)
        ],
    }


def _by_label(nodes: Iterable[str], facts: dict[str, dict[str, list[Any]]]) -> list[str]:
    """Linked nodes (once each) ordered as SPARQL orders their labels (unlabelled first)."""
    labels = {x: one_label(facts.get(x, {})) for x in nodes}
    return sorted(labels, key=lambda x: (labels[x] is not None, labels[x] or "", x))


def one_label(values: dict[str, list[Any]]) -> str | None:
    found = values.get("label")
    return str(found[0]) if found else None


def _type(value: str | None) -> str | None:
    return value.rstrip("/").rsplit("/", 1)[-1] if value else None


# --------------------------------------------------------------------------- agencies
def list_agencies(
    store: Selectable, iris: Iris, *, limit: int, offset: int, q: str | None = None
) -> Row:
    where = "?a a pkg:Agency ; rdfs:label ?name ."
    if q:
        where += f" FILTER(CONTAINS(STR(?name), {lit(q)}))"
    total = count(store, iris, where, "a")
    found = rows(
        store,
        iris,
        f"""SELECT ?a (SAMPLE(STR(?name)) AS ?label) (COUNT(DISTINCT ?m) AS ?measures)
          (COUNT(DISTINCT ?lm) AS ?lead)
        WHERE {{ {where}
          OPTIONAL {{ ?r pkg:agency ?a . ?m pkg:responsibility ?r .
                     OPTIONAL {{ ?r pkg:role pkg:lead . BIND(?m AS ?lm) }} }}
        }} GROUP BY ?a ORDER BY DESC(?measures) ?label LIMIT {limit} OFFSET {offset}""",
    )
    ids = Ids(iris)
    items = [
        {
            "id": ids.agency(r["a"]),
            "iri": r["a"],
            "name": r["label"],
            "measures": r["measures"],
            "lead": r["lead"],
        }
        for r in found
    ]
    return page(total, limit, offset, items)


_AGENCY_KEYS = {
    "type": "rdf:type",
    "name": "rdfs:label",
    "alt": "skos:altLabel",
    "kind": "pkg:agencyKind",
    "jurisdiction": "pkg:jurisdiction",
    "registered": "pkg:registered",
}


def _agency_keys(iris: Iris) -> dict[str, str]:
    return predicate_keys(iris, _AGENCY_KEYS)


def get_agency(store: Selectable, iris: Iris, agency_id: str) -> Row:
    """The agency's description (one graph: its vocabulary or the shared graph), then its
    duties, found from the agency IRI through ``pkg:agency`` (cost grows with its duties,
    not with the corpus)."""
    a = iris.agency(agency_id)
    own = by_key(rows(store, iris, f"SELECT ?p ?o WHERE {{ <{a}> ?p ?o }}"), _agency_keys(iris))
    if str(iris.pkg.Agency) not in own.get("type", ()):
        raise NotFound(f"no agency with id {agency_id!r}")
    ids = Ids(iris)
    duties = rows(
        store,
        iris,
        f"""SELECT ?m ?doc ?ordinal ?title ?role ?rank WHERE {{ GRAPH ?g {{
          ?r pkg:agency <{a}> ; pkg:role ?role ; pkg:rank ?rank .
          ?m pkg:responsibility ?r ; pkg:inDocument ?doc ; pkg:ordinal ?ordinal ;
             dcterms:title ?title }}
        }}""",
    )
    duty_rows = [
        {
            "measure": ids.measure(d["m"]),
            "document": ids.document(d["doc"]),
            "ordinal": d["ordinal"],
            "title": d["title"],
            "role": ids.role(d["role"]),
            "rank": d["rank"],
        }
        for d in sorted(duties, key=lambda d: (d["doc"], d["ordinal"], d["rank"], d["role"]))
    ]
    return {
        "id": agency_id,
        "iri": str(a),
        "name": own["name"][0] if "name" in own else None,
        "alt_labels": sorted(set(own.get("alt", ()))),
        "kind": _type(own["kind"][0] if "kind" in own else None),
        "jurisdiction": own["jurisdiction"][0] if "jurisdiction" in own else None,
        "registered": own["registered"][0] if "registered" in own else None,
        "lead": [d for d in duty_rows if d["role"] == "lead"],
        "support": [d for d in duty_rows if d["role"] != "lead"],
    }


# --------------------------------------------------------------------------- groups, programs
def list_groups(store: Selectable, iris: Iris, *, limit: int, offset: int) -> Row:
    where = "?g a pkg:TargetGroup ."
    total = count(store, iris, where, "g")
    found = rows(
        store,
        iris,
        f"""SELECT ?g (SAMPLE(STR(?l)) AS ?label) (COUNT(DISTINCT ?m) AS ?measures) WHERE {{ {where}
          OPTIONAL {{ ?g rdfs:label ?l }} OPTIONAL {{ ?m pkg:targets ?g }}
        }} GROUP BY ?g ORDER BY DESC(?measures) ?g LIMIT {limit} OFFSET {offset}""",
    )
    ids = Ids(iris)
    items = [
        {"id": ids.group(r["g"]), "iri": r["g"], "label": r.get("label"), "measures": r["measures"]}
        for r in found
    ]
    return page(total, limit, offset, items)


def get_group(store: Selectable, iris: Iris, group_id: str) -> Row:
    g = iris.target_group(group_id)
    found = rows(
        store,
        iris,
        f"SELECT ?label WHERE {{ <{g}> a pkg:TargetGroup . "
        f"OPTIONAL {{ <{g}> rdfs:label ?label }} }} LIMIT 1",
    )
    if not found:
        raise NotFound(f"no target group with id {group_id!r}")
    ids = Ids(iris)
    broader = rows(store, iris, f"SELECT DISTINCT ?b WHERE {{ <{g}> skos:broader ?b }} ORDER BY ?b")
    narrower = rows(
        store, iris, f"SELECT DISTINCT ?n WHERE {{ ?n skos:broader <{g}> }} ORDER BY ?n"
    )
    measures = list_measures(store, iris, MeasureFilter(group=group_id), limit=1000, offset=0)
    return {
        "id": group_id,
        "iri": str(g),
        "label": found[0].get("label"),
        "broader": [ids.group(b["b"]) for b in broader],
        "narrower": [ids.group(n["n"]) for n in narrower],
        "measures": measures["items"],
    }


def list_programs(store: Selectable, iris: Iris, *, limit: int, offset: int) -> Row:
    where = "?p a pkg:Program ."
    total = count(store, iris, where, "p")
    found = rows(
        store,
        iris,
        f"""SELECT ?p (SAMPLE(STR(?l)) AS ?name) (SAMPLE(?t) AS ?type)
          (COUNT(DISTINCT ?m) AS ?measures)
        WHERE {{ {where} OPTIONAL {{ ?p rdfs:label ?l }} OPTIONAL {{ ?p pkg:programType ?t }}
          OPTIONAL {{ ?m pkg:uses ?p }}
        }} GROUP BY ?p ORDER BY DESC(?measures) ?p LIMIT {limit} OFFSET {offset}""",
    )
    ids = Ids(iris)
    items = [
        {
            "id": ids.program(r["p"]),
            "iri": r["p"],
            "name": r.get("name"),
            "type": _type(r.get("type")),
            "measures": r["measures"],
        }
        for r in found
    ]
    return page(total, limit, offset, items)


def get_program(store: Selectable, iris: Iris, program_id: str) -> Row:
    p = iris.program(program_id)
    found = rows(
        store,
        iris,
        f"SELECT ?name ?type WHERE {{ <{p}> a pkg:Program . "
        f"OPTIONAL {{ <{p}> rdfs:label ?name }} "
        f"OPTIONAL {{ <{p}> pkg:programType ?type }} }} LIMIT 1",
    )
    if not found:
        raise NotFound(f"no program with id {program_id!r}")
    measures = list_measures(store, iris, MeasureFilter(program=program_id), limit=1000, offset=0)
    return {
        "id": program_id,
        "iri": str(p),
        "name": found[0].get("name"),
        "type": _type(found[0].get("type")),
        "measures": measures["items"],
    }
