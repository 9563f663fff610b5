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

Which version is served, pins and retention
-------------------------------------------
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

import copy
import functools
import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import re

import duckdb

from sector_datasets import privacy
from sector_datasets.warehouse import dialect_of
from sector_datasets.registry import Dataset, Registry, Sector
from sector_datasets.settings import REPO_ROOT
from sector_datasets.warehouse.duckdb_lock import quote_ident

log = logging.getLogger(__name__)

CATALOG_NAME = "catalog.duckdb"
HISTORY_NAME = "history.json"
_VERSION_DIR = re.compile(r"^v(\d{4,})$")
CORRECTIONS_DIR = REPO_ROOT / "dbt_project" / "seeds" / "corrections"


class PublishError(RuntimeError):
    pass


@dataclass(frozen=True)
class Publication:
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

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Publication:
        return cls(**data)


def ensure_publication_table(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        """CREATE TABLE IF NOT EXISTS meta.publications (
            dataset_id VARCHAR, sector_id VARCHAR, version INTEGER, row_count BIGINT,
            checksum VARCHAR, run_id VARCHAR, published_at TIMESTAMP, table_name VARCHAR)"""
    )
    con.execute(
        """CREATE TABLE IF NOT EXISTS meta.current (
            dataset_id VARCHAR PRIMARY KEY, sector_id VARCHAR, version INTEGER, pinned BOOLEAN,
            reason VARCHAR, updated_at TIMESTAMP, updated_by VARCHAR)"""
    )


def served_version(
    con: duckdb.DuckDBPyConnection, exports_dir: Path, sector_id: str, dataset_id: str
) -> tuple[int | None, bool]:
    """(version served by ``curated.<dataset>``, pinned?) — None if nothing is published.

    ``meta.current`` is authoritative; a warehouse from before it existed falls back to the
    exports' ``current`` symlink, then to the newest publication.
    """
    row = con.execute("SELECT version, pinned FROM meta.current WHERE dataset_id = ?", [dataset_id]).fetchone()
    if row:
        return int(row[0]), bool(row[1])
    link = dataset_dir(exports_dir, sector_id, dataset_id) / "current"
    if link.is_symlink():
        match = _VERSION_DIR.match(os.readlink(link))
        if match:
            return int(match.group(1)), False
    latest = latest_publication(con, dataset_id)
    return (latest[0], False) if latest else (None, False)


def _set_current(
    con: duckdb.DuckDBPyConnection, sector_id: str, dataset_id: str, version: int, *, pinned: bool, reason: str, by: str
) -> None:
    con.execute("DELETE FROM meta.current WHERE dataset_id = ?", [dataset_id])
    con.execute(
        "INSERT INTO meta.current VALUES (?, ?, ?, ?, ?, CAST(? AS TIMESTAMP), ?)",
        [dataset_id, sector_id, version, pinned, reason, datetime.now(UTC).replace(microsecond=0, tzinfo=None), by],
    )


def kept_versions(con: duckdb.DuckDBPyConnection, dataset_id: str) -> list[int]:
    """Versions whose ``curated.<dataset>__vNNNN`` table still exists, oldest first."""
    names = con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_schema = 'curated' AND table_name LIKE ?",
        [f"{dataset_id}__v%"],
    ).fetchall()
    pattern = re.compile(rf"^{re.escape(dataset_id)}__v(\d{{4,}})$")
    return sorted(int(m.group(1)) for (name,) in names if (m := pattern.match(name)))


def version_table(dataset_id: str, version: int) -> str:
    return f"{dataset_id}__v{version:04d}"


def table_checksum(con: duckdb.DuckDBPyConnection, qualified: str) -> tuple[int, str]:
    """Order-independent content checksum: row count and the sum of row hashes."""
    return dialect_of(con).table_checksum(con, qualified)


def latest_publication(con: duckdb.DuckDBPyConnection, dataset_id: str) -> tuple[int, str, int] | None:
    return con.execute(
        "SELECT version, checksum, row_count FROM meta.publications WHERE dataset_id = ? ORDER BY version DESC LIMIT 1",
        [dataset_id],
    ).fetchone()


def dataset_dir(exports_dir: Path, sector_id: str, dataset_id: str) -> Path:
    return exports_dir / sector_id / dataset_id


