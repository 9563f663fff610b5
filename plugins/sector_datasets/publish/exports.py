"""The files readers download: version folders, the ``current`` symlink, the catalog, history.json.

A version folder holds ``<dataset>.parquet``, ``.csv``, ``.xlsx`` (what each promises:
:mod:`.export_files`) and ``metadata.json``. ``catalog.duckdb`` holds every served version as a
*table* ``curated.<dataset>`` (not a view over the Parquet files), with the dataset's title as
table comment and each column's description and unit as column comments, from the version's
``metadata.json``: a copied exports folder (or the catalog alone) opens from anywhere and can
never read another build's files, and the usage scenarios' SQL (``curated.<dataset>``) runs on
it unchanged. For the 43 datasets of the real build it is ≈12 MB; a publish reloads only the
tables that changed (README "Reading the exports" has the measurements and compares views).

Every file is written under a hidden temporary name and renamed into place
(:func:`~sector_datasets.state.layout.tmp_sibling`), so a reader of the exports sees an old or a
new file, never half of one; version folders are read-only once written.
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
from pathlib import Path
from typing import Any

import duckdb

from sector_datasets.publish import export_files
from sector_datasets.state import layout
from sector_datasets.state.versions import version_history
from sector_datasets.warehouse import dialect_of
from sector_datasets.warehouse.duckdb_lock import quote_ident, quote_literal

log = logging.getLogger(__name__)

#: The catalog's schema: the usage scenarios' SQL says ``curated.<dataset>``, as in the warehouse.
CATALOG_SCHEMA = "curated"


def write_exports(con: Any, source_table: str, target: Path, dataset_id: str, metadata: dict) -> None:
    """Parquet, CSV, XLSX and ``metadata.json`` of ``source_table`` into the new folder ``target``,
    read-only; the same code for every warehouse (PostgreSQL hands the table to DuckDB first)."""
    target.mkdir(parents=True, exist_ok=False)
    where = f"sector {(metadata.get('sector') or {}).get('id')!r} dataset {dataset_id!r}"
    with dialect_of(con).as_duckdb(con, source_table) as (duck, relation):
        export_files.write_parquet(duck, relation, layout.parquet_file(target, dataset_id), where)
        export_files.write_csv(duck, relation, layout.csv_file(target, dataset_id))
        export_files.write_xlsx(duck, relation, layout.xlsx_file(target, dataset_id), metadata.get("columns") or [], where)
    layout.metadata_file(target).write_text(json.dumps(metadata, ensure_ascii=False, indent=2, default=str))
    for path in target.iterdir():
        os.chmod(path, 0o444)


def serve_folder(exports_dir: Path, folder: Path) -> None:
    """Point the dataset's ``current`` at the version ``folder`` and rebuild the catalog."""
    _swap_symlink(folder.parent / layout.CURRENT, folder.name)
    rebuild_catalog(exports_dir)


def _swap_symlink(link: Path, target_name: str) -> None:
    tmp = layout.tmp_sibling(link)
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    os.symlink(target_name, tmp)
    os.replace(tmp, link)


def rebuild_catalog(exports_dir: Path) -> Path:
    """``catalog.duckdb``: every dataset's served version as a commented table ``curated.<dataset>``
    (module docstring), written as a hidden file and renamed into place, so a reader opens the
    old catalog or the new one, never half of one.

    The hidden file starts as a copy of the catalog, and only the tables whose served Parquet
    changed are (re)loaded (``main.catalog_sources`` says from which file each table was loaded):
    a publish serves one dataset, and loading all of them again cost ≈0.5 s per publish.
    """
    target = layout.catalog_file(exports_dir)
    tmp = layout.tmp_sibling(target)
    # Publishes of different datasets may run at once (PostgreSQL): one rebuild at a time, each
    # reading the 'current' links after the previous one renamed its catalog, so none is lost.
    with open(layout.catalog_lock_file(exports_dir), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for orphan in exports_dir.glob(f"{layout.tmp_prefix(target.name)}*"):  # left by a killed rebuild
            orphan.unlink(missing_ok=True)
        if target.is_file():
            shutil.copyfile(target, tmp)
        con = duckdb.connect(str(tmp))
        try:
            if not _has_sources_table(con):  # new, or a catalog of views from before: start afresh
                con.close()
                tmp.unlink()
                con = duckdb.connect(str(tmp))
                con.execute(f"CREATE SCHEMA {CATALOG_SCHEMA}")
                con.execute(f"CREATE TABLE {SOURCES_TABLE} (dataset VARCHAR PRIMARY KEY, parquet VARCHAR NOT NULL)")
            # One transaction: the file is private until renamed, and a commit per statement (the
            # table, its comment, one per column) made a rebuild ≈20 % slower (median 170 → 134 ms
            # with 56 tables, one reloaded).
            con.execute("BEGIN")
            _sync_catalog(con, exports_dir)
            con.execute("COMMIT")
        except BaseException:
            con.close()
            tmp.unlink(missing_ok=True)
            raise
        con.close()
        os.replace(tmp, target)
    return target


#: Which Parquet file (version folder, size, modification time) each catalog table was loaded from.
SOURCES_TABLE = "main.catalog_sources"


def _has_sources_table(con: Any) -> bool:
    return bool(con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE schema_name = 'main' AND table_name = 'catalog_sources'"
    ).fetchone()[0])


