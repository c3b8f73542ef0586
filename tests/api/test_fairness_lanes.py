"""Short queries keep answering while long ones run (issue #10 point 4).

The rules of :class:`graph.lanes.Lanes` on their own, then the SPARQL service with two
runaway queries holding more than its general lane.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.lanes import Lanes
from graph.sparql.service import SparqlService
from ontology.errors import PolicyKGError, ServiceBusy

RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5"


def test_general_slots_first_then_the_short_lane_with_its_budget() -> None:
    lanes = Lanes(3, timeout_s=10, short_budget_s=1.0, wait_s=0.1)
    first, second, third = lanes.admit("a"), lanes.admit("b"), lanes.admit("c")
    assert (first.lane, second.lane, third.lane) == ("general", "general", "short")
    assert (first.budget_s, third.budget_s) == (10, 1.0)
    with pytest.raises(ServiceBusy) as busy:
        lanes.admit("d")
    assert busy.value.status == 503 and busy.value.retry_after_s == 1
    lanes.release(first)
    assert lanes.admit("d").lane == "general"


def test_a_query_that_overran_never_takes_the_reserve_again() -> None:
    lanes = Lanes(2, timeout_s=10, short_budget_s=1.0, wait_s=0.1)
    general = lanes.admit("runaway-1")
    short = lanes.admit("runaway-2")
    assert short.lane == "short"
    short.overran = True
    lanes.release(short)
    assert lanes.is_long(lanes.admit("cheap").key) is False  # the reserve is free again
    with pytest.raises(ServiceBusy) as busy:  # ... but not for the known runaway
        lanes.admit("runaway-2")
    assert busy.value.retry_after_s == 10
    lanes.release(general)
    assert lanes.admit("  runaway-2 ").lane == "general"  # whitespace does not disguise it


def test_waiting_is_bounded_in_number() -> None:
    lanes = Lanes(1, timeout_s=10, wait_s=5, max_waiting=1)
    held = lanes.admit("x")
    assert lanes.reserved == 0 and held.lane == "general"
    waiter = threading.Thread(target=lambda: lanes.release(lanes.admit("y")))
    waiter.start()
    time.sleep(0.2)
    started = time.monotonic()
    with pytest.raises(ServiceBusy):  # the one waiting place is taken: refused at once
        lanes.admit("z")
    assert time.monotonic() - started < 1
    lanes.release(held)
    waiter.join(timeout=5)
    assert not waiter.is_alive()


@pytest.mark.slow
def test_a_cheap_sparql_query_answers_while_two_runaways_run(tmp_path: Path) -> None:
    store = ox.Store(str(tmp_path / "rdf"))
    p = ox.NamedNode("http://example.org/p")
    store.extend(ox.Quad(ox.NamedNode(f"http://example.org/s{i}"), p, p) for i in range(1000))
    service = SparqlService(
        tmp_path / "rdf", {}, timeout_s=8, row_limit=10, workers=2, sealed=False, source=store
    )
    outcomes: list[str] = []
    try:
        service.execute("ASK {}", None)

        def runaway() -> None:
            try:
                service.execute(RUNAWAY, None)
                outcomes.append("answered")
            except ServiceBusy:
                outcomes.append("busy")
            except PolicyKGError as exc:  # recorded, asserted below
                outcomes.append(type(exc).__name__)

        threads = [threading.Thread(target=runaway) for _ in range(2)]
        for t in threads:
            t.start()
            time.sleep(0.3)
        time.sleep(1.5)  # the second runaway overran the reserved worker and was stopped
        assert outcomes == ["busy"]
        times = []
        for _ in range(5):
            started = time.monotonic()
            service.execute(CHEAP, None)
            times.append(time.monotonic() - started)
        assert max(times) < 1.0  # the first runaway still holds the general worker
        for t in threads:
            t.join(timeout=30)
        assert sorted(outcomes) == ["QueryTimeout", "busy"]
    finally:
        service.close()


def test_a_full_endpoint_answers_503_with_retry_after(tmp_path: Path) -> None:
    from tests.api.conftest import make_app

    test_client, store = make_app(tmp_path)
    with test_client as c:
        assert c.get("/sparql", params={"query": "ASK {}"}).status_code == 200
        lanes = c.app.state.sparql.lanes  # type: ignore[attr-defined]
        lanes.wait_s = 0.2
        held = [lanes.admit(f"held {i}") for i in range(lanes.capacity)]
        r = c.get("/sparql", params={"query": CHEAP})
        assert r.status_code == 503
        assert r.headers["Retry-After"] == "1"
        assert r.json()["title"] == "Service busy"
        for ticket in held:
            lanes.release(ticket)
        assert c.get("/sparql", params={"query": CHEAP}).status_code == 200
    store.close()
