"""The web dashboard and JSON API (FastAPI): pages, routers, access control wiring.

``create_app()`` builds the application; ``yacang serve [--host --port]`` runs it with uvicorn.
OpenAPI at ``/docs``. Environment (besides YACANG_HOME and YACANG_APP_DB_URL):

- ``YACANG_ECHARTS_JS``: path of ``echarts.min.js`` if not in the repo's ``node_modules`` (``npm ci``)
  nor copied to ``YACANG_HOME/assets/echarts.min.js``;
- ``YACANG_GEOJSON``: a province GeoJSON if none was imported with ``yacang report import-boundaries``
  (``YACANG_HOME/geo``); without one the overview draws a ranking bar chart instead of the map;
- ``YACANG_WEB_CACHE=0``: no view caching (the benchmark's naive baseline).

The server holds the warehouse (DuckDB) open for writing: load files through the 数据 page (or stop
the server before running ``yacang ingest``/``yacang run`` on the same YACANG_HOME).
"""

from yacang.web.app import create_app

__all__ = ["create_app"]
