"""HTTP caching for harvesters: a strong ``ETag`` and ``Last-Modified`` on every answer, 304 when
the client already has it, and errors as one JSON shape.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import Request, Response
from fastapi.responses import JSONResponse

from sector_datasets import http_validators
from sector_datasets.http_validators import http_date

#: A kept version never changes; `latest` and the lists change when a version is served.
IMMUTABLE = "public, max-age=86400"
REVALIDATE = "no-cache"


def etag_of(*parts: object) -> str:
    return http_validators.etag_of_bytes("|".join(map(str, parts)).encode())


def not_modified(request: Request, etag: str, last_modified: datetime | None) -> bool:
    return http_validators.not_modified(
        request.headers.get("if-none-match"), request.headers.get("if-modified-since"), etag, last_modified
    )


def cached(request: Request, etag: str, last_modified: datetime | None, cache_control: str,
           make: Any) -> Response:
    """``make()``'s response with the validators set, or an empty 304 (``make`` is not called)."""
    headers = {"ETag": etag, "Cache-Control": cache_control}
    if last_modified is not None:
        headers["Last-Modified"] = http_date(last_modified)
    if not_modified(request, etag, last_modified):
        return Response(status_code=304, headers=headers)
    response = make()
    response.headers.update(headers)
    return response


def error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": {"status": status, "message": message}}, status_code=status)
