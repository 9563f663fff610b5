"""``quality.diffs``: one row per dataset and run — what the gated version changed against the
served one and what the publish policy decided. Kept after the version is pruned: it is the
version's release note (``cli diff``, the reports).

The summary and the policy are stored as JSON text (both warehouses accept text into a JSON
column and return JSON as text), so a reader gets back exactly ``DiffSummary.to_dict()`` and
``PolicyOutcome.to_dict()``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sector_datasets.review.records import DiffSummary, PolicyOutcome

_COLUMNS = "dataset_id, sector_id, run_id, from_version, to_version, action, summary, policy, computed_at"


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0, tzinfo=None)


def record_diff(con: Any, sector_id: str, diff: DiffSummary, outcome: PolicyOutcome | None, to_version: int | None) -> None:
    """Store the run's diff and decision; a second call for the same dataset and run replaces the
    first (a retried publish task computes the same diff again)."""
    con.execute("DELETE FROM quality.diffs WHERE dataset_id = ? AND run_id = ?", [diff.dataset_id, diff.run_id])
    con.execute(
        f"INSERT INTO quality.diffs ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP))",
        [
            diff.dataset_id, sector_id, diff.run_id, diff.from_version, to_version,
            outcome.action if outcome else None,
            json.dumps(diff.to_dict(), ensure_ascii=False),
            json.dumps(outcome.to_dict(), ensure_ascii=False) if outcome else None,
            _now(),
        ],
    )


def _row(row: tuple) -> dict:
    dataset_id, sector_id, run_id, from_v, to_v, action, summary, policy, at = row
    return {
        "dataset_id": dataset_id, "sector_id": sector_id, "run_id": run_id,
        "from_version": from_v, "to_version": to_v, "action": action,
        "summary": json.loads(summary) if isinstance(summary, str) else summary,
        "policy": json.loads(policy) if isinstance(policy, str) else policy,
        "computed_at": at.isoformat() if at else None,
    }


def diff_of_version(con: Any, dataset_id: str, version: int) -> dict | None:
    """The stored diff and policy of the run that produced ``version``, or None (a version from
    before diffs were recorded, or never produced)."""
    row = con.execute(
        f"SELECT {_COLUMNS} FROM quality.diffs WHERE dataset_id = ? AND to_version = ? ORDER BY computed_at DESC LIMIT 1",
        [dataset_id, version],
    ).fetchone()
    return _row(row) if row else None


def diffs_of(con: Any, dataset_id: str) -> list[dict]:
    """Every stored diff of the dataset, oldest first."""
    rows = con.execute(
        f"SELECT {_COLUMNS} FROM quality.diffs WHERE dataset_id = ? ORDER BY computed_at, run_id", [dataset_id]
    ).fetchall()
    return [_row(r) for r in rows]
