"""Admission control for the public query endpoints: a general lane and a short lane.

Neither pyoxigraph nor Neo4j can tell a cheap query from a runaway one before it runs, and
clients behind one proxy (or on loopback) share an address, so capacity is kept by time, not
by identity: of ``capacity`` concurrent queries, ``reserved`` (one) are kept for queries that
finish within ``short_budget_s``. A query takes a general slot when one is free, else the
short lane, where it is stopped at the short budget (503 + ``Retry-After``). A query that
overran once (same text) is remembered for a while as long: it only waits for the general
lane, so repeating a runaway query cannot occupy the reserve. Waiting is bounded in time and
in number of waiters; past either the answer is :class:`ServiceBusy` (503 + ``Retry-After``).
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from typing import Literal

from ontology.errors import ServiceBusy

Lane = Literal["general", "short"]
#: How many long-query fingerprints are remembered (oldest forgotten first).
_REMEMBERED = 4096


@dataclass
class Ticket:
    """One admitted query: its lane and its time budget; set ``overran`` if it hit it."""

    lane: Lane
    budget_s: float
    key: str
    overran: bool = False


def fingerprint(text: str) -> str:
    """What identifies a query for the long-query memory (whitespace-insensitive)."""
    return hashlib.sha1(" ".join(text.split()).encode("utf-8")).hexdigest()


class Lanes:
    """Counts admitted queries per lane; see the module docstring for the rules."""

    def __init__(
        self,
        capacity: int,
        *,
        timeout_s: float,
        short_budget_s: float = 1.0,
        reserved: int = 1,
        wait_s: float | None = None,
        max_waiting: int | None = None,
        remember_s: float = 600.0,
        what: str = "query",
    ) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self.reserved = max(0, min(reserved, capacity - 1))
        self.general = capacity - self.reserved
        self.timeout_s = timeout_s
        self.short_budget_s = min(short_budget_s, timeout_s)
        self.wait_s = timeout_s if wait_s is None else wait_s
        self.max_waiting = max_waiting if max_waiting is not None else 4 * capacity
        self.remember_s = remember_s
        self.what = what
        self._cond = threading.Condition()
        self._busy: dict[Lane, int] = {"general": 0, "short": 0}
        self._waiting = {True: 0, False: 0}  # by "known long"
        self._long: OrderedDict[str, float] = OrderedDict()

    def busy(self, lane: Lane) -> int:
        return self._busy[lane]

    def is_long(self, key: str) -> bool:
        with self._cond:
            return self._known_long(key)

    def _known_long(self, key: str) -> bool:
        until = self._long.get(key)
        if until is None:
            return False
        if until < time.monotonic():
            del self._long[key]
            return False
        return True

    def _free(self, long: bool) -> Lane | None:
        if self._busy["general"] < self.general:
            return "general"
        if not long and self._busy["short"] < self.reserved:
            return "short"
        return None

    def _refuse(self, long: bool, why: str) -> ServiceBusy:
        wait = self.timeout_s if long else self.short_budget_s
        return ServiceBusy(why, retry_after_s=max(1, math.ceil(wait)))

    def admit(self, text: str) -> Ticket:
        """A slot for the query ``text``, waiting at most ``wait_s``; ServiceBusy otherwise."""
        key = fingerprint(text)
        deadline = time.monotonic() + self.wait_s
        with self._cond:
            long = self._known_long(key)
            lane = self._free(long)
            if lane is None and self._waiting[long] >= self.max_waiting:
                raise self._refuse(long, f"too many {self.what} requests are waiting; retry later")
            self._waiting[long] += 1
            try:
                while lane is None:
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        raise self._refuse(
                            long,
                            f"every {self.what} slot stayed busy for {self.wait_s:g} s"
                            + (
                                " (this query ran long before, so it waits for a general slot)"
                                if long
                                else ""
                            )
                            + "; retry later",
                        )
                    self._cond.wait(remaining)
                    lane = self._free(long)
            finally:
                self._waiting[long] -= 1
            self._busy[lane] += 1
        budget = self.timeout_s if lane == "general" else self.short_budget_s
        return Ticket(lane=lane, budget_s=budget, key=key)

    def release(self, ticket: Ticket) -> None:
        """Give the slot back; a query that overran is remembered as long."""
        with self._cond:
            self._busy[ticket.lane] -= 1
            if ticket.overran:
                self._long[ticket.key] = time.monotonic() + self.remember_s
                self._long.move_to_end(ticket.key)
                while len(self._long) > _REMEMBERED:
                    self._long.popitem(last=False)
            self._cond.notify_all()

    def overran_short(self, ticket: Ticket) -> ServiceBusy:
        """What a query stopped at the short budget gets (call :meth:`release` too)."""
        return ServiceBusy(
            f"every general {self.what} slot is taken by long queries, and this one did not "
            f"finish within the {self.short_budget_s:g} s kept for short ones; retry later",
            retry_after_s=max(1, math.ceil(self.timeout_s)),
        )
