"""Where the platform's files and version tables live: every stage asks here, none builds a path.

::

    <home>/landing/<sector>/<run>/<source>/          landed pages + manifest.json (extract; unchanged
                                                     pages hard-linked from the source's last landing)
    <home>/runs/<sector>/<run>/events.jsonl          the run's event log (state.runlog)
    <home>/quality/<sector>/<dataset>/<run>.json     gate verdicts, one per run (gate.verdicts)
    <exports>/catalog.duckdb                         every current version as a table curated.<dataset> (publish)
    <exports>/.catalog.duckdb.lock                   held while a publish updates the catalog
    <exports>/catalog.jsonld                         DCAT-AP catalogue (report.dcat)
    <exports>/<sector>/<dataset>/vNNNN/              one read-only folder per kept version:
                                 <dataset>.parquet, <dataset>.csv, <dataset>.xlsx, metadata.json
    <exports>/<sector>/<dataset>/current -> vNNNN    the served version (relative symlink)
    <exports>/<sector>/<dataset>/history.json        every version ever published
    <exports>/<sector>/<dataset>/datapackage.json    Frictionless descriptor of ``current``
    <reports>/index.html, maturity.html              national overview, maturity levels
    <reports>/<sector>/index.html, scorecard.json    the sector scorecard (page, data)
    <reports>/<sector>/runs/<run>.html               one run's report
    <reports>/<sector>/validations/<dataset>/<run>.html   one gate result
    <reports>/<sector>/datasets/<dataset>.html       the data dictionary
    warehouse: curated.<dataset>__vNNNN              one table per kept version

``<run>`` is :func:`run_folder_name` of the run id. A file or folder is written as the hidden
sibling :func:`tmp_sibling` and renamed into place, so readers never see half of one.

Plain ``pathlib`` and ``re`` only: the Airflow UI plugin imports this in every Airflow process.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

# --------------------------------------------------------------------------------------------
# Run ids
# --------------------------------------------------------------------------------------------

_UNSAFE_RUN_CHARS = re.compile(r"[^A-Za-z0-9_.-]+")
_LANDING_RUN_ID = re.compile(r"^[A-Za-z0-9_.:+-]+$")
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9_]{1,62}$")


def run_folder_name(run_id: str) -> str:
    """The folder/file name of a run: Airflow run ids contain ':' and '+', folder names should not.

    Every run of unsafe characters becomes one '_', leading and trailing '.'/'_' go, and '..' can
    never survive, so the name never leaves its parent folder. Idempotent, so a name read back from
    disk maps to itself. ``manual__2025-01-06T10:11:12.123+07:00`` → ``manual__2025-01-06T10_11_12.123_07_00``.
    """
    cleaned = _UNSAFE_RUN_CHARS.sub("_", run_id).strip("._") or "run"
    return cleaned.replace("..", "_")


# --------------------------------------------------------------------------------------------
# home: landing, event log, gate verdicts
# --------------------------------------------------------------------------------------------


LANDING_MANIFEST_NAME = "manifest.json"


def _check_ids(sector_id: str, source_id: str) -> None:
    if not _IDENTIFIER.fullmatch(sector_id):
        raise ValueError(f"sector id {sector_id!r} is not a valid identifier")
    if not _IDENTIFIER.fullmatch(source_id):
        raise ValueError(f"source id {source_id!r} is not a valid identifier")


def landing_path(landing_dir: Path, sector_id: str, run_id: str, source_id: str) -> Path:
    """``<landing>/<sector>/<run>/<source>``; refuses ids that could leave the landing root.

    A landed folder is evidence, so a run id that would need more than the ':'/'+' mapping to be
    a folder name is rejected here rather than silently renamed.
    """
    _check_ids(sector_id, source_id)
    if not run_id or not _LANDING_RUN_ID.fullmatch(run_id) or ".." in run_id or set(run_id) == {"."}:
        raise ValueError(
            f"run_id {run_id!r} is not allowed as a landing folder: use letters, digits and _.:+- "
            "without '..' or '/'"
        )
    return Path(landing_dir) / sector_id / run_folder_name(run_id) / source_id


def source_landings(landing_dir: Path, sector_id: str, source_id: str) -> list[Path]:
    """Every landed folder of the source (one per run that landed it; only complete ones, which
    hold their manifest), the most recently landed first."""
    _check_ids(sector_id, source_id)

    def landed_ns(folder: Path) -> int:
        try:
            return (folder / LANDING_MANIFEST_NAME).stat().st_mtime_ns
        except OSError:  # removed since the glob saw it
            return -1

    found = [m.parent for m in Path(landing_dir).glob(f"{sector_id}/*/{source_id}/{LANDING_MANIFEST_NAME}")]
    return sorted(found, key=landed_ns, reverse=True)


def runs_dir(home: Path, sector_id: str) -> Path:
    """One folder per run of the sector (:func:`run_dir`)."""
    return home / "runs" / sector_id


def run_dir(home: Path, sector_id: str, run_id: str) -> Path:
    return runs_dir(home, sector_id) / run_folder_name(run_id)


def events_file(home: Path, sector_id: str, run_id: str) -> Path:
    return run_dir(home, sector_id, run_id) / "events.jsonl"


def verdicts_dir(home: Path, sector_id: str, dataset_id: str) -> Path:
    """Every gate result of a dataset, one JSON file per run (:func:`verdict_file`)."""
    return home / "quality" / sector_id / dataset_id


def verdict_file(home: Path, sector_id: str, dataset_id: str, run_id: str) -> Path:
    return verdicts_dir(home, sector_id, dataset_id) / f"{run_folder_name(run_id)}.json"


# --------------------------------------------------------------------------------------------
# Versions: folder and table names
# --------------------------------------------------------------------------------------------

_VERSION_NAME = re.compile(r"^v(\d{4,})$")


def version_name(version: int) -> str:
    """``v0007``: zero-padded so that folders and tables sort by version up to v9999."""
    return f"v{version:04d}"


def parse_version_name(name: str) -> int | None:
    """The version of a ``vNNNN`` name, or None for anything else (``current``, temp folders)."""
    match = _VERSION_NAME.match(name)
    return int(match.group(1)) if match else None


def version_table(dataset_id: str, version: int) -> str:
    """``<dataset>__vNNNN``, the table in schema ``curated`` that holds one version."""
    return f"{dataset_id}__{version_name(version)}"


def version_table_like(dataset_id: str) -> str:
    """A SQL ``LIKE`` pattern that every version table of the dataset matches (and a few more:
    ``_`` is a wildcard there; :func:`parse_version_table` decides)."""
    return f"{dataset_id}__v%"


def parse_version_table(dataset_id: str, table_name: str) -> int | None:
    prefix = f"{dataset_id}__"
    return parse_version_name(table_name[len(prefix):]) if table_name.startswith(prefix) else None


# --------------------------------------------------------------------------------------------
# Exports
# --------------------------------------------------------------------------------------------

CURRENT = "current"
METADATA_NAME = "metadata.json"
HISTORY_NAME = "history.json"
DATAPACKAGE_NAME = "datapackage.json"
CATALOG_NAME = "catalog.duckdb"
CATALOG_JSONLD_NAME = "catalog.jsonld"


def dataset_dir(exports_dir: Path, sector_id: str, dataset_id: str) -> Path:
    return exports_dir / sector_id / dataset_id


def version_dir(exports_dir: Path, sector_id: str, dataset_id: str, version: int) -> Path:
    return dataset_dir(exports_dir, sector_id, dataset_id) / version_name(version)


def version_dirs(ds_dir: Path) -> list[tuple[int, Path]]:
    """(version, folder) of every ``vNNNN`` folder present in a dataset folder, oldest first."""
    if not ds_dir.is_dir():
        return []
    return sorted((v, p) for p in ds_dir.iterdir() if (v := parse_version_name(p.name)) is not None)


def current_link(exports_dir: Path, sector_id: str, dataset_id: str) -> Path:
    """The ``current`` symlink, pointing at the served ``vNNNN`` sibling."""
    return dataset_dir(exports_dir, sector_id, dataset_id) / CURRENT


def current_link_version(link: Path) -> int | None:
    """The version a ``current`` symlink points at, or None if it is missing or points elsewhere."""
    return parse_version_name(os.readlink(link)) if link.is_symlink() else None


def all_current_links(exports_dir: Path) -> list[Path]:
    """Every dataset's ``current`` symlink, sorted."""
    return sorted(exports_dir.glob(f"*/*/{CURRENT}"))


