"""大宗原材料供给“红黄蓝”预警 per material: price against its norms, short-window jumps, operating rate
and inventory against their seasonal norms, with hysteresis so that a level does not flap.

The math is pure functions of date-indexed :class:`pandas.Series` (daily, weekly or monthly); every
signal is oriented so that a larger value is worse, and levels are 0 (none), 1 蓝, 2 黄, 3 红.
Thresholds and the series of each material live in ``materials.yaml`` beside this file (documented
there, in Chinese, with their reasoning); a user file can override them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from yacang.formatting import date_zh
from yacang.warehouse.provenance import source_name

LEVEL_NAMES = {0: "", 1: "蓝", 2: "黄", 3: "红"}
LEVEL_WORDS = {0: "正常", 1: "蓝色", 2: "黄色", 3: "红色"}
STOPPED_WORDS = "数据停更"  # a material whose every series stopped has no level on the day: not 正常
SIGNALS_ZH = {"price_1y": "较近1年均价", "price_3y": "较近3年均价", "jump_1": "单次涨幅",
              "jump_10d": "10日内涨幅", "jump_30d": "1个月内涨幅", "operating": "开工率低于季节常态",
              "inventory": "库存低于季节常态"}
QUANTITY_SIGNALS = {"operating", "inventory"}
PERCENT_SIGNALS = {"price_1y", "price_3y", "jump_1", "jump_10d", "jump_30d", "inventory"}


class MaterialsConfigError(ValueError):
    """A materials file that cannot be used (names the material and field)."""


@dataclass
class Material:
    code: str
    name: str
    price: list[str] = field(default_factory=list)
    operating_rate: list[str] = field(default_factory=list)
    inventory: list[str] = field(default_factory=list)
    thresholds: dict[str, list[float]] = field(default_factory=dict)


@dataclass
class MaterialsConfig:
    materials: dict[str, Material]
    thresholds: dict[str, list[float]]
    hold_days: int = 30
    exit_ratio: float = 0.8

    def thresholds_for(self, code: str) -> dict[str, list[float]]:
        return {**self.thresholds, **self.materials[code].thresholds}


def default_config_path() -> Path:
    return Path(__file__).with_name("materials.yaml")


def load_materials_config(path: Path | str | None = None) -> MaterialsConfig:
    """Read and validate the materials file (defaults merged from the packaged one)."""
    p = Path(path) if path is not None else default_config_path()
    data = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    base = yaml.safe_load(default_config_path().read_text(encoding="utf-8"))["defaults"]
    d = {**base, **(data.get("defaults") or {})}
    th = {**base["thresholds"], **(d.get("thresholds") or {})}
    _check_thresholds(th, f"{p} defaults")
    mats: dict[str, Material] = {}
    for code, m in (data.get("materials") or {}).items():
        if not isinstance(m, dict) or "name" not in m:
            raise MaterialsConfigError(f"{p} 品种 {code!r}：缺少 name")
        extra = set(m) - {"name", "price", "operating_rate", "inventory", "thresholds"}
        if extra:
            raise MaterialsConfigError(f"{p} 品种 {code!r}：不认识的字段 {sorted(extra)}")
        mth = m.get("thresholds") or {}
        _check_thresholds(mth, f"{p} 品种 {code!r}")
        mats[code] = Material(code, m["name"], list(m.get("price") or []), list(m.get("operating_rate") or []),
                              list(m.get("inventory") or []), mth)
    ratio = float(d.get("exit_ratio", 0.8))
    if not 0 < ratio <= 1:
        raise MaterialsConfigError(f"{p} defaults 字段 'exit_ratio'：应在 (0, 1] 之间")
    return MaterialsConfig(mats, th, int(d.get("hold_days", 30)), ratio)


def _check_thresholds(th: dict, where: str) -> None:
    for name, v in th.items():
        if name not in SIGNALS_ZH:
            raise MaterialsConfigError(f"{where} 字段 'thresholds.{name}'：未知信号，可用 {sorted(SIGNALS_ZH)}")
        if not (isinstance(v, list) and len(v) == 3 and v[0] < v[1] < v[2]):
            raise MaterialsConfigError(f"{where} 字段 'thresholds.{name}'：应为 [蓝, 黄, 红] 三个递增的数，现为 {v}")


# pure signal functions -------------------------------------------------------------------------------
def _clean(s: pd.Series) -> pd.Series:
    s = pd.Series(s, dtype=float).dropna()
    s.index = pd.DatetimeIndex(s.index)
    return s[~s.index.duplicated(keep="last")].sort_index()


def norm_deviation(price: pd.Series, days: int, min_days: int | None = None) -> pd.Series:
    """Price against its trailing mean over ``days`` calendar days, as a fraction (0.3 = 30% above).

    Only computed once the series has at least ``min_days`` (default two thirds of ``days``) of history.
    """
    s = _clean(price)
    mean = s.rolling(f"{days}D").mean()
    min_days = int(days * 2 / 3) if min_days is None else min_days
    ok = s.index >= s.index[0] + pd.Timedelta(days=min_days) if len(s) else np.array([], dtype=bool)
    return (s / mean - 1).where(ok)


def rise_within(price: pd.Series, days: int) -> pd.Series:
    """Rise of the price over the lowest price of the previous ``days`` calendar days (fraction)."""
    s = _clean(price)
    low = s.rolling(f"{days}D", closed="both").min()
    return s / low - 1


def single_jump(price: pd.Series) -> pd.Series:
    """Change from the previous observation (fraction); repeated quotes give 0."""
    return _clean(price).pct_change()


def seasonal_norm(series: pd.Series, years: int = 3, half_window_weeks: int = 2) -> pd.Series:
    """Same-season norm of a weekly/daily series: mean of the previous ``years`` years' values within
    ± ``half_window_weeks`` of the same week; aligned to the series' own dates (NaN without history)."""
    s = _clean(series)
    if s.empty:
        return s
    weekly = s.resample("W").mean()
    smooth = weekly.rolling(2 * half_window_weeks + 1, center=True, min_periods=1).mean()
    past = pd.concat([smooth.shift(52 * k) for k in range(1, years + 1)], axis=1)
    norm = past.mean(axis=1).where(past.notna().sum(axis=1) >= 1)
    return norm.reindex(s.index, method="ffill")