def _write_exports(
    con: duckdb.DuckDBPyConnection, source_table: str, target: Path, dataset_id: str, metadata: dict
) -> None:
    target.mkdir(parents=True, exist_ok=False)
    parquet = target / f"{dataset_id}.parquet"
    csv = target / f"{dataset_id}.csv"
    dialect_of(con).write_exports(con, source_table, parquet, csv)
    (target / "metadata.json").write_text(json.dumps(metadata, ensure_ascii=False, indent=2, default=str))
    for path in target.iterdir():
        os.chmod(path, 0o444)


def _swap_symlink(link: Path, target_name: str) -> None:
    tmp = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target_name, tmp)
    os.replace(tmp, link)


def _column_dictionary(
    con: duckdb.DuckDBPyConnection, relation: str, dbt_columns: dict, personal_data: dict | None = None
) -> list[dict]:
    hashed = set((personal_data or {}).get("hashed_columns") or [])
    suppressed = set(((personal_data or {}).get("k_anonymity") or {}).get("suppressed_cells") or {})
    k = ((personal_data or {}).get("k_anonymity") or {}).get("k")
    out = []
    for column, dtype in privacy.columns_of(con, relation):
        doc = dbt_columns.get(column, {})
        meta = doc.get("meta") or {}
        entry = {
            "name": column,
            "type": dtype,
            "description": doc.get("description") or "",
            "description_vi": meta.get("description_vi", ""),
            "unit": meta.get("unit"),
        }
        if column in hashed:
            entry["description"] = (entry["description"] + " " if entry["description"] else "") + (
                "Pseudonymised: salted SHA-256 of the original value (personal data, Decree 13/2023)."
            )
            entry["description_vi"] = (entry["description_vi"] + " " if entry["description_vi"] else "") + (
                "Đã bút danh hoá: SHA-256 có muối của giá trị gốc (dữ liệu cá nhân, Nghị định 13/2023)."
            )
            entry["personal_data"] = "pii_hashed"
        elif column in suppressed:
            entry["personal_data"] = f"k_anonymity: counts below {k} published as NULL"
        out.append(entry)
    return out


def load_dbt_docs(manifest_path: Path, model: str) -> dict:
    """Model description and column docs from dbt's manifest: dbt yml is the data dictionary."""
    if not manifest_path.exists():
        return {}
    st = manifest_path.stat()
    return copy.deepcopy(_model_docs(str(manifest_path), st.st_size, st.st_mtime_ns).get(model, {}))


@functools.lru_cache(maxsize=4)
def _model_docs(path: str, size: int, mtime_ns: int) -> dict[str, dict]:
    """Every model's docs, read once per manifest file version (5 MB of JSON; one per publish before)."""
    manifest = json.loads(Path(path).read_text())
    return {
        node.get("name"): {"description": node.get("description", ""), "columns": node.get("columns", {})}
        for node in manifest.get("nodes", {}).values()
        if node.get("resource_type") == "model"
    }


def source_corrections(corrections_dir: Path, source_id: str) -> list[dict]:
    """The reviewable corrections applied to a source in staging (empty if it has none)."""
    import csv

    path = corrections_dir / f"corrections__{source_id}.csv"
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def build_metadata(
    registry: Registry,
    sector: Sector,
    dataset: Dataset,
    *,
    version: int,
    row_count: int,
    checksum: str,
    run_id: str,
    published_at: str,
    columns: list[dict],
    validation: dict,
    personal_data: dict | None = None,
) -> dict:
    sources = [registry.sources[s] for s in dataset.sources]
    metadata = {
        "id": dataset.id,
        "sector": {"id": sector.id, "name": sector.name.model_dump()},
        "title": dataset.title.model_dump(),
        "description": dataset.description.model_dump(),
        "owner": sector.owner.model_dump(),
        "grain": dataset.grain,
        "primary_key": dataset.primary_key,
        "update_frequency": dataset.update_frequency,
        "licence": dataset.licence,
        "coverage": dataset.coverage,
        "version": version,
        "published_at": published_at,
        "run_id": run_id,
        "row_count": row_count,
        "checksum": checksum,
        "columns": columns,
        "sources": [
            {
                "id": s.id,
                "title": s.title,
                "publisher": s.publisher,
                "url": s.url,
                "licence": s.licence,
                "provenance": s.provenance,
                "known_issues": s.known_issues,
                "corrections": source_corrections(CORRECTIONS_DIR, s.id),
            }
            for s in sources
        ],
        "inputs": [
            {"id": i, "title": registry.datasets[i][1].title.model_dump(), "licence": registry.datasets[i][1].licence}
            for i in dataset.inputs
        ],
        "validation": validation,
    }
    metadata["personal_data"] = personal_data or privacy.PrivacyReport(
        pii_columns=list(dataset.personal_data.pii), pii_handling=dataset.personal_data.pii_handling,
        quasi_identifiers=list(dataset.personal_data.quasi),
    ).to_dict()
    return metadata


