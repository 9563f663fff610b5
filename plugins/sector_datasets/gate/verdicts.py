"""Gate results are kept per dataset × run, never overwritten: as JSON files and in ``quality``.

The JSON file is written first and does not need the warehouse, so a gate result survives even
when the warehouse is the problem; the table makes the history queryable for the scorecard.
"""

from __future__ import annotations

import json
from pathlib import Path

from sector_datasets.settings import Settings
from sector_datasets.state import layout


def store_verdict(settings: Settings, verdict) -> Path:
    from sector_datasets.warehouse import get_backend

    data = verdict.to_dict()
    path = layout.verdict_file(settings.home, verdict.sector_id, verdict.dataset_id, verdict.run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    with get_backend(settings).connect_writer(f"store gate result {verdict.dataset_id}") as con:
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
    path = layout.verdict_file(settings.home, sector_id, dataset_id, run_id)
    return json.loads(path.read_text()) if path.exists() else None