def operating_shortfall(rate: pd.Series, **kw) -> pd.Series:
    """Percentage points by which the operating rate is below its seasonal norm."""
    s = _clean(rate)
    return seasonal_norm(s, **kw) - s


def inventory_shortage(stock: pd.Series, **kw) -> pd.Series:
    """1 − inventory / seasonal norm: 0.3 means 30% below the usual level for the season."""
    s = _clean(stock)
    return 1 - s / seasonal_norm(s, **kw)


def hysteresis(x: pd.Series, thresholds: list[float], *, exit_ratio: float = 0.8, hold_days: int = 30) -> pd.Series:
    """Levels 0..3 from a larger-is-worse signal, without flapping.

    Up: at once, to the highest level whose threshold is reached. Down: only when the signal is below
    ``exit_ratio`` × the current level's threshold and it has been so for ``hold_days`` days since it
    last supported the level; a missing value keeps the level.
    """
    s = _clean(x) if not x.empty else x
    th = np.asarray(thresholds, dtype=float)
    exits = th * exit_ratio
    out = np.zeros(len(s), dtype=np.int8)
    level, support = 0, None
    hold = pd.Timedelta(days=hold_days)
    for i, (when, v) in enumerate(zip(s.index, s.to_numpy(), strict=True)):
        if not np.isnan(v):
            up = int((v >= th).sum())
            if up >= level and up > 0:
                level, support = up, when
            elif level > 0 and v >= exits[level - 1]:
                support = when
            elif level > 0 and when - support >= hold:
                level = max(up, int((v >= exits).sum()))
                support = when if level > 0 else None
        out[i] = level
    return pd.Series(out, index=s.index, name=x.name)


@dataclass
class Assessment:
    """One material's warning over time."""

    code: str
    name: str
    frame: pd.DataFrame  # date index; <signal> values, <signal>_level, level, level_name, reason

    def at(self, date: str | pd.Timestamp | None = None) -> pd.Series | None:
        f = self.frame
        if f.empty:
            return None
        if date is None:
            return f.iloc[-1]
        f = f.loc[: pd.Timestamp(date)]
        return f.iloc[-1] if len(f) else None


