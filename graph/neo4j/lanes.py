"""Admission of public Cypher queries: general slots and one kept for short queries.

Replaces the endpoint's single semaphore (four runaway queries held every slot, and ``RETURN
1`` waited for one of them to time out). The rules are :class:`graph.lanes.Lanes`: a query
in the short lane runs under a transaction timeout of ``SHORT_BUDGET_S``, so Neo4j itself
stops it and the slot comes back.
"""

from __future__ import annotations

import threading
from typing import Any

from graph.lanes import Lanes
from graph.neo4j.connection import Driver
from graph.neo4j.guard import CypherResourceLimit, run_read_query
from ontology.errors import QueryTimeout

#: Public queries running at once (each in its own thread and Neo4j transaction).
MAX_CONCURRENT = 4
#: Transaction timeout of a query in the short lane (only used when the general slots are full).
SHORT_BUDGET_S = 1.0

_lock = threading.Lock()
_lanes: dict[float, Lanes] = {}


def lanes_for(timeout_s: float) -> Lanes:
    """The process's Cypher lanes for a time limit (one set per setting, shared by requests)."""
    with _lock:
        lanes = _lanes.get(timeout_s)
        if lanes is None:
            lanes = _lanes[timeout_s] = Lanes(
                MAX_CONCURRENT, timeout_s=timeout_s, short_budget_s=SHORT_BUDGET_S, what="Cypher"
            )
        return lanes


def run_admitted(
    driver: Driver,
    query: str,
    parameters: dict[str, Any],
    *,
    database: str,
    timeout_s: float,
    row_limit: int,
) -> dict[str, Any]:
    """Run a public read query in a lane; the JSON answer, or ServiceBusy/QueryTimeout."""
    lanes = lanes_for(timeout_s)
    ticket = lanes.admit(query)
    try:
        result = run_read_query(
            driver,
            query,
            parameters,
            database=database,
            timeout_s=ticket.budget_s,
            row_limit=row_limit,
        )
    except CypherResourceLimit:
        raise
    except QueryTimeout:
        ticket.overran = True
        if ticket.lane == "short":
            raise lanes.overran_short(ticket) from None
        raise
    finally:
        lanes.release(ticket)
    return result.to_json_dict()
