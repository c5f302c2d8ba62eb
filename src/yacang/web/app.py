"""The FastAPI application factory."""

from __future__ import annotations

import os
import threading
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from yacang.assets import china_provinces_geojson, echarts_js_path, find_npm_file, imported_boundaries
from yacang.ingest import isolated
from yacang.job_config import CONFIG_NAME
from yacang.service import remove_server_file
from yacang.service.jobs import JobQueue
from yacang.settings import Settings, get_settings
from yacang.web.deps import optional_caller
from yacang.web.security import SecurityHeaders, docs_settings
from yacang.web.state import AppState

STATIC = Path(__file__).parent / "static"
SWAGGER_FILES = {"swagger-ui-bundle.js": "application/javascript", "swagger-ui.css": "text/css"}
SWAGGER_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>压舱 yacang API 文档</title>
<link rel="stylesheet" href="/vendor/swagger-ui/swagger-ui.css"></head><body><div id="swagger-ui"></div>
<script src="/vendor/swagger-ui/swagger-ui-bundle.js"></script><script src="/static/swagger-init.js"></script>
</body></html>"""
FAVICON = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="6" '
           'fill="#8b1a1a"/><text x="16" y="23" font-size="18" text-anchor="middle" fill="#fff" '
           'font-family="sans-serif">压</text></svg>')


def create_app(settings: Settings | None = None, *, warehouse=None, geojson: Path | str | None = None,
               app_db_url: str | None = None, migrate: bool = True) -> FastAPI:
    """Build the app. ``warehouse``: an open Warehouse to use (tests); default: the file under home.

    The app database is upgraded to the latest migration at start (``migrate=False`` to skip).
    """
    from yacang.appdb.base import app_db_url as default_url
    from yacang.appdb.base import get_engine

    s = settings or get_settings()
    url = app_db_url or s.app_db_url or default_url()
    if migrate:
        from yacang.appdb.migrate import upgrade

        upgrade(url)
    st = AppState(engine=get_engine(url), warehouse_path=None if warehouse is not None else s.warehouse_path,
                  home=s.home, output_dir=s.output_dir, config_path=Path(CONFIG_NAME).absolute())
    if warehouse is not None:
        st.set_warehouse(warehouse)
    st.use_cache = os.environ.get("YACANG_WEB_CACHE", "1") != "0"
    st.job_token = os.environ.get("YACANG_JOB_TOKEN") or None
    st.jobs = JobQueue(st.wh_lock, _run_cli, on_done=lambda _job: st.changed())
    st.echarts_js = echarts_js_path(s.home)
    st.geojson = imported_boundaries(s.home, geojson)

    @asynccontextmanager
    async def lifespan(_app: FastAPI):
        # the upload parsers' forkserver starts now, off the event loop, not on the first upload
        threading.Thread(target=isolated.warm_up, name="yacang-parse-warm-up", daemon=True).start()
        yield
        st.jobs.stop()
        st.close()
        remove_server_file(s.home, pid=os.getpid())  # uvicorn re-raises SIGTERM after shutdown

    app = FastAPI(lifespan=lifespan, title="压舱 yacang API", description="工业经济运行监测调度与预警：统计数据、指标、预警、企业直报、通报",
                  version=_version(), redoc_url=None, docs_url=None,
                  openapi_url=docs_settings()["openapi_url"])
    app.state.yacang = st

    from yacang.web import bulletin_pages, chains_pages, dispatch_pages, evaluation_pages, pages
    from yacang.web.api import router

    app.include_router(router)
    app.include_router(pages.router)
    app.include_router(dispatch_pages.router)
    app.include_router(chains_pages.router)
    app.include_router(evaluation_pages.router)
    app.include_router(bulletin_pages.router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_middleware(SecurityHeaders)

    @app.get("/vendor/echarts.min.js", include_in_schema=False)
    def echarts_js():
        if st.echarts_js is None:
            return JSONResponse({"detail": "未找到 ECharts：请在项目根目录运行 npm ci（或设置 YACANG_ECHARTS_JS）"},
                                status_code=404)
        return FileResponse(st.echarts_js, media_type="application/javascript",
                            headers={"Cache-Control": "public, max-age=86400"})

    if docs_settings()["docs_url"]:
        @app.get("/docs", include_in_schema=False)
        async def api_docs(request: Request, who=Depends(optional_caller)):
            """The API docs (Swagger UI from local assets), for signed-in users only."""
            if who is None:
                return RedirectResponse("/login?next=/docs", status_code=303)
            return HTMLResponse(SWAGGER_PAGE)

        @app.get("/vendor/swagger-ui/{name}", include_in_schema=False)
        def swagger_asset(name: str):
            if name not in SWAGGER_FILES:
                raise HTTPException(404, "没有该文件")
            path = find_npm_file(Path("node_modules/swagger-ui-dist") / name)
            if path is None:
                return JSONResponse({"detail": "未找到 Swagger UI：请在项目根目录运行 npm ci"}, status_code=404)
            return FileResponse(path, media_type=SWAGGER_FILES[name], headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon():
        return Response(FAVICON, media_type="image/svg+xml", headers={"Cache-Control": "public, max-age=86400"})

    @app.get("/geo/china.json", include_in_schema=False)
    def china_geojson():
        """Imported boundaries when the user has some, else the province map installed from npm."""
        if st.geojson is not None:
            return FileResponse(st.geojson, media_type="application/json",
                                headers={"Cache-Control": "public, max-age=86400"})
        npm_map = china_provinces_geojson()
        if npm_map is None:
            return JSONResponse({"detail": "未找到省界数据：请在项目根目录运行 npm ci，或用 yacang report import-boundaries 导入"},
                                status_code=404)
        return JSONResponse(npm_map, headers={"Cache-Control": "public, max-age=86400"})

    @app.exception_handler(HTTPException)
    def _http(request: Request, exc: HTTPException):
        wants_html = "text/html" in request.headers.get("accept", "") and not request.url.path.startswith("/api")
        if exc.status_code == 401 and wants_html:
            return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
        if wants_html:
            return pages.error_page(request, exc.status_code, exc.detail)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    def _invalid(request: Request, exc: RequestValidationError):
        from yacang.web.request_errors import reason_zh

        errs = [{"field": ".".join(str(x) for x in e.get("loc", [])[1:]), "reason": reason_zh(e)}
                for e in exc.errors()]
        return JSONResponse({"detail": "请求参数有误", "errors": errs}, status_code=422)

    return app


def _run_cli(argv: list[str], sink, cwd: str | None) -> int:
    """The job runner: a CLI command in this process (imported when the first job runs)."""
    from yacang.cli.inprocess import run_cli

    return run_cli(argv, sink, cwd)


def _version() -> str:
    from yacang import __version__

    return __version__
