"""The web dashboard and JSON API (FastAPI): pages, routers, access control wiring.

``create_app()`` builds the application; ``yacang serve`` runs it with uvicorn.
"""

from yacang.web.app import create_app

__all__ = ["create_app"]
