"""What the API knows, read from the exports folder at request time (:mod:`sector_datasets.state.layout`).

Dataset ids from a request are looked up among the folders found here, never joined into a path,
so nothing a client sends can name a file outside the exports.
"""

from __future__ import annotations

import functools
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sector_datasets.api.search import DcatTerms, dcat_terms
from sector_datasets.state import layout
from sector_datasets.state.approvals import APPROVED, AWAITING


class NotFound(LookupError):
    """An unknown dataset or version; ``str()`` is the message the client gets."""


class Gone(LookupError):
    """A version that was published once but is no longer kept (or was never approved)."""


@dataclass(frozen=True)
class DatasetEntry:
    sector_id: str
    dataset_id: str
    folder: Path  # <exports>/<sector>/<dataset>


@dataclass(frozen=True)
class Version:
    """One readable version: its immutable folder and its ``metadata.json``."""

    entry: DatasetEntry
    number: int
    folder: Path
    metadata: dict[str, Any]

    @property
    def parquet(self) -> Path:
        return layout.parquet_file(self.folder, self.entry.dataset_id)

    @property
    def published_at(self) -> datetime:
        return parse_time(self.metadata.get("published_at")) or datetime.fromtimestamp(
            self.folder.stat().st_mtime, UTC)

    @property
    def columns(self) -> list[dict[str, Any]]:
        return list(self.metadata.get("columns") or [])


def parse_time(value: Any) -> datetime | None:
    if not value:
        return None
    moment = datetime.fromisoformat(str(value))
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@functools.lru_cache(maxsize=4096)
def _parsed(path: str, mtime_ns: int, size: int) -> Any:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def _stamp(path: Path) -> tuple[int, int]:
    stat = os.stat(path)
    return stat.st_mtime_ns, stat.st_size


@functools.lru_cache(maxsize=8)
def _terms(path: str, mtime_ns: int, size: int) -> dict[str, DcatTerms]:
    return dcat_terms(_parsed(path, mtime_ns, size))


def _read_json(path: Path) -> Any:
    """A JSON file, parsed once per content: every file is replaced by rename, never edited in
    place, so (path, mtime, size) names one content. Callers must not modify what they get."""
    return _parsed(str(path), *_stamp(path))


class ExportStore:
    """The published datasets under ``exports_dir`` (and the scorecards under ``reports_dir``)."""

    def __init__(self, exports_dir: Path, reports_dir: Path | None = None) -> None:
        self.exports_dir = Path(exports_dir)
        self.reports_dir = Path(reports_dir) if reports_dir else None

    # -- datasets ------------------------------------------------------------------------------
    def entries(self) -> list[DatasetEntry]:
        """Every dataset with a served version, in (sector, dataset) order."""
        return [DatasetEntry(link.parent.parent.name, link.parent.name, link.parent)
                for link in layout.all_current_links(self.exports_dir)]

    def entry(self, dataset_id: str) -> DatasetEntry:
        for entry in self.entries():
            if entry.dataset_id == dataset_id:
                return entry
        raise NotFound(f"unknown dataset {dataset_id!r} (không có bộ dữ liệu này); GET /datasets lists them")

    # -- versions ------------------------------------------------------------------------------
    def served(self, entry: DatasetEntry) -> Version:
        """The version ``current`` points at, resolved once: the caller reads only that folder."""
        link = entry.folder / layout.CURRENT
        try:
            target = os.readlink(link)
        except OSError:
            raise NotFound(f"dataset {entry.dataset_id!r} has no served version") from None
        number = layout.parse_version_name(Path(target).name)
        if number is None:
            raise NotFound(f"dataset {entry.dataset_id!r}: current points at {target!r}, not a version")
        return self._load(entry, number, check_approval=False)

    def version(self, entry: DatasetEntry, number: int) -> Version:
        """A kept version a reader may see: served once or approved, never a held or rejected one."""
        return self._load(entry, number, check_approval=True)

    def _load(self, entry: DatasetEntry, number: int, *, check_approval: bool) -> Version:
        folder = layout.version_dir(self.exports_dir, entry.sector_id, entry.dataset_id, number)
        try:
            metadata = _read_json(layout.metadata_file(folder))
        except FileNotFoundError:
            if any(h.get("version") == number for h in self.history(entry)):
                raise Gone(f"{entry.dataset_id} v{number} is no longer kept (phiên bản không còn lưu); "
                           "GET /datasets/{id}/versions lists the kept ones") from None
            raise NotFound(f"dataset {entry.dataset_id!r} has no version {number}") from None
        status = ((metadata.get("changes") or {}).get("approval") or {}).get("status")
        if check_approval and status == AWAITING:  # may still be approved: not gone, not there yet
            raise NotFound(f"{entry.dataset_id} v{number} awaits its owner's approval and is not published yet "
                           "(đang chờ phê duyệt)")
        if check_approval and status not in (None, APPROVED):
            raise Gone(f"{entry.dataset_id} v{number} was not approved for publication ({status}; không được phê duyệt)")
        return Version(entry, number, folder, metadata)

    def history(self, entry: DatasetEntry) -> list[dict[str, Any]]:
        path = layout.history_file(self.exports_dir, entry.sector_id, entry.dataset_id)
        return _read_json(path) if path.exists() else []

    def datapackage(self, entry: DatasetEntry) -> dict[str, Any]:
        path = layout.datapackage_file(self.exports_dir, entry.sector_id, entry.dataset_id)
        if not path.exists():
            raise NotFound(f"dataset {entry.dataset_id!r} has no datapackage.json yet")
        return _read_json(path)

    def catalog_path(self) -> Path:
        path = layout.catalog_jsonld_file(self.exports_dir)
        if not path.exists():
            raise NotFound("no DCAT catalog has been written yet (make run writes it)")
        return path

    def dcat_terms(self) -> dict[str, DcatTerms]:
        """dataset id → DCAT keywords and themes; {} before the first catalog is written."""
        path = layout.catalog_jsonld_file(self.exports_dir)
        return _terms(str(path), *_stamp(path)) if path.exists() else {}

    # -- the scorecards' view of a dataset (maturity, gate, metadata quality) -------------------
    def scorecard(self, entry: DatasetEntry) -> dict[str, Any] | None:
        if self.reports_dir is None:
            return None
        path = layout.scorecard_json_file(self.reports_dir, entry.sector_id)
        if not path.exists():
            return None
        sector = _read_json(path)
        return next((d for d in sector.get("datasets", []) if d.get("id") == entry.dataset_id), None)
