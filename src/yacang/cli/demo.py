"""``yacang demo``: generate the calibrated demo data set into the warehouse."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    """Add this area's commands to the main app."""

    @app.command("demo")
    def demo(
        enterprises: int = typer.Option(20_000, "--enterprises", "-n", help="示例企业数（名录库，默认 20000）"),
        months: int = typer.Option(36, "--months", "-m", help="覆盖的月份数（默认 36）"),
        seed: int = typer.Option(2022, "--seed", "-s", help="随机种子（相同种子生成相同数据）"),
        end: str = typer.Option("2022-12", "--end", help="截止月份，如 2022-12（可选 2018-02 至 2025-12）"),
    ) -> None:
        """生成校准的示例数据：企业名录、规上名单、月报（含上年同期）、分行业PPI、增加值率、目标和汇总序列。"""
        import time

        from yacang.cli.common import abort, console, fail_known_errors, open_warehouse
        from yacang.demo.build import run_demo
        from yacang.demo.generator import DemoError, DemoSpec

        with fail_known_errors():
            config = DemoSpec(enterprises=enterprises, months=months, end=end, seed=seed)
            try:
                config.report_periods()
            except DemoError as exc:
                abort(str(exc))
            start = time.perf_counter()
            wh = open_warehouse()
            try:
                _refuse_real_data(wh, abort)
                with console.status("正在生成示例数据…"):
                    summary = run_demo(wh, config)
            finally:
                wh.close()
            console.print(f"[bold]示例数据已生成[/]（种子 {seed}，用时 {time.perf_counter() - start:.1f} 秒）")
            for line in summary.lines():
                console.print(line, highlight=False, soft_wrap=True)


def _refuse_real_data(wh, abort) -> None:
    """The demo never goes into a warehouse of real data (no output may mix them; see yacang run)."""
    from yacang.settings import get_settings
    from yacang.warehouse.provenance import provenance

    have = provenance(wh)
    if any(k != "示例数据" for k in have.kinds):
        abort(f"数据仓库中已有真实数据（{have.words()}），不能再写入示例数据（两者不能混用）。"
              f"请为示例数据另用一个数据目录，例如 export YACANG_HOME=$HOME/yacang-demo（当前 {get_settings().home}）")
