"""The landing zone: fetched pages written once, read-only, with a manifest per source and run.

A landed folder is the evidence of what a run loaded, so it is never rewritten: a task retry
finds the folder and returns its manifest instead of replacing the files. Pages are written to a
hidden temporary sibling and renamed into place, so readers never see a half-written folder.

A page the server called not modified (:mod:`.conditional`) is hard-linked from the source's
last landing rather than written again: both folders are write-once and read-only, so sharing the
file costs no disk, cannot change either landing, and survives the removal of the older one.
Its manifest entry says ``not_modified`` and where the bytes came from; name, sha256 and size are
those of a download, so load, recovery and the report cannot tell the difference.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sector_datasets.records import JsonRecord
from sector_datasets.registry import Source
from sector_datasets.extract.conditional import PriorLanding
from sector_datasets.extract.errors import ExtractError
from sector_datasets.extract.http_client import Page
from sector_datasets.state import layout

logger = logging.getLogger(__name__)

MANIFEST_NAME = layout.LANDING_MANIFEST_NAME
_EXTENSIONS = {"worldbank_json": "json", "json": "json", "csv": "csv", "xlsx": "xlsx"}


@dataclass(frozen=True)
class LandingManifest(JsonRecord):
    """What was landed for one source in one run; plain JSON types only, so it fits in an XCom."""

    sector_id: str
    source_id: str
    run_id: str
    path: str
    format: str
    licence: str
    provenance: str
    files: list[dict[str, Any]] = field(default_factory=list)
    # sha256 over the ordered file sha256s (hex, newline-joined): one value per landed payload.
    sha256: str = ""
    landed_at: str = ""

    @property
    def file_paths(self) -> list[Path]:
        return [Path(self.path) / f["name"] for f in self.files]

    @property
    def not_modified(self) -> list[str]:
        """The files the server called not modified, taken from the source's previous landing."""
        return [f["name"] for f in self.files if f.get("not_modified")]


def combined_sha256(file_sha256s: list[str]) -> str:
    return hashlib.sha256("\n".join(file_sha256s).encode("ascii")).hexdigest()


def read_manifest(path: Path | str) -> LandingManifest:
    """Read a manifest given its file or the landed folder that holds it."""
    path = Path(path)
    if path.is_dir():
        path = path / MANIFEST_NAME
    with path.open("r", encoding="utf-8") as fh:
        return LandingManifest.from_dict(json.load(fh))


def _utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def previous_landing(landing_dir: Path, sector_id: str, source_id: str, run_id: str) -> PriorLanding | None:
    """The source's most recent landing by another run, whose validators extract sends back."""
    landing_dir = Path(landing_dir).absolute()
    current = layout.landing_path(landing_dir, sector_id, run_id, source_id)
    for folder in layout.source_landings(landing_dir, sector_id, source_id):
        if folder == current:  # a retried task: land_pages keeps that landing anyway
            continue
        try:
            manifest = read_manifest(folder)
            return PriorLanding.from_manifest_files(manifest.run_id, folder, manifest.files)
        except (OSError, ValueError, TypeError, KeyError) as exc:
            logger.warning("%s/%s: skipping unreadable landing manifest in %s: %s", sector_id, source_id, folder, exc)
    return None


def _land_file(path: Path, page: Page) -> None:
    if page.reused is not None:
        try:
            os.link(page.reused, path)
            os.chmod(path, 0o444)  # the shared inode: read-only in both landings, whatever happened to it
            return
        except OSError as exc:  # another file system, or no hard links there: a copy does the same
            logger.info("could not hard-link %s (%s); writing a copy", page.reused, exc)
    _write_readonly(path, page.body)


def _write_readonly(path: Path, data: bytes) -> None:
    with path.open("xb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.chmod(path, 0o444)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def land_pages(
    landing_dir: Path,
    sector_id: str,
    run_id: str,
    source: Source,
    pages: list[Page],
) -> LandingManifest:
    """Write ``pages`` to ``<landing_dir>/<sector>/<run>/<source>/`` once and return the manifest.

    If the folder already holds a manifest (a retried task), that manifest is returned and
    nothing is written; differing content is logged, not applied, because the first landing is
    what downstream tasks may already have read.
    """
    if not pages:
        raise ExtractError("no pages to land", sector_id=sector_id, source_id=source.id, url=None)
    # Absolute so that the manifest path still works from another working directory (dbt, GX).
    landing_dir = Path(landing_dir).absolute()
    final = layout.landing_path(landing_dir, sector_id, run_id, source.id)
    ext = _EXTENSIONS[source.format]
    hashes = [hashlib.sha256(p.body).hexdigest() for p in pages]

    existing = _existing(final, hashes, sector_id, source)
    if existing is not None:
        return existing

    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=layout.tmp_prefix(final.name), dir=final.parent))
    try:
        files = []
        for index, (page, digest) in enumerate(zip(pages, hashes, strict=True), start=1):
            name = f"page-{index:04d}.{ext}"
            _land_file(tmp / name, page)
            files.append(
                {
                    "name": name,
                    "url": page.url,
                    "params": dict(page.params),
                    "status": page.status,
                    "sha256": digest,
                    "size": len(page.body),
                    "fetched_at": page.fetched_at,
                    "content_type": page.headers.get("content-type"),
                    # What was asked and the validators to ask with next time (.conditional).
                    "request": page.request,
                    "etag": page.headers.get("etag"),
                    "last_modified": page.headers.get("last-modified"),
                    "date": page.headers.get("date"),
                    "not_modified": page.reused is not None,
                    "reused_from": str(page.reused) if page.reused is not None else None,
                }
            )
        manifest = LandingManifest(
            sector_id=sector_id,
            source_id=source.id,
            run_id=run_id,
            path=str(final),
            format=source.format,
            licence=source.licence,
            provenance=source.provenance,
            files=files,
            sha256=combined_sha256(hashes),
            landed_at=_utc_now(),
        )
        _write_readonly(tmp / MANIFEST_NAME, json.dumps(manifest.to_dict(), indent=2, ensure_ascii=False).encode())
        _fsync_dir(tmp)
        os.chmod(tmp, 0o755)  # mkdtemp makes it 0o700; readers (dbt, GX) may run as another user
        try:
            os.rename(tmp, final)
        except OSError:
            # Lost a race with a concurrent attempt, or a folder without manifest is in the way.
            existing = _existing(final, hashes, sector_id, source)
            if existing is not None:
                return existing
            raise ExtractError(
                "landing folder exists without a manifest (left by something other than land_pages); "
                "inspect and remove it",
                sector_id=sector_id,
                source_id=source.id,
                url=pages[0].url,
                file=final,
            ) from None
        _fsync_dir(final.parent)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
    logger.info(
        "landed %s/%s run %s: %d file(s) (%d not modified), sha256 %s in %s",
        sector_id,
        source.id,
        run_id,
        len(files),
        len(manifest.not_modified),
        manifest.sha256,
        final,
    )
    return manifest


def _existing(final: Path, hashes: list[str], sector_id: str, source: Source) -> LandingManifest | None:
    manifest_file = final / MANIFEST_NAME
    if not manifest_file.is_file():
        return None
    existing = read_manifest(manifest_file)
    old = [f["sha256"] for f in existing.files]
    if old != hashes:
        logger.warning(
            "%s/%s: landing folder %s already exists with different content "
            "(existing sha256 %s, new %s); keeping the existing files",
            sector_id,
            source.id,
            final,
            existing.sha256,
            combined_sha256(hashes),
        )
    else:
        logger.info("%s/%s: already landed in %s, reusing its manifest", sector_id, source.id, final)
    return existing
