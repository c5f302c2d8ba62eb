"""``yacang ingest``: load source files into the warehouse (filled in by the ingest work)."""

import typer


def register(app: typer.Typer) -> None:
    """Add the ``ingest`` command to the main app."""
