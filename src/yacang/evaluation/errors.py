"""Errors of the evaluation area (Chinese messages, shown as they are by the CLI and the web)."""


class EvaluationError(ValueError):
    """Invalid indicator system, input table or workflow step (CLI exit 1, HTTP 422)."""


class EvaluationForbidden(EvaluationError):
    """The caller's scope does not allow this (HTTP 403)."""


class EvaluationNotFound(EvaluationError):
    """No such call or submission, or one the caller may not know about (HTTP 404)."""
