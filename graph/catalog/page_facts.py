"""What the human pages of a measure and an agency show beyond the REST detail records.

The measure page highlights its responsibility clause and its group and program mentions
from the spans the store keeps (``pkg:spanStart``/``pkg:spanEnd`` on the measure, on each
responsibility and on each mention, offsets into the document's source text), and shows each
agency's function and level; the agency page lists the agencies it shares measures with.
Reads anchored on the measure or agency IRI, so their cost does not grow with the corpus.
"""

from __future__ import annotations

from typing import Any

from graph.catalog.details import Ids, Row, Selectable, rows
from ontology.iris import Iris


def _measure_query(m: str, d: str, g: str) -> str:
    return f"""SELECT ?start ?rank ?rs ?re ?a ?f ?f_label ?level ?l_label ?mention ?about ?mw
      ?ms ?me ?deadline ?leader ?note ?none ?doc_title ?doc_number WHERE {{
      {{ GRAPH <{g}> {{ <{m}> pkg:spanStart ?start }} }}
      UNION {{ GRAPH <{g}> {{ <{m}> pkg:responsibility ?r . ?r pkg:agency ?a ; pkg:rank ?rank .
          OPTIONAL {{ ?r pkg:spanStart ?rs ; pkg:spanEnd ?re }} }}
          OPTIONAL {{ ?a pkg:function ?f . OPTIONAL {{ ?f rdfs:label ?f_label }} }}
          OPTIONAL {{ ?a pkg:level ?level . OPTIONAL {{ ?level rdfs:label ?l_label
              FILTER(LANGMATCHES(LANG(?l_label), "zh")) }} }} }}
      UNION {{ GRAPH <{g}> {{ <{m}> pkg:mention ?mention . ?mention pkg:about ?about ;
          pkg:spanStart ?ms ; pkg:spanEnd ?me . OPTIONAL {{ ?mention pkg:asWritten ?mw }} }} }}
      UNION {{ GRAPH <{g}> {{ <{m}> pkg:deadline ?deadline }} }}
      UNION {{ GRAPH <{g}> {{ <{m}> pkg:leader ?leader }} }}
      UNION {{ GRAPH <{g}> {{ <{m}> pkg:clauseNote ?note }} }}
      UNION {{ GRAPH <{g}> {{ <{m}> pkg:noAgencies ?none }} }}
      UNION {{ GRAPH <{g}> {{ <{d}> dcterms:title ?doc_title .
          OPTIONAL {{ <{d}> pkg:docNumber ?doc_number }} }} }}
    }}"""


def _plain_first(found: list[Row], key: str, label: str) -> dict[Any, str]:
    """``key`` → its label, the first one seen (rows are few; labels of a node agree)."""
    out: dict[Any, str] = {}
    for r in found:
        if r.get(key) is not None and r.get(label) is not None:
            out.setdefault(r[key], str(r[label]))
    return out


def measure_facts(store: Selectable, iris: Iris, doc_id: str, ordinal: int) -> Row:
    """Spans (offsets into the measure's own text), agencies' function and level by rank,
    deadline, leaders, clause notes and the document's title and number."""
    m = str(iris.measure(doc_id, ordinal))
    d = str(iris.document(doc_id))
    found = rows(store, iris, _measure_query(m, d, str(iris.document_graph(doc_id))))
    start = next((r["start"] for r in found if r.get("start") is not None), None)
    ids = Ids(iris)
    function_labels = _plain_first(found, "f", "f_label")
    level_labels = _plain_first(found, "level", "l_label")
    agencies: dict[int, Row] = {}
    for r in sorted(found, key=lambda r: (r.get("rank") or 0, str(r.get("a")))):
        if r.get("rank") is None or r["rank"] in agencies:
            continue
        span = None
        if start is not None and r.get("rs") is not None and r.get("re") is not None:
            span = (int(r["rs"]) - int(start), int(r["re"]) - int(start))
        agencies[r["rank"]] = {
            "span": span,
            "function": ids.function(r["f"]) if r.get("f") else None,
            "function_label": function_labels.get(r.get("f")),
            "level": ids.role(r["level"]) if r.get("level") else None,
            "level_label": level_labels.get(r.get("level")),
        }
    mentions: dict[str, Row] = {}
    for r in found:
        if r.get("mention") is None or start is None or r["mention"] in mentions:
            continue
        kind = "group" if "/group-mention/" in r["mention"] else "program"
        mentions[r["mention"]] = {
            "kind": kind,
            "about": r["about"],
            "written": r.get("mw"),
            "span": (int(r["ms"]) - int(start), int(r["me"]) - int(start)),
        }

    def values(key: str) -> list[str]:
        return list(dict.fromkeys(str(r[key]) for r in found if r.get(key) is not None))

    doc = next((r for r in found if r.get("doc_title") is not None), {})
    return {
        "agencies": agencies,
        "mentions": sorted(mentions.values(), key=lambda x: (x["span"], x["about"])),
        "deadline": values("deadline"),
        "leaders": values("leader"),
        "notes": values("note"),
        "no_agencies": next(iter(values("none")), None),
        "document_title": doc.get("doc_title"),
        "doc_number": doc.get("doc_number"),
    }


def labels(store: Selectable, iris: Iris, nodes: list[str]) -> dict[str, str]:
    """A plain or Chinese ``rdfs:label`` of each node (a function, a level), smallest first."""
    wanted = [n for n in dict.fromkeys(nodes) if n and "<" not in n and ">" not in n]
    if not wanted:
        return {}
    found = rows(
        store,
        iris,
        f"""SELECT ?n (MIN(STR(?l)) AS ?label) WHERE {{
          VALUES ?n {{ {" ".join(f"<{n}>" for n in wanted)} }}
          ?n rdfs:label ?l FILTER(LANG(?l) = "" || LANGMATCHES(LANG(?l), "zh")) }} GROUP BY ?n""",
    )
    return {r["n"]: str(r["label"]) for r in found if r.get("label") is not None}


def coresponsible(store: Selectable, iris: Iris, agency_id: str) -> list[Row]:
    """The agencies sharing at least one measure with ``agency_id``, with how many, most
    first (ties by name)."""
    a = iris.agency(agency_id)
    found = rows(
        store,
        iris,
        f"""SELECT ?b (SAMPLE(?name) AS ?label) (COUNT(DISTINCT ?m) AS ?n) WHERE {{
          GRAPH ?g {{ ?r pkg:agency <{a}> . ?m pkg:responsibility ?r , ?r2 .
                      ?r2 pkg:agency ?b FILTER(?b != <{a}>) }}
          OPTIONAL {{ ?b rdfs:label ?name }}
        }} GROUP BY ?b""",
    )
    ids = Ids(iris)
    out = [
        {"id": ids.agency(r["b"]), "iri": r["b"], "name": r.get("label"), "shared": int(r["n"])}
        for r in found
    ]
    return sorted(out, key=lambda r: (-r["shared"], str(r["name"] or ""), r["iri"]))
