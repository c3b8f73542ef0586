"""Every Cypher statement of policykg, as parameterised constants.

Keeping them in one module lets reviewers check that no query is built from user text:
values always travel as ``$parameters``; only these constants are ever sent as query text.
Writes take ``$rows`` (a list of maps) and run as ``UNWIND $rows AS row ...`` so one round
trip writes a whole batch.
"""

from __future__ import annotations

from typing import Any, Final

#: Node labels of the property graph; each has a uniqueness constraint on ``iri``.
LABELS: Final[tuple[str, ...]] = (
    "Document",
    "Chapter",
    "Measure",
    "Agency",
    "TargetGroup",
    "Program",
)

#: Relationship types of the property graph.
REL_TYPES: Final[tuple[str, ...]] = ("RESPONSIBLE_FOR", "TARGETS", "USES", "PART_OF", "BROADER")

# --- schema (idempotent) -----------------------------------------------------------------
#: One ``CREATE CONSTRAINT`` per label; labels cannot be parameters, hence constants.
CONSTRAINTS: Final[tuple[str, ...]] = tuple(
    f"CREATE CONSTRAINT {label.lower()}_iri IF NOT EXISTS FOR (n:{label}) REQUIRE n.iri IS UNIQUE"
    for label in LABELS
)
INDEXES: Final[tuple[str, ...]] = (
    "CREATE INDEX measure_document IF NOT EXISTS FOR (n:Measure) ON (n.document)",
    "CREATE INDEX chapter_document IF NOT EXISTS FOR (n:Chapter) ON (n.document)",
    "CREATE INDEX agency_id IF NOT EXISTS FOR (n:Agency) ON (n.id)",
    "CREATE INDEX document_id IF NOT EXISTS FOR (n:Document) ON (n.id)",
)
AWAIT_INDEXES: Final = "CALL db.awaitIndexes(300)"

# --- whole-database maintenance (tests, `policykg neo4j` reset) ---------------------------
WIPE: Final = "MATCH (n) DETACH DELETE n"

# --- document writes: $rows built by graph.neo4j.store ------------------------------------
# Documents, chapters and measures are CREATEd: the same transaction deleted any previous
# version first and a batch holds each document once (the iri constraints would still
# reject a duplicate and roll the transaction back).
MERGE_DOCUMENTS: Final = """
UNWIND $rows AS row
CREATE (d:Document)
SET d = row
"""

MERGE_CHAPTERS: Final = """
UNWIND $rows AS row
MATCH (d:Document {iri: row.document_iri})
CREATE (c:Chapter)
SET c = row.props
CREATE (c)-[:PART_OF]->(d)
"""

MERGE_MEASURES: Final = """
UNWIND $rows AS row
MATCH (c:Chapter {iri: row.chapter_iri})
CREATE (m:Measure)
SET m = row.props
CREATE (m)-[:PART_OF]->(c)
"""

#: Shared nodes: MERGE on iri, latest description wins (agencies, programs, groups).
MERGE_AGENCIES: Final = """
UNWIND $rows AS row
MERGE (a:Agency {iri: row.iri})
SET a += row
"""

#: A group named only as broader: created with its id as name, never overwriting a name.
MERGE_GROUP_STUBS: Final = """
UNWIND $rows AS row
MERGE (g:TargetGroup {iri: row.iri})
ON CREATE SET g.id = row.id, g.name = row.id
"""

MERGE_GROUPS: Final = """
UNWIND $rows AS row
MERGE (g:TargetGroup {iri: row.iri})
SET g += row
"""

MERGE_PROGRAMS: Final = """
UNWIND $rows AS row
MERGE (p:Program {iri: row.iri})
SET p += row
"""

MERGE_BROADER: Final = """
UNWIND $rows AS row
MATCH (g:TargetGroup {iri: row.narrower})
MATCH (b:TargetGroup {iri: row.broader})
MERGE (g)-[:BROADER]->(b)
"""

#: Measures were just (re)created, so their relationships are created, not merged.
CREATE_RESPONSIBILITIES: Final = """
UNWIND $rows AS row
MATCH (a:Agency {iri: row.agency})
MATCH (m:Measure {iri: row.measure})
CREATE (a)-[:RESPONSIBLE_FOR {role: row.role, rank: row.rank, as_written: row.as_written}]->(m)
"""

CREATE_TARGETS: Final = """
UNWIND $rows AS row
MATCH (m:Measure {iri: row.measure})
MATCH (g:TargetGroup {iri: row.group})
CREATE (m)-[:TARGETS]->(g)
"""

