"""The files readers download: version folders, the ``current`` symlink, the catalog, history.json.

Every file is written under a hidden temporary name and renamed into place
(:func:`~sector_datasets.state.layout.tmp_sibling`), so a reader of the exports sees an old or a
new file, never half of one; version folders are read-only once written.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from pathlib import Path
from typing import Any

import duckdb

from sector_datasets.state import layout
from sector_datasets.state.versions import version_history
from sector_datasets.warehouse import dialect_of
from sector_datasets.warehouse.duckdb_lock import quote_ident

log = logging.getLogger(__name__)


def write_exports(con: Any, source_table: str, target: Path, dataset_id: str, metadata: dict) -> None:
    """Parquet, CSV and ``metadata.json`` of ``source_table`` into the new folder ``target``, read-only."""
    target.mkdir(parents=True, exist_ok=False)
    dialect_of(con).write_exports(
        con, source_table, layout.parquet_file(target, dataset_id), layout.csv_file(target, dataset_id)
    )
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
    """A small read-only DuckDB file of views over every dataset's current Parquet export."""
    target = layout.catalog_file(exports_dir)
    tmp = layout.tmp_sibling(target)
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    try:
        for current in layout.all_current_links(exports_dir):
            dataset_id = current.parent.name
            parquet = layout.parquet_file(current.resolve(), dataset_id)
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
