"""Cypher ``RETURN 1`` answers while four runaway queries run (issue #10 point 4).

Before: four slots, all taken by the runaways, so ``RETURN 1`` waited for one to time out
(7.5 s in the issue). Now three general slots and one kept for short queries; the fourth
runaway overruns the short lane's 1 s transaction timeout and gets 503 + Retry-After.
"""

from __future__ import annotations

import threading
import time

import neo4j as neo4j_lib

from graph.neo4j.lanes import MAX_CONCURRENT, lanes_for, run_admitted
from graph.settings import Settings
from ontology.errors import PolicyKGError, ServiceBusy

RUNAWAY = "UNWIND range(1, 10000000000) AS x RETURN count(x) AS n"
TIMEOUT_S = 6.5  # a time limit of its own: these lanes are not shared with other tests


def test_return_1_answers_while_four_runaways_run(
    neo4j_driver: neo4j_lib.Driver, settings: Settings
) -> None:
    outcomes: list[str] = []

    def run(query: str) -> dict[str, object]:
        return run_admitted(
            neo4j_driver,
            query,
            {},
            database=settings.neo4j_database,
            timeout_s=TIMEOUT_S,
            row_limit=10,
        )

    def runaway() -> None:
        try:
            run(RUNAWAY)
            outcomes.append("answered")
        except ServiceBusy as exc:
            outcomes.append(f"busy, retry after {exc.retry_after_s}")
        except PolicyKGError as exc:
            outcomes.append(type(exc).__name__)

    assert MAX_CONCURRENT == 4
    threads = [threading.Thread(target=runaway) for _ in range(4)]
    for t in threads:
        t.start()
        time.sleep(0.2)
    time.sleep(0.5)
    lanes = lanes_for(TIMEOUT_S)
    assert lanes.busy("general") == 3
    times = []
    for _ in range(5):
        started = time.monotonic()
        assert run("RETURN 1 AS one")["rows"] == [[1]]
        times.append(time.monotonic() - started)
    assert max(times) < 2.0  # not one of the runaways' 6.5 s
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["QueryTimeout"] * 3 + ["busy, retry after 7"]