CREATE_USES: Final = """
UNWIND $rows AS row
MATCH (m:Measure {iri: row.measure})
MATCH (p:Program {iri: row.program})
CREATE (m)-[:USES]->(p)
"""

# --- document removal ---------------------------------------------------------------------
#: Shared nodes a set of documents points at (and the groups broader than those): the
#: candidates for orphan removal once the documents are gone.
AGENCIES_OF_DOCUMENTS: Final = """
UNWIND $doc_ids AS doc_id
MATCH (a:Agency)-[:RESPONSIBLE_FOR]->(:Measure {document: doc_id})
RETURN DISTINCT a.iri AS iri
"""

PROGRAMS_OF_DOCUMENTS: Final = """
UNWIND $doc_ids AS doc_id
MATCH (:Measure {document: doc_id})-[:USES]->(p:Program)
RETURN DISTINCT p.iri AS iri
"""

GROUPS_OF_DOCUMENTS: Final = """
UNWIND $doc_ids AS doc_id
MATCH (:Measure {document: doc_id})-[:TARGETS]->(:TargetGroup)-[:BROADER*0..]->(g:TargetGroup)
RETURN DISTINCT g.iri AS iri
"""

DELETE_MEASURES: Final = """
UNWIND $doc_ids AS doc_id
MATCH (m:Measure {document: doc_id})
DETACH DELETE m
"""

DELETE_CHAPTERS: Final = """
UNWIND $doc_ids AS doc_id
MATCH (c:Chapter {document: doc_id})
DETACH DELETE c
"""

DELETE_DOCUMENT_NODES: Final = """
UNWIND $doc_ids AS doc_id
MATCH (d:Document {id: doc_id})
DETACH DELETE d
RETURN count(d) AS deleted
"""

DELETE_ORPHAN_AGENCIES: Final = """
UNWIND $iris AS iri
MATCH (a:Agency {iri: iri})
WHERE NOT EXISTS { (a)-[:RESPONSIBLE_FOR]->(:Measure) }
DETACH DELETE a
RETURN count(a) AS deleted
"""

DELETE_ORPHAN_PROGRAMS: Final = """
UNWIND $iris AS iri
MATCH (p:Program {iri: iri})
WHERE NOT EXISTS { (:Measure)-[:USES]->(p) }
DETACH DELETE p
RETURN count(p) AS deleted
"""

#: A group stays while some measure targets it or a group broader-than-reachable from a
#: targeted group (the BROADER chain keeps its ancestors).
DELETE_ORPHAN_GROUPS: Final = """
UNWIND $iris AS iri
MATCH (g:TargetGroup {iri: iri})
WHERE NOT EXISTS { (:Measure)-[:TARGETS]->(:TargetGroup)-[:BROADER*0..]->(g) }
DETACH DELETE g
RETURN count(g) AS deleted
"""

# --- reads ----------------------------------------------------------------------------------
DOCUMENT_VERSIONS: Final = """
UNWIND $doc_ids AS doc_id
MATCH (d:Document {id: doc_id})
RETURN d.id AS id, d.version AS version
"""

DOCUMENT_IDS: Final = "MATCH (d:Document) RETURN d.id AS id ORDER BY id"

COUNT_LABEL: Final = {label: f"MATCH (n:{label}) RETURN count(n) AS n" for label in LABELS}
COUNT_RESPONSIBILITIES: Final = "MATCH ()-[r:RESPONSIBLE_FOR]->() RETURN count(r) AS n"

#: Every node as (label, iri); used by `policykg verify` to compare with the RDF store.
ALL_NODES: Final = """
MATCH (n)
RETURN labels(n) AS labels, n.iri AS iri
"""

#: Every relationship as (type, start iri, end iri, role, rank).
ALL_RELATIONSHIPS: Final = """
MATCH (s)-[r]->(e)
RETURN type(r) AS type, s.iri AS start, e.iri AS end, r.role AS role, r.rank AS rank
"""

#: The agencies responsible for one measure, in document order (rank).
AGENCIES_OF_MEASURE: Final = """
MATCH (a:Agency)-[r:RESPONSIBLE_FOR]->(m:Measure {iri: $measure_iri})
RETURN a.iri AS iri, a.id AS id, a.name AS name, r.role AS role, r.rank AS rank
ORDER BY r.rank
"""

