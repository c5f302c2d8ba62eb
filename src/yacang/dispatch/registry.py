"""Who an enterprise is and where it is registered: the server's records, never the client's claim.

The enterprise registry in the warehouse (企业名录, :class:`yacang.microdata.store.MicrodataStore`) is the
first source; an enterprise only on a region's key-enterprise list (重点企业, app database) is known by
that entry. Appeals, whitelist entries and key-enterprise entries take their name and region from here.
An error while looking up propagates (the request fails); an unknown enterprise is refused.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from yacang.dispatch.errors import DispatchError
from yacang.dispatch.models import KeyEnterprise


@dataclass(frozen=True)
class Registered:
    uscc: str
    name: str
    region: str
    source: str  # 企业名录 / 重点企业名单


def lookup(session: Session, wh, uscc: str) -> Registered | None:
    """The registered identity of ``uscc`` (None if neither registry knows it)."""
    if wh is not None:
        from yacang.microdata.store import MicrodataStore

        ent = MicrodataStore(wh).enterprise(uscc)
        if ent is not None:
            return Registered(uscc, str(ent["name"]), str(ent["region"]), "企业名录")
    k = session.scalar(select(KeyEnterprise).where(KeyEnterprise.uscc == uscc))
    if k is not None:
        return Registered(uscc, k.name, k.region, "重点企业名单")
    return None


def resolve(session: Session, wh, uscc: str) -> Registered:
    """Like :func:`lookup`, but an unknown enterprise is an error (Chinese message, HTTP 422)."""
    if not uscc:
        raise DispatchError("请填写企业统一社会信用代码")
    found = lookup(session, wh, uscc)
    if found is None:
        raise DispatchError(f"企业 {uscc} 不在企业名录中：请先由所在地区登记企业（企业名录或重点企业名单），"
                            "其名称和所在地区以登记为准")
    return found
