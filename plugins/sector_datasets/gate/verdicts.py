"""Gate results are kept per dataset × run, never overwritten: as JSON files and in ``quality``.

The JSON file is written first and does not need the warehouse, so a gate result survives even
when the warehouse is the problem; the table makes the history queryable for the scorecard.
"""

from __future__ import annotations

import json
from pathlib import Path

from sector_datasets.state.runlog import safe_run_id
from sector_datasets.settings import Settings


def verdict_path(settings: Settings, sector_id: str, dataset_id: str, run_id: str) -> Path:
    return settings.home / "quality" / sector_id / dataset_id / f"{safe_run_id(run_id)}.json"


def ensure_quality_table(con) -> None:
    con.execute(
        """CREATE TABLE IF NOT EXISTS quality.validation_results (
            dataset_id VARCHAR, sector_id VARCHAR, run_id VARCHAR, suite VARCHAR, success BOOLEAN,
            evaluated INTEGER, failed INTEGER, row_count BIGINT, validated_at TIMESTAMP, result JSON)"""
    )


def store_verdict(settings: Settings, verdict) -> Path:
    from sector_datasets.warehouse import get_backend

    data = verdict.to_dict()
    path = verdict_path(settings, verdict.sector_id, verdict.dataset_id, verdict.run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    with get_backend(settings).connect_writer(f"store gate result {verdict.dataset_id}") as con:
        ensure_quality_table(con)
        con.execute(
            "INSERT INTO quality.validation_results VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP), ?)",
            [
                verdict.dataset_id, verdict.sector_id, verdict.run_id, verdict.suite_name, verdict.success,
                verdict.evaluated, verdict.failed, verdict.row_count,
                str(verdict.started_at).replace("Z", "").replace("+00:00", ""),
                json.dumps(data, default=str),
            ],
        )
    return path


def load_verdict(settings: Settings, sector_id: str, dataset_id: str, run_id: str) -> dict | None:
    path = verdict_path(settings, sector_id, dataset_id, run_id)
    return json.loads(path.read_text()) if path.exists() else None
