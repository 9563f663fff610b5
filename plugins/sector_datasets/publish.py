"""Write–audit–publish, last step: a gated audit table becomes a new curated version.

Order of operations, chosen so that a crash at any point leaves the last good version readable:

1. exports (Parquet, CSV, metadata.json) are written into a hidden temporary folder;
2. one DuckDB transaction creates ``curated.<dataset>__vNNNN``, repoints the ``curated.<dataset>``
   view and records the publication — readers of the warehouse see the old or the new version,
   never a mix;
3. the temporary folder is renamed to ``vNNNN`` and the ``current`` symlink is swapped with
   ``os.replace`` (atomic on POSIX);
4. the read-only catalog ``exports/catalog.duckdb`` (views over the current Parquet files) is
   rebuilt into a temporary file and swapped in with ``os.replace``.

A crash between 2 and 4 is repaired by the next run: the audit table's checksum equals the
newest version's, so no new version is made and the exports are brought up to date.
Downstream tools read the exports or the catalog and therefore never block on the pipeline.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from .registry import Dataset, Registry, Sector
from .warehouse import quote_ident

log = logging.getLogger(__name__)

CATALOG_NAME = "catalog.duckdb"
CORRECTIONS_DIR = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "corrections"


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


def version_table(dataset_id: str, version: int) -> str:
    return f"{dataset_id}__v{version:04d}"


def table_checksum(con: duckdb.DuckDBPyConnection, qualified: str) -> tuple[int, str]:
    """Order-independent content checksum: row count and the sum of row hashes."""
    rows, total = con.execute(f"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {qualified} t").fetchone()
    return int(rows), f"{rows}:{total}"


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
    con.execute(f"COPY (SELECT * FROM {source_table}) TO '{parquet}' (FORMAT parquet, COMPRESSION zstd)")
    con.execute(f"COPY (SELECT * FROM {source_table}) TO '{csv}' (FORMAT csv, HEADER true)")
    (target / "metadata.json").write_text(json.dumps(metadata, ensure_ascii=False, indent=2, default=str))
    for path in target.iterdir():
        os.chmod(path, 0o444)


def _swap_symlink(link: Path, target_name: str) -> None:
    tmp = link.with_name(f".{link.name}.tmp-{os.getpid()}")
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target_name, tmp)
    os.replace(tmp, link)


def _column_dictionary(con: duckdb.DuckDBPyConnection, table: str, dbt_columns: dict) -> list[dict]:
    schema, name = table.split(".")
    rows = con.execute(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position",
        [schema, name],
    ).fetchall()
    out = []
    for column, dtype in rows:
        doc = dbt_columns.get(column, {})
        meta = doc.get("meta") or {}
        out.append(
            {
                "name": column,
                "type": dtype,
                "description": doc.get("description") or "",
                "description_vi": meta.get("description_vi", ""),
                "unit": meta.get("unit"),
            }
        )
    return out


def load_dbt_docs(manifest_path: Path, model: str) -> dict:
    """Model description and column docs from dbt's manifest: dbt yml is the data dictionary."""
    if not manifest_path.exists():
        return {}
    manifest = json.loads(manifest_path.read_text())
    for node in manifest.get("nodes", {}).values():
        if node.get("resource_type") == "model" and node.get("name") == model:
            return {"description": node.get("description", ""), "columns": node.get("columns", {})}
    return {}


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
) -> dict:
    sources = [registry.sources[s] for s in dataset.sources]
    return {
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
) -> Publication:
    """Publish ``audit.<model>`` as the next curated version (or confirm the current one)."""
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
    rows, checksum = table_checksum(con, audit)
    latest = latest_publication(con, dataset.id)
    ds_dir = dataset_dir(exports_dir, sector.id, dataset.id)
    ds_dir.mkdir(parents=True, exist_ok=True)
    _remove_orphans(ds_dir)
    now = datetime.now(UTC).replace(microsecond=0)

    if latest and latest[1] == checksum:
        version = latest[0]
        log.info("sector %s dataset %s: unchanged since v%d; no new version", sector.id, dataset.id, version)
        _repair_exports(con, registry, sector, dataset, version, run_id, exports_dir, dbt_manifest, validation)
        return Publication(sector.id, dataset.id, version, rows, checksum, now.isoformat(), run_id, False, str(ds_dir / f"v{version:04d}"))

    version = (latest[0] + 1) if latest else 1
    vtable = f"curated.{quote_ident(version_table(dataset.id, version))}"
    docs = load_dbt_docs(dbt_manifest, dataset.model_name)
    metadata = build_metadata(
        registry, sector, dataset, version=version, row_count=rows, checksum=checksum, run_id=run_id,
        published_at=now.isoformat(), columns=_column_dictionary(con, f"audit.{dataset.model_name}", docs.get("columns", {})),
        validation=validation,
    )
    tmp_dir = ds_dir / f".v{version:04d}.tmp-{os.getpid()}"
    _write_exports(con, audit, tmp_dir, dataset.id, metadata)

    con.execute("BEGIN")
    try:
        con.execute(f"CREATE TABLE {vtable} AS SELECT * FROM {audit}")
        con.execute(f"CREATE OR REPLACE VIEW curated.{quote_ident(dataset.id)} AS SELECT * FROM {vtable}")
        con.execute(
            "INSERT INTO meta.publications VALUES (?, ?, ?, ?, ?, ?, CAST(? AS TIMESTAMP), ?)",
            [dataset.id, sector.id, version, rows, checksum, run_id, now.replace(tzinfo=None), vtable],
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        shutil.rmtree(tmp_dir, ignore_errors=True)
        raise
    final_dir = ds_dir / f"v{version:04d}"
    os.replace(tmp_dir, final_dir)
    _swap_symlink(ds_dir / "current", final_dir.name)
    rebuild_catalog(exports_dir)
    log.info("sector %s dataset %s: published v%d (%d rows) → %s", sector.id, dataset.id, version, rows, final_dir)
    return Publication(sector.id, dataset.id, version, rows, checksum, now.isoformat(), run_id, True, str(final_dir))


def _remove_orphans(ds_dir: Path) -> None:
    """Temporary export folders left by a run killed before its commit were never visible."""
    for tmp in ds_dir.glob(".v*.tmp-*"):
        for path in tmp.iterdir():
            os.chmod(path, 0o644)
        shutil.rmtree(tmp, ignore_errors=True)


def _repair_exports(con, registry, sector, dataset, version, run_id, exports_dir, dbt_manifest, validation) -> None:
    ds_dir = dataset_dir(exports_dir, sector.id, dataset.id)
    final_dir = ds_dir / f"v{version:04d}"
    if not final_dir.exists():
        vtable = f"curated.{quote_ident(version_table(dataset.id, version))}"
        rows, checksum = table_checksum(con, vtable)
        docs = load_dbt_docs(dbt_manifest, dataset.model_name)
        metadata = build_metadata(
            registry, sector, dataset, version=version, row_count=rows, checksum=checksum, run_id=run_id,
            published_at=datetime.now(UTC).replace(microsecond=0).isoformat(),
            columns=_column_dictionary(con, f"curated.{version_table(dataset.id, version)}", docs.get("columns", {})),
            validation=validation,
        )
        tmp_dir = ds_dir / f".v{version:04d}.tmp-{os.getpid()}"
        _write_exports(con, vtable, tmp_dir, dataset.id, metadata)
        os.replace(tmp_dir, final_dir)
        log.warning("sector %s dataset %s: exports of v%d were missing and were rebuilt", sector.id, dataset.id, version)
    current = ds_dir / "current"
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


def rollback(con: duckdb.DuckDBPyConnection, exports_dir: Path, sector_id: str, dataset_id: str, version: int) -> None:
    """Point ``curated.<dataset>`` and the exports' ``current`` at an existing kept version."""
    vname = version_table(dataset_id, version)
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'curated' AND table_name = ?", [vname]
    ).fetchone()[0]
    final_dir = dataset_dir(exports_dir, sector_id, dataset_id) / f"v{version:04d}"
    if not exists or not final_dir.exists():
        raise PublishError(f"dataset {dataset_id!r}: version {version} is not kept (table or exports missing)")
    con.execute(f"CREATE OR REPLACE VIEW curated.{quote_ident(dataset_id)} AS SELECT * FROM curated.{quote_ident(vname)}")
    _swap_symlink(final_dir.parent / "current", final_dir.name)
    rebuild_catalog(exports_dir)
