"""JSON API routers (mounted under /api)."""

from fastapi import APIRouter

from yacang.web.api import alerts, analysis, auth, chains, dispatch, evaluation, files, jobs, reports, stats

router = APIRouter(prefix="/api")
for module in (auth, stats, alerts, analysis, reports, files, dispatch, jobs, evaluation, chains):
    router.include_router(module.router)

__all__ = ["router"]