# --- the naive baseline of bench/bench_load.py: one statement per row ---------------------
NAIVE_MERGE_NODE: Final = {
    label: f"MERGE (n:{label} {{iri: $iri}}) SET n += $props" for label in LABELS
}
#: Keyed by (start label, type, end label) so each lookup uses the iri constraint index.
NAIVE_MERGE_REL: Final = {
    (start, rel, end): (
        f"MATCH (s:{start} {{iri: $start}}) MATCH (e:{end} {{iri: $end}}) "
        f"MERGE (s)-[r:{rel}]->(e) SET r += $props"
    )
    for start, rel, end in (
        ("Agency", "RESPONSIBLE_FOR", "Measure"),
        ("Measure", "TARGETS", "TargetGroup"),
        ("Measure", "USES", "Program"),
        ("Measure", "PART_OF", "Chapter"),
        ("Chapter", "PART_OF", "Document"),
        ("TargetGroup", "BROADER", "TargetGroup"),
    )
}


# --- public Cypher endpoint (owned by graph/neo4j/guard.py + api/routes/cypher.py) --------
# Example queries shown on the Cypher query page (/cypher/query) over the README schema.
# They run through graph.neo4j.guard like any user query; values travel as parameters.
CYPHER_EXAMPLES: Final[tuple[dict[str, Any], ...]] = (
    {
        "title": "Agencies of measure 5, in rank order / 措施5的责任单位（按排序）",
        "query": (
            "MATCH (a:Agency)-[r:RESPONSIBLE_FOR]->(m:Measure {document: $document, "
            "ordinal: $ordinal})\n"
            "RETURN r.rank AS rank, a.name AS agency, r.role AS role, r.as_written AS as_written\n"
            "ORDER BY rank"
        ),
        "parameters": {"document": "jinan-2025-5", "ordinal": 5},
    },
    {
        "title": "Measures an agency is named first for / 某单位排第一（牵头）的措施",
        "query": (
            "MATCH (a:Agency)-[r:RESPONSIBLE_FOR]->(m:Measure)\n"
            "WHERE (a.name CONTAINS $agency OR a.id = $agency)\n"
            "  AND (r.rank = 1 OR r.role IN ['lead', 'sole'])\n"
            "RETURN m.document AS document, m.ordinal AS measure, m.title AS title,\n"
            "       r.role AS role\n"
            "ORDER BY document, measure"
        ),
        "parameters": {"agency": "人力资源和社会保障局"},
    },
    {
        "title": "Agencies sharing the most measures / 共同负责措施最多的单位对",
        "query": (
            "MATCH (a:Agency)-[:RESPONSIBLE_FOR]->(m:Measure)<-[:RESPONSIBLE_FOR]-(b:Agency)\n"
            "WHERE a.iri < b.iri\n"
            "RETURN a.name AS agency_a, b.name AS agency_b, count(DISTINCT m) AS shared\n"
            "ORDER BY shared DESC, agency_a, agency_b\n"
            "LIMIT 10"
        ),
        "parameters": {},
    },
    {
        "title": "Measures for a target group, first-named agency / 面向某群体的措施及第一责任单位",
        "query": (
            "MATCH (m:Measure)-[:TARGETS]->(g:TargetGroup)\n"
            "WHERE g.name CONTAINS $group\n"
            "OPTIONAL MATCH (a:Agency)-[r:RESPONSIBLE_FOR {rank: 1}]->(m)\n"
            "RETURN m.document AS document, m.ordinal AS measure, g.name AS group, "
            "a.name AS first_agency\n"
            "ORDER BY document, measure"
        ),
        "parameters": {"group": "残疾人"},
    },
    {
        "title": "Paths agency → measure → target group / 路径示例",
        "query": (
            "MATCH p = (:Agency)-[:RESPONSIBLE_FOR]->(:Measure)-[:TARGETS]->(:TargetGroup)\n"
            "RETURN p\nLIMIT 5"
        ),
        "parameters": {},
    },
    {
        "title": "The graph schema / 图模式",
        "query": "CALL db.schema.visualization()",
        "parameters": {},
    },
)


# --- citations between documents (graph/neo4j/rows.py, graph/neo4j/citations.py) ---------
# (:Document)-[:CITES {relation}]->(:CitedDocument {iri, id, name, doc_number, titles}); the
# stub stands for the loaded Document with its doc_number (or, without one, a title in its
# titles): a join at query time, as in RDF (graph/rdf/citations.py).
CITED_SCHEMA: Final[tuple[str, ...]] = (
    "CREATE CONSTRAINT citeddocument_iri IF NOT EXISTS "
    "FOR (n:CitedDocument) REQUIRE n.iri IS UNIQUE",
    "CREATE INDEX document_number_key IF NOT EXISTS FOR (n:Document) ON (n.number_key)",
    "CREATE INDEX cited_doc_number IF NOT EXISTS FOR (n:CitedDocument) ON (n.doc_number)",
)

