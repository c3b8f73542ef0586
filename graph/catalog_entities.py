"""Catalog reads for measures, agencies, target groups and programs (see graph/catalog.py)."""

from __future__ import annotations

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


def _measure_query(m: str, g: str) -> str:
    """One query anchored on the measure IRI, one UNION branch per part of the record, each
    binding its own columns: only the values asked for are decoded (predicates never are),
    which halves a detail read against matching ``?p ?o`` rows."""
    return f"""SELECT ?title ?text ?start ?end ?c_ordinal ?c_title ?a ?role ?rank ?written ?name
      ?group ?g_label ?program ?p_label ?p_type WHERE {{
      {{ GRAPH <{g}> {{ <{m}> a pkg:Measure ; dcterms:title ?title .
          OPTIONAL {{ <{m}> pkg:text ?text }}
          OPTIONAL {{ <{m}> pkg:spanStart ?start }} OPTIONAL {{ <{m}> pkg:spanEnd ?end }} }} }}
      UNION {{ GRAPH <{g}> {{ <{m}> pkg:inChapter ?c . ?c pkg:ordinal ?c_ordinal .
          OPTIONAL {{ ?c dcterms:title ?c_title }} }} }}
      UNION {{ GRAPH <{g}> {{ <{m}> pkg:responsibility ?r . ?r pkg:agency ?a ; pkg:role ?role ;
          pkg:rank ?rank . OPTIONAL {{ ?r pkg:asWritten ?written }} }}
          OPTIONAL {{ ?a rdfs:label ?name }} }}
      UNION {{ GRAPH <{g}> {{ <{m}> pkg:targets ?group }}
          OPTIONAL {{ ?group rdfs:label ?g_label }} }}
      UNION {{ GRAPH <{g}> {{ <{m}> pkg:uses ?program }}
          OPTIONAL {{ ?program rdfs:label ?p_label }}
          OPTIONAL {{ ?program pkg:programType ?p_type }} }}
    }}"""


def get_measure(store: Selectable, iris: Iris, doc_id: str, ordinal: int) -> Row:
    """A measure with its chapter, agencies (rank order), groups and programs, from the
    document's graph and the shared descriptions of what it links to (README "RDF mapping");
    the cost does not grow with the corpus."""
    m = str(iris.measure(doc_id, ordinal))
    found = rows(store, iris, _measure_query(m, str(iris.document_graph(doc_id))))
    own = [r for r in found if r.get("title") is not None]
    if not own:
        raise NotFound(f"no measure {ordinal} in document {doc_id!r}")

    def first(key: str, where: list[Row]) -> Any:
        return next((r[key] for r in where if r.get(key) is not None), None)

    chapters = [r for r in found if r.get("c_ordinal") is not None]
    groups: dict[str, str | None] = {}
    programs: dict[str, tuple[str | None, str | None]] = {}
    for r in found:
        if r.get("group") is not None and groups.get(r["group"]) is None:
            groups[r["group"]] = r.get("g_label")
        if r.get("program") is not None and programs.get(r["program"], (None,))[0] is None:
            programs[r["program"]] = (r.get("p_label"), r.get("p_type"))
    ids = Ids(iris)
    start, end = first("start", own), first("end", own)
    return {
        "id": f"{doc_id}/measure/{ordinal}",
        "iri": m,
        "document": doc_id,
        "ordinal": ordinal,
        "chapter": first("c_ordinal", chapters),
        "chapter_title": first("c_title", chapters) if chapters else None,
        "title": first("title", own),
        "text": first("text", own),
        "span": {"start": start, "end": end} if start is not None and end is not None else None,
        "agencies": _responsibilities(
            iris, [{**r, "m": m} for r in found if r.get("a") is not None]
        ).get(m, []),
        "target_groups": [{"id": ids.group(x), "label": groups[x]} for x in _by_label(groups)],
        "programs": [
            {"id": ids.program(x), "name": programs[x][0], "type": _type(programs[x][1])}
            for x in _by_label({x: name for x, (name, _) in programs.items()})
        ],
    }


def _by_label(labels: dict[str, str | None]) -> list[str]:
    """Linked nodes (once each) ordered as SPARQL orders their labels (unlabelled first)."""
    return sorted(labels, key=lambda x: (labels[x] is not None, labels[x] or "", x))


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
