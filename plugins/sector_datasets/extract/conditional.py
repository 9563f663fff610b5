"""Conditional requests: an unchanged page costs one small request, not a download.

The source's last landing (:func:`~sector_datasets.extract.landing.previous_landing`) keeps,
per page, what was asked (:func:`request_key`), the validators the server sent (``ETag``,
``Last-Modified``) and the landed file with its sha256. Extract sends them back; a
``304 Not Modified`` means the server still serves those bytes, so the page is taken from that
file — read and checked against its sha256, then hard-linked into the new landing — and load,
recovery's fingerprint and the report see exactly what a download would have landed. Whenever
the previous file cannot be trusted (gone, different bytes) the page is fetched again without
validators: a 304 never loses data.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from sector_datasets.http_validators import parse_http_date

logger = logging.getLogger(__name__)


def request_key(full_url: str, base_url: str | None) -> str:
    """What a page's request asked for, comparable between runs: the (redacted) URL with its query,
    the replay server's address (a new port every run) replaced by ``replay:``.

    Validators are only sent for the very same request: a Last-Modified of another URL, or of the
    replay snapshot for a live URL, says nothing about this one.
    """
    if base_url is not None and full_url.startswith(base_url.rstrip("/") + "/"):
        return "replay:" + full_url[len(base_url.rstrip("/")):]
    return full_url


def usable_last_modified(last_modified: str | None, date: str | None) -> str | None:
    """``Last-Modified`` if it can validate: at least a second before the response's ``Date``.

    RFC 9110 §8.8.2.2: a file changed again within the same second keeps its Last-Modified, so a
    date that close to the response would answer "not modified" for bytes never fetched.
    """
    modified, sent = parse_http_date(last_modified), parse_http_date(date)
    if modified is None or sent is None or sent - modified < timedelta(seconds=1):
        return None
    return last_modified


@dataclass(frozen=True)
class PriorPage:
    """One page of the previous landing: its file and sha256, and the response headers that
    describe those bytes (``content-type``, ``etag``, a usable ``last-modified``; lower case)."""

    file: Path
    sha256: str
    size: int
    headers: Mapping[str, str] = field(default_factory=dict)

    def request_headers(self) -> dict[str, str]:
        # The ETag alone when there is one: If-Modified-Since has one-second resolution, and a
        # server that (against RFC 9110) also honoured it could call a just-changed file unchanged.
        if etag := self.headers.get("etag"):
            return {"If-None-Match": etag}
        if last_modified := self.headers.get("last-modified"):
            return {"If-Modified-Since": last_modified}
        return {}

    def read_verified(self) -> bytes | None:
        """The landed bytes, or None if the file is gone or no longer what its manifest says."""
        try:
            body = self.file.read_bytes()
        except OSError:
            return None
        if len(body) != self.size or hashlib.sha256(body).hexdigest() != self.sha256:
            return None
        return body


@dataclass(frozen=True)
class PriorLanding:
    """The source's last landing (another run), as the pages a conditional request can reuse."""

    run_id: str
    folder: Path
    pages: Mapping[str, PriorPage] = field(default_factory=dict)  # request key -> page

    @classmethod
    def from_manifest_files(cls, run_id: str, folder: Path, files: list[dict[str, Any]]) -> PriorLanding:
        """Pages landed before this feature (no ``request``) or without validators are not reusable."""
        pages = {}
        for entry in files:
            validators = {
                "etag": entry.get("etag"),
                "last-modified": usable_last_modified(entry.get("last_modified"), entry.get("date")),
            }
            if entry.get("request") and any(validators.values()):
                headers = {k: v for k, v in {**validators, "content-type": entry.get("content_type")}.items() if v}
                pages[entry["request"]] = PriorPage(
                    file=folder / entry["name"], sha256=entry["sha256"], size=entry["size"], headers=headers
                )
        return cls(run_id=run_id, folder=folder, pages=pages)

    def page_for(self, request: str) -> PriorPage | None:
        return self.pages.get(request)
