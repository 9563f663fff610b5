"""Payload validation: a landed page must be in the format its source declares.

Servers fail in sneaky ways (an HTML error page or a JSON error message served with status 200,
a World Bank answer of ``[meta, null]``); each becomes a typed :class:`PayloadError` naming the
sector, source, URL or file, so that a task never lands a payload that is not what it claims.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sector_datasets.extract.errors import ApiErrorBody, PayloadError
from sector_datasets.registry import Source

_HTML_PREFIXES = (b"<!doctype", b"<html")


def _looks_like_html(body: bytes) -> bool:
    head = body.lstrip(b"\xef\xbb\xbf").lstrip()[:64].lower()
    return head.startswith(_HTML_PREFIXES)


def validate_payload(
    source: Source,
    body: bytes,
    *,
    sector_id: str,
    url: str | None,
    file: str | None = None,
) -> Any:
    """Check ``body`` is in ``source.format``; return the decoded JSON for JSON formats, else None.

    Raises PayloadError (or ApiErrorBody for a World Bank error message). ``url`` should already
    be redacted; ``file`` names the snapshot or landed file when validating one from disk.
    """

    def fail(message: str) -> PayloadError:
        return PayloadError(message, sector_id=sector_id, source_id=source.id, url=url, file=file)

    if not body.strip():
        raise fail(f"empty body, expected {source.format}")
    if _looks_like_html(body):
        snippet = body.lstrip()[:80].decode("utf-8", "replace")
        raise fail(f"got an HTML page, expected {source.format}: {snippet!r}")

    if source.format == "csv":
        return None
    if source.format == "xlsx":
        if not body.startswith(b"PK\x03\x04"):
            raise fail(f"not an XLSX file (no zip signature PK\\x03\\x04; starts with {body[:8]!r})")
        return None
    if source.format == "json":
        # Generic JSON publishers do sometimes prepend a BOM; it does not change the data.
        return _decode_json(body, encoding="utf-8-sig", fail=fail)

    # worldbank_json: strict wire format, a BOM means somebody re-saved the response.
    if body.startswith(b"\xef\xbb\xbf"):
        raise fail(
            "UTF-8 BOM / not World Bank wire format (the file was re-saved by a tool, "
            "e.g. PowerShell ConvertTo-Json; record it again from the API)"
        )
    payload = _decode_json(body, encoding="utf-8", fail=fail)
    if not isinstance(payload, list) or not payload:
        shape = type(payload).__name__ + (f" with keys {sorted(payload)[:5]}" if isinstance(payload, dict) else "")
        raise fail(f"not World Bank wire format: expected a top-level [meta, records] list, got {shape}")
    first = payload[0]
    if isinstance(first, dict) and "message" in first:
        messages = first["message"]
        if isinstance(messages, dict):
            messages = [messages]
        if not isinstance(messages, list):
            messages = [{"value": messages}]
        raise ApiErrorBody(
            messages=[m if isinstance(m, dict) else {"value": m} for m in messages],
            sector_id=sector_id,
            source_id=source.id,
            url=url,
            file=file,
        )
    if len(payload) != 2 or not isinstance(first, dict) or not isinstance(payload[1], list):
        kinds = ", ".join(type(p).__name__ for p in payload[:3])
        # The API answers [meta, null] when a query matches no data; that is not a dataset either.
        why = " (records is null: the API found no data)" if len(payload) == 2 and payload[1] is None else ""
        raise fail(
            f"not World Bank wire format: expected [meta dict, records list], got [{kinds}] "
            f"of length {len(payload)}{why}"
        )
    missing = [k for k in ("page", "pages", "total") if k not in first]
    if missing:
        raise fail(f"World Bank meta object lacks {', '.join(missing)}: {first!r}"[:400])
    for key in ("page", "pages", "total"):
        meta_int(first[key], key, fail)
    return payload


def _decode_json(body: bytes, *, encoding: str, fail: Callable[[str], PayloadError]) -> Any:
    try:
        text = body.decode(encoding, errors="strict")
    except UnicodeDecodeError as exc:
        raise fail(f"not valid {encoding}: {exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        # An unterminated string runs to the end of the body, so its position is where it began.
        truncated = exc.pos >= len(text.rstrip()) - 1 or exc.msg.startswith("Unterminated string")
        hint = " (truncated?)" if truncated else ""
        raise fail(f"invalid JSON{hint}: {exc.msg} at line {exc.lineno} column {exc.colno}") from None


def meta_int(value: Any, key: str, fail: Callable[[str], PayloadError]) -> int:
    # The indicator endpoint sends numbers, the sources endpoint sends strings ("1").
    if isinstance(value, bool):
        raise fail(f"World Bank meta {key!r} is not an integer: {value!r}")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    raise fail(f"World Bank meta {key!r} is not an integer: {value!r}")