def publish_dataset(
    con: duckdb.DuckDBPyConnection,
    *,
    registry: Registry,
    sector: Sector,
    dataset: Dataset,
    run_id: str,
    exports_dir: Path,
    dbt_manifest: Path,
    validation: dict,
    keep_versions: int | None = None,
    pii_salt: str | None = None,
) -> Publication:
    """Publish ``audit.<model>`` as the next curated version (or confirm the current one).

    Personal data is protected first (:func:`privacy.publishable_relation`); a pinned dataset
    gets its new version kept but not served; ``keep_versions`` (None: keep all) prunes old ones.
    """
    ensure_publication_table(con)
    audit = f"audit.{quote_ident(dataset.model_name)}"
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'audit' AND table_name = ?",
        [dataset.model_name],
    ).fetchone()[0]
    if not exists:
        raise PublishError(
            f"sector {sector.id!r} dataset {dataset.id!r}: audit table {audit} does not exist; nothing published"
        )
    relation, report = privacy.publishable_relation(con, dataset, audit, sector_id=sector.id, salt=pii_salt)
    try:
        return _publish_relation(
            con, relation, report.to_dict(), registry=registry, sector=sector, dataset=dataset, run_id=run_id,
            exports_dir=exports_dir, dbt_manifest=dbt_manifest, validation=validation, keep_versions=keep_versions,
        )
    finally:
        privacy.drop_publishable(con, relation)


def _publish_relation(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    personal_data: dict,
    *,
    registry: Registry,
    sector: Sector,
    dataset: Dataset,
    run_id: str,
    exports_dir: Path,
    dbt_manifest: Path,
    validation: dict,
    keep_versions: int | None,
) -> Publication:
    rows, checksum = table_checksum(con, relation)
    latest = latest_publication(con, dataset.id)
    served, pinned = served_version(con, exports_dir, sector.id, dataset.id)
    ds_dir = dataset_dir(exports_dir, sector.id, dataset.id)
    ds_dir.mkdir(parents=True, exist_ok=True)
    _remove_orphans(ds_dir)
    now = datetime.now(UTC).replace(microsecond=0)

    if latest and latest[1] == checksum:
        version = latest[0]
        serve = served if pinned and served is not None else version
        log.info("sector %s dataset %s: unchanged since v%d; no new version", sector.id, dataset.id, version)
        _repair_exports(con, registry, sector, dataset, serve, run_id, exports_dir, dbt_manifest, validation, personal_data)
        if not (ds_dir / HISTORY_NAME).exists():
            write_history(con, exports_dir, sector.id, dataset.id)
        if served is None or (not pinned and served != version):
            _set_current(con, sector.id, dataset.id, serve, pinned=False, reason="publish (repair)", by=run_id)
        elif not con.execute("SELECT count(*) FROM meta.current WHERE dataset_id = ?", [dataset.id]).fetchone()[0]:
            _set_current(con, sector.id, dataset.id, serve, pinned=pinned, reason="publish (migrated)", by=run_id)
        return Publication(
            sector.id, dataset.id, version, rows, checksum, now.isoformat(), run_id, False,
            str(ds_dir / f"v{version:04d}"), served_version=serve, pinned=pinned, personal_data=personal_data,
        )

    version = (latest[0] + 1) if latest else 1
    vtable = f"curated.{quote_ident(version_table(dataset.id, version))}"
    docs = load_dbt_docs(dbt_manifest, dataset.model_name)
    metadata = build_metadata(
        registry, sector, dataset, version=version, row_count=rows, checksum=checksum, run_id=run_id,
        published_at=now.isoformat(), columns=_column_dictionary(con, relation, docs.get("columns", {}), personal_data),
        validation=validation, personal_data=personal_data,
    )
    tmp_dir = ds_dir / f".v{version:04d}.tmp-{os.getpid()}"
    _write_exports(con, relation, tmp_dir, dataset.id, metadata)

    serve_new = not pinned
    con.execute("BEGIN")
    try:
        con.execute(f"CREATE TABLE {vtable} AS SELECT * FROM {relation}")
        if serve_new:
            dialect_of(con).replace_view(con, f"curated.{quote_ident(dataset.id)}", f"SELECT * FROM {vtable}")
            _set_current(con, sector.id, dataset.id, version, pinned=False, reason="publish", by=run_id)
        con.execute(
            "INSERT INTO meta.publications VALUES (?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP), ?)",
            [dataset.id, sector.id, version, rows, checksum, run_id, now.replace(tzinfo=None), vtable],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        _rmtree(tmp_dir)
        raise
    final_dir = ds_dir / f"v{version:04d}"
    os.replace(tmp_dir, final_dir)
    if serve_new:
        _swap_symlink(ds_dir / "current", final_dir.name)
        rebuild_catalog(exports_dir)
        log.info("sector %s dataset %s: published v%d (%d rows) → %s", sector.id, dataset.id, version, rows, final_dir)
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
        personal_data=personal_data,
    )