def parquet_file(folder: Path, dataset_id: str) -> Path:
    return folder / f"{dataset_id}.parquet"


def csv_file(folder: Path, dataset_id: str) -> Path:
    return folder / f"{dataset_id}.csv"


def xlsx_file(folder: Path, dataset_id: str) -> Path:
    return folder / f"{dataset_id}.xlsx"


def metadata_file(folder: Path) -> Path:
    return folder / METADATA_NAME


def history_file(exports_dir: Path, sector_id: str, dataset_id: str) -> Path:
    return dataset_dir(exports_dir, sector_id, dataset_id) / HISTORY_NAME


def datapackage_file(exports_dir: Path, sector_id: str, dataset_id: str) -> Path:
    return dataset_dir(exports_dir, sector_id, dataset_id) / DATAPACKAGE_NAME


def catalog_file(exports_dir: Path) -> Path:
    return exports_dir / CATALOG_NAME


def catalog_lock_file(exports_dir: Path) -> Path:
    """Held while the catalog is rebuilt, so two publishes never interleave their rebuilds."""
    return exports_dir / f".{CATALOG_NAME}.lock"


def catalog_jsonld_file(exports_dir: Path) -> Path:
    return exports_dir / CATALOG_JSONLD_NAME


# --------------------------------------------------------------------------------------------
# Temporary siblings
# --------------------------------------------------------------------------------------------


