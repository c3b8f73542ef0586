"""The RDF wing: the mapping of an extraction to triples (``mapping``, ``lines`` for bulk
N-Triples), the vocabularies loaded into the store (``vocab``), the embedded pyoxigraph store
(``store``, ``bulk``, ``layout``, ``inventory``, ``terms``) and SHACL validation (``shacl``)."""
