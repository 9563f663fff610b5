"""``meta.approvals``: versions the publish policy did not let through on their own.

One row per (dataset, version) that needed a person: ``awaiting`` (written, not served, until
``cli approve`` / ``cli reject`` or the Airflow approval task decides), ``approved``, ``rejected``,
``timed_out`` (rejected by the approval timeout), ``superseded`` (a newer held version replaced it
before anyone decided) or ``blocked`` (never written: the policy refuses it outright).

A version whose row is anything but ``approved`` is *withheld*: publish, ``unpin`` and the repair of
an unchanged run never serve it. :func:`awaiting_hint` is the one text that tells an operator how to
decide (the run summary, ``cli versions``, the stage summary and the Airflow log all use it).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

AWAITING, APPROVED, REJECTED, TIMED_OUT, SUPERSEDED, BLOCKED = (
    "awaiting", "approved", "rejected", "timed_out", "superseded", "blocked",
)
DECISIONS = (APPROVED, REJECTED, TIMED_OUT)
_COLUMNS = ("dataset_id", "sector_id", "run_id", "version", "status", "policy", "requested_at", "decided_by",
            "reason", "decided_at")


class ApprovalError(RuntimeError):
    """Nothing is held to decide on, or the decision is not one of :data:`DECISIONS`."""


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0, tzinfo=None)


def _row(values: tuple) -> dict:
    row = dict(zip(_COLUMNS, values, strict=True))
    if isinstance(row["policy"], str):
        row["policy"] = json.loads(row["policy"])
    for key in ("requested_at", "decided_at"):
        if row[key] is not None and not isinstance(row[key], str):
            row[key] = row[key].isoformat()
    return row


def awaiting_hint(dataset_id: str, version: int | None = None) -> str:
    """What an operator reads for a held version, and the commands that decide it."""
    held = f"v{version} " if version is not None else ""
    return (f"{held}awaiting approval — cli approve {dataset_id} / cli reject {dataset_id} --reason … "
            f"(đang chờ phê duyệt)")


def request(con: Any, sector_id: str, dataset_id: str, run_id: str, version: int, policy: dict,
            *, status: str = AWAITING) -> dict:
    """Record that ``version`` needs a decision (``awaiting``) or was refused (``blocked``).

    An older version still awaiting is marked ``superseded``: only the newest candidate is decided.
    """
    now = _now()
    if status == AWAITING:
        con.execute(
            "UPDATE meta.approvals SET status = ?, decided_by = ?, reason = ?, decided_at = CAST(? AS TIMESTAMP) "
            "WHERE dataset_id = ? AND status = ? AND version <> ?",
            [SUPERSEDED, run_id, f"superseded by v{version}", now, dataset_id, AWAITING, version],
        )
    con.execute("DELETE FROM meta.approvals WHERE dataset_id = ? AND version = ? AND status = ?",
                [dataset_id, version, status])
    con.execute(
        "INSERT INTO meta.approvals VALUES (?, ?, ?, ?, ?, CAST(? AS JSON), CAST(? AS TIMESTAMP), NULL, NULL, NULL)",
        [dataset_id, sector_id, run_id, version, status, json.dumps(policy, ensure_ascii=False), now],
    )
    return {"status": status, "by": None, "reason": None, "at": None, "requested_at": now.isoformat()}


def decide(con: Any, dataset_id: str, version: int, status: str, *, by: str, reason: str = "") -> dict:
    """Record a person's (or the timeout's) decision on a held version; returns the approval block."""
    if status not in DECISIONS:
        raise ApprovalError(f"dataset {dataset_id!r} v{version}: decision must be one of {DECISIONS}, got {status!r}")
    held = of_version(con, dataset_id, version)
    if held is None or held["status"] != AWAITING:
        state = "nothing recorded" if held is None else held["status"]
        raise ApprovalError(f"dataset {dataset_id!r} v{version} is not awaiting approval ({state})")
    now = _now()
    con.execute(
        "UPDATE meta.approvals SET status = ?, decided_by = ?, reason = ?, decided_at = CAST(? AS TIMESTAMP) "
        "WHERE dataset_id = ? AND version = ? AND status = ?",
        [status, by, reason, now, dataset_id, version, AWAITING],
    )
    return {"status": status, "by": by, "reason": reason, "at": now.isoformat()}


def of_dataset(con: Any, dataset_id: str) -> list[dict]:
    """Every approval row of a dataset, oldest first."""
    rows = con.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM meta.approvals WHERE dataset_id = ? ORDER BY requested_at, version",
        [dataset_id],
    ).fetchall()
    return [_row(r) for r in rows]


def of_version(con: Any, dataset_id: str, version: int) -> dict | None:
    """The newest approval row of one written version, or None if it never needed one.

    ``blocked`` rows are skipped: a blocked candidate was never written, and the number it would
    have had goes to the next version the run makes.
    """
    rows = [r for r in of_dataset(con, dataset_id) if r["version"] == version and r["status"] != BLOCKED]
    return rows[-1] if rows else None


def pending(con: Any, dataset_id: str | None = None) -> list[dict]:
    """Versions awaiting a decision (of one dataset, or all), oldest first."""
    rows = con.execute(
        f"SELECT {', '.join(_COLUMNS)} FROM meta.approvals WHERE status = ? ORDER BY requested_at, version",
        [AWAITING],
    ).fetchall()
    return [r for r in map(_row, rows) if dataset_id is None or r["dataset_id"] == dataset_id]


def withheld(con: Any, dataset_id: str, version: int) -> bool:
    """Whether ``version`` must not be served without a decision (held, rejected, timed out…)."""
    row = of_version(con, dataset_id, version)
    return row is not None and row["status"] != APPROVED