def signals_for(price: pd.Series | None = None, operating_rate: pd.Series | None = None,
                inventory: pd.Series | None = None) -> dict[str, pd.Series]:
    """All signals the data allow (larger = worse)."""
    out: dict[str, pd.Series] = {}
    if price is not None and len(price.dropna()):
        out["price_1y"] = norm_deviation(price, 365)
        out["price_3y"] = norm_deviation(price, 3 * 365, min_days=2 * 365)
        out["jump_1"] = single_jump(price)
        out["jump_10d"] = rise_within(price, 10)
        out["jump_30d"] = rise_within(price, 30)
    gate = out.get("price_1y")
    if operating_rate is not None and len(operating_rate.dropna()):
        out["operating"] = _gated(operating_shortfall(operating_rate), gate)
    if inventory is not None and len(inventory.dropna()):
        out["inventory"] = _gated(inventory_shortage(inventory), gate)
    return out


def _gated(signal: pd.Series, price_dev: pd.Series | None) -> pd.Series:
    """Keep a quantity signal only where the price is above its 1-year norm (when a price exists).

    A low operating rate or thin stocks with falling prices means weak demand, not a supply shortage;
    with prices rising it means supply is tight, which is what the 红黄蓝 mechanism watches.
    """
    if price_dev is None:
        return signal
    dev = price_dev.dropna()
    if dev.empty:
        return signal.where(False)
    above = (dev > 0).astype(float).reindex(signal.index, method="ffill", tolerance=pd.Timedelta(days=45))
    return signal.where(above == 1.0, 0.0).where(signal.notna())


def assess(price: pd.Series | None = None, operating_rate: pd.Series | None = None,
           inventory: pd.Series | None = None, *, thresholds: dict[str, list[float]] | None = None,
           exit_ratio: float = 0.8, hold_days: int = 30, code: str = "", name: str = "") -> Assessment:
    """Levels of one material from whichever of its series exist."""
    th = thresholds or load_materials_config().thresholds
    sigs = signals_for(price, operating_rate, inventory)
    if not sigs:
        return Assessment(code, name, pd.DataFrame())
    idx = sorted(set().union(*(s.dropna().index for s in sigs.values())))
    frame = pd.DataFrame(index=pd.DatetimeIndex(idx, name="date"))
    for k, s in sigs.items():
        lv = hysteresis(s, th[k], exit_ratio=exit_ratio, hold_days=hold_days)
        frame[k] = s.reindex(frame.index)
        # a level holds until that signal's next observation (weekly/monthly series between releases), but
        # not past a series that has stopped: a price that ended in July does not hold 黄 into January
        frame[f"{k}_level"] = lv.reindex(frame.index, method="ffill", tolerance=stale_after(s)).fillna(0).astype(int)
    price_cols = [f"{k}_level" for k in sigs if k not in QUANTITY_SIGNALS]
    if price_cols:  # quantities corroborate: at most one level above what the price says
        cap = frame[price_cols].max(axis=1) + 1
        for k in QUANTITY_SIGNALS & set(sigs):
            frame[f"{k}_level"] = np.minimum(frame[f"{k}_level"], cap).astype(int)
    lvl_cols = [f"{k}_level" for k in sigs]
    frame["level"] = frame[lvl_cols].max(axis=1).astype(int)
    frame["level_name"] = frame["level"].map(LEVEL_NAMES)
    frame["reason"] = _reasons(frame, list(sigs), {k: th[k] for k in sigs})
    return Assessment(code, name, frame)


def stale_after(s: pd.Series) -> pd.Timedelta:
    """How long a series' last reading stands: three of its usual gaps, at least 45 days (a monthly
    series published with a lag), so a daily price is stale after 45 days, a monthly one after ~90."""
    idx = s.dropna().index
    gap = pd.Series(idx).diff().median() if len(idx) > 1 else pd.Timedelta(days=31)
    return max(pd.Timedelta(days=45), 3 * gap)


KIND_ZH = {"price": "价格", "operating_rate": "开工率", "inventory": "库存"}
KIND_SIGNAL = {"price": "jump_1", "operating_rate": "operating", "inventory": "inventory"}


def data_dates(a: Assessment, date: str | pd.Timestamp | None = None) -> dict[str, pd.Timestamp]:
    """Kind (price, operating_rate, inventory) -> its latest reading on or before ``date``."""
    f = a.frame if date is None else a.frame.loc[: pd.Timestamp(date)]
    out = {}
    for kind in a.frame.attrs.get("series", {}):
        col = KIND_SIGNAL[kind]
        got = f[col].dropna().index if col in f else []
        if len(got):
            out[kind] = got[-1]
    return out


