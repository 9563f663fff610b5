"""Which version is served, pins and retention.

``meta.current`` holds, per dataset, the version ``curated.<dataset>`` and ``exports/.../current``
serve, and whether an operator pinned it. ``cli rollback DATASET VERSION`` serves any kept version
and pins it: later runs still publish new versions (kept, listed by ``cli versions``) but do not
serve them, and an unchanged run never moves ``current`` back, until ``cli unpin DATASET`` serves
the newest kept version again. After each new version, versions older than the newest
``SECTOR_DATASETS_KEEP_VERSIONS`` (default 5) are pruned — their ``curated.<dataset>__vNNNN``
table and ``vNNNN`` export folder are dropped — except the served and the pinned one.
``meta.publications`` keeps every version ever published, and ``exports/<sector>/<dataset>/
history.json`` lists them for readers that never open the warehouse.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sector_datasets.publish import PublishError
from sector_datasets.publish.exports import remove_folder, serve_folder, write_history
from sector_datasets.state import approvals, layout
from sector_datasets.state.versions import kept_versions, served_version, set_current
from sector_datasets.warehouse import dialect_of
from sector_datasets.warehouse.duckdb_lock import quote_ident

log = logging.getLogger(__name__)


def _require_kept(con: Any, exports_dir: Path, sector_id: str, dataset_id: str, version: int) -> Path:
    final_dir = layout.version_dir(exports_dir, sector_id, dataset_id, version)
    if version not in kept_versions(con, dataset_id) or not final_dir.exists():
        kept = ", ".join(f"v{v}" for v in kept_versions(con, dataset_id)) or "none"
        raise PublishError(
            f"dataset {dataset_id!r}: version {version} is not kept (table or exports missing); kept: {kept}"
        )
    return final_dir


def serve_version(con: Any, exports_dir: Path, sector_id: str, dataset_id: str, version: int,
                  *, pinned: bool, reason: str, by: str, also: Callable[[], None] | None = None) -> None:
    """Serve a kept version: view, ``meta.current`` (and ``also``, e.g. the approval) in one transaction."""
    final_dir = _require_kept(con, exports_dir, sector_id, dataset_id, version)
    if also is None and approvals.withheld(con, dataset_id, version):
        raise PublishError(
            f"dataset {dataset_id!r}: v{version} was held by its publish policy and is not approved "
            f"({approvals.of_version(con, dataset_id, version)['status']}); "
            f"{approvals.awaiting_hint(dataset_id, version)}"
        )
    con.execute("BEGIN")
    try:
        if also is not None:
            also()
        dialect_of(con).replace_view(
            con, f"curated.{quote_ident(dataset_id)}",
            f"SELECT * FROM curated.{quote_ident(layout.version_table(dataset_id, version))}",
        )
        set_current(con, sector_id, dataset_id, version, pinned=pinned, reason=reason, by=by)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    serve_folder(exports_dir, final_dir)
    write_history(con, exports_dir, sector_id, dataset_id)


def rollback(
    con: Any,
    exports_dir: Path,
    sector_id: str,
    dataset_id: str,
    version: int,
    *,
    pin: bool = True,
    reason: str = "",
    by: str = "cli rollback",
) -> None:
    """Serve an existing kept version (older or newer) from ``curated.<dataset>`` and the exports.

    With ``pin`` (the default) the choice sticks: later runs keep new versions without serving
    them, and an unchanged run does not move ``current``, until :func:`unpin`.
    """
    serve_version(con, exports_dir, sector_id, dataset_id, version, pinned=pin,
           reason=reason or f"rolled to v{version}", by=by)
    log.warning("dataset %s: now serving v%d%s", dataset_id, version, " (pinned)" if pin else "")


def unpin(con: Any, exports_dir: Path, sector_id: str, dataset_id: str, *, by: str = "cli unpin") -> int:
    """Release a pin and serve the newest kept version again (never a held or rejected one); returns it."""
    kept = [v for v in kept_versions(con, dataset_id) if not approvals.withheld(con, dataset_id, v)]
    if not kept:
        raise PublishError(f"dataset {dataset_id!r}: no kept version to serve")
    serve_version(con, exports_dir, sector_id, dataset_id, kept[-1], pinned=False, reason="unpinned", by=by)
    return kept[-1]


def prune_versions(con: Any, exports_dir: Path, sector_id: str, dataset_id: str, keep: int) -> list[int]:
    """Drop versions older than the newest ``keep``, never the served or a pinned one.

    Drops ``curated.<dataset>__vNNNN`` and the ``vNNNN`` export folder; ``meta.publications``
    keeps the history. Returns the pruned version numbers.
    """
    if keep < 1:
        raise ValueError(f"keep must be >= 1, got {keep}")
    kept = kept_versions(con, dataset_id)
    served, _ = served_version(con, exports_dir, sector_id, dataset_id)  # a pinned version is the served one
    ds_dir = layout.dataset_dir(exports_dir, sector_id, dataset_id)
    # Export folders without a table (left by an interrupted prune) follow the same rule.
    on_disk = {version for version, _ in layout.version_dirs(ds_dir)}
    versions = sorted(set(kept) | on_disk)
    protect = set(versions[-keep:]) | ({served} if served is not None else set())
    pruned = [v for v in versions if v not in protect]
    for version in pruned:
        con.execute(f"DROP TABLE IF EXISTS curated.{quote_ident(layout.version_table(dataset_id, version))}")
        remove_folder(ds_dir / layout.version_name(version))
    if pruned:
        log.info("dataset %s: pruned v%s (keeping %d)", dataset_id, ", v".join(map(str, pruned)), keep)
        write_history(con, exports_dir, sector_id, dataset_id)
    return pruned
