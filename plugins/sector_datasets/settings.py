"""Where things live and which mode the platform runs in, read from the environment.

Every path has an embedded default relative to the repository so that `make run` works on a
fresh clone; every default can be overridden with a ``SECTOR_DATASETS_*`` variable (see README).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def _path(var: str, default: Path) -> Path:
    value = os.environ.get(var)
    return Path(value).expanduser().resolve() if value else default.resolve()


@dataclass(frozen=True)
class Settings:
    """Resolved configuration. Cheap to build; build a fresh one per task (env may differ)."""

    repo_root: Path
    registry_dir: Path
    snapshot_dir: Path
    home: Path
    source_mode: str  # "replay" (recorded payloads over a local HTTP server) or "live"
    replay_url: str | None  # use an already running replay server instead of starting one
    http_timeout_s: float
    http_max_attempts: int
    http_backoff_s: float

    @cached_property
    def landing_dir(self) -> Path:
        return self.home / "landing"

    @cached_property
    def warehouse_path(self) -> Path:
        return Path(os.environ.get("SECTOR_DATASETS_WAREHOUSE", self.home / "warehouse.duckdb"))

    @cached_property
    def exports_dir(self) -> Path:
        return _path("SECTOR_DATASETS_EXPORTS", self.home / "exports")

    @cached_property
    def reports_dir(self) -> Path:
        return self.home / "reports"

    @cached_property
    def dbt_project_dir(self) -> Path:
        return self.repo_root / "dbt_project"

    @cached_property
    def dbt_target_dir(self) -> Path:
        return self.home / "dbt" / "target"

    @cached_property
    def expectations_dir(self) -> Path:
        return self.repo_root / "expectations"

    @cached_property
    def lock_path(self) -> Path:
        return self.home / "warehouse.lock"


def get_settings() -> Settings:
    mode = os.environ.get("SECTOR_DATASETS_SOURCE_MODE", "replay").strip().lower()
    if mode not in {"replay", "live"}:
        raise ValueError(
            f"SECTOR_DATASETS_SOURCE_MODE must be 'replay' or 'live', got {mode!r}"
        )
    return Settings(
        repo_root=REPO_ROOT,
        registry_dir=_path("SECTOR_DATASETS_REGISTRY", REPO_ROOT / "include" / "sectors"),
        snapshot_dir=_path("SECTOR_DATASETS_SNAPSHOT_DIR", REPO_ROOT.parent / "shared" / "data"),
        home=_path("SECTOR_DATASETS_HOME", REPO_ROOT / "var"),
        source_mode=mode,
        replay_url=os.environ.get("SECTOR_DATASETS_REPLAY_URL") or None,
        http_timeout_s=float(os.environ.get("SECTOR_DATASETS_HTTP_TIMEOUT", "30")),
        http_max_attempts=int(os.environ.get("SECTOR_DATASETS_HTTP_ATTEMPTS", "4")),
        http_backoff_s=float(os.environ.get("SECTOR_DATASETS_HTTP_BACKOFF", "0.5")),
    )
