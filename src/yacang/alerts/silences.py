"""Silences (label matchers with author, reason and expiry), recurring mute windows, acknowledgements.

Silenced or muted alerts are still evaluated and kept in the history (so the record is complete);
they are only left out of what is reported. Matchers work on an alert's labels: ``rule_id``,
``rule_name``, ``scope``, ``key``, ``region`` (the region part of the key), ``parent``, ``severity``,
plus the rule's own ``labels`` (e.g. ``measure: 当月``, ``topic: 出口``).
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from yacang.alerts.rules import RulePack
from yacang.periods import parse_period

_MATCHER = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(=~|!=|!~|=)\s*(.+?)\s*$")


class SilenceError(ValueError):
    """A silence that cannot be created (bad matcher, expiry in the past …)."""


@dataclass(frozen=True)
class Matcher:
    label: str
    op: str  # = != =~ !~
    value: str

    @classmethod
    def parse(cls, text: str) -> Matcher:
        m = _MATCHER.match(text)
        if not m:
            raise SilenceError(f"匹配条件 {text!r} 无效：应写成 标签=值、标签!=值、标签=~正则 或 标签!~正则，如 region=330000")
        label, op, value = m.groups()
        if op in ("=~", "!~"):
            try:
                re.compile(value)
            except re.error as exc:
                raise SilenceError(f"匹配条件 {text!r} 的正则表达式无效：{exc}") from None
        return cls(label, op, value.strip("'\""))

    def mask(self, labels: pd.Series) -> np.ndarray:
        if isinstance(labels.dtype, pd.CategoricalDtype):  # matched once per category (missing → "")
            cats = np.append(labels.cat.categories.astype(str).to_numpy(dtype=object), "")
            codes = labels.cat.codes.to_numpy()
            return self.mask(pd.Series(cats, dtype=object))[np.where(codes < 0, len(cats) - 1, codes)]
        s = labels.fillna("").astype(str)
        if self.op == "=":
            return (s == self.value).to_numpy()
        if self.op == "!=":
            return (s != self.value).to_numpy()
        hit = s.str.fullmatch(self.value).to_numpy(dtype=bool)
        return hit if self.op == "=~" else ~hit

    def __str__(self) -> str:
        return f"{self.label}{self.op}{self.value}"


@dataclass
class Silence:
    """Hide matching alerts from reports until ``expires_at``; who and why are kept."""

    matchers: list[Matcher]
    author: str
    reason: str
    expires_at: dt.datetime
    starts_at: dt.datetime = field(default_factory=lambda: dt.datetime.now().replace(microsecond=0))
    id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    def __post_init__(self) -> None:
        if not self.matchers:
            raise SilenceError("静默至少需要一个匹配条件（如 rule_id=export_collapse）")
        if not self.author.strip():
            raise SilenceError("静默必须注明操作人（--author）")
        if not self.reason.strip():
            raise SilenceError("静默必须注明原因（--reason）")
        if self.expires_at <= self.starts_at:
            raise SilenceError(f"静默到期时间 {self.expires_at} 早于开始时间 {self.starts_at}")

    def active(self, now: dt.datetime) -> bool:
        return self.starts_at <= now < self.expires_at

    @property
    def matcher_text(self) -> str:
        return ",".join(str(m) for m in self.matchers)


def parse_matchers(texts: list[str] | str) -> list[Matcher]:
    """``["region=330000", "rule_id=~export_.*"]`` or one comma-separated string."""
    if isinstance(texts, str):
        texts = [t for t in texts.split(",") if t.strip()]
    return [Matcher.parse(t) for t in texts]


def alert_labels(df: pd.DataFrame, pack: RulePack | None, label: str) -> pd.Series:
    """One label of each alert row, looked up from the row or the rule's labels."""
    if label in df.columns and label not in ("value",):
        return df[label]
    if label == "region":
        return df["key"].astype(str).str.split("/").str[0]
    if pack is None:
        return pd.Series([""] * len(df), index=df.index)
    by_rule = {r.id: r.labels.get(label, "") for r in pack.rules}
    return df["rule_id"].map(by_rule).fillna("")


def _matches(df: pd.DataFrame, pack: RulePack | None, matchers: list[Matcher]) -> np.ndarray:
    hit = np.ones(len(df), dtype=bool)
    for m in matchers:
        hit &= m.mask(alert_labels(df, pack, m.label))
    return hit


def mute_mask(df: pd.DataFrame, pack: RulePack) -> np.ndarray:
    """Rows that fall in one of the pack's recurring mute windows (by the months their period covers)."""
    out = np.zeros(len(df), dtype=bool)
    if not pack.mute_windows or df.empty:
        return out
    spans = {p: set(range(parse_period(p).start, parse_period(p).end + 1)) for p in pd.unique(df["period"])}
    for w in pack.mute_windows:
        months = set(w.months)
        in_window = df["period"].map({p: bool(s & months) for p, s in spans.items()}).to_numpy(dtype=bool)
        matchers = [Matcher(k, "=", v) for k, v in w.matchers.items()]
        out |= in_window & _matches(df, pack, matchers)
    return out


def apply_silences(df: pd.DataFrame, silences: list[Silence], pack: RulePack | None = None,
                   now: dt.datetime | None = None) -> pd.DataFrame:
    """Mark rows matched by a silence active at ``now`` (first matching silence wins)."""
    now = now or dt.datetime.now()
    out = df.copy()
    if "silenced" not in out:
        out["silenced"] = False
        out["silence_id"] = ""
    for s in silences:
        if not s.active(now):
            continue
        hit = _matches(out, pack, s.matchers) & ~out["silenced"].to_numpy(dtype=bool)
        out.loc[hit, "silenced"] = True
        out.loc[hit, "silence_id"] = s.id
    return out


def reported(df: pd.DataFrame) -> pd.DataFrame:
    """Firing alerts that are neither silenced nor muted: what goes to officials (the bulletin, the run
    summary), an alert kept after its condition cleared saying so (:func:`with_holding_note`)."""
    if df.empty:
        return df
    keep = (df["state"] == "firing") & ~df["silenced"].astype(bool) & ~df["muted"].astype(bool)
    return with_holding_note(df[keep])


HOLDING_NOTE = "（本期已不满足触发条件，按规则观察期内保持预警）"


def with_holding_note(rows: pd.DataFrame) -> pd.DataFrame:
    """Say so in the message of an alert kept firing after its condition cleared (``keep_firing_for``):
    its figures are this period's, which no longer meet the rule (比上级地区高1.4个百分点 under
    “累计增速低于上级地区”)."""
    if rows.empty or "last_active" not in rows:
        return rows
    holding = rows["last_active"].astype("string").fillna("") != rows["period"].astype("string")
    if not holding.any():
        return rows
    out = rows.copy()
    out.loc[holding, "message"] = out.loc[holding, "message"].fillna("").astype(str) + HOLDING_NOTE
    return out

