"""The one place a Neo4j driver is created, so every caller gets the same checks and errors.

A driver that cannot reach its server, or whose credentials are refused, becomes a
:class:`StoreUnavailable` that tells the user how to get a server (``policykg neo4j start``)
or how to point at one (``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

import neo4j
from neo4j.exceptions import AuthError, ConfigurationError, DriverError, Neo4jError

from graph.settings import Settings
from ontology.errors import SetupError, StoreUnavailable

#: The driver type, re-exported so api/ and viz/ never import the neo4j package themselves.
Driver = neo4j.Driver

# Seconds to wait for a TCP connection; short, so an absent server is reported quickly.
CONNECTION_TIMEOUT_S = 5.0

# Bolt only: policykg uses sessions and transactions that the HTTP Query API lacks.
BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
_HOW_TO_FIX = (
    "Start the local development server with `policykg neo4j start`, or set NEO4J_URI, "
    "NEO4J_USER and NEO4J_PASSWORD to reach a running Neo4j 5 server."
)
#: Seconds a failed connection attempt is remembered by :class:`Neo4jHandle` before the next.
RETRY_AFTER_S = 3.0
log = logging.getLogger("policykg")


def dev_server_uri(settings: Settings) -> str:
    """Bolt URI of the local server that `policykg neo4j start` runs (127.0.0.1 only)."""
    return f"bolt://127.0.0.1:{settings.neo4j_bolt_port}"


def neo4j_uri(settings: Settings) -> str:
    """The URI policykg talks to: NEO4J_URI when set, else the local development server."""
    return settings.neo4j_uri or dev_server_uri(settings)


def connect(settings: Settings) -> neo4j.Driver:
    """Create a driver for the configured server and verify that it answers and accepts us.

    The caller owns the driver and must close it. Raises ``StoreUnavailable`` when the
    server is unreachable or refuses the credentials, ``SetupError`` for a malformed URI.
    """
    uri = neo4j_uri(settings)
    if uri.split("://", 1)[0] not in BOLT_SCHEMES:
        raise SetupError(
            f"NEO4J_URI {uri!r} is not a Bolt URI; use one of the schemes "
            f"{', '.join(BOLT_SCHEMES)}, e.g. bolt://127.0.0.1:7687."
        )
    auth = (settings.neo4j_user, settings.neo4j_password.get_secret_value())
    try:
        driver = neo4j.GraphDatabase.driver(
            uri, auth=auth, connection_timeout=CONNECTION_TIMEOUT_S, user_agent="policykg"
        )
    except (ValueError, ConfigurationError) as exc:
        raise SetupError(
            f"NEO4J_URI {uri!r} is not a valid Neo4j URI ({exc}); "
            "use e.g. bolt://127.0.0.1:7687 or neo4j://host:7687."
        ) from None
    try:
        driver.verify_connectivity()
    except (AuthError, Neo4jError) as exc:
        driver.close()
        code = getattr(exc, "code", None) or ""
        if not isinstance(exc, AuthError) and not code.startswith("Neo.ClientError.Security."):
            raise StoreUnavailable(
                f"Neo4j is not reachable at {uri} ({exc}). {_HOW_TO_FIX}"
            ) from None
        raise StoreUnavailable(
            f"Neo4j at {uri} refused the credentials of user {settings.neo4j_user!r}. "
            "Set NEO4J_USER and NEO4J_PASSWORD to this server's credentials (the local "
            "server of `policykg neo4j start` takes them from the same settings)."
        ) from None
    except (DriverError, OSError, ValueError) as exc:  # ValueError: DNS failure
        driver.close()
        raise StoreUnavailable(f"Neo4j is not reachable at {uri} ({exc}). {_HOW_TO_FIX}") from None
    return driver


class Neo4jHandle:
    """The web service's way to Neo4j: connects on first need and again after a failure.

    The service and Neo4j may start in either order, so nothing is decided at start-up: the
    first request that needs Neo4j connects (``connect``), a failure is remembered for
    ``retry_after_s`` so a burst of requests does not hammer a dead server, and the request
    after that tries again. Once connected the driver is kept: it reconnects by itself when
    its server goes away and comes back. Thread-safe; one connection attempt at a time.

    ``StoreUnavailable`` from :meth:`driver` names the URI (for operators and the log); the
    web layer replaces it with a message that does not. ``connect_fn`` and ``clock`` are
    injectable for tests.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        retry_after_s: float = RETRY_AFTER_S,
        connect_fn: Callable[[Settings], Driver] = connect,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._settings = settings
        self._retry_after_s = retry_after_s
        self._connect = connect_fn
        self._clock = clock
        self._lock = threading.Lock()
        self._driver: Driver | None = None
        self._owned = True
        self._failure: str | None = None
        self._failed_at = 0.0
        self._closed = False

    @classmethod
    def of(cls, driver: Driver, settings: Settings) -> Neo4jHandle:
        """A handle that always answers ``driver`` and leaves closing it to the caller."""
        handle = cls(settings)
        handle._driver = driver
        handle._owned = False
        return handle

    @property
    def last_failure(self) -> str | None:
        """Why the last connection attempt failed (names the URI), None after a success."""
        return self._failure

    def driver(self) -> Driver:
        """The connected driver; ``StoreUnavailable`` when Neo4j cannot be reached now."""
        with self._lock:
            if self._closed:
                raise StoreUnavailable("the Neo4j connection of this service is closed")
            if self._driver is not None:
                return self._driver
            if self._failure is not None and self._clock() - self._failed_at < self._retry_after_s:
                raise StoreUnavailable(self._failure)
            try:
                self._driver = self._connect(self._settings)
            except (StoreUnavailable, SetupError) as exc:
                self._failure, self._failed_at = exc.detail, self._clock()
                log.warning(
                    "Neo4j unavailable (tried again by the first request after %g s): %s",
                    self._retry_after_s,
                    exc.detail,
                )
                raise StoreUnavailable(exc.detail) from None
            if self._failure is not None:
                log.info("Neo4j reachable again at %s", neo4j_uri(self._settings))
            self._failure = None
            return self._driver

    def close(self) -> None:
        """Close the driver this handle opened (not one given to :meth:`of`); idempotent."""
        with self._lock:
            self._closed = True
            driver, self._driver = self._driver, None
        if driver is not None and self._owned:
            driver.close()
