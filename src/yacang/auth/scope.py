"""What a user may see: a region subtree (by GB/T 2260 code prefix) or a single enterprise.

Region codes nest by prefix: a province ``44xxxx`` contains every code starting ``44``, a prefecture
``4401xx`` every code starting ``4401``. This works whether or not the prefectures and counties have
been imported into the catalog. Region users may also read the aggregates of their ancestors (the
nation, their province): the bulletin compares every region with its parent, and those figures are
published. They may never read a sibling's subtree.
"""

from __future__ import annotations

from dataclasses import dataclass

from yacang.auth.roles import OFFICIAL_WRITE, STATISTICS_READ, Role
from yacang.catalog.regions import NATION, RegionError, ancestors_of, region_prefix


@dataclass(frozen=True)
class Scope:
    """A caller's role, region and (for enterprises) USCC."""

    role: Role
    region: str = NATION
    uscc: str | None = None
    username: str = ""

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def reads_statistics(self) -> bool:
        return self.role in STATISTICS_READ

    @property
    def writes(self) -> bool:
        return self.role in OFFICIAL_WRITE

    def covers(self, code: str) -> bool:
        """True if ``code`` lies in this user's subtree (its own region included)."""
        if self.role == Role.ADMIN:
            return True
        if self.role == Role.ENTERPRISE:
            return False
        try:
            return code.startswith(region_prefix(self.region)) and len(code) == 6
        except RegionError:
            return False

    def reads_region(self, code: str) -> bool:
        """Subtree plus the published aggregates of the ancestors."""
        if not self.reads_statistics:
            return False
        return self.covers(code) or (self.role != Role.ENTERPRISE and code in ancestors_of(self.region))

    def reads_enterprise(self, uscc: str, enterprise_region: str | None) -> bool:
        """An enterprise sees itself; region users see enterprises located in their subtree."""
        if self.role == Role.ENTERPRISE:
            return bool(self.uscc) and uscc == self.uscc
        if self.role == Role.ADMIN:
            return True
        return enterprise_region is not None and self.covers(enterprise_region)

    def sql_region_filter(self, column: str = "region") -> tuple[str, list[str]]:
        """A SQL predicate (with parameters) restricting ``column`` to the subtree."""
        if self.role == Role.ADMIN:
            return "TRUE", []
        if self.role == Role.ENTERPRISE:
            return "FALSE", []
        return f"starts_with({column}, ?)", [region_prefix(self.region)]
