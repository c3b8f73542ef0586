"""Security headers on every answer: a CSP and no framing for HTML, nosniff for all.

Pure ASGI (no body buffering). A route that sets its own ``Content-Security-Policy`` keeps it
(the ``/viz`` pages forbid every request; ``/docs`` allows its one inline script by hash);
only ``frame-ancestors`` is added when it lacks one, since that directive works in a header
alone.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The app's own pages: scripts and styles from /static only (inline styles allowed: the
#: templates and scripts set a few), data from this origin only, no framing, no plugins.
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; "
    "frame-ancestors 'none'"
)
HTML_HEADERS = {
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


class SecurityHeaders:
    """Add the headers to each response start; never replaces what a route set."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                secure(MutableHeaders(scope=message))
            await send(message)

        await self.app(scope, receive, send_with_headers)


def secure(headers: MutableHeaders) -> None:
    """The headers one response gets (HTML ones by its Content-Type)."""
    headers.setdefault("X-Content-Type-Options", "nosniff")
    if not headers.get("content-type", "").lower().startswith("text/html"):
        return
    for name, value in HTML_HEADERS.items():
        headers.setdefault(name, value)
    csp = headers.get("content-security-policy")
    if csp is None:
        headers["Content-Security-Policy"] = PAGE_CSP
    elif "frame-ancestors" not in csp:
        headers["Content-Security-Policy"] = csp.rstrip("; ") + "; frame-ancestors 'none'"


def inline_script_csp(script_hashes: list[str]) -> str:
    """PAGE_CSP that also runs the inline scripts with these ``'sha256-…'`` sources."""
    allowed = " ".join(f"'{h}'" for h in script_hashes)
    return PAGE_CSP.replace("script-src 'self'", f"script-src 'self' {allowed}")
