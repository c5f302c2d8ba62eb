"""Users, roles, password hashing, sessions, API tokens, login throttling, scoping and the audit log.

The web layer asks this package two questions: who is calling (a session cookie or a Bearer token),
and what may they see (:class:`yacang.auth.scope.Scope`). Scoping is decided here, on the server.
"""

from yacang.auth.roles import ROLE_ZH, ROLES, Role
from yacang.auth.scope import Scope

__all__ = ["ROLES", "ROLE_ZH", "Role", "Scope"]