@dataclass
class MaterialStatus:
    """A material's warning on a day as officials should read it: a material whose every series stopped
    long before that day has no current level (:attr:`reason` says what it was when the data stopped)."""

    code: str
    name: str
    level: int
    level_name: str
    reason: str
    date: pd.Timestamp | None  # the assessment row's date
    dates: dict[str, tuple[pd.Timestamp, bool]]  # kind -> (latest reading, stopped?)

    @property
    def stopped(self) -> bool:
        return bool(self.dates) and all(old for _, old in self.dates.values())

    @property
    def level_words(self) -> str:
        """The level as the bulletin writes it: 红色/黄色/蓝色, 数据停更 (nothing current to assess), else 正常."""
        return STOPPED_WORDS if self.stopped else LEVEL_WORDS[self.level]

    def dates_text(self) -> str:
        """``价格 2025年7月17日（已停更，不计入等级）；开工率 2026年1月16日``."""
        return "；".join(f"{KIND_ZH[k]} {date_zh(when)}" + ("（已停更，不计入等级）" if old else "")
                        for k, (when, old) in self.dates.items())


def material_status(found: list[Assessment], date: str | pd.Timestamp | None = None) -> list[MaterialStatus]:
    """Each material's level on ``date`` (default: the latest day any material has data), each series'
    latest reading marked stopped when older than it can stand (:func:`stale_after`)."""
    frames = [a.frame for a in found if not a.frame.empty]
    if not frames:
        return []
    asof = pd.Timestamp(date) if date is not None else max(f.index.max() for f in frames)
    out = []
    for a in found:
        r = a.at(asof)
        level = 0 if r is None else int(r["level"])
        reason = "" if r is None else str(r.get("reason", "") or "")
        dates = {k: (when, asof - when > stale_after(a.frame[KIND_SIGNAL[k]]))
                 for k, when in data_dates(a, asof).items()}
        st = MaterialStatus(a.code, a.name, level, LEVEL_NAMES[level], reason, None if r is None else r.name, dates)
        if r is None and not a.frame.empty:  # before its first reading: say so rather than a blank row
            st.reason = f"{date_zh(asof)}及以前没有数据（最早为{date_zh(a.frame.index.min())}）"
        elif st.stopped:  # nothing current: the last level is history, not this day's warning
            st.reason = (f"数据已停更，无法评估{date_zh(asof)}的等级"
                         + (f"（停更时为{st.level_name}色：{reason}）" if level else ""))
            st.level, st.level_name = 0, ""
        out.append(st)
    return out


def series_words(wh, a: Assessment) -> str:
    """``价格 现货价:螺纹钢（同花顺iFinD；数据至 …，首选序列）；开工率 …`` — which series a material's
    warning was built from, and why each (:func:`choose_series`)."""
    meta = wh.series().set_index("series_id")
    parts = []
    for kind, sid in a.frame.attrs.get("series", {}).items():
        name, vendor = (meta.loc[sid, "original_name"], meta.loc[sid, "source"]) if sid in meta.index else (sid, "")
        why = a.frame.attrs.get("series_why", {}).get(kind)
        parts.append(f"{KIND_ZH[kind]} {name}（{source_name(vendor)}" + (f"；{why}）" if why else "）"))
    return "；".join(parts)


def _signal_text(k: str, v: float) -> str:
    if np.isnan(v):
        return SIGNALS_ZH[k]
    if k == "inventory":
        return f"{SIGNALS_ZH[k]}{v * 100:.1f}%"
    if k in PERCENT_SIGNALS:
        return f"{SIGNALS_ZH[k]}{v * 100:+.1f}%"
    return f"{SIGNALS_ZH[k]}{v:.1f}个百分点"


def _last_reached(latest: pd.Series, threshold: float) -> tuple[pd.Series, pd.Series]:
    """On each day, the date and value of the latest reading at or above ``threshold`` (NaT/NaN before any)."""
    hit = latest.where(latest >= threshold)
    when = pd.Series(latest.index.where(hit.notna()), index=latest.index).ffill()
    return when, hit.ffill()


