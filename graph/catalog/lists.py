"""Paged lists of documents, measures, agencies, target groups and programs for the REST API.

A corpus-wide ``ORDER BY … LIMIT`` sorts every match to cut one page out, and pyoxigraph
decodes terms on every comparison: seconds per 10,000 measures. So measure lists are cut by
document instead. One aggregate counts the matching measures per document graph (encoded ids
only), the documents are ordered here, and only the documents that cover the page are read
and sorted. Pages, totals and order are those of ``ORDER BY ?doc ?ordinal`` over the corpus.
Filter patterns are written most selective first: pyoxigraph keeps the written join order.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote

from graph.catalog.details import Ids, Row, Selectable, count, lit, page, rows
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


def _iri_list(iris_: list[str]) -> str:
    return " ".join(f"<{i}>" for i in iris_)


# --------------------------------------------------------------------------- documents
def list_documents(store: Selectable, iris: Iris, *, limit: int, offset: int) -> Row:
    """Documents in IRI order: the ids of all (one index scan), the fields of one page."""
    docs = sorted({r["d"] for r in rows(store, iris, "SELECT ?d { ?d a pkg:PolicyDocument }")})
    selected = docs[offset : offset + limit]
    found = (
        rows(
            store,
            iris,
            f"""SELECT ?d ?title ?number ?issuer ?published (COUNT(DISTINCT ?m) AS ?measures)
            WHERE {{ VALUES ?d {{ {_iri_list(selected)} }}
              ?d dcterms:title ?title .
              OPTIONAL {{ ?d pkg:docNumber ?number }} OPTIONAL {{ ?d pkg:issuer ?issuer }}
              OPTIONAL {{ ?d pkg:publishedDate ?published }}
              OPTIONAL {{ ?m pkg:inDocument ?d ; a pkg:Measure }}
            }} GROUP BY ?d ?title ?number ?issuer ?published ORDER BY ?d""",
        )
        if selected
        else []
    )
    ids = Ids(iris)
    items = [
        {
            "id": ids.document(r["d"]),
            "iri": r["d"],
            "title": r["title"],
            "doc_number": r.get("number"),
            "issuer": r.get("issuer"),
            "published_date": r.get("published"),
            "measures": r["measures"],
        }
        for r in found
    ]
    return page(len(docs), limit, offset, items)


# --------------------------------------------------------------------------- measures
def _narrower(store: Selectable, iris: Iris, group: str | None) -> list[str]:
    """The group filter's group and every narrower one (skos:broader is in the vocabularies)."""
    if group is None:
        return []
    g = iris.target_group(group)
    found = rows(store, iris, f"SELECT DISTINCT ?fg WHERE {{ ?fg skos:broader* <{g}> }}")
    return sorted(r["fg"] for r in found)


def _filters(
    iris: Iris, f: MeasureFilter, groups: list[str], *, anchored: bool
) -> tuple[str, str, str]:
    """Patterns (before, inside, after) the ``GRAPH ?g`` block on ?m in its document's graph.

    pyoxigraph keeps the written join order and does not push bindings into subqueries, so:
    nothing with OPTIONAL goes inside (it would be evaluated for every graph), the narrower
    ``groups`` are looked up first and written in as VALUES (a subquery join took 3.3 s
    against 0.5 s at 10,000 documents), and a text search without a selective filter scans the texts
    and titles first instead of looking up every measure's text (1.9 s against 6.5 s).
    ``anchored``: the caller binds ?g to a few graphs."""
    before: list[str] = []
    inside: list[str] = []
    after: list[str] = []
    if f.program is not None:
        inside.append(f"?m pkg:uses <{iris.program(f.program)}> .")
    if f.role is not None and not (anchored or f.agency or f.document or f.program):
        # a role alone selects half the corpus: two scans hash-joined (1.5 s against 16.6 s
        # for a lookup per responsibility at 10,000 documents)
        before.append(
            "{ SELECT DISTINCT ?m WHERE { { SELECT ?m ?fr WHERE { ?m pkg:responsibility ?fr } } "
            f"{{ SELECT ?fr WHERE {{ ?fr pkg:role <{iris.role(f.role)}> }} }} }} }}"
        )
    elif f.agency is not None or f.role is not None:
        if f.agency is not None:
            inside.append(f"?fr pkg:agency <{iris.agency(f.agency)}> .")
        if f.role is not None:
            inside.append(f"?fr pkg:role <{iris.role(f.role)}> .")
        inside.append("?m pkg:responsibility ?fr .")
    if f.chapter is not None:
        inside.append(f"?fc pkg:ordinal {int(f.chapter)} . ?m pkg:inChapter ?fc .")
    if f.group is not None:
        before.append(f"VALUES ?fg {{ {_iri_list(groups)} }}")
        inside.append("?m pkg:targets ?fg .")
    inside.append("?m a pkg:Measure .")
    if f.q:
        q = lit(f.q)
        if not (anchored or f.document or f.agency or f.program):
            before.append(
                "{ SELECT DISTINCT ?m WHERE { "
                f"{{ ?m pkg:text ?ftext FILTER(CONTAINS(?ftext, {q})) }} UNION "
                f"{{ ?m dcterms:title ?ftitle FILTER(CONTAINS(?ftitle, {q})) }} }} }}"
            )
        else:
            after.append(
                f"?m dcterms:title ?ftitle . OPTIONAL {{ ?m pkg:text ?ftext }} "
                f"FILTER(CONTAINS(?ftitle, {q}) || CONTAINS(COALESCE(?ftext, ''), {q}))"
            )
    return "\n".join(before), "\n".join(inside), "\n".join(after)


