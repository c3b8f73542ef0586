"""The one exception hierarchy of policykg.

Every error a user can cause derives from :class:`PolicyKGError` and carries the HTTP
status the API answers with, so one FastAPI handler (``api/errors.py``) turns any of them
into a JSON problem response and the CLI into a message with exit code 2.
"""

from __future__ import annotations


class PolicyKGError(Exception):
    """Root of all expected errors. ``title`` is the short kind, ``detail`` says what."""

    status: int = 400
    title: str = "Bad request"
    #: Seconds a client should wait before retrying (sent as ``Retry-After``); None = no header.
    retry_after_s: int | None = None

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class LoaderError(PolicyKGError):
    """A document could not be read or has no recognisable structure (names file + what)."""

    status = 422
    title = "Document cannot be extracted"


class NotFound(PolicyKGError):
    status = 404
    title = "Not found"


class InvalidParameter(PolicyKGError):
    status = 422
    title = "Invalid parameter"


class QueryRefused(PolicyKGError):
    """A query that is not allowed on a public endpoint (update, SERVICE, LOAD CSV, ...)."""

    status = 400
    title = "Query refused"


class QuerySyntaxError(PolicyKGError):
    status = 400
    title = "Query syntax error"


class QueryTimeout(PolicyKGError):
    status = 503
    title = "Query time limit exceeded"


class ServiceBusy(PolicyKGError):
    """Every lane a query may use is taken (or it overran the short lane): retry later."""

    status = 503
    title = "Service busy"

    def __init__(self, detail: str, retry_after_s: int) -> None:
        super().__init__(detail)
        self.retry_after_s = retry_after_s


class PayloadTooLarge(PolicyKGError):
    status = 413
    title = "Payload too large"


class Unauthorized(PolicyKGError):
    status = 401
    title = "Unauthorized"


class Forbidden(PolicyKGError):
    status = 403
    title = "Forbidden"


class StoreUnavailable(PolicyKGError):
    """A store (usually Neo4j) cannot be reached; the detail says how to start one."""

    status = 503
    title = "Store unavailable"


class StoreError(PolicyKGError):
    """A write failed and was rolled back."""

    status = 500
    title = "Store error"


class SetupError(PolicyKGError):
    """A missing tool (Java, Maven, Chromium) or a bad setting."""

    status = 500
    title = "Setup error"
