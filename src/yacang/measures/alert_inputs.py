"""Microdata measures as facts for the alert engine (``yacang.alerts.fact_table`` long format).

For each recent report period and each region (nation, provinces, prefectures): 当月/累计 同口径 growth,
减产面, 亏损面, 出口交货值 and 用电量 growth, the gap to the annual target, the reporting rate; and for
key enterprises their pull (拉动) on their province's 累计 growth.
"""

from __future__ import annotations

import ibis
import pandas as pd

from yacang.catalog.regions import NATION
from yacang.measures.real_growth import aggregate, enterprise_panel
from yacang.periods import parse_period

LEVELS = ("nation", "province", "prefecture")
FACT_COLUMNS = ["scope", "key", "parent", "period", "metric", "value"]


def _parent(level: str, code: str) -> str:
    return {"nation": "", "province": NATION, "prefecture": code[:2] + "0000"}[level]


def report_periods_upto(wh, period: str | None, n: int) -> list[str]:
    """The last ``n`` report periods present in ``reports`` up to ``period`` (all if None)."""
    codes = [r[0] for r in wh.db.execute("SELECT DISTINCT period FROM reports").fetchall()]
    ps = sorted(parse_period(c) for c in codes)
    if period is not None:
        end = parse_period(period)
        ps = [p for p in ps if p.sort_key() <= end.sort_key()]
    return [p.code for p in ps[-n:]]


def _region_rows(level: str, df: pd.DataFrame, period: str, metrics: dict[str, str]) -> list[pd.DataFrame]:
    keys = df[level] if level != "nation" else pd.Series([NATION] * len(df))
    out = []
    for metric, col in metrics.items():
        out.append(pd.DataFrame({
            "scope": "region", "key": keys.to_numpy(), "parent": [_parent(level, k) for k in keys],
            "period": period, "metric": metric, "value": df[col].astype(float).to_numpy(),
        }))
    return out


def _reporting_rate(wh, period: str) -> pd.DataFrame:
    """Share of the year's 规上 enterprises that reported for ``period`` (%), by region level."""
    year = parse_period(period).year
    df = wh.db.execute(
        """SELECT e.region, (r.uscc IS NOT NULL) AS reported
           FROM enterprise_years y JOIN enterprises e USING (uscc)
           LEFT JOIN (SELECT DISTINCT uscc FROM reports WHERE period = ?) r USING (uscc)
           WHERE y.year = ? AND y.above_scale""",
        [period, year],
    ).df()
    if df.empty:
        return pd.DataFrame(columns=FACT_COLUMNS)
    df["nation"] = NATION
    df["province"] = df["region"].str[:2] + "0000"
    df["prefecture"] = df["region"].str[:4] + "00"
    frames = []
    for level in LEVELS:
        g = df.groupby(level)["reported"].mean().mul(100.0)
        frames.append(pd.DataFrame({"scope": "region", "key": g.index, "parent": [_parent(level, k) for k in g.index],
                                    "period": period, "metric": "reporting_rate", "value": g.to_numpy()}))
    return pd.concat(frames, ignore_index=True)


def _key_enterprise_pulls(con: ibis.BaseBackend, period: str) -> pd.DataFrame:
    """拉动 of each key enterprise on its province's 累计 growth (百分点)."""
    cum = enterprise_panel(con, period, cumulative=True)
    w = ibis.window(group_by=cum.province)
    t = cum.mutate(pull=(cum.va - cum.va_base) / cum.va_base.sum().over(w) * 100.0)
    t = t.filter(t.is_key).select("uscc", "province", "pull").to_pandas()
    return pd.DataFrame({"scope": "enterprise", "key": t["uscc"], "parent": t["province"], "period": period,
                         "metric": "enterprise_pull", "value": t["pull"].astype(float)})


def alert_facts(wh, *, period: str | None = None, n_periods: int = 13) -> pd.DataFrame:
    """Facts for the last ``n_periods`` report periods up to ``period`` (enough for ``for``/``lag`` rules)."""
    con = wh.con
    has_targets = wh.scalar("SELECT count(*) FROM information_schema.tables WHERE table_name = 'targets'")
    targets = (con.table("targets").filter(lambda t: t.indicator == "iva").to_pandas() if has_targets
               else pd.DataFrame(columns=["region", "year", "growth"]))
    frames: list[pd.DataFrame] = []
    for code in report_periods_upto(wh, period, n_periods):
        mon = enterprise_panel(con, code, cumulative=False)
        cum = enterprise_panel(con, code, cumulative=True)
        year = parse_period(code).year
        goal = targets[targets["year"] == year].set_index("region")["growth"]
        for level in LEVELS:
            by = [] if level == "nation" else [level]
            m = aggregate(mon, by).to_pandas()
            c = aggregate(cum, by).to_pandas()
            frames += _region_rows(level, m, code, {"iva_yoy": "growth", "decline_share": "declining_share",
                                                    "export_yoy": "export_growth", "electricity_yoy": "electricity_growth"})
            frames += _region_rows(level, c, code, {"iva_ytd_yoy": "growth", "loss_share": "loss_share",
                                                    "growth_share": "growing_share"})
            keys = c[level] if level != "nation" else pd.Series([NATION] * len(c))
            gap = c["growth"].to_numpy() - keys.map(goal).to_numpy(dtype=float)
            frames.append(pd.DataFrame({"scope": "region", "key": keys.to_numpy(),
                                        "parent": [_parent(level, k) for k in keys], "period": code,
                                        "metric": "target_gap", "value": gap}).dropna(subset=["value"]))
        frames.append(_reporting_rate(wh, code))
        frames.append(_key_enterprise_pulls(con, code))
    if not frames:
        return pd.DataFrame(columns=FACT_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    return out[out["value"].notna()].reset_index(drop=True)