def _graphs(iris: Iris, f: MeasureFilter) -> str:
    """``VALUES ?g`` for a document filter, else nothing (every document graph)."""
    if f.document is None:
        return ""
    return f"VALUES ?g {{ <{iris.document_graph(f.document)}> }}"


def _window(per_doc: list[tuple[str, str, int]], limit: int, offset: int) -> tuple[list[str], int]:
    """Graphs of the documents (in document order) holding rows offset…offset+limit, and how
    many rows of the first of them come before the page."""
    picked: list[str] = []
    start = 0
    skip = 0
    for _, graph, n in per_doc:
        if start + n > offset and start < offset + limit:
            if not picked:
                skip = offset - start
            picked.append(graph)
        start += n
    return picked, skip


def list_measures(
    store: Selectable, iris: Iris, f: MeasureFilter, *, limit: int, offset: int
) -> Row:
    """Matching measures ordered by document and ordinal, one page, with their agencies."""
    groups = _narrower(store, iris, f.group)
    before, inside, after = _filters(iris, f, groups, anchored=False)
    counted = rows(
        store,
        iris,
        f"""SELECT ?g (COUNT(DISTINCT ?m) AS ?n) WHERE {{ {_graphs(iris, f)} {before}
          GRAPH ?g {{ {inside} }} {after} }} GROUP BY ?g""",
    )
    graph_prefix = str(iris.document_graph(""))
    per_doc = sorted(
        (str(iris.document(unquote(r["g"][len(graph_prefix) :]))), r["g"], int(r["n"]))
        for r in counted
        if r["g"].startswith(graph_prefix)
    )
    picked, skip = _window(per_doc, limit, offset)
    page_before, page_inside, page_after = (
        _filters(iris, f, groups, anchored=True) if picked else ("", "", "")
    )
    found = (
        rows(
            store,
            iris,
            f"""SELECT DISTINCT ?m ?doc ?ordinal ?title ?chapter WHERE {{
              VALUES ?g {{ {_iri_list(picked)} }} {page_before}
              GRAPH ?g {{ {page_inside}
                ?m pkg:inDocument ?doc ; pkg:ordinal ?ordinal ; dcterms:title ?title . }}
              {page_after} OPTIONAL {{ ?m pkg:inChapter ?c . ?c pkg:ordinal ?chapter }}
            }} ORDER BY ?doc ?ordinal""",
        )[skip : skip + limit]
        if picked
        else []
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
    return page(sum(n for _, _, n in per_doc), limit, offset, items)


def _agencies_of(store: Selectable, iris: Iris, measures: list[str]) -> dict[str, list[Row]]:
    """The agencies of each measure in rank order, in one query anchored on the measures.

    Agency labels are described once (README "RDF mapping"), so no DISTINCT is needed."""
    if not measures:
        return {}
    found = rows(
        store,
        iris,
        f"""SELECT ?m ?a ?name ?role ?rank ?written WHERE {{
          VALUES ?m {{ {_iri_list(measures)} }}
          ?m pkg:responsibility ?r . ?r pkg:agency ?a ; pkg:role ?role ; pkg:rank ?rank .
          OPTIONAL {{ ?r pkg:asWritten ?written }} OPTIONAL {{ ?a rdfs:label ?name }}
        }}""",
    )
    return responsibilities(iris, found)


def responsibilities(iris: Iris, found: list[Row]) -> dict[str, list[Row]]:
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


# --------------------------------------------------------------------------- agencies
def agency_table(
    store: Selectable,
    iris: Iris,
    q: str | None = None,
    counts: tuple[dict[str, int], dict[str, int]] | None = None,
) -> list[Row]:
    """Every agency (whose name contains ``q``) with its numbers of measures and of measures it
    leads, most measures first, then name. ``counts`` (measures, lead by agency IRI) are
    sums of the per-document summaries (graph.catalog.corpus.agency_counts); without them
    the counts are one aggregate over all responsibilities (~1 s at 1,000 documents), or
    anchored on the agencies when the name filter leaves few."""
    where = "?a a pkg:Agency ; rdfs:label ?name ."
    if q:
        where += f" FILTER(CONTAINS(STR(?name), {lit(q)}))"
    names: dict[str, str] = {}
    for r in rows(store, iris, f"SELECT ?a (STR(?name) AS ?label) WHERE {{ {where} }}"):
        names.setdefault(r["a"], r["label"])
    if counts is None:
        anchor = f"VALUES ?a {{ {_iri_list(sorted(names))} }}" if q and len(names) <= 200 else ""
        measures, lead = (_measure_counts(store, iris, anchor, role) for role in ("", "pkg:lead"))
    else:
        measures, lead = counts
    ids = Ids(iris)
    return [
        {
            "id": ids.agency(a),
            "iri": a,
            "name": names[a],
            "measures": measures.get(a, 0),
            "lead": lead.get(a, 0),
        }
        for a in sorted(names, key=lambda a: (-measures.get(a, 0), names[a], a))
    ]


def list_agencies(
    store: Selectable,
    iris: Iris,
    *,
    limit: int,
    offset: int,
    q: str | None = None,
    table: list[Row] | None = None,
) -> Row:
    """One page of :func:`agency_table` (pass ``table`` when it is already at hand)."""
    found = agency_table(store, iris, q) if table is None else table
    return page(len(found), limit, offset, found[offset : offset + limit])


def _measure_counts(store: Selectable, iris: Iris, anchor: str, role: str) -> dict[str, int]:
    """Distinct measures per agency (in ``role`` when given). Unanchored, the two scans are
    subqueries so they are hash-joined (a lookup per responsibility costs ~40 % more)."""
    has_role = f"?r pkg:role {role} ." if role else ""
    if anchor:
        where = f"{anchor} GRAPH ?g {{ ?r pkg:agency ?a . {has_role} ?m pkg:responsibility ?r }}"
    else:
        where = (
            "{ SELECT ?m ?r WHERE { ?m pkg:responsibility ?r } } "
            f"{{ SELECT ?r ?a WHERE {{ {has_role} ?r pkg:agency ?a }} }}"
        )
    query = f"SELECT ?a (COUNT(DISTINCT ?m) AS ?n) WHERE {{ {where} }} GROUP BY ?a"
    found = rows(store, iris, query)
    return {r["a"]: int(r["n"]) for r in found}


# --------------------------------------------------------------------------- groups, programs
def _by_measures(
    store: Selectable,
    iris: Iris,
    cls_link: tuple[str, str],
    columns: str,
    optional: str,
    limit: int,
    offset: int,
) -> tuple[int, list[Row]]:
    """(total, one page of) the instances ``?x`` of a class with ``columns`` and how many
    measures reach them through the link property, most first (the vocabularies are small,
    so one aggregate over the corpus is cheap)."""
    cls, link = cls_link
    where = f"?x a {cls} ."
    found = rows(
        store,
        iris,
        f"""SELECT ?x {columns} (COUNT(DISTINCT ?m) AS ?measures) WHERE {{ {where}
          {optional} OPTIONAL {{ ?m {link} ?x }}
        }} GROUP BY ?x ORDER BY DESC(?measures) ?x LIMIT {limit} OFFSET {offset}""",
    )
    return count(store, iris, where, "x"), found


def list_groups(store: Selectable, iris: Iris, *, limit: int, offset: int) -> Row:
    total, found = _by_measures(
        store,
        iris,
        ("pkg:TargetGroup", "pkg:targets"),
        "(SAMPLE(STR(?l)) AS ?label)",
        "OPTIONAL { ?x rdfs:label ?l }",
        limit,
        offset,
    )
    ids = Ids(iris)
    items = [
        {"id": ids.group(r["x"]), "iri": r["x"], "label": r.get("label"), "measures": r["measures"]}
        for r in found
    ]
    return page(total, limit, offset, items)


def list_programs(store: Selectable, iris: Iris, *, limit: int, offset: int) -> Row:
    total, found = _by_measures(
        store,
        iris,
        ("pkg:Program", "pkg:uses"),
        "(SAMPLE(STR(?l)) AS ?name) (SAMPLE(?t) AS ?type)",
        "OPTIONAL { ?x rdfs:label ?l } OPTIONAL { ?x pkg:programType ?t }",
        limit,
        offset,
    )
    ids = Ids(iris)
    items = [
        {
            "id": ids.program(r["x"]),
            "iri": r["x"],
            "name": r.get("name"),
            "type": program_type(r.get("type")),
            "measures": r["measures"],
        }
        for r in found
    ]
    return page(total, limit, offset, items)


def program_type(value: str | None) -> str | None:
    """The REST name of a program type IRI (its last path segment)."""
    return value.rstrip("/").rsplit("/", 1)[-1] if value else None
