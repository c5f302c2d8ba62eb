"""The application database (SQLAlchemy 2): users, tickets, whitelist, projects, policy registry, audit.

SQLite under YACANG_HOME by default; PostgreSQL for a server (``YACANG_APP_DB_URL``). Each area
declares its tables on :class:`Base` in its own module.
"""

from yacang.appdb.base import Base, app_db_url, create_all, get_engine, session_scope

__all__ = ["Base", "app_db_url", "create_all", "get_engine", "session_scope"]
