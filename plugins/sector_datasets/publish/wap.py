"""Write–audit–publish, last step: a gated audit table becomes a new curated version.

Order of operations, chosen so that a crash at any point leaves the last good version readable:

1. exports (Parquet, CSV, metadata.json) are written into a hidden temporary folder;
2. one warehouse transaction creates ``curated.<dataset>__vNNNN``, repoints the ``curated.<dataset>``
   view and records the publication — readers of the warehouse see the old or the new version,
   never a mix;
3. the temporary folder is renamed to ``vNNNN`` and the ``current`` symlink is swapped with
   ``os.replace`` (atomic on POSIX);
4. the read-only catalog ``exports/catalog.duckdb`` (views over the current Parquet files) is
   rebuilt into a temporary file and swapped in with ``os.replace``.

A crash between 2 and 4 is repaired by the next run: the audit table's checksum equals the
newest version's, so no new version is made and the exports are brought up to date.
Downstream tools read the exports or the catalog and therefore never block on the pipeline.

What is published is the audit table with personal data protected (:mod:`.privacy`: ``pii``
columns dropped or salted-hashed, small person counts suppressed); the checksum that decides
"new version or not" is taken over that protected relation.

A pinned dataset (:mod:`.serving`) gets its new version kept but not served; after each new
version, versions beyond ``keep_versions`` are pruned.

Before a new version is written it is reviewed (:mod:`sector_datasets.review.candidate`): its diff
against the served version and the dataset's publish policy. *publish* serves it as above;
*approve* writes it (table, exports, publication) but holds it like a pinned dataset's new version,
with a ``meta.approvals`` row ``awaiting`` (``cli approve`` / ``cli reject``, or the Airflow approval
task, decide); *block* writes nothing and raises :class:`PublishBlocked`. A held (or rejected)
version is never served by the repair of an unchanged run.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sector_datasets import privacy
from sector_datasets.publish import PublishError
from sector_datasets.publish.exports import remove_folder, remove_orphans, serve_folder, write_exports, write_history
from sector_datasets.publish.metadata import build_metadata
from sector_datasets.publish.serving import prune_versions
from sector_datasets.records import JsonRecord
from sector_datasets.registry import Dataset, Registry, Sector
from sector_datasets.review.candidate import PublishBlocked, Review, record, review
from sector_datasets.state import approvals, layout, versions
from sector_datasets.warehouse import dialect_of
from sector_datasets.warehouse.duckdb_lock import quote_ident

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Publication(JsonRecord):
    sector_id: str
    dataset_id: str
    version: int
    row_count: int
    checksum: str
    published_at: str
    run_id: str
    new_version: bool
    export_dir: str
    # The version curated.<dataset> serves after this publish (differs from ``version`` when pinned).
    served_version: int | None = None
    pinned: bool = False
    pruned_versions: list[int] = field(default_factory=list)
    personal_data: dict = field(default_factory=dict)
    # The review: "publish" | "approve" (held: written, not served, awaiting a decision); the
    # changes block of metadata.json (None for an unchanged version).
    action: str = "publish"
    held: bool = False
    changes: dict | None = None


__all__ = ["Publication", "PublishBlocked", "publish_dataset", "table_checksum"]


def table_checksum(con: Any, qualified: str) -> tuple[int, str]:
    """Order-independent content checksum: row count and the sum of row hashes."""
    return dialect_of(con).table_checksum(con, qualified)


@dataclass(frozen=True)
class _Target:
    """What one :func:`publish_dataset` call publishes, and from which run into which exports."""

    registry: Registry
    sector: Sector
    dataset: Dataset
    run_id: str
    exports_dir: Path
    validation: dict

    def metadata(self, con: Any, relation: str, version: int, rows: int, checksum: str, published_at: str,
                 personal_data: dict | None, changes: dict | None = None) -> dict:
        return build_metadata(
            con, relation, self.registry, self.sector, self.dataset, version=version, row_count=rows,
            checksum=checksum, run_id=self.run_id, published_at=published_at,
            validation=self.validation, personal_data=personal_data, changes=changes,
        )


def publish_dataset(
    con: Any,
    *,
    registry: Registry,
    sector: Sector,
    dataset: Dataset,
    run_id: str,
    exports_dir: Path,
    validation: dict,
    keep_versions: int | None = None,
    pii_salt: str | None = None,
) -> Publication:
    """Publish ``audit.<model>`` as the next curated version (or confirm the current one).

    Personal data is protected first (:func:`privacy.publishable_relation`); a pinned dataset
    gets its new version kept but not served; ``keep_versions`` (None: keep all) prunes old ones.
    """
    audit = f"audit.{quote_ident(dataset.model_name)}"
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'audit' AND table_name = ?",
        [dataset.model_name],
    ).fetchone()[0]
    if not exists:
        raise PublishError(
            f"sector {sector.id!r} dataset {dataset.id!r}: audit table {audit} does not exist; nothing published"
        )
    target = _Target(registry, sector, dataset, run_id, exports_dir, validation)
    relation, report = privacy.publishable_relation(con, dataset, audit, sector_id=sector.id, salt=pii_salt)
    try:
        return _publish_relation(con, relation, report.metadata_block(), target, keep_versions)
    finally:
        privacy.drop_publishable(con, relation)


def _publish_relation(
    con: Any, relation: str, personal_data: dict, target: _Target, keep_versions: int | None
) -> Publication:
    sector, dataset, run_id, exports_dir = target.sector, target.dataset, target.run_id, target.exports_dir
    rows, checksum = table_checksum(con, relation)
    latest = versions.latest_publication(con, dataset.id)
    served, pinned = versions.served_version(con, exports_dir, sector.id, dataset.id)
    ds_dir = layout.dataset_dir(exports_dir, sector.id, dataset.id)
    ds_dir.mkdir(parents=True, exist_ok=True)
    remove_orphans(ds_dir)
    now = datetime.now(UTC).replace(microsecond=0)

    if latest and latest[1] == checksum:
        version = latest[0]
        # A held or rejected version is not served by a rerun with the same content either.
        withheld = approvals.withheld(con, dataset.id, version)
        keep = (pinned or withheld) and served is not None
        serve = served if keep else version
        log.info("sector %s dataset %s: unchanged since v%d; no new version", sector.id, dataset.id, version)
        _repair_exports(con, target, serve, personal_data)
        if not layout.history_file(exports_dir, sector.id, dataset.id).exists():
            write_history(con, exports_dir, sector.id, dataset.id)
        if served is None or (not keep and served != version):
            versions.set_current(con, sector.id, dataset.id, serve, pinned=False, reason="publish (repair)", by=run_id)
        elif not versions.has_current(con, dataset.id):
            versions.set_current(con, sector.id, dataset.id, serve, pinned=pinned, reason="publish (migrated)", by=run_id)
        approval = approvals.of_version(con, dataset.id, version)
        still_held = approval is not None and approval["status"] == approvals.AWAITING
        return Publication(
            sector.id, dataset.id, version, rows, checksum, now.isoformat(), run_id, False,
            str(ds_dir / layout.version_name(version)), served_version=serve, pinned=pinned,
            personal_data=personal_data, action="approve" if still_held else "publish", held=still_held,
        )

    version = (latest[0] + 1) if latest else 1
    vtable = f"curated.{quote_ident(layout.version_table(dataset.id, version))}"
    served_table = None if served is None else f"curated.{quote_ident(layout.version_table(dataset.id, served))}"
    reviewed = review(con, dataset, relation, served_table, run_id)
    if reviewed.blocked:
        _block(con, sector.id, reviewed, version, run_id)
    approval = ({"status": approvals.AWAITING, "by": None, "reason": None, "at": None} if reviewed.held else None)
    changes = reviewed.changes(approval)
    metadata = target.metadata(con, relation, version, rows, checksum, now.isoformat(), personal_data, changes)
    final_dir = ds_dir / layout.version_name(version)
    tmp_dir = layout.tmp_sibling(final_dir)
    write_exports(con, relation, tmp_dir, dataset.id, metadata)

    serve_new = not pinned and not reviewed.held
    con.execute("BEGIN")
    try:
        con.execute(f"CREATE TABLE {vtable} AS SELECT * FROM {relation}")
        if serve_new:
            dialect_of(con).replace_view(con, f"curated.{quote_ident(dataset.id)}", f"SELECT * FROM {vtable}")
            versions.set_current(con, sector.id, dataset.id, version, pinned=False, reason="publish", by=run_id)
        versions.record_publication(
            con, sector.id, dataset.id, version, rows=rows, checksum=checksum, run_id=run_id, published_at=now,
            table=vtable,
        )
        record(con, sector.id, reviewed, version)
        if reviewed.held:
            approvals.request(con, sector.id, dataset.id, run_id, version, reviewed.outcome.to_dict())
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        remove_folder(tmp_dir)
        raise
    os.replace(tmp_dir, final_dir)
    if serve_new:
        serve_folder(exports_dir, final_dir)
        log.info("sector %s dataset %s: published v%d (%d rows) → %s", sector.id, dataset.id, version, rows, final_dir)
    elif reviewed.held:
        log.warning("sector %s dataset %s: v%d (%d rows) is held, v%s stays served: %s — %s", sector.id, dataset.id,
                    version, rows, served, approvals.awaiting_hint(dataset.id, version), reviewed.reasons("en"))
    else:
        log.warning(
            "sector %s dataset %s: published v%d (%d rows) but v%d is pinned and stays served; "
            "`cli unpin %s` serves the newest version", sector.id, dataset.id, version, rows, served, dataset.id,
        )
    pruned = prune_versions(con, exports_dir, sector.id, dataset.id, keep_versions) if keep_versions else []
    write_history(con, exports_dir, sector.id, dataset.id)
    return Publication(
        sector.id, dataset.id, version, rows, checksum, now.isoformat(), run_id, True, str(final_dir),
        served_version=version if serve_new else served, pinned=pinned, pruned_versions=pruned,
        personal_data=personal_data, action=reviewed.action, held=reviewed.held, changes=changes,
    )


def _block(con: Any, sector_id: str, reviewed: Review, version: int, run_id: str) -> None:
    """Record a blocked candidate (its diff, a ``blocked`` approval row) and refuse it: nothing is written."""
    record(con, sector_id, reviewed, None)
    approvals.request(con, sector_id, reviewed.diff.dataset_id, run_id, version, reviewed.outcome.to_dict(),
                      status=approvals.BLOCKED)
    message = reviewed.blocked_message(sector_id, version, run_id)
    log.error("%s", message)
    raise PublishBlocked(message)


def _repair_exports(con: Any, target: _Target, version: int, personal_data: dict) -> None:
    """Bring the view, the version folder and ``current`` of an unchanged ``version`` up to date."""
    sector, dataset, exports_dir = target.sector, target.dataset, target.exports_dir
    final_dir = layout.version_dir(exports_dir, sector.id, dataset.id, version)
    vtable = f"curated.{quote_ident(layout.version_table(dataset.id, version))}"
    if not final_dir.exists():
        rows, checksum = table_checksum(con, vtable)
        published_at = datetime.now(UTC).replace(microsecond=0).isoformat()
        metadata = target.metadata(con, vtable, version, rows, checksum, published_at, personal_data)
        tmp_dir = layout.tmp_sibling(final_dir)
        write_exports(con, vtable, tmp_dir, dataset.id, metadata)
        os.replace(tmp_dir, final_dir)
        log.warning("sector %s dataset %s: exports of v%d were missing and were rebuilt", sector.id, dataset.id, version)
    dialect_of(con).replace_view(con, f"curated.{quote_ident(dataset.id)}", f"SELECT * FROM {vtable}")
    current = layout.current_link(exports_dir, sector.id, dataset.id)
    if not current.is_symlink() or os.readlink(current) != final_dir.name:
        serve_folder(exports_dir, final_dir)