#: Stubs are shared: MERGE on iri; titles accumulate as the RDF shared graph's do.
MERGE_CITED: Final = """
UNWIND $rows AS row
MERGE (c:CitedDocument {iri: row.iri})
SET c.id = row.id, c.name = row.name, c.doc_number = row.doc_number,
    c.titles = coalesce(c.titles, []) + [t IN row.titles WHERE NOT t IN coalesce(c.titles, [])]
"""

CREATE_CITES: Final = """
UNWIND $rows AS row
MATCH (d:Document {iri: row.document})
MATCH (c:CitedDocument {iri: row.cited})
CREATE (d)-[:CITES {relation: row.relation}]->(c)
"""

#: Run before the documents are deleted: the stubs only they cite go with them.
DELETE_ORPHAN_CITED: Final = """
UNWIND $doc_ids AS doc_id
MATCH (:Document {id: doc_id})-[:CITES]->(c:CitedDocument)
WITH DISTINCT c
WHERE NOT EXISTS { MATCH (o:Document)-[:CITES]->(c) WHERE NOT o.id IN $doc_ids }
DETACH DELETE c
"""

#: The loaded document a stub ``c`` stands for (by number, else by exact title).
_RESOLVES = (
    "(c.doc_number IS NOT NULL AND t.number_key = c.doc_number) "
    "OR (c.doc_number IS NULL AND t.title IN c.titles)"
)

#: Links from $sources whose relation is in $relations, to the resolved document or stub.
CHAIN_CITED: Final = f"""
UNWIND $sources AS src
MATCH (:Document {{iri: src}})-[r:CITES]->(c:CitedDocument)
WHERE r.relation IN $relations
OPTIONAL MATCH (t:Document) WHERE {_RESOLVES}
RETURN DISTINCT src, r.relation AS relation, coalesce(t.iri, c.iri) AS target
"""

#: Links of $relation from any document to the loaded $targets.
CHAIN_CITING: Final = f"""
UNWIND $targets AS target
MATCH (t:Document {{iri: target}})
MATCH (c:CitedDocument) WHERE {_RESOLVES}
MATCH (d:Document)-[r:CITES {{relation: $relation}}]->(c)
RETURN DISTINCT d.iri AS src, r.relation AS relation, target
"""

CHAIN_DOCUMENTS: Final = """
UNWIND $iris AS iri
MATCH (d:Document {iri: iri})
RETURN d.iri AS iri, d.id AS id, d.title AS title, d.doc_number AS doc_number,
       d.issuer AS issuer, toString(d.written_date) AS written,
       toString(d.published_date) AS published, d.jurisdiction AS jurisdiction
"""

CHAIN_STUBS: Final = """
UNWIND $iris AS iri
MATCH (c:CitedDocument {iri: iri})
RETURN c.iri AS iri, c.doc_number AS doc_number, c.titles AS titles
"""

#: Every citation link with the document it resolves to (graph.neo4j.citations compares
#: these with the RDF store's).
CITATION_LINKS: Final = f"""
MATCH (d:Document)-[r:CITES]->(c:CitedDocument)
OPTIONAL MATCH (t:Document) WHERE {_RESOLVES}
RETURN d.iri AS src, r.relation AS relation, c.iri AS stub, t.iri AS target
"""

CITED_NODES: Final = "MATCH (c:CitedDocument) RETURN c.iri AS iri, c.doc_number AS doc_number"

# --- similar measures (graph/neo4j/similar.py) ---------------------------------------------
#: Forget the stored lists of these measures (their outgoing SIMILAR relationships).
DELETE_SIMILAR: Final = """
UNWIND $rows AS row
MATCH (m:Measure {iri: row.iri})-[s:SIMILAR]->()
DELETE s
"""

#: One SIMILAR {score} per link, from a measure to one of another document.
CREATE_SIMILAR: Final = """
UNWIND $rows AS row
MATCH (m:Measure {iri: row.src}), (o:Measure {iri: row.dst})
CREATE (m)-[:SIMILAR {score: row.score}]->(o)
"""

#: Every stored link (verify and the index's rebuild compare them with the RDF store's).
SIMILAR_LINKS: Final = """
MATCH (m:Measure)-[s:SIMILAR]->(o:Measure)
RETURN m.iri AS src, o.iri AS dst, s.score AS score
"""

#: One measure's list, best first.
SIMILAR_OF_MEASURE: Final = """
MATCH (m:Measure {iri: $iri})-[s:SIMILAR]->(o:Measure)
RETURN o.iri AS dst, s.score AS score
ORDER BY s.score DESC, o.iri
LIMIT $limit
"""
