"""Security headers on every response (a pure ASGI middleware: cheap on the hot path).

The Content-Security-Policy allows scripts, styles, images and fetches from this server only, so a
page can never pull anything from a CDN or the internet (政务内网); ECharts needs inline styles.
"""

from __future__ import annotations

HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
     b"connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
]
DOCS_CSP = b"content-security-policy"


class SecurityHeaders:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope.get("path", "").startswith(("/docs", "/openapi"))

        async def send_with_headers(message) -> None:
            if message["type"] == "http.response.start":
                extra = [h for h in HEADERS if not (docs and h[0] == DOCS_CSP)]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, send_with_headers)
