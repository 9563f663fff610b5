"""Extraction failures, typed so that callers (Airflow tasks, tests) can tell them apart.

Every error carries the sector, the source id and the (redacted) URL, and names the file when
one is involved, so that a failed task log is enough to find the registry entry and the payload
without reading Python. The subclasses encode the retry decision: only ``HttpGiveUp`` follows
retries; the others are deterministic and retrying the task will not help.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path


class ExtractError(Exception):
    """Base class: something went wrong extracting one source of one sector."""

    def __init__(
        self,
        message: str,
        *,
        sector_id: str,
        source_id: str,
        url: str | None,
        file: str | Path | None = None,
    ) -> None:
        self.sector_id = sector_id
        self.source_id = source_id
        self.url = url
        self.file = str(file) if file is not None else None
        self.detail = message
        context = f"sector={sector_id} source={source_id}"
        if url:
            context += f" url={url}"
        if self.file:
            context += f" file={self.file}"
        super().__init__(f"{message} [{context}]")

    def __reduce__(self):  # keyword-only __init__ needs help to survive pickling (Celery, XCom)
        return (_rebuild, (type(self), self.__dict__.copy()))


def _rebuild(cls: type[ExtractError], state: dict) -> ExtractError:
    obj = cls.__new__(cls)
    Exception.__init__(obj, _message_from_state(state))
    obj.__dict__.update(state)
    return obj


def _message_from_state(state: dict) -> str:
    context = f"sector={state.get('sector_id')} source={state.get('source_id')}"
    if state.get("url"):
        context += f" url={state['url']}"
    if state.get("file"):
        context += f" file={state['file']}"
    return f"{state.get('detail')} [{context}]"


class HttpGiveUp(ExtractError):
    """Transient failures (5xx, 429, timeouts, resets) went on past the attempt budget."""

    def __init__(
        self,
        *,
        attempts: int,
        last_status: int | None,
        last_error: str | None,
        sector_id: str,
        source_id: str,
        url: str | None,
    ) -> None:
        self.attempts = attempts
        self.last_status = last_status
        self.last_error = last_error
        last = f"HTTP {last_status}" if last_status is not None else "no response"
        if last_error:
            last += f" ({last_error})"
        super().__init__(
            f"gave up after {attempts} attempt(s); last: {last}",
            sector_id=sector_id,
            source_id=source_id,
            url=url,
        )


class PermanentHttpError(ExtractError):
    """A 4xx (other than 429) or another non-retryable status: the request itself is wrong."""

    def __init__(self, *, status: int, reason: str, sector_id: str, source_id: str, url: str | None) -> None:
        self.status = status
        super().__init__(
            f"HTTP {status} {reason}".rstrip() + " (not retried: the request will not succeed by repeating it)",
            sector_id=sector_id,
            source_id=source_id,
            url=url,
        )


class ApiErrorBody(ExtractError):
    """The World Bank API answered 200 with an error message instead of ``[meta, records]``."""

    def __init__(
        self,
        *,
        messages: Sequence[Mapping[str, object]],
        sector_id: str,
        source_id: str,
        url: str | None,
        file: str | Path | None = None,
    ) -> None:
        self.messages = [dict(m) for m in messages]
        described = "; ".join(
            f"id={m.get('id')!s} key={m.get('key')!s} value={m.get('value')!s}" for m in self.messages
        ) or "(empty message list)"
        super().__init__(
            f"World Bank API error body: {described}",
            sector_id=sector_id,
            source_id=source_id,
            url=url,
            file=file,
        )


class PayloadError(ExtractError):
    """The body is not what the registry declares (HTML, empty, truncated, wrong shape, paging drift)."""
