"""A per-run event log (one JSON line per stage outcome) that the report reads.

Every stage records what it did or why it failed, so that the sector report can say "extract of
source X failed: HTTP 404 from <url>" without reaching into Airflow's metadata database. It is a
plain append-only file per sector run: no warehouse lock needed, nothing lost if the warehouse is
the thing that failed.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path

from sector_datasets.state import layout


def record(home: Path, sector_id: str, run_id: str, stage: str, target: str, status: str, message: str = "", **extra: object) -> None:
    path = layout.events_file(home, sector_id, run_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    event = {
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "sector": sector_id,
        "run_id": run_id,
        "stage": stage,
        "target": target,
        "status": status,
        "message": message,
        **extra,
    }
    line = json.dumps(event, ensure_ascii=False, default=str) + "\n"
    # O_APPEND writes of one short line are atomic enough for concurrent tasks of one run.
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        os.write(fd, line.encode())
    finally:
        os.close(fd)


def read_events(home: Path, sector_id: str, run_id: str) -> list[dict]:
    path = layout.events_file(home, sector_id, run_id)
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


def latest_run(home: Path, sector_id: str) -> str | None:
    base = layout.runs_dir(home, sector_id)
    if not base.exists():
        return None
    runs = sorted(base.iterdir(), key=lambda p: p.stat().st_mtime)
    return runs[-1].name if runs else None