def _reasons(frame: pd.DataFrame, sigs: list[str], th: dict[str, list[float]]) -> pd.Series:
    """Why each day has its level. A level held by the hysteresis while the signal has fallen back below the
    level's threshold says so, with the day and value that reached it (not only today's value, which alone
    reads as a contradiction: 黄 for a 10日内涨幅 of +0.0%)."""
    lv = frame[[f"{k}_level" for k in sigs]].to_numpy()
    top = frame["level"].to_numpy()[:, None]
    latest = frame[sigs].ffill()  # a weekly or monthly signal's latest reading on the days between
    reached = {(k, n): _last_reached(latest[k], th[k][n - 1]) for k in sigs for n in (1, 2, 3)}
    out = []
    for i, row in enumerate(lv == top):
        if top[i, 0] == 0:
            out.append("")
            continue
        parts = []
        n = int(top[i, 0])
        for k, hit in zip(sigs, row, strict=True):
            if not hit:
                continue
            v = latest[k].iloc[i]
            text = _signal_text(k, v)
            when, peak = (x.iloc[i] for x in reached[(k, n)])
            if not np.isnan(v) and v < th[k][n - 1] and pd.notna(when):
                text += (f"（低于{LEVEL_NAMES[n]}色阈值；{date_zh(when)}曾达"
                         f"{_signal_text(k, peak).removeprefix(SIGNALS_ZH[k])}，观察期内保持）")
            parts.append(text)
        out.append("；".join(parts))
    return pd.Series(out, index=frame.index)


def episodes(levels: pd.Series) -> pd.DataFrame:
    """Warning episodes: contiguous stretches with level ≥ 1, their peak level and when it was reached."""
    s = levels.astype(int)
    on = s > 0
    grp = (on != on.shift()).cumsum()
    rows = []
    for _, part in s[on].groupby(grp[on]):
        peak = int(part.max())
        rows.append({"start": part.index[0].date(), "end": part.index[-1].date(), "peak": LEVEL_NAMES[peak],
                     "peak_date": part.idxmax().date(), "days": (part.index[-1] - part.index[0]).days + 1})
    return pd.DataFrame(rows, columns=["start", "end", "peak", "peak_date", "days"])


# warehouse side ---------------------------------------------------------------------------------------
@dataclass
class SeriesChoice:
    """The series a material reads for one kind, and why it was chosen over the other candidates."""

    sid: str
    values: pd.Series
    why: str  # e.g. ``数据至 2025-11-30，期货结算价:动力煤指数 已于 2022-12-30 停更，改用此序列``
    stopped: bool  # every candidate had stopped by the assessment date (this one is the most recent)


def _candidate_hits(wh, candidates: list[str], meta: pd.DataFrame) -> list[tuple[str, str]]:
    """``(candidate, series_id)`` of each candidate found in the warehouse's catalog, in the configured order.

    A plain candidate is an exact ``original_name``; ``worldbank:CODE`` is the World Bank series of that
    code (its raw id hashes the code); ``source:text`` otherwise matches names containing ``text``.
    """
    from yacang.catalog.series_ids import raw_series_id

    out = []
    for cand in candidates:
        prefix, _, rest = cand.partition(":")
        source, name = (prefix, rest) if prefix in ("worldbank", "investing") else ("", cand)
        m = meta if not source else meta[meta["source"] == source]
        hit = m[m["original_name"] == name]
        if hit.empty and source:
            hit = m[m["series_id"] == raw_series_id(source, name)]
        if hit.empty and source:
            hit = m[m["original_name"].fillna("").str.contains(name, case=False, regex=False)]
        if not hit.empty:
            out.append((cand, str(hit.sort_values("series_id").iloc[0]["series_id"])))
    return out


def choose_series(wh, candidates: list[str], meta: pd.DataFrame | None = None,
                  asof: str | pd.Timestamp | None = None) -> SeriesChoice | None:
    """The one rule for which candidate series a material reads.

    Among the candidates with data on or before ``asof``, the first (in the configured order) that is
    current on ``asof`` — its latest reading no older than it can stand (:func:`stale_after`); when none
    is, the one whose data run latest, marked stopped. ``asof`` defaults to the latest reading of any
    candidate (so a series that stopped while another still runs is passed over). ``meta``: ``wh.series()``
    when the caller already has it (one read for many materials).
    """
    meta = wh.series() if meta is None else meta
    if meta.empty:
        return None
    found = []
    for cand, sid in _candidate_hits(wh, candidates, meta):
        values = series_values(wh, sid).dropna()
        if not values.empty:
            found.append((cand, sid, values))
    if not found:
        return None
    day = pd.Timestamp(asof) if asof is not None else max(v.index.max() for _, _, v in found)
    last = {sid: (v.index[v.index <= day].max() if (v.index <= day).any() else None) for _, sid, v in found}
    usable = [(c, sid, v) for c, sid, v in found if last[sid] is not None]
    if not usable:  # every candidate begins after the day: the earliest to begin (the status says so)
        c, sid, v = min(found, key=lambda x: x[2].index.min())
        return SeriesChoice(sid, v, f"{date_zh(day)}及以前各候选序列均无数据，取最早开始的一个", False)
    current = [(c, sid, v) for c, sid, v in usable if day - last[sid] <= stale_after(v)]
    if current:
        c, sid, v = current[0]
        passed = [f"{pc} 已于{date_zh(last[ps])}停更" for pc, ps, _ in usable if pc != c and
                  candidates.index(pc) < candidates.index(c)]
        why = f"数据至{date_zh(last[sid])}，" + (f"{'；'.join(passed)}，改用此序列" if passed else
                                               "首选序列" if c == candidates[0] else "前序候选序列无数据")
        return SeriesChoice(sid, v, why, False)
    c, sid, v = max(usable, key=lambda x: last[x[1]])
    return SeriesChoice(sid, v, f"数据至{date_zh(last[sid])}，所有候选序列在{date_zh(day)}均已停更，取数据最新的一个",
                        True)


