"""Who may read a stored evaluation run, and which of its rows (one rule for the API, the pages and exports).

Real-data runs are statistics: any statistics reader may open them, but sees only the rows of regions in
their own subtree (a province user sees its own row and rank, never a sibling province's figures); nation
level users and admins see every row. A 申报 call's run is for the issuing region (and above) only.
Anything that cannot be established (an unknown kind, a call that no longer exists) denies.
"""

from __future__ import annotations

import pandas as pd
from sqlalchemy.orm import Session

from yacang.auth.scope import Scope
from yacang.evaluation.models import EvalCall

PUBLIC_KINDS = ("real", "demo")


def run_visible(session: Session, scope: Scope, run: dict) -> bool:
    kind = str(run.get("data_kind", ""))
    if kind in PUBLIC_KINDS:
        return scope.reads_statistics
    if kind.startswith("call") and kind[4:].isdigit():
        call = session.get(EvalCall, int(kind[4:]))
        return call is not None and scope.reads_statistics and (scope.is_admin or scope.covers(call.issuer_region))
    return False


def visible_rows(scope: Scope, df: pd.DataFrame, column: str = "region") -> pd.DataFrame:
    """The rows of regions inside the caller's subtree (all rows for admins)."""
    if scope.is_admin:
        return df
    if df.empty:
        return df
    return df[[scope.covers(str(r)) for r in df[column]]]


def region_visible(scope: Scope, region: str) -> bool:
    return scope.is_admin or scope.covers(region)
