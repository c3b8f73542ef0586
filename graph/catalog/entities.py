"""Detail records of measures, agencies, target groups and programs (see graph/catalog/details.py;
lists are in graph/catalog/lists.py)."""

from __future__ import annotations

from typing import Any

from graph.catalog.details import Ids, Row, Selectable, by_key, predicate_keys, rows
from graph.catalog.lists import MeasureFilter, list_measures, program_type, responsibilities
from ontology.errors import NotFound
from ontology.iris import Iris


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
        "agencies": responsibilities(
            iris, [{**r, "m": m} for r in found if r.get("a") is not None]
        ).get(m, []),
        "target_groups": [{"id": ids.group(x), "label": groups[x]} for x in _by_label(groups)],
        "programs": [
            {"id": ids.program(x), "name": programs[x][0], "type": program_type(programs[x][1])}
            for x in _by_label({x: name for x, (name, _) in programs.items()})
        ],
    }


def _by_label(labels: dict[str, str | None]) -> list[str]:
    """Linked nodes (once each) ordered as SPARQL orders their labels (unlabelled first)."""
    return sorted(labels, key=lambda x: (labels[x] is not None, labels[x] or "", x))


# --------------------------------------------------------------------------- agencies
_AGENCY_KEYS = {
    "type": "rdf:type",
    "name": "rdfs:label",
    "alt": "skos:altLabel",
    "kind": "pkg:agencyKind",
    "jurisdiction": "pkg:jurisdiction",
    "registered": "pkg:registered",
    "function": "pkg:function",
    "level": "pkg:level",
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
        "kind": program_type(own["kind"][0] if "kind" in own else None),
        "jurisdiction": own["jurisdiction"][0] if "jurisdiction" in own else None,
        "registered": own["registered"][0] if "registered" in own else None,
        "function": ids.function(own["function"][0]) if "function" in own else None,
        "level": ids.role(own["level"][0]) if "level" in own else None,
        "lead": [d for d in duty_rows if d["role"] == "lead"],
        "support": [d for d in duty_rows if d["role"] != "lead"],
    }


# --------------------------------------------------------------------------- groups, programs
def _described(
    store: Selectable, iris: Iris, node: str, cls: str, what: str, ident: str, **optional: str
) -> Row:
    """The optional descriptions (``column=predicate``) of a node of class ``cls``, first
    row; NotFound naming ``what`` when there is no such node."""
    columns = " ".join(f"?{column}" for column in optional)
    described = " ".join(f"OPTIONAL {{ <{node}> {p} ?{c} }}" for c, p in optional.items())
    found = rows(
        store, iris, f"SELECT {columns} WHERE {{ <{node}> a {cls} . {described} }} LIMIT 1"
    )
    if not found:
        raise NotFound(f"no {what} with id {ident!r}")
    return found[0]


def _measures_of(store: Selectable, iris: Iris, wanted: MeasureFilter) -> list[Row]:
    return list(list_measures(store, iris, wanted, limit=1000, offset=0)["items"])


def get_group(store: Selectable, iris: Iris, group_id: str) -> Row:
    g = iris.target_group(group_id)
    found = _described(
        store, iris, str(g), "pkg:TargetGroup", "target group", group_id, label="rdfs:label"
    )
    ids = Ids(iris)
    broader = rows(store, iris, f"SELECT DISTINCT ?b WHERE {{ <{g}> skos:broader ?b }} ORDER BY ?b")
    narrower = rows(
        store, iris, f"SELECT DISTINCT ?n WHERE {{ ?n skos:broader <{g}> }} ORDER BY ?n"
    )
    return {
        "id": group_id,
        "iri": str(g),
        "label": found.get("label"),
        "broader": [ids.group(b["b"]) for b in broader],
        "narrower": [ids.group(n["n"]) for n in narrower],
        "measures": _measures_of(store, iris, MeasureFilter(group=group_id)),
    }


def get_program(store: Selectable, iris: Iris, program_id: str) -> Row:
    p = iris.program(program_id)
    found = _described(
        store,
        iris,
        str(p),
        "pkg:Program",
        "program",
        program_id,
        name="rdfs:label",
        type="pkg:programType",
    )
    return {
        "id": program_id,
        "iri": str(p),
        "name": found.get("name"),
        "type": program_type(found.get("type")),
        "measures": _measures_of(store, iris, MeasureFilter(program=program_id)),
    }
