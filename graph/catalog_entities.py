"""Catalog reads for measures, agencies, target groups and programs (see graph/catalog.py)."""

from __future__ import annotations

from dataclasses import dataclass

from graph.catalog import Ids, Row, Selectable, count, lit, page, rows
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
    """The agencies of each measure in rank order, in one query."""
    if not measures:
        return {}
    values = " ".join(f"<{m}>" for m in measures)
    found = rows(
        store,
        iris,
        f"""SELECT DISTINCT ?m ?a ?name ?role ?rank ?written WHERE {{
          VALUES ?m {{ {values} }}
          ?m pkg:responsibility ?r . ?r pkg:agency ?a ; pkg:role ?role ; pkg:rank ?rank .
          OPTIONAL {{ ?r pkg:asWritten ?written }} OPTIONAL {{ ?a rdfs:label ?name }}
        }} ORDER BY ?m ?rank""",
    )
    ids = Ids(iris)
    out: dict[str, list[Row]] = {}
    seen: set[tuple[str, str, int]] = set()
    for r in found:
        key = (r["m"], r["a"], r["rank"])
        if key in seen:  # one agency label per graph that describes it
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


def get_measure(store: Selectable, iris: Iris, doc_id: str, ordinal: int) -> Row:
    m = iris.measure(doc_id, ordinal)
    found = rows(
        store,
        iris,
        f"""SELECT ?title ?text ?start ?end ?chapter ?chapterTitle WHERE {{
          <{m}> a pkg:Measure ; dcterms:title ?title .
          OPTIONAL {{ <{m}> pkg:text ?text }}
          OPTIONAL {{ <{m}> pkg:spanStart ?start ; pkg:spanEnd ?end }}
          OPTIONAL {{ <{m}> pkg:inChapter ?c . ?c pkg:ordinal ?chapter .
                     OPTIONAL {{ ?c dcterms:title ?chapterTitle }} }}
        }} LIMIT 1""",
    )
    if not found:
        raise NotFound(f"no measure {ordinal} in document {doc_id!r}")
    r = found[0]
    ids = Ids(iris)
    groups = rows(
        store,
        iris,
        f"""SELECT DISTINCT ?g ?label WHERE {{ <{m}> pkg:targets ?g .
          OPTIONAL {{ ?g rdfs:label ?label }} }} ORDER BY ?label""",
    )
    programs = rows(
        store,
        iris,
        f"""SELECT DISTINCT ?p ?label ?type WHERE {{ <{m}> pkg:uses ?p .
          OPTIONAL {{ ?p rdfs:label ?label }} OPTIONAL {{ ?p pkg:programType ?type }}
        }} ORDER BY ?label""",
    )
    return {
        "id": f"{doc_id}/measure/{ordinal}",
        "iri": str(m),
        "document": doc_id,
        "ordinal": ordinal,
        "chapter": r.get("chapter"),
        "chapter_title": r.get("chapterTitle"),
        "title": r["title"],
        "text": r.get("text"),
        "span": {"start": r["start"], "end": r["end"]} if r.get("start") is not None else None,
        "agencies": _agencies_of(store, iris, [str(m)]).get(str(m), []),
        "target_groups": [{"id": ids.group(g["g"]), "label": g.get("label")} for g in groups],
        "programs": [
            {"id": ids.program(p["p"]), "name": p.get("label"), "type": _type(p.get("type"))}
            for p in programs
        ],
    }


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


def get_agency(store: Selectable, iris: Iris, agency_id: str) -> Row:
    a = iris.agency(agency_id)
    found = rows(
        store,
        iris,
        f"""SELECT ?name ?kind ?jurisdiction ?registered WHERE {{ <{a}> a pkg:Agency .
          OPTIONAL {{ <{a}> rdfs:label ?name }} OPTIONAL {{ <{a}> pkg:agencyKind ?kind }}
          OPTIONAL {{ <{a}> pkg:jurisdiction ?jurisdiction }}
          OPTIONAL {{ <{a}> pkg:registered ?registered }} }} LIMIT 1""",
    )
    if not found:
        raise NotFound(f"no agency with id {agency_id!r}")
    ids = Ids(iris)
    alt = rows(store, iris, f"SELECT DISTINCT ?l WHERE {{ <{a}> skos:altLabel ?l }} ORDER BY ?l")
    duties = rows(
        store,
        iris,
        f"""SELECT DISTINCT ?m ?doc ?ordinal ?title ?role ?rank WHERE {{
          ?m pkg:responsibility ?r ; pkg:inDocument ?doc ; pkg:ordinal ?ordinal ;
             dcterms:title ?title .
          ?r pkg:agency <{a}> ; pkg:role ?role ; pkg:rank ?rank .
        }} ORDER BY ?doc ?ordinal""",
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
        for d in duties
    ]
    r = found[0]
    return {
        "id": agency_id,
        "iri": str(a),
        "name": r.get("name"),
        "alt_labels": [x["l"] for x in alt],
        "kind": _type(r.get("kind")),
        "jurisdiction": r.get("jurisdiction"),
        "registered": r.get("registered"),
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
