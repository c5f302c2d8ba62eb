"""Where yacang keeps its files and databases; read from the environment (YACANG_*) or yacang.toml."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Paths and URLs. ``YACANG_HOME`` defaults to ``./.yacang`` in the working directory."""

    model_config = SettingsConfigDict(env_prefix="YACANG_", extra="ignore")

    home: Path = Path(".yacang")
    app_db_url: str = ""  # default: sqlite file under home
    output_dir: Path = Path("yacang-output")

    @field_validator("home", "output_dir")
    @classmethod
    def _absolute(cls, v: Path) -> Path:
        """Resolved once, when read: a server's paths must not move if a job changes the directory."""
        return Path(v).expanduser().absolute()

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    def ensure_home(self) -> Path:
        self.home.mkdir(parents=True, exist_ok=True)
        return self.home


@cache
def get_settings() -> Settings:
    return Settings()


def reset_settings() -> None:
    """Forget cached settings (tests change YACANG_HOME)."""
    get_settings.cache_clear()
