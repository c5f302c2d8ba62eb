"""Dispatch and services: enterprise appeals with SLA (一企一案), whitelists (白名单), key enterprises
(重点企业) with weekly/daily quick reports, major projects (重大项目) with schedule lights.

State lives in the app database (:mod:`yacang.dispatch.models`); quick reports also feed the
warehouse as series. Every service function takes an open SQLAlchemy session and the caller's
:class:`yacang.auth.scope.Scope`, and raises :class:`DispatchError` (Chinese message) on bad input,
:class:`DispatchForbidden` when the scope does not allow the action.
"""

from yacang.dispatch.errors import DispatchError, DispatchForbidden, DispatchNotFound

__all__ = ["DispatchError", "DispatchForbidden", "DispatchNotFound"]
