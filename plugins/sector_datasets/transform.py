"""Run dbt for one sector: a single ``dbt build`` of the sector's marts and everything upstream.

One invocation per sector, not one Airflow task per model: dbt's start-up and parse cost is
paid once (measured in bench/), and dbt's own DAG orders staging → intermediate → marts.
dbt runs in a subprocess so its logging and global state never mix with the Airflow worker's,
and so that a killed task kills dbt with it.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .settings import Settings

log = logging.getLogger(__name__)


class TransformError(RuntimeError):
    """dbt could not run at all (compile error, missing profile), as opposed to a model failing."""


@dataclass(frozen=True)
class BuildResult:
    sector_id: str
    run_id: str
    success: bool
    elapsed_s: float
    # model name → dbt status ("success", "error", "skipped") for every model in the selection
    models: dict[str, str] = field(default_factory=dict)
    # failing dbt tests / models: unique_id → message
    failures: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> BuildResult:
        return cls(**data)

    def model_built(self, model: str) -> bool:
        return self.models.get(model) == "success"


def dbt_env(settings: Settings) -> dict[str, str]:
    env = dict(os.environ)
    env["SECTOR_DATASETS_WAREHOUSE"] = str(settings.warehouse_path)
    env.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    env.setdefault("DO_NOT_TRACK", "1")
    return env


def dbt_command(settings: Settings, *args: str) -> list[str]:
    dbt = Path(sys.executable).with_name("dbt")
    return [
        str(dbt),
        *args,
        "--project-dir", str(settings.dbt_project_dir),
        "--profiles-dir", str(settings.dbt_project_dir),
        "--target-path", str(settings.dbt_target_dir),
        "--log-path", str(settings.dbt_target_dir.parent / "logs"),
    ]


def selector_for(sector_id: str) -> str:
    """The sector's marts and everything upstream of them (staging views, shared dimensions)."""
    return f"+path:models/marts/{sector_id}"


def build_sector(settings: Settings, sector_id: str, run_id: str, extra_args: tuple[str, ...] = ()) -> BuildResult:
    settings.dbt_target_dir.mkdir(parents=True, exist_ok=True)
    # "cautious": run only tests whose every parent is selected, so a relationship test from
    # another sector's mart to a shared dimension never runs (and fails) in this sector's build.
    cmd = dbt_command(
        settings, "build", "--select", selector_for(sector_id), "--indirect-selection", "cautious", *extra_args
    )
    log.info("sector %s: %s", sector_id, " ".join(cmd))
    proc = subprocess.run(cmd, env=dbt_env(settings), capture_output=True, text=True, check=False)
    for line in proc.stdout.splitlines():
        log.info("dbt | %s", line)
    results_path = settings.dbt_target_dir / "run_results.json"
    if proc.returncode not in (0, 1) or not results_path.exists():
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-30:])
        raise TransformError(f"sector {sector_id!r}: dbt build could not run (exit {proc.returncode}):\n{tail}")
    return parse_run_results(json.loads(results_path.read_text()), sector_id, run_id)


def parse_run_results(results: dict, sector_id: str, run_id: str) -> BuildResult:
    models: dict[str, str] = {}
    failures: dict[str, str] = {}
    for node in results.get("results", []):
        unique_id: str = node["unique_id"]
        status = node.get("status")
        if unique_id.startswith("model."):
            models[unique_id.split(".")[-1]] = status
        if status in ("error", "fail"):
            failures[unique_id] = (node.get("message") or status).strip()
    return BuildResult(
        sector_id=sector_id,
        run_id=run_id,
        success=not failures,
        elapsed_s=float(results.get("elapsed_time", 0.0)),
        models=models,
        failures=failures,
    )
