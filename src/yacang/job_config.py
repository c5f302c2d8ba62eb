"""The ``yacang.toml`` job configuration: what ``yacang run`` loads, for which region, into which formats.

With no file, ``yacang run`` uses the demo data. ``yacang init`` writes a commented example.
"""

from __future__ import annotations

import glob
import re
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

CONFIG_NAME = "yacang.toml"
FORMATS = ("html", "pdf", "docx", "xlsx")


class ConfigError(ValueError):
    """A yacang.toml that cannot be used; the message names the file and the field."""


def region_code(text: str) -> str:
    """A region given by code or name (广东, 广东省, 440000) as its code; an unknown name is a ValueError. A
    6-digit code is kept as written: a city's code may be valid before its catalog is imported (the demo's)."""
    from yacang.catalog.regions import RegionError, resolve_region

    if re.fullmatch(r"\d{6}", str(text).strip()):
        return str(text).strip()
    try:
        return resolve_region(str(text)).code
    except RegionError as exc:
        raise ValueError(str(exc)) from None


class JobConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")  # a misspelt key is an error, not a silent default

    region: str = "100000"
    period: str = "latest"
    formats: list[str] = Field(default_factory=lambda: list(FORMATS))
    output_dir: Path = Path("yacang-output")

    @field_validator("region")
    @classmethod
    def _region_code(cls, v: str) -> str:
        return region_code(v)

    @field_validator("formats")
    @classmethod
    def _known_formats(cls, v: list[str]) -> list[str]:
        bad = [f for f in v if f not in FORMATS]
        if bad:
            raise ValueError(f"未知的输出格式 {bad}，可用 {list(FORMATS)}")
        return v


class SourcesConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    files: list[str] = Field(default_factory=list)  # statistics: NBS exports, city tables, panels, Wind, tidy
    reports: list[str] = Field(default_factory=list)  # enterprise monthly report workbooks / CSV


class DemoSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    enabled: bool = True  # build the demo when no sources are configured
    enterprises: int | None = None
    seed: int = 42


class ScheduleConfig(BaseModel):
    """When ``yacang schedule`` runs the recurring work (Beijing time by default). An unknown key (a typo)
    is an error: a task must never be silently left at its default."""

    model_config = ConfigDict(extra="forbid")

    timezone: str = "Asia/Shanghai"
    monthly_day: int = Field(16, ge=1, le=28)  # NBS publishes 工业生产 around the 15th: run the day after
    monthly_time: str = "09:30"
    escalation_minutes: int = Field(5, ge=1, le=1440)  # appeal SLA clocks are checked this often
    reminder_day: int = Field(5, ge=1, le=28)  # 催报: the monthly forms are due early in the month
    reminder_time: str = "09:00"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, v: str) -> str:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        try:
            ZoneInfo(v)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"未知的时区“{v}”，应为 IANA 时区名，如 Asia/Shanghai") from None
        return v

    @field_validator("monthly_time", "reminder_time")
    @classmethod
    def _clock_time(cls, v: str) -> str:
        m = re.fullmatch(r"(\d{1,2}):(\d{2})", v.strip())
        if m is None or int(m.group(1)) > 23 or int(m.group(2)) > 59:
            raise ValueError(f"时间“{v}”无效，应为 00:00 至 23:59 之间的“时:分”，如 09:30")
        return f"{int(m.group(1)):02d}:{m.group(2)}"


class NotifyConfig(BaseModel):
    """Where a scheduled job's result is sent besides the job list of the web (none by default)."""

    model_config = ConfigDict(extra="forbid")

    webhook: str = ""  # POSTed a JSON body {task, ok, exit_code, lines}
    email_to: list[str] = Field(default_factory=list)
    email_from: str = "yacang@localhost"
    smtp_host: str = ""
    smtp_port: int = Field(25, ge=1, le=65535)

    @field_validator("webhook")
    @classmethod
    def _http_url(cls, v: str) -> str:
        if v and not re.fullmatch(r"https?://[^\s/]+(/\S*)?", v):
            raise ValueError(f"webhook 地址“{v}”无效，应为 http:// 或 https:// 开头的网址")
        return v

    @field_validator("email_to")
    @classmethod
    def _addresses(cls, v: list[str]) -> list[str]:
        bad = [a for a in v if not re.fullmatch(r"[^@\s]+@[^@\s]+", a)]
        if bad:
            raise ValueError(f"邮件地址无效：{'、'.join(bad)}")
        return v

    @model_validator(mode="after")
    def _email_complete(self) -> NotifyConfig:
        if bool(self.email_to) != bool(self.smtp_host):
            raise ValueError("email_to 与 smtp_host 须同时设置（只设其一时邮件无法发送）")
        return self


class ReportConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # years whose base was distorted: 两年平均 is printed the year after (NBS: 2021 against 2020)
    two_year_base_years: list[int] = Field(default_factory=lambda: [2020])


class BulletinConfig(BaseModel):
    """公文 metadata of the bulletin (GB/T 9704-2012): 发文机关, 文号, 签发人, 成文日期, 主送, 抄送."""

    model_config = ConfigDict(extra="forbid")

    issuer: str = "（发文机关）"  # neutral placeholder until the office is configured
    doc_number: str = ""  # 文号 pattern, e.g. "工运监〔{year}〕{seq}号" ({seq}: issue count of the year + 1)
    signer: str = ""  # 签发人
    issue_date: str = Field("today", pattern=r"^(today|\d{4}-\d{2}-\d{2})$")  # 成文日期
    recipients: str = ""  # 主送机关
    cc: str = ""  # 抄送机关


class EngineConfig(BaseModel):
    """Which engine computes the microdata measures (yacang.warehouse.engine): DuckDB, or Spark on a
    ``master`` (local[N], spark://…, yarn) or through Spark Connect (``remote = "sc://host:15002"``)."""

    model_config = ConfigDict(extra="forbid")

    backend: str = Field("duckdb", pattern=r"^(duckdb|spark)$")
    master: str = "local[2]"
    remote: str = Field("", pattern=r"^(sc://.+)?$")
    parquet_dir: str = ""  # where the microdata go for Spark ("" = YACANG_HOME/parquet; shared on a cluster)
    conf: dict[str, str] = Field(default_factory=dict)  # extra Spark settings, e.g. spark.driver.memory


class Config(BaseModel):
    model_config = ConfigDict(extra="forbid")

    yacang: JobConfig = Field(default_factory=JobConfig)
    sources: SourcesConfig = Field(default_factory=SourcesConfig)
    targets: dict[str, float] = Field(default_factory=dict)  # region code → annual IVA growth target, %
    progress: dict[str, float] = Field(default_factory=dict)  # target-progress thresholds (measures.targets)
    report: ReportConfig = Field(default_factory=ReportConfig)
    bulletin: BulletinConfig = Field(default_factory=BulletinConfig)
    demo: DemoSection = Field(default_factory=DemoSection)
    schedule: ScheduleConfig = Field(default_factory=ScheduleConfig)
    notify: NotifyConfig = Field(default_factory=NotifyConfig)
    engine: EngineConfig = Field(default_factory=EngineConfig)
    path: Path | None = None

    @field_validator("targets")
    @classmethod
    def _target_regions(cls, v: dict[str, float]) -> dict[str, float]:
        out: dict[str, float] = {}
        for key, target in v.items():
            code = region_code(key)
            if code in out:
                raise ValueError(f"地区“{key}”的目标重复（{code}）")
            out[code] = target
        return out

    @property
    def uses_demo(self) -> bool:
        return self.demo.enabled and not (self.sources.files or self.sources.reports)

    def output_path(self, fallback: Path | None = None) -> Path:
        """Where output files go: ``[yacang] output_dir`` when the file sets it (a relative path is relative
        to the file's folder, as its [sources]), else ``fallback`` (the caller's default: YACANG_OUTPUT_DIR
        …), else the default ``yacang-output`` in the working directory. One rule for ``yacang run``,
        ``yacang report bulletin``, the analysis pages and the server's bulletin files."""
        if "output_dir" not in self.yacang.model_fields_set:
            return Path(fallback) if fallback is not None else self.yacang.output_dir
        root = Path(self.yacang.output_dir).expanduser()
        if not root.is_absolute() and self.path is not None:
            root = Path(self.path).parent / root
        return root.absolute()

    def expand(self, patterns: list[str]) -> list[Path]:
        """Glob patterns relative to the config file; a pattern matching nothing is an error."""
        base = self.path.parent if self.path else Path.cwd()
        out: list[Path] = []
        for pattern in patterns:
            matches = sorted(glob.glob(str(base / pattern)))
            if not matches:
                raise ConfigError(f"{self.path or CONFIG_NAME}：[sources] 中的“{pattern}”没有匹配到任何文件")
            out.extend(Path(m) for m in matches)
        return out


