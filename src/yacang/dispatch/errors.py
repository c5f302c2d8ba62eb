"""Errors of the dispatch services (Chinese messages shown as they are by CLI and web)."""


class DispatchError(ValueError):
    """Invalid input or transition (HTTP 422 / CLI exit 1)."""


class DispatchForbidden(DispatchError):
    """The caller's scope does not allow this (HTTP 403)."""


class DispatchNotFound(DispatchError):
    """No such case, entry or project — or one the caller may not know about (HTTP 404)."""


class DispatchConflict(DispatchError):
    """The item exists already (one per enterprise and period/list/text): HTTP 409."""
