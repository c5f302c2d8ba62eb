"""``yacang analysis``: seasonal adjustment, composite indices, turning points, nowcast (thin CLI).

Every command reads national series from the warehouse, calls :mod:`yacang.analysis`, prints a
table and writes a PNG chart and a self-contained HTML page under ``<output_dir>/analysis/``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import typer

from yacang.cli.common import abort, console, open_warehouse, print_frame, print_source
from yacang.periods import Period

app = typer.Typer(no_args_is_help=True)

FLOW_MEASURES = {"value", "ytd_value"}


def _out_dir(out: Path | None) -> Path:
    """``--out``, else ``<output_dir>/analysis`` (:func:`yacang.cli.common.output_root`)."""
    from yacang.cli.common import out_dir_arg, output_root
    from yacang.job_config import ConfigError, load_config
    from yacang.settings import get_settings

    if out is None:
        try:
            cfg = load_config()
        except ConfigError as exc:
            abort(str(exc))
        out = output_root(cfg, get_settings().output_dir) / "analysis"
    return out_dir_arg(out, "--out")


def _lookup(wh, series_id: str | None, key: str | None, default_key: str) -> tuple[pd.Series, str, str]:
    """A series by id or by indicator key; returns values, label and measure."""
    from yacang.analysis.data import INDICATORS, TARGET, series_from_warehouse

    if series_id:
        meta = wh.series(series_id=series_id)
        if meta.empty:
            abort(f"仓库中没有序列 {series_id}；用 yacang series list 查看可用序列")
        values = wh.values(series_id)
        row = meta.iloc[0]
        label = str(row.get("original_name") or series_id)
        return values.rename(label), label, str(row.get("measure") or "")
    key = key or default_key
    try:
        values, label = series_from_warehouse(wh, key)
    except (KeyError, LookupError) as exc:
        abort(str(exc).strip("'\""))
    spec = {s.key: s for s in (TARGET, *INDICATORS)}[key]
    return values, label, spec.measure


def _last_13_months(frame: pd.DataFrame) -> pd.DataFrame:
    """The last 13 rows of a monthly frame with its months as officials write them (2025年3月)."""
    tail = frame.tail(13)
    return tail.reset_index(drop=True).assign(时间=[Period.month(p.year, p.month).label_zh() for p in tail.index])[
        ["时间", *tail.columns]]


def _window(text: str) -> tuple[int, int] | None:
    if text.strip().lower() in ("", "none", "0"):
        return None
    try:
        before, after = (int(v) for v in text.split(","))
    except ValueError:
        abort(f"春节窗口“{text}”格式不对，应为“节前天数,节后天数”，如 7,20")
    return before, after


@app.command("sa")
def sa_cmd(
    series_id: str | None = typer.Option(None, "--series-id", help="序列代码；缺省为全国出口交货值当月值"),
    method: str = typer.Option("auto", help="auto（同比序列用状态空间模型，其他序列有 X-13 用 X-13，否则 STL）/ state（仅同比）/ x13 / stl"),
    window: str = typer.Option("7,20", help="春节窗口：节前天数,节后天数（含春节当天）；none 不调整春节"),
    jan_feb: str | None = typer.Option(None, "--jan-feb", help="1-2月合并值拆分：flow 按春节感知的天数权重拆分 / rate 两月同值；缺省按口径判断"),
    estimate: str = typer.Option("sa", "--estimate", help="同比序列走 X-13 时的环比口径：sa 季调值（国家统计局口径）/ trend 趋势循环 / trend_outliers 趋势+大离群值"),
    working_days: bool = typer.Option(False, "--working-days", help="X-13 加入中国工作日回归元（含调休，2005–2026年）"),
    out: Path | None = typer.Option(None, help="输出目录，缺省 <output_dir>/analysis"),
) -> None:
    """季节调整（含春节效应）：输出季调值、季节因子、春节因子与诊断。"""
    from yacang.analysis.charts import html_page, line_chart
    from yacang.analysis.seasonal import SeasonalAdjustment

    wh = open_warehouse(read_only=True)
    if series_id is None:
        series_id = wh.find_series("export_delivery", "value")
        if series_id is None:
            abort("仓库中没有全国出口交货值当月值；请用 --series-id 指定序列，或先导入数据（yacang ingest …）")
    values, label, measure = _lookup(wh, series_id, None, "")
    print_source(wh, series_ids=[series_id])
    if measure == "value" and ".value." in series_id and not wh.series(series_id=series_id.replace(".value.", ".ytd_value.")).empty:
        from yacang.measures.calendar import flow_view

        values = flow_view(values, wh.values(series_id.replace(".value.", ".ytd_value.")))
        console.print("1-2月当月值取自2月累计值（合并值）；缺失月份由相邻累计值之差补齐。")
    if method not in ("auto", "state", "x13", "stl"):
        abort(f"未知的方法 {method!r}，应为 auto、state、x13 或 stl")
    if measure == "yoy" and method in ("auto", "state"):
        _sa_state_from_yoy(wh, series_id, values, label, out)
        return
    if method == "state":
        abort("state 方法只用于当月同比序列（由同比估计季调环比）；其他序列请用 x13 或 stl")
    if measure == "yoy":
        _sa_from_yoy(wh, series_id, values, label, method, _window(window), out, estimate, working_days)
        return
    kind = jan_feb or ("flow" if measure in FLOW_MEASURES else "rate")
    try:
        res = SeasonalAdjustment(values, method=method, window=_window(window), jan_feb=kind,  # type: ignore[arg-type]
                                 working_days=working_days).fit()
    except (ValueError, RuntimeError) as exc:
        abort(str(exc))
    d = res.diagnostics
    console.print(f"[bold]{label}[/] 季节调整：方法 {res.method.upper()}，{'乘法' if res.mode == 'multiplicative' else '加法'}模型，"
                  f"1-2月合并年份按“{'天数拆分' if kind == 'flow' else '两月同值'}”处理（{len(res.merged_years)} 年）")
    if "festival_coef" in d:
        console.print(f"春节回归系数 {d['festival_coef']:.3f}（t={d['festival_t']:.1f}，窗口 节前{d['window'][0]}天/节后{d['window'][1]}天）；"
                      f"调整后残余春节效应 t={d['residual_festival_t']:.2f}（|t|<2 为无残余）")
    extra = {k: d[k] for k in ("arima_model", "M07", "Q", "fallback_reason") if k in d}
    if extra:
        console.print("诊断：" + "，".join(f"{k}={v}" for k, v in extra.items()))
    frame = res.frame()
    frame["季调环比%" if res.mode == "multiplicative" else "季调环比变动"] = res.sa_mom()
    tail = _last_13_months(frame)
    if res.mode == "multiplicative":  # factors are ratios: three decimals
        tail[["季节因子", "春节因子"]] = tail[["季节因子", "春节因子"]].map(lambda v: f"{v:.3f}")
    print_frame(tail, "最近13个月")
    out_dir = _out_dir(out)
    png = line_chart(frame[["原值", "季调值"]], out_dir / "sa.png", title=f"{label}：季节调整（含春节效应）")
    page = html_page(out_dir / "sa.html", title=f"{label} 季节调整", images=[png], tables=[("最近13个月", tail)],
                     notes=[f"方法 {res.method.upper()}；诊断 {json.dumps({k: v for k, v in d.items() if k != 'x13_warnings'}, ensure_ascii=False, default=str)}"])
    console.print(f"图表：{png}\n网页：{page}")


def _ytd_of(wh, series_id: str) -> tuple[str, pd.Series | None]:
    """The 累计同比 series matching a 当月同比 series id, if the warehouse has it."""
    ytd_id = series_id.replace(".yoy.", ".ytd_yoy.")
    ytd = wh.values(ytd_id) if ytd_id != series_id and not wh.series(series_id=ytd_id).empty else None
    return ytd_id, ytd


def _sa_state_from_yoy(wh, series_id: str, values: pd.Series, label: str, out: Path | None) -> None:
    """季调环比 of a 当月同比 series by the state-space model (1-2月 joint), latest and first-release style."""
    import numpy as np

    from yacang.analysis.charts import html_page, line_chart
    from yacang.analysis.sa_state import fit_yoy_sa, sa_mom_rows
    from yacang.measures.calendar import CalendarError

    ytd_id, ytd = _ytd_of(wh, series_id)
    try:
        res = fit_yoy_sa(values, ytd)
    except (ValueError, CalendarError) as exc:
        abort(str(exc))
    source = series_id + (f" 与累计同比 {ytd_id}" if ytd is not None else "（无累计同比，2013年前的2月值按1-2月处理）")
    console.print(f"[bold]{label}[/] 季调环比（由当月同比估计，状态空间模型）：数据 {source}")
    pr = res.params
    console.print(f"模型：同比=近12个月季调环比之和+同比噪声；方差估计 趋势 {pr['var_trend']:.4f}、当月新息 {pr['var_news']:.3f}、"
                  f"同比噪声 {pr['var_yoy_noise']:.3f}；冲击月（放开方差，含疫情固定干预2020年1-3月、2022年4-5月）："
                  f"{'、'.join(str(p) for p in res.shocks) or '无'}")
    for note in res.notes:
        console.print(f"[yellow]注意：{note}[/]")
    latest = sa_mom_rows(res.obs, res.revised).set_index("period")
    first = sa_mom_rows(res.obs, res.concurrent).set_index("period")["sa_mom"]
    tail = latest.tail(13)
    shocks = {str(p) for p in res.shocks}
    shown = pd.DataFrame({
        "时期": tail["label"],
        "当月同比%": [float(values.get(c, float("nan"))) for c in tail.index],
        "季调环比%": tail["sa_mom"].round(2),
        "实时估计%": first.reindex(tail.index).round(2),
        "说明": ["1-2月合并：12月至2月的月均环比" if j else ("冲击月" if c in shocks else "")
               for c, j in zip(tail.index, tail["joint"], strict=True)],
    })
    print_frame(shown.reset_index(drop=True), "最近13期季调环比（1-2月合并为一期，不单列2月；实时估计=只用当期及以前数据）")
    out_dir = _out_dir(out)
    m = res.revised
    index = pd.Series(100 * np.exp(m.cumsum() / 100), index=m.index)
    png = line_chart(pd.DataFrame({"季调指数（由季调环比累计，首月=100）": index}), out_dir / "sa.png",
                     title=f"{label}：由同比估计的季调指数")
    page = html_page(out_dir / "sa.html", title=f"{label} 季调环比", images=[png], tables=[("最近13期", shown)],
                     notes=[f"数据：{source}", "方法：yacang.analysis.sa_state（同比为季调环比的12个月和加噪声，卡尔曼滤波/平滑）"])
    console.print(f"图表：{png}\n网页：{page}")


def _sa_from_yoy(wh, series_id: str, values: pd.Series, label: str, method: str,
                 window: tuple[int, int] | None, out: Path | None, estimate: str = "sa",
                 working_days: bool = False) -> None:
    """季调环比 of a 当月同比 series: levels chain-linked from 同比 (1-2月 joint), then X-13."""
    from yacang.analysis.charts import html_page, line_chart
    from yacang.analysis.sa_yoy import adjust_yoy, sa_mom_table
    from yacang.measures.calendar import CalendarError

    ytd_id, ytd = _ytd_of(wh, series_id)
    try:
        res, chained = adjust_yoy(values, ytd, method=method, window=window, working_days=working_days)
    except (ValueError, RuntimeError, CalendarError) as exc:
        abort(str(exc))
    d = res.diagnostics
    source = f"{series_id}" + (f" 与累计同比 {ytd_id}" if ytd is not None else "（无累计同比，2013年前的2月值按单月处理）")
    console.print(f"[bold]{label}[/] 季节调整（由当月同比链接指数）：数据 {source}")
    console.print(f"方法 {res.method.upper()}，乘法模型；" + "；".join(chained.notes))
    if res.method != "x13":
        console.print(f"[yellow]注意：未使用 X-13（{d.get('fallback_reason', '指定 STL')}），STL 结果在序列末端不稳定，仅供参考[/]")
    if "festival_coef" in d:
        console.print(f"春节回归系数 {d['festival_coef']:.3f}（t={d['festival_t']:.1f}）；ARIMA {d.get('arima_model', '')}")
    try:
        table = sa_mom_table(res, chained.joint_years, yoy=values, estimate=estimate)
    except ValueError as exc:
        abort(str(exc))
    if estimate != "sa":
        console.print(f"环比口径：{ {'trend': 'X-13 趋势循环', 'trend_outliers': 'X-13 趋势循环加大离群值（≥3%）'}[estimate] }（非季调值）")
    tail = table.tail(13)
    shown = pd.DataFrame({
        "时期": tail["label"],
        "当月同比%": tail["yoy"].round(1),
        ("季调环比%" if estimate == "sa" else "趋势环比%"): tail["sa_mom"].round(2),
        "说明": ["1-2月合并：12月至2月的月均环比" if j else "" for j in tail["joint"]],
    })
    print_frame(shown.reset_index(drop=True), f"最近13期{'季调' if estimate == 'sa' else '趋势'}环比（1-2月合并为一期，不单列2月）")
    out_dir = _out_dir(out)
    frame = pd.DataFrame({"链接指数": res.original, "季调值": res.adjusted})
    png = line_chart(frame, out_dir / "sa.png", title=f"{label}：由同比链接的指数与季调值")
    page = html_page(out_dir / "sa.html", title=f"{label} 季节调整", images=[png], tables=[("最近13期", shown)],
                     notes=[f"数据：{source}", *chained.notes])
    console.print(f"图表：{png}\n网页：{page}")


@app.command("composite")
def composite_cmd(
    components: str | None = typer.Option(None, help="成分指标键，逗号分隔（如 pmi,ppi,rebar_rate）；缺省为可用的默认先行指标"),
    method: str = typer.Option("both", help="nbs（国家统计局合成指数）/ oecd（OECD 式先行指数）/ both"),
    base_year: int | None = typer.Option(None, help="合成指数基年（该年均值=100）"),
    start: str = typer.Option("2010-01", help="起始月份"),
    seasonal: str = typer.Option("", help="OECD 法中先做季节调整（含春节）的成分键，逗号分隔；PMI 已季调，同比类无需季调"),
    out: Path | None = typer.Option(None, help="输出目录"),
) -> None:
    """合成指数：国家统计局式合成指数与 OECD 式先行指数（双 HP 滤波去趋势、标准化、平均）。"""
    from yacang.analysis.charts import html_page, line_chart
    from yacang.analysis.composite import NBSCompositeIndex, OECDLeadingIndicator
    from yacang.analysis.data import INDICATORS, LEADING_DEFAULT, series_from_warehouse
    from yacang.periods import PeriodError, parse_period

    try:
        first = parse_period(start)
    except PeriodError as exc:
        abort(f"--start 无效：{exc}")
    first_month = pd.Period(year=first.year, month=first.start, freq="M")
    out_dir = _out_dir(out)  # checked before anything is computed
    wh = open_warehouse(read_only=True)
    keys = [k.strip() for k in components.split(",")] if components else list(LEADING_DEFAULT)
    known = {s.key: s for s in INDICATORS}
    series: dict[str, pd.Series] = {}
    seasonal = ",".join(k.strip() for k in seasonal.split(","))
    for k in keys:
        if k not in known:
            abort(f"未知成分 {k}；可选：{', '.join(known)}")
        try:
            values, label = series_from_warehouse(wh, k)
        except LookupError:
            if components:
                abort(f"仓库中没有成分“{known[k].label}”，请先导入数据")
            continue
        from yacang.analysis.monthly import as_monthly

        m, _ = as_monthly(values)
        series[label] = m[m.index >= first_month]
    if not series:
        abort("没有可用的成分指标；请先导入 PMI、PPI 或高频开工率数据")
    console.print("成分：" + "、".join(series))
    print_source(wh, "100000")  # the components are national series
    frames = {}
    try:
        if method in ("nbs", "both"):
            res = NBSCompositeIndex(series, base_year=base_year).fit()
            frames["合成指数(国家统计局法)"] = res.index
        if method in ("oecd", "both"):
            sa_labels = [known[k.strip()].label for k in seasonal.split(",") if k.strip() in known]
            cli = OECDLeadingIndicator(series, seasonal=sa_labels).fit()
            frames["先行指数(OECD法)"] = cli.index
    except ValueError as exc:
        abort(str(exc))
    if not frames:
        abort(f"未知方法 {method}，应为 nbs / oecd / both")
    frame = pd.DataFrame(frames)
    tail = _last_13_months(frame)
    print_frame(tail, "最近13个月")
    png = line_chart(frame, out_dir / "composite.png", title="合成指数与先行指数", hline=100.0)
    page = html_page(out_dir / "composite.html", title="合成指数与先行指数", images=[png],
                     tables=[("最近13个月", tail)], notes=["成分：" + "、".join(series)])
    console.print(f"图表：{png}\n网页：{page}")


@app.command("turning-points")
def turning_points_cmd(
    series_id: str | None = typer.Option(None, "--series-id", help="序列代码；缺省为全国规上工业增加值当月同比"),
    min_phase: int = typer.Option(5, help="最短阶段（月）"),
    min_cycle: int = typer.Option(15, help="最短周期（月）"),
    out: Path | None = typer.Option(None, help="输出目录"),
) -> None:
    """转折点识别（Bry–Boschan 月度法）：列出峰与谷。"""
    from yacang.analysis.charts import html_page, line_chart
    from yacang.analysis.turning_points import turning_points_calendar
    from yacang.measures.calendar import CalendarError

    wh = open_warehouse(read_only=True)
    values, label, _measure = _lookup(wh, series_id, None if series_id else "iva_yoy", "iva_yoy")
    read = series_id or wh.find_series("iva", "yoy")  # the 累计 beside it tells a February alone from 1-2月
    ytd_id, ytd = _ytd_of(wh, read) if read else (None, None)
    try:
        tp = turning_points_calendar(values, ytd, min_phase=min_phase, min_cycle=min_cycle)
    except (ValueError, CalendarError) as exc:
        abort(str(exc))
    table = tp.frame()
    print_frame(table, f"{label}：转折点（最短阶段{min_phase}个月，最短周期{min_cycle}个月）")
    print_source(wh, series_ids=[s for s in (read, f"{read}~split", ytd_id if ytd is not None else None) if s])
    out_dir = _out_dir(out)
    marks = [(tp.series.index[i], float(tp.series.iloc[i]), "峰" if k == "P" else "谷") for i, k in tp.turns]
    png = line_chart(pd.DataFrame({label: tp.series}), out_dir / "turning_points.png",
                     title=f"{label}：峰与谷（Bry–Boschan）", shade=tp.regime(), marks=marks)
    page = html_page(out_dir / "turning_points.html", title=f"{label} 转折点", images=[png], tables=[("峰与谷", table)],
                     notes=["按统一月度日历：1-2月合并发布的年份，1月与2月取1-2月值，2013年前单独发布的2月值不参与转折点判断；"
                            "转折点落在这两个月时标为“某年1-2月”。阴影为收缩期（峰至谷）。"])
    console.print(f"图表：{png}\n网页：{page}")


@app.command("nowcast")
def nowcast_cmd(
    period: str | None = typer.Option(None, help="预测月份，如 2025-12、2025年12月、2026年1-2月；缺省为尚未发布的最近月份"),
    backtest_from: str | None = typer.Option(None, "--backtest-from", help="同时做伪实时回测的起始月份，如 2023-01"),
    bands: bool = typer.Option(True, "--bands/--no-bands", help="给出预测区间（基于此前36期伪实时误差）"),
    as_json: bool = typer.Option(False, "--json", help="只输出预警消息 JSON（含各指标使用情况）"),
    out: Path | None = typer.Option(None, help="输出目录"),
) -> None:
    """现时预测：在国家统计局发布前估计规上工业增加值当月同比，并生成预警消息。"""
    from yacang.analysis.nowcast import release_period
    from yacang.periods import PeriodError

    target = None
    if period is not None:
        try:
            target, note = release_period(period)
        except PeriodError as exc:
            abort(f"--period 无效：{exc}")
        if note and not as_json:
            console.print(note, highlight=False)
    if backtest_from is not None:
        try:
            backtest_from = str(release_period(backtest_from)[0])
        except PeriodError as exc:
            abort(f"--backtest-from 无效：{exc}")
    from yacang.analysis.backtest import COMBINED, SELECTED, backtest
    from yacang.analysis.charts import html_page, line_chart
    from yacang.analysis.data import inputs_from_warehouse
    from yacang.analysis.nowcast import nowcast_or_backcast, nowcast_record, nowcast_report

    wh = open_warehouse(read_only=True)
    try:
        inputs = inputs_from_warehouse(wh)
    except LookupError as exc:
        abort(str(exc))
    if not as_json:  # --json prints the alert alone
        print_source(wh, "100000")  # the nowcast reads the national series
    try:
        result, note = nowcast_or_backcast(inputs, target)
    except ValueError as exc:
        abort(str(exc))
    if note and not as_json:  # the JSON says it through "backcast" and "actual"
        console.print(note, highlight=False)
    alert = nowcast_record(inputs, result)
    if as_json:
        console.print_json(json.dumps(alert, ensure_ascii=False))
        return
    band = None
    if bands:
        from yacang.analysis.backtest import density_band

        try:
            band = density_band(inputs, result.period, result.value)
        except ValueError as exc:
            console.print(f"预测区间：{exc}", highlight=False)
    for line in nowcast_report(result, band):
        console.print(line, highlight=False)
    by_model = pd.DataFrame({"模型": list(result.by_model), "预测值%": list(result.by_model.values()),
                             "所用指标": [result.model_words(name) for name in result.by_model]})
    print_frame(by_model, "各模型")
    console.print(f"预警消息：{alert['message']}")
    used = result.used_words()
    console.print(f"所用先行指标：{used}", highlight=False)
    tables = [("各模型", by_model), ("先行指标", _indicator_frame(result))]
    images = []
    out_dir = _out_dir(out)
    csv_path = _write_indicators_csv(result, out_dir / "nowcast_indicators.csv")
    if backtest_from:
        end = result.period - 1
        bt = backtest(inputs, backtest_from, str(end))
        for caption, scores in bt.table().items():
            print_frame(scores, f"伪实时回测 {backtest_from}–{end}：{caption}")
            tables.append((f"回测：{caption}", scores))
        cols = ["actual", *[c for c in (COMBINED, SELECTED) if c in bt.predictions]]  # the default and the clean rival
        frame = bt.predictions[cols].rename(columns={"actual": "实际值"})
        images.append(line_chart(frame, out_dir / "nowcast_backtest.png", title="规上工业增加值当月同比：伪实时回测"))
    page = html_page(out_dir / "nowcast.html", title=f"{result.label} 规上工业增加值现时预测", images=images,
                     tables=tables,
                     notes=[str(alert["message"]), *(m.words for m in result.unusual), f"所用先行指标：{used}"])
    console.print(f"先行指标表：{csv_path}\n网页：{page}")


INDICATOR_COLUMNS = {"label": "指标", "状态": "状态", "month": "所需时期", "due": "按日历发布日", "reason": "原因",
                     "models": "使用模型", "skipped_by": "有值未用的模型"}
"""The columns of the nowcast's indicator table (HTML and CSV): record key → Chinese header."""


def _indicator_frame(result) -> pd.DataFrame:
    """Each indicator the models read: used or absent, the release it needed, why, and which models."""
    rows = [{**r, "models": "、".join(r["models"]), "skipped_by": "、".join(r["skipped_by"])}
            for r in result.indicator_records()]
    frame = pd.DataFrame(rows, columns=list(INDICATOR_COLUMNS)).rename(columns=INDICATOR_COLUMNS)
    return frame.astype(object).where(frame.notna(), "")  # no "None" for a date or reason not needed


def _write_indicators_csv(result, path: Path) -> Path:
    from yacang.exports import csv_text

    frame = _indicator_frame(result)
    rows = ([None if pd.isna(v) else v for v in row] for row in frame.itertuples(index=False))
    path.write_text(csv_text(rows, list(frame.columns)), encoding="utf-8")
    return path