def load_config(path: Path | None = None) -> Config:
    """Read ``yacang.toml`` (given, or in the working directory); defaults when there is none."""
    p = path or Path(CONFIG_NAME)
    if not p.exists():
        if path is not None:
            raise ConfigError(f"找不到配置文件 {p}")
        return Config()
    try:
        data = tomllib.loads(p.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{p}：TOML 格式错误：{exc}") from exc
    try:
        cfg = Config.model_validate(data)
    except ValidationError as exc:
        problems = "；".join(f"{'.'.join(str(x) for x in e['loc'])}：{_problem_zh(e)}" for e in exc.errors())
        raise ConfigError(f"{p}：配置项有误：{problems}") from exc
    cfg.path = p.resolve()
    return cfg


CONFIG_REASONS = {
    "extra_forbidden": "不认识的配置项（请检查拼写）",
    "missing": "缺少此项",
    "string_type": "应为文本（加引号）",
    "list_type": "应为列表，如 [\"a\", \"b\"]",
    "dict_type": "应为表",
    "model_type": "应为表（[节] 形式）",
    "greater_than_equal": "应不小于 {ge}",
    "less_than_equal": "应不大于 {le}",
}
"""How :func:`yacang.validation.reason_zh` words some error types for a configuration file."""


def _problem_zh(error: dict) -> str:
    """One validation problem in Chinese, with the value found (the validators' own messages are Chinese)."""
    from yacang.validation import reason_zh

    reason = reason_zh(error, CONFIG_REASONS)
    return reason if error["type"] in ("missing", "value_error") else f"{reason}，现为 {error.get('input')!r}"


EXAMPLE = """\
# yacang.toml — configuration of `yacang run` (压舱 工业经济运行监测调度与预警)
# Without [sources], `yacang run` builds and uses the demo data set.

[yacang]
region = "100000"          # 通报地区：100000 全国，440000 广东省 …
period = "latest"          # 通报期："latest"（最近完整月份）或 "2022-03"
formats = ["html", "pdf", "docx", "xlsx"]
output_dir = "yacang-output"

[sources]
# 统计数据（路径相对本文件，可用通配符）：国家统计局数据门户导出（CSV/XLS/XLSX，指标/地区/时间任一固定）、
# 统计局分地区表（地区 × 当月/累计增速/位次）、分地区长表、Wind/iFinD Excel、长表 CSV。
# 列出数据源后 yacang run 只用这些真实数据，不生成示例数据；数据仓库已有示例数据时会拒绝（请换用新的 YACANG_HOME）。
files = [
  # "data/nbs/*.csv",
  # "data/wind/监测分析0120.xlsx",
]
# 企业月报（yacang template report 生成的模板填报后）
reports = [
  # "reports/*.xlsx",
]

[targets]
# 各地区全年规模以上工业增加值增长目标（%）
# "440000" = 6.0

[progress]
# 目标进度判定（累计增速减年度目标，百分点）：高于 ahead_pp 为超进度；不低于 -behind_pp 为符合进度；
# 不低于 -far_behind_pp 为滞后（黄灯）；再低为严重滞后（红灯）。默认 0 / 1 / 3。
# ahead_pp = 0.0
# behind_pp = 1.0
# far_behind_pp = 3.0

[report]
# 两年平均增速只在基期异常的次年列示（国家统计局2021年对2020年的做法）；如需其他年份，列出其上年
# two_year_base_years = [2020]

[bulletin]
# 通报的公文要素（GB/T 9704-2012）；未配置时发文机关显示为“（发文机关）”
# issuer = "某省工业和信息化厅"
# doc_number = "工运监〔{year}〕{seq}号"   # 文号格式：{year} 年份，{seq} 本年第几份
# signer = ""                               # 签发人
# issue_date = "today"                      # 成文日期："today" 或 "2022-04-18"
# recipients = "各市（州）工业和信息化主管部门"  # 主送机关
# cc = ""                                   # 抄送机关

[demo]
enabled = true
seed = 42

# yacang schedule: the monthly job the day after the NBS release, appeal escalation, 催报 reminders
# [schedule]
# timezone = "Asia/Shanghai"
# monthly_day = 16
# monthly_time = "09:30"
# escalation_minutes = 5
# reminder_day = 5
# reminder_time = "09:00"

# where a scheduled job's result goes (besides the web's job list)
# [notify]
# webhook = "http://127.0.0.1:9000/yacang"
# email_to = ["yunxing@example.gov.cn"]
# smtp_host = "127.0.0.1"

# 微观数据计算引擎：默认 DuckDB；全国规模可用 Spark（本机 local[N]、集群 master，或 Spark Connect remote）
# [engine]
# backend = "spark"
# master = "local[2]"               # 或 "spark://host:7077"、"yarn"
# remote = ""                       # Spark Connect，如 "sc://host:15002"（设置后不用 master）
# parquet_dir = ""                  # 导出给 Spark 的微观数据目录（集群上须各节点可读）；默认 YACANG_HOME/parquet
"""


def write_example(path: Path) -> None:
    """Write the commented example configuration; an existing file is never overwritten."""
    if path.exists():
        raise ConfigError(f"{path} 已存在，未覆盖：直接编辑它；要重新生成示例，先把它改名或删除后再运行 yacang init")
    path.write_text(EXAMPLE, encoding="utf-8")
