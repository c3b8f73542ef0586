"""The graph layer: everything between a typed extraction and a store or an answer.

Wings: ``rdf/`` (the RDF mapping and the embedded pyoxigraph store), ``neo4j/`` (rows, Cypher,
the driver handle, the local server), ``sparql/`` (the sealed public endpoint), ``catalog/``
(the REST reads), ``analysis/`` (pure coordination analyses). ``pipeline`` writes both stores,
``verify`` compares them, ``settings`` is the one settings object.
"""
