"""The Neo4j wing: rows built from an extraction (``rows``), every Cypher text (``queries``),
writes and reads (``store``), the driver handle (``connection``), the read-only public Cypher
runner (``guard``) and the local development server with its Java ``launcher/`` (``server``).

Inside this package ``import neo4j`` still means the official driver (absolute imports)."""