def _remove_orphans(ds_dir: Path) -> None:
    """Temporary export folders left by a run killed before its commit were never visible."""
    for tmp in ds_dir.glob(".v*.tmp-*"):
        # Say so: an orphan means an earlier publish of this dataset was killed mid-way.
        log.warning("%s: removing %s, left by a publish that was killed before its commit", ds_dir.name, tmp.name)
        _rmtree(tmp)


def _rmtree(path: Path) -> None:
    """Remove an export folder whose files were made read-only."""
    if not path.exists():
        return
    for child in path.iterdir():
        if child.is_file():
            os.chmod(child, 0o644)
    shutil.rmtree(path, ignore_errors=True)


def _repair_exports(
    con, registry, sector, dataset, version, run_id, exports_dir, dbt_manifest, validation, personal_data=None
) -> None:
    ds_dir = dataset_dir(exports_dir, sector.id, dataset.id)
    final_dir = ds_dir / f"v{version:04d}"
    if not final_dir.exists():
        vtable = f"curated.{quote_ident(version_table(dataset.id, version))}"
        rows, checksum = table_checksum(con, vtable)
        docs = load_dbt_docs(dbt_manifest, dataset.model_name)
        metadata = build_metadata(
            registry, sector, dataset, version=version, row_count=rows, checksum=checksum, run_id=run_id,
            published_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
            columns=_column_dictionary(con, vtable, docs.get("columns", {}), personal_data),
            validation=validation, personal_data=personal_data,
        )
        tmp_dir = ds_dir / f".v{version:04d}.tmp-{os.getpid()}"
        _write_exports(con, vtable, tmp_dir, dataset.id, metadata)
        os.replace(tmp_dir, final_dir)
        log.warning("sector %s dataset %s: exports of v%d were missing and were rebuilt", sector.id, dataset.id, version)
    current = ds_dir / "current"
    view = f"curated.{quote_ident(dataset.id)}"
    dialect_of(con).replace_view(con, view, f"SELECT * FROM curated.{quote_ident(version_table(dataset.id, version))}")
    if not current.is_symlink() or os.readlink(current) != final_dir.name:
        _swap_symlink(current, final_dir.name)
        rebuild_catalog(exports_dir)


