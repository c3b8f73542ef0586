"""The public SPARQL wing: the guard that judges a query (``guard``), the sealed worker pool
that runs it (``service``) and the result writers (``results``)."""
