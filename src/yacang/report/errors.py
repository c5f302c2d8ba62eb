"""Errors of the report area (Chinese messages that say what to do)."""


class ReportError(RuntimeError):
    """A bulletin cannot be built or written; the message says why and what to do."""