def tmp_prefix(name: str) -> str:
    """The start of every temporary sibling's name of ``name`` (hidden: readers skip dotfiles)."""
    return f".{name}.tmp-"


def tmp_sibling(final: Path) -> Path:
    """``.<name>.tmp-<pid>`` next to ``final``: written first, then renamed onto ``final``."""
    return final.with_name(f"{tmp_prefix(final.name)}{os.getpid()}")


def orphan_version_dirs(ds_dir: Path) -> list[Path]:
    """Temporary version folders left by a publish that was killed before renaming them."""
    return sorted(ds_dir.glob(f"{tmp_prefix('v*')}*"))


# --------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------


def overview_page(reports_dir: Path) -> Path:
    return reports_dir / "index.html"


def maturity_page(reports_dir: Path) -> Path:
    return reports_dir / "maturity.html"


def sector_reports_dir(reports_dir: Path, sector_id: str) -> Path:
    return reports_dir / sector_id


def scorecard_page(reports_dir: Path, sector_id: str) -> Path:
    return sector_reports_dir(reports_dir, sector_id) / "index.html"


def scorecard_json_file(reports_dir: Path, sector_id: str) -> Path:
    """The sector scorecard as data (what the read API serves as maturity and gate status)."""
    return sector_reports_dir(reports_dir, sector_id) / "scorecard.json"


def run_page(reports_dir: Path, sector_id: str, run_id: str) -> Path:
    """A run's report; ``run_id`` may also be a run folder name (the sanitizer is idempotent)."""
    return sector_reports_dir(reports_dir, sector_id) / "runs" / f"{run_folder_name(run_id)}.html"


def validation_page(reports_dir: Path, sector_id: str, dataset_id: str, run_id: str) -> Path:
    return sector_reports_dir(reports_dir, sector_id) / "validations" / dataset_id / f"{run_folder_name(run_id)}.html"


def dataset_page(reports_dir: Path, sector_id: str, dataset_id: str) -> Path:
    return sector_reports_dir(reports_dir, sector_id) / "datasets" / f"{dataset_id}.html"
