"""Alembic migration environment and scripts (a package so that installs include them)."""