def resolve_series(wh, candidates: list[str], meta: pd.DataFrame | None = None,
                   asof: str | pd.Timestamp | None = None) -> tuple[str, pd.Series] | None:
    """:func:`choose_series` as ``(series_id, date-indexed values)``."""
    got = choose_series(wh, candidates, meta, asof)
    return None if got is None else (got.sid, got.values)


def series_values(wh, sid: str) -> pd.Series:
    """A stored series' values indexed by their period-end dates (named by the series id)."""
    df = wh.read(sid)
    return pd.Series(df["value"].to_numpy(dtype=float), index=pd.DatetimeIndex(df["period_end"]), name=sid)


def assess_warehouse(wh, cfg: MaterialsConfig | None = None,
                     asof: str | pd.Timestamp | None = None) -> list[Assessment]:
    """Assess every configured material whose series are in the warehouse, each kind read from the series
    :func:`choose_series` picks for ``asof`` (the frame's ``attrs``: ``series`` kind → id, ``series_why``
    kind → why that one)."""
    cfg = cfg or load_materials_config()
    meta = wh.series()
    out = []
    for code, m in cfg.materials.items():
        found = {k: choose_series(wh, getattr(m, k), meta, asof) for k in ("price", "operating_rate", "inventory")}
        if not any(found.values()):
            continue
        a = assess(*(f.values if f else None for f in found.values()), thresholds=cfg.thresholds_for(code),
                   exit_ratio=cfg.exit_ratio, hold_days=cfg.hold_days, code=code, name=m.name)
        a.frame.attrs["series"] = {k: f.sid for k, f in found.items() if f}
        a.frame.attrs["series_why"] = {k: f.why for k, f in found.items() if f}
        a.frame.attrs["sources"] = {k: _vendor(meta, f.sid) for k, f in found.items() if f}
        out.append(a)
    return out


UNASSESSED_REASON = "仓库中没有其价格、开工率或库存序列，导入后才有等级"


def unassessed(found: list[Assessment], cfg: MaterialsConfig | None = None) -> list[Material]:
    """The configured materials :func:`assess_warehouse` passed over (none of their candidate series is in the
    warehouse), so that a report or the API lists them rather than dropping them silently."""
    cfg = cfg or load_materials_config()
    done = {a.code for a in found}
    return [m for code, m in cfg.materials.items() if code not in done]


def _vendor(meta: pd.DataFrame, sid: str) -> str:
    """Who published a stored series, in words (世界银行, 同花顺iFinD …; the catalog's source otherwise)."""
    hit = meta.loc[meta["series_id"] == sid, "source"]
    vendor = str(hit.iloc[0]) if len(hit) and pd.notna(hit.iloc[0]) else ""
    return source_name(vendor)


def sources_line(found: list[Assessment]) -> str:
    """``数据来源：世界银行、同花顺iFinD、Wind`` — the publishers of every series the warnings read (each once,
    in the order of the materials), for a chart that may be passed on without the table."""
    vendors = dict.fromkeys(v for a in found for v in a.frame.attrs.get("sources", {}).values() if v)
    return f"数据来源：{'、'.join(vendors)}" if vendors else ""


def source_words(a: Assessment) -> str:
    """``同花顺iFinD、Wind`` — the publishers of the series a material's warning read (as
    :func:`assess_warehouse` recorded them), each once, in the order price, operating rate, inventory: what a
    bulletin's 数据来源 names for its 红黄蓝 row."""
    return "、".join(dict.fromkeys(v for v in a.frame.attrs.get("sources", {}).values() if v))
