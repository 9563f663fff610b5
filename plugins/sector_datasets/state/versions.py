"""Which versions of a dataset exist and which one is served: ``meta.publications``, ``meta.current``
and the ``curated.<dataset>__vNNNN`` tables.

Publish writes this bookkeeping; recovery, the CLI and the reports read it. ``meta.current`` is
authoritative for what ``curated.<dataset>`` serves; :func:`served_version` falls back to the
exports' ``current`` symlink and then to the newest publication for a warehouse from before
``meta.current`` existed.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sector_datasets.state import layout


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0, tzinfo=None)


def latest_publication(con: Any, dataset_id: str) -> tuple[int, str, int] | None:
    """(version, checksum, row count) of the newest version ever published, or None."""
    return con.execute(
        "SELECT version, checksum, row_count FROM meta.publications WHERE dataset_id = ? ORDER BY version DESC LIMIT 1",
        [dataset_id],
    ).fetchone()


def publication(con: Any, dataset_id: str, version: int) -> tuple[int, str] | None:
    """(row count, checksum) of one published version, or None if it was never published."""
    return con.execute(
        "SELECT row_count, checksum FROM meta.publications WHERE dataset_id = ? AND version = ?", [dataset_id, version]
    ).fetchone()


def record_publication(
    con: Any, sector_id: str, dataset_id: str, version: int, *, rows: int, checksum: str, run_id: str,
    published_at: datetime, table: str,
) -> None:
    con.execute(
        "INSERT INTO meta.publications VALUES (?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP), ?)",
        [dataset_id, sector_id, version, rows, checksum, run_id, published_at.replace(tzinfo=None), table],
    )


def kept_versions(con: Any, dataset_id: str) -> list[int]:
    """Versions whose ``curated.<dataset>__vNNNN`` table still exists, oldest first."""
    names = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'curated' AND table_name LIKE ?",
        [layout.version_table_like(dataset_id)],
    ).fetchall()
    return sorted(v for (name,) in names if (v := layout.parse_version_table(dataset_id, name)) is not None)


def served_version(con: Any, exports_dir: Path, sector_id: str, dataset_id: str) -> tuple[int | None, bool]:
    """(version served by ``curated.<dataset>``, pinned?) — None if nothing is published."""
    row = con.execute("SELECT version, pinned FROM meta.current WHERE dataset_id = ?", [dataset_id]).fetchone()
    if row:
        return int(row[0]), bool(row[1])
    on_disk = layout.current_link_version(layout.current_link(exports_dir, sector_id, dataset_id))
    if on_disk is not None:
        return on_disk, False
    latest = latest_publication(con, dataset_id)
    return (latest[0], False) if latest else (None, False)


def has_current(con: Any, dataset_id: str) -> bool:
    """Whether ``meta.current`` has a row for the dataset (not just the fallbacks of :func:`served_version`)."""
    return bool(con.execute("SELECT count(*) FROM meta.current WHERE dataset_id = ?", [dataset_id]).fetchone()[0])


def set_current(con: Any, sector_id: str, dataset_id: str, version: int, *, pinned: bool, reason: str, by: str) -> None:
    """Record the version ``curated.<dataset>`` serves (the caller repoints the view)."""
    con.execute("DELETE FROM meta.current WHERE dataset_id = ?", [dataset_id])
    con.execute(
        "INSERT INTO meta.current VALUES (?, ?, ?, ?, ?, CAST(? AS TIMESTAMP), ?)",
        [dataset_id, sector_id, version, pinned, reason, _now(), by],
    )


def version_history(con: Any, exports_dir: Path, sector_id: str, dataset_id: str) -> list[dict]:
    """Every version ever published, with whether it is kept, served and pinned."""
    kept = set(kept_versions(con, dataset_id))
    served, pinned = served_version(con, exports_dir, sector_id, dataset_id)
    rows = con.execute(
        "SELECT version, row_count, checksum, run_id, published_at FROM meta.publications "
        "WHERE dataset_id = ? ORDER BY version",
        [dataset_id],
    ).fetchall()
    return [
        {
            "version": v, "row_count": n, "checksum": c, "run_id": r,
            "published_at": at.isoformat() if at else None,
            "kept": v in kept, "served": v == served, "pinned": v == served and pinned,
        }
        for v, n, c, r, at in rows
    ]