def rebuild_catalog(exports_dir: Path) -> Path:
    """A small read-only DuckDB file of views over every dataset's current Parquet export."""
    target = exports_dir / CATALOG_NAME
    tmp = exports_dir / f".{CATALOG_NAME}.tmp-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for current in sorted(exports_dir.glob("*/*/current")):
            dataset_id = current.parent.name
            parquet = current.resolve() / f"{dataset_id}.parquet"
            if parquet.exists():
                # Point at the immutable version folder, not at 'current', so an open reader keeps
                # seeing one complete version even when 'current' moves on.
                con.execute(
                    f"CREATE VIEW {quote_ident(dataset_id)} AS SELECT * FROM read_parquet('{parquet}')"
                )
    finally:
        con.close()
    os.replace(tmp, target)
    return target


def _require_kept(con: duckdb.DuckDBPyConnection, exports_dir: Path, sector_id: str, dataset_id: str, version: int) -> Path:
    final_dir = dataset_dir(exports_dir, sector_id, dataset_id) / f"v{version:04d}"
    if version not in kept_versions(con, dataset_id) or not final_dir.exists():
        kept = ", ".join(f"v{v}" for v in kept_versions(con, dataset_id)) or "none"
        raise PublishError(
            f"dataset {dataset_id!r}: version {version} is not kept (table or exports missing); kept: {kept}"
        )
    return final_dir


def _serve(con: duckdb.DuckDBPyConnection, exports_dir: Path, sector_id: str, dataset_id: str, version: int,
           *, pinned: bool, reason: str, by: str) -> None:
    final_dir = _require_kept(con, exports_dir, sector_id, dataset_id, version)
    ensure_publication_table(con)
    con.execute("BEGIN")
    try:
        dialect_of(con).replace_view(
            con, f"curated.{quote_ident(dataset_id)}",
            f"SELECT * FROM curated.{quote_ident(version_table(dataset_id, version))}",
        )
        _set_current(con, sector_id, dataset_id, version, pinned=pinned, reason=reason, by=by)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    _swap_symlink(final_dir.parent / "current", final_dir.name)
    rebuild_catalog(exports_dir)
    write_history(con, exports_dir, sector_id, dataset_id)


def rollback(
    con: duckdb.DuckDBPyConnection,
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
    _serve(con, exports_dir, sector_id, dataset_id, version, pinned=pin,
           reason=reason or f"rolled to v{version}", by=by)
    log.warning("dataset %s: now serving v%d%s", dataset_id, version, " (pinned)" if pin else "")


def unpin(con: duckdb.DuckDBPyConnection, exports_dir: Path, sector_id: str, dataset_id: str, *, by: str = "cli unpin") -> int:
    """Release a pin and serve the newest kept version again; returns that version."""
    kept = kept_versions(con, dataset_id)
    if not kept:
        raise PublishError(f"dataset {dataset_id!r}: no kept version to serve")
    _serve(con, exports_dir, sector_id, dataset_id, kept[-1], pinned=False, reason="unpinned", by=by)
    return kept[-1]


def prune_versions(
    con: duckdb.DuckDBPyConnection, exports_dir: Path, sector_id: str, dataset_id: str, keep: int
) -> list[int]:
    """Drop versions older than the newest ``keep``, never the served or a pinned one.

    Drops ``curated.<dataset>__vNNNN`` and the ``vNNNN`` export folder; ``meta.publications``
    keeps the history. Returns the pruned version numbers.
    """
    if keep < 1:
        raise ValueError(f"keep must be >= 1, got {keep}")
    ensure_publication_table(con)
    kept = kept_versions(con, dataset_id)
    served, _ = served_version(con, exports_dir, sector_id, dataset_id)  # a pinned version is the served one
    ds_dir = dataset_dir(exports_dir, sector_id, dataset_id)
    # Export folders without a table (left by an interrupted prune) follow the same rule.
    on_disk = {int(m.group(1)) for p in ds_dir.glob("v*") if (m := _VERSION_DIR.match(p.name))} if ds_dir.is_dir() else set()
    versions = sorted(set(kept) | on_disk)
    protect = set(versions[-keep:]) | ({served} if served is not None else set())
    pruned = [v for v in versions if v not in protect]
    for version in pruned:
        con.execute(f"DROP TABLE IF EXISTS curated.{quote_ident(version_table(dataset_id, version))}")
        _rmtree(ds_dir / f"v{version:04d}")
    if pruned:
        log.info("dataset %s: pruned v%s (keeping %d)", dataset_id, ", v".join(map(str, pruned)), keep)
        write_history(con, exports_dir, sector_id, dataset_id)
    return pruned


def version_history(con: duckdb.DuckDBPyConnection, exports_dir: Path, sector_id: str, dataset_id: str) -> list[dict]:
    """Every version ever published, with whether it is kept, served and pinned."""
    ensure_publication_table(con)
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


def write_history(con: duckdb.DuckDBPyConnection, exports_dir: Path, sector_id: str, dataset_id: str) -> Path:
    """``exports/<sector>/<dataset>/history.json``: the version history for warehouse-free readers."""
    ds_dir = dataset_dir(exports_dir, sector_id, dataset_id)
    ds_dir.mkdir(parents=True, exist_ok=True)
    target = ds_dir / HISTORY_NAME
    tmp = ds_dir / f".{HISTORY_NAME}.tmp-{os.getpid()}"
    tmp.write_text(json.dumps(version_history(con, exports_dir, sector_id, dataset_id), indent=2))
    os.replace(tmp, target)
    return target
