"""Security headers and request-size limits on every request (a pure ASGI middleware).

- The Content-Security-Policy allows scripts, styles, images and fetches from this server only, so a
  page can never pull anything from a CDN or the internet (政务内网); ECharts needs inline styles.
- Responses to authenticated requests (a Bearer token or the session cookie) get
  ``Cache-Control: no-store`` unless the route set its own caching (static assets).
- Request bodies are capped *before* authentication or parsing: ``Content-Length`` over the cap is
  refused at once with 413, and a body without a length is counted while it streams.
"""

from __future__ import annotations

import json

HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
     b"connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
]
DOCS_CSP = b"content-security-policy"

MB = 1024 * 1024
DEFAULT_BODY_LIMIT = 1 * MB
LOGIN_BODY_LIMIT = 16 * 1024
UPLOAD_BODY_LIMIT = 51 * MB  # a 50 MB file plus the multipart envelope
UPLOAD_PATHS = ("/api/uploads", "/data")
LOGIN_PATHS = ("/api/auth/login", "/login")


def body_limit(path: str) -> int:
    """Largest request body accepted for ``path`` (bytes)."""
    if path in LOGIN_PATHS:
        return LOGIN_BODY_LIMIT
    if path in UPLOAD_PATHS or (path.startswith("/api/dispatch/appeals/") and path.endswith("/attachments")) \
            or (path.startswith("/dispatch/appeals/") and path.endswith("/attachments")):
        return UPLOAD_BODY_LIMIT
    return DEFAULT_BODY_LIMIT


class BodyTooLarge(Exception):
    pass


def _authenticated(scope) -> bool:
    for name, value in scope.get("headers", []):
        if name == b"authorization" or (name == b"cookie" and b"yacang_session=" in value):
            return True
    return False


async def _too_large(send, limit: int) -> None:
    body = json.dumps({"detail": f"请求内容过大（上限 {limit // 1024} KB），请缩小后重试"},
                      ensure_ascii=False).encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close"), *HEADERS]})
    await send({"type": "http.response.body", "body": body})


class SecurityHeaders:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        docs = path.startswith(("/docs", "/openapi"))
        limit = body_limit(path)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = limit + 1
                if declared > limit:
                    await _too_large(send, limit)
                    return
        no_store = _authenticated(scope)
        started = False
        received = 0

        async def counted_receive():
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge
            return message

        async def send_with_headers(message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                extra = [h for h in HEADERS if not (docs and h[0] == DOCS_CSP)]
                headers = list(message.get("headers", []))
                if no_store and not any(k.lower() == b"cache-control" for k, _ in headers):
                    extra.append((b"cache-control", b"no-store"))
                message["headers"] = headers + extra
            await send(message)

        try:
            await self.app(scope, counted_receive, send_with_headers)
        except BodyTooLarge:
            if not started:
                await _too_large(send, limit)


def docs_settings() -> dict[str, str | None]:
    """``/docs`` and ``/openapi.json``: on (signed-in users, local Swagger UI assets) unless
    ``YACANG_PRODUCTION=1`` or ``YACANG_DOCS=0`` turns both off; the schema stays available in-process
    through ``app.openapi()`` (the authorization matrix reads it)."""
    import os

    off = os.environ.get("YACANG_PRODUCTION", "") in ("1", "true") or os.environ.get("YACANG_DOCS", "") == "0"
    return {"docs_url": None, "openapi_url": None} if off else {"docs_url": "/docs", "openapi_url": "/openapi.json"}