def _parquet_stamp(folder: Path, parquet: Path) -> str:
    stat = parquet.stat()
    return f"{folder.name}/{parquet.name}:{stat.st_size}:{stat.st_mtime_ns}"


def _sync_catalog(con: Any, exports_dir: Path) -> None:
    """Make the catalog's tables the served versions: load what changed, drop what is gone."""
    loaded = dict(con.execute(f"SELECT dataset, parquet FROM {SOURCES_TABLE}").fetchall())
    served: dict[str, tuple[Path, Path]] = {}
    for current in layout.all_current_links(exports_dir):
        # The immutable version folder, not 'current', which may move on while this runs.
        folder = current.resolve()
        parquet = layout.parquet_file(folder, current.parent.name)
        if parquet.is_file():
            served[current.parent.name] = (folder, parquet)
    for dataset_id in sorted(set(loaded) - set(served)):
        con.execute(f"DROP TABLE IF EXISTS {CATALOG_SCHEMA}.{quote_ident(dataset_id)}")
        con.execute(f"DELETE FROM {SOURCES_TABLE} WHERE dataset = ?", [dataset_id])
    for dataset_id, (folder, parquet) in served.items():
        stamp = _parquet_stamp(folder, parquet)
        if loaded.get(dataset_id) != stamp:
            _catalog_table(con, folder, parquet, dataset_id)
            con.execute(f"INSERT OR REPLACE INTO {SOURCES_TABLE} VALUES (?, ?)", [dataset_id, stamp])


def _catalog_table(con: Any, folder: Path, parquet: Path, dataset_id: str) -> None:
    table = f"{CATALOG_SCHEMA}.{quote_ident(dataset_id)}"
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM read_parquet({quote_literal(str(parquet))})")
    try:
        meta = json.loads(layout.metadata_file(folder).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        log.warning("catalog: %s has no readable %s; %s has no comments", folder, layout.METADATA_NAME, dataset_id)
        return
    title = meta.get("title") or {}
    con.execute(f"COMMENT ON TABLE {table} IS {quote_literal(table_comment(title, meta.get('version')))}")
    present = {row[0] for row in con.execute(f"DESCRIBE {table}").fetchall()}
    for column in meta.get("columns") or []:
        if column.get("name") in present:
            con.execute(f"COMMENT ON COLUMN {table}.{quote_ident(column['name'])} IS {quote_literal(column_comment(column))}")


def table_comment(title: dict, version: Any) -> str:
    """``<title vi> / <title en> (vN)``: the catalog's table comment."""
    return f"{title.get('vi', '')} / {title.get('en', '')} (v{version})"


def column_comment(column: dict) -> str:
    """``<description vi> / <description en> [unit]``: a catalog column comment, from ``metadata.json``."""
    unit = f" [{column['unit']}]" if column.get("unit") else ""
    return f"{column.get('description_vi') or ''} / {column.get('description') or ''}{unit}"


def remove_orphans(ds_dir: Path) -> None:
    """Temporary export folders left by a run killed before its commit were never visible."""
    for tmp in layout.orphan_version_dirs(ds_dir):
        # Say so: an orphan means an earlier publish of this dataset was killed mid-way.
        log.warning("%s: removing %s, left by a publish that was killed before its commit", ds_dir.name, tmp.name)
        remove_folder(tmp)


def remove_folder(path: Path) -> None:
    """Remove an export folder whose files were made read-only."""
    if not path.exists():
        return
    for child in path.iterdir():
        if child.is_file():
            os.chmod(child, 0o644)
    shutil.rmtree(path, ignore_errors=True)


def write_history(con: Any, exports_dir: Path, sector_id: str, dataset_id: str) -> Path:
    """``exports/<sector>/<dataset>/history.json``: the version history for warehouse-free readers."""
    target = layout.history_file(exports_dir, sector_id, dataset_id)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = layout.tmp_sibling(target)
    tmp.write_text(json.dumps(version_history(con, exports_dir, sector_id, dataset_id), indent=2))
    os.replace(tmp, target)
    return target
