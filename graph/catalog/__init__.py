"""The REST reads over the RDF store: detail records (``details``, ``entities``) and the
paged, filtered lists (``lists``)."""
