"""HTTP validators (RFC 9110 §8.8, §13.1): ETag, Last-Modified and the 304 decision.

One implementation for every server the platform runs: the read API (``api/http``) and the
replay server (``extract/replay``), so that both answer a conditional request the way a real
static server does. Plain standard library: no web framework.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime


def etag_of_bytes(data: bytes) -> str:
    """A strong ETag derived from the content only: stable across restarts and machines."""
    return '"' + hashlib.sha256(data).hexdigest()[:32] + '"'


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC).replace(microsecond=0), usegmt=True)


def parse_http_date(value: str | None) -> datetime | None:
    """An HTTP-date as an aware datetime; None if absent or not a valid date with a zone."""
    if not value:
        return None
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return parsed if parsed.tzinfo is not None else None


def not_modified(if_none_match: str | None, if_modified_since: str | None, etag: str,
                 last_modified: datetime | None) -> bool:
    """Whether a GET/HEAD with these request headers gets 304: If-None-Match wins (weak
    comparison, ``*`` matches anything); If-Modified-Since counts only without it."""
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or etag.removeprefix("W/") in tags
    since = parse_http_date(if_modified_since)
    if since is None or last_modified is None:
        return False
    return last_modified.astimezone(UTC).replace(microsecond=0) <= since
