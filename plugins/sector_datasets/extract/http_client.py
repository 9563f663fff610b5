"""HTTP fetching of registry sources: retries, paging, and secrets kept out of every log line.

Sources are public statistics APIs and file servers that fail in ordinary ways (rate limits,
gateway errors, connection resets, half-sent bodies) and in sneaky ones (an HTML error page or a
JSON error message served with status 200). Transient failures are retried here with backoff;
everything else becomes a typed :mod:`~sector_datasets.extract.errors` exception so that a task
never lands a payload that is not in the declared format (checked by :mod:`.payload`).
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote

import requests

from sector_datasets.registry import Source
from sector_datasets.secret_handling import (
    install_log_redaction,
    read_secret,
    redact_params,
    redact_text,
    redact_url,
    register_secret,
)
from sector_datasets.settings import Settings
from sector_datasets.extract.conditional import PriorLanding, request_key
from sector_datasets.extract.errors import ExtractError, HttpGiveUp, PayloadError, PermanentHttpError
from sector_datasets.extract.payload import meta_int, validate_payload

logger = logging.getLogger(__name__)

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_BACKOFF_S = 30.0
MAX_RETRY_AFTER_S = 60.0
KEPT_HEADERS = ("content-type", "content-length", "etag", "last-modified", "date")
USER_AGENT = "sector-datasets-extract/1 (+python-requests)"


def source_secrets(source: Source, sector_id: str, *, live: bool) -> tuple[dict[str, str], dict[str, str]]:
    """(query params, headers) whose values come from the environment (``*_from_env``).

    Only in live mode: the replay server needs no credentials and is never sent any. A missing
    variable is an error naming the source, the header/parameter and the variable (never a value).
    """
    if not live:
        return {}, {}
    resolved: list[dict[str, str]] = []
    for kind, mapping in (("query parameter", source.params_from_env), ("header", source.headers_from_env)):
        values: dict[str, str] = {}
        for name, env_var in mapping.items():
            value = read_secret(env_var)
            if value is None:
                raise ExtractError(
                    f"{kind} {name!r} needs the environment variable {env_var} (not set); set it in the "
                    "environment of the Airflow workers or in .env, never in the registry",
                    sector_id=sector_id,
                    source_id=source.id,
                    url=redact_url(source.urls[0]),
                )
            register_secret(value)
            values[name] = value
        resolved.append(values)
    return resolved[0], resolved[1]


# urllib3 logs every request line ("GET /path?api_key=... HTTP/1.1" 200) at DEBUG.
install_log_redaction("urllib3.connectionpool")


def _utc_now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Page:
    """One HTTP response body as fetched; ``url`` and ``params`` are already redacted.

    ``request`` is what was asked (:func:`~.conditional.request_key`); ``reused`` is set when the
    server answered 304: the previous landing's file whose bytes ``body`` holds (checked).
    """

    number: int
    url: str
    params: Mapping[str, str]
    status: int
    headers: Mapping[str, str]
    body: bytes = field(repr=False)
    fetched_at: str
    request: str = ""
    reused: Path | None = None


class HttpClient:
    """A ``requests.Session`` with timeouts, bounded retries and redacted logging.

    ``sleep`` and ``rng`` are injectable so tests can observe backoff without waiting for it.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        rng: random.Random | None = None,
        session: requests.Session | None = None,
    ) -> None:
        if settings.http_max_attempts < 1:
            raise ValueError(f"http_max_attempts must be >= 1, got {settings.http_max_attempts}")
        # A host that does not accept a connection within 10 s is down; reads may legitimately be slow.
        self.timeout: tuple[float, float] = (min(settings.http_timeout_s, 10.0), settings.http_timeout_s)
        self.max_attempts = settings.http_max_attempts
        self.backoff_s = settings.http_backoff_s
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.session = session or requests.Session()
        self.session.headers["User-Agent"] = USER_AGENT

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def backoff_delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt number ``attempt`` (1-based)."""
        if retry_after is not None:
            base = min(max(retry_after, 0.0), MAX_RETRY_AFTER_S)
        else:
            base = min(self.backoff_s * (2 ** (attempt - 1)), MAX_BACKOFF_S)
        # Jitter only adds: waiting less than Retry-After would be answered with another 429.
        return base + self.rng.uniform(0.0, max(0.05 * base, 0.01))

    def get(
        self,
        url: str,
        params: Mapping[str, str] | None,
        *,
        sector_id: str,
        source_id: str,
        headers: Mapping[str, str] | None = None,
        not_modified_ok: bool = False,
    ) -> requests.Response:
        """GET with retries; returns a 2xx response whose body has been read completely, or a 304
        if ``not_modified_ok`` (the request was conditional; a 304 to any other is an error).

        ``headers`` may hold secrets (``headers_from_env``): they are sent, never logged or kept.
        """
        shown_url = redact_url(full_url(url, params))
        extra = {"headers": dict(headers)} if headers else {}
        last_status: int | None = None
        last_error: str | None = None
        for attempt in range(1, self.max_attempts + 1):
            retry_after: float | None = None
            try:
                response = self.session.get(url, params=dict(params or {}), timeout=self.timeout, **extra)
            except (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError) as exc:
                last_status = None
                last_error = redact_text(f"{type(exc).__name__}: {exc}")
            else:
                status = response.status_code
                last_status = status
                if status in RETRY_STATUSES:
                    retry_after = _retry_after_seconds(response.headers.get("Retry-After"))
                    last_error = f"retryable status {status}" + (
                        f", Retry-After {response.headers.get('Retry-After')}" if retry_after is not None else ""
                    )
                    response.close()
                elif status == 304 and not_modified_ok:
                    return response
                elif not 200 <= status < 300:
                    response.close()
                    raise PermanentHttpError(
                        status=status,
                        reason=response.reason or "",
                        sector_id=sector_id,
                        source_id=source_id,
                        url=shown_url,
                    )
                elif (short := _short_body(response)) is not None:
                    last_error = short
                else:
                    return response
            if attempt == self.max_attempts:
                break
            delay = self.backoff_delay(attempt, retry_after)
            logger.warning(
                "retrying %s/%s in %.2fs after attempt %d/%d failed: %s; url=%s",
                sector_id,
                source_id,
                delay,
                attempt,
                self.max_attempts,
                last_error,
                shown_url,
            )
            self.sleep(delay)
        raise HttpGiveUp(
            attempts=self.max_attempts,
            last_status=last_status,
            last_error=last_error,
            sector_id=sector_id,
            source_id=source_id,
            url=shown_url,
        )


def full_url(url: str, params: Mapping[str, str] | None) -> str:
    """The URL with its query string, exactly as requests sends it."""
    return requests.Request("GET", url, params=dict(params or {})).prepare().url or url


def _retry_after_seconds(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max((when - datetime.now(timezone.utc)).total_seconds(), 0.0)


def _short_body(response: requests.Response) -> str | None:
    """urllib3 normally raises on a short body; this catches the cases it lets through."""
    declared = response.headers.get("Content-Length")
    # With a Content-Encoding the declared length is of the compressed bytes, not of .content.
    if not declared or response.headers.get("Content-Encoding") or response.request.method == "HEAD":
        return None
    try:
        expected = int(declared)
    except ValueError:
        return None
    got = len(response.content)
    if got < expected:
        return f"body shorter than Content-Length ({got} < {expected} bytes)"
    return None


# --------------------------------------------------------------------------- fetching


def source_url(source: Source, base_url: str | None, release: int = 0) -> str:
    """The live URL, or the replay server's URL for the recorded snapshot of the same request
    (of the ``release``-th file for a source published as several files)."""
    if base_url is None:
        return source.urls[release]
    return f"{base_url.rstrip('/')}/{quote(source.snapshots[release], safe='/')}"


def fetch_source(
    client: HttpClient,
    source: Source,
    sector_id: str,
    base_url: str | None = None,
    *,
    prior: PriorLanding | None = None,
) -> list[Page]:
    """Fetch every page of ``source`` (live if ``base_url`` is None, else from the replay server).

    A source published as several files (``releases``) is one page per release, in their order.
    With ``prior`` (the source's last landing) each page is asked for conditionally
    (:mod:`.conditional`); a page the server calls not modified holds the prior landing's bytes."""
    url = source_url(source, base_url)
    secret_params, headers = source_secrets(source, sector_id, live=base_url is None)

    def fetch(page_url: str, params: dict[str, str], number: int) -> Page:
        return _fetch_page(
            client, source, sector_id, page_url, params, number=number, headers=headers, base_url=base_url, prior=prior
        )

    if source.releases:
        pages = []
        for number, _release in enumerate(source.releases, start=1):
            page = fetch(source_url(source, base_url, number - 1), {**source.params, **secret_params}, number)
            validate_payload(source, page.body, sector_id=sector_id, url=page.url)
            pages.append(page)
        return pages
    if source.paging == "none":
        page = fetch(url, {**source.params, **secret_params}, 1)
        validate_payload(source, page.body, sector_id=sector_id, url=page.url)
        return [page]

    pages: list[Page] = []
    expected: tuple[int, int] | None = None
    records = 0
    number, last = 1, 1
    while number <= last:
        page = fetch(url, {**source.params, **secret_params, "page": str(number)}, number)
        payload = validate_payload(source, page.body, sector_id=sector_id, url=page.url)

        def fail(message: str, page: Page = page) -> PayloadError:
            return PayloadError(message, sector_id=sector_id, source_id=source.id, url=page.url)

        meta = payload[0]
        got_page = meta_int(meta["page"], "page", fail)
        total = meta_int(meta["total"], "total", fail)
        n_pages = meta_int(meta["pages"], "pages", fail)
        if got_page != number:
            raise fail(f"asked for page {number}, the response says page {got_page}")
        if expected is None:
            expected = (total, n_pages)
            last = n_pages
        elif (total, n_pages) != expected:
            # The series changed while we paged through it: the pages would not add up.
            raise fail(
                f"World Bank paging changed between pages: page 1 said total={expected[0]} "
                f"pages={expected[1]}, page {number} says total={total} pages={n_pages}"
            )
        records += len(payload[1])
        pages.append(page)
        number += 1
    assert expected is not None
    if records != expected[0]:
        raise PayloadError(
            f"World Bank paging incomplete: total={expected[0]} but {len(pages)} page(s) held {records} records",
            sector_id=sector_id,
            source_id=source.id,
            url=pages[-1].url,
        )
    return pages


def _fetch_page(
    client: HttpClient,
    source: Source,
    sector_id: str,
    url: str,
    params: dict[str, str],
    *,
    number: int,
    headers: Mapping[str, str],
    base_url: str | None,
    prior: PriorLanding | None,
) -> Page:
    shown_url = redact_url(full_url(url, params))
    request = request_key(shown_url, base_url)
    known = prior.page_for(request) if prior is not None else None
    ids = {"sector_id": sector_id, "source_id": source.id}
    fetched_at = _utc_now()
    if known is None:
        response = client.get(url, params, headers=headers, **ids)
    else:
        response = client.get(url, params, headers={**headers, **known.request_headers()}, not_modified_ok=True, **ids)
    kept = {k: response.headers[k] for k in KEPT_HEADERS if k in response.headers}
    body, reused = response.content, None
    if known is not None and response.status_code == 304:
        body = known.read_verified()
        if body is not None:
            reused = known.file
            kept = {**known.headers, **kept}  # the 304 may restate the validators, rarely the type
        else:
            logger.warning(
                "%s/%s: %s answered 304 Not Modified, but the previous landing's %s is missing or no longer "
                "has sha256 %s; fetching it again without validators",
                sector_id, source.id, shown_url, known.file, known.sha256[:12],
            )
            return _fetch_page(client, source, sector_id, url, params, number=number, headers=headers,
                               base_url=base_url, prior=None)
    return Page(
        number=number,
        url=redact_url(response.url or url),  # after redirects: where the bytes actually came from
        params=redact_params(params),
        status=response.status_code,
        headers=kept,
        body=body,
        fetched_at=fetched_at,
        request=request,
        reused=reused,
    )
