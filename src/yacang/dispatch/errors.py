"""Errors of the dispatch services (Chinese messages shown as they are by CLI and web) and their text check."""


class DispatchError(ValueError):
    """Invalid input or transition (HTTP 422 / CLI exit 1)."""


class DispatchForbidden(DispatchError):
    """The caller's scope does not allow this (HTTP 403)."""


class DispatchNotFound(DispatchError):
    """No such case, entry or project — or one the caller may not know about (HTTP 404)."""


class DispatchConflict(DispatchError):
    """The item exists already (one per enterprise and period/list/text): HTTP 409."""


NOTE_MAX = 2000  # notes, comments, reasons
NAME_MAX = 200  # departments, milestone names


def dispatch_text(value: str, label: str, *, max_length: int, required: bool = False) -> str:
    """:func:`yacang.validation.check_text` for the dispatch services: a refusal is a :class:`DispatchError`."""
    from yacang.validation import Invalid, check_text

    try:
        return check_text(value, label, max_length=max_length, required=required)
    except Invalid as exc:
        raise DispatchError(str(exc)) from None
