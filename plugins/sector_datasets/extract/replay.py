"""A local HTTP server that replays recorded payloads from the snapshot directory.

Replay mode goes through real HTTP on purpose: the extractor, its retries, its validation and
the landing code run exactly as in live mode, only the host differs. Bytes are served as stored
so that what lands is byte-identical to what was recorded (sha256s in the snapshot manifest
stay comparable). Like a real static server, every answer carries a strong ``ETag`` (from the
file's content) and ``Last-Modified`` (its mtime), and a conditional GET of an unchanged file
gets ``304 Not Modified`` without a body (:mod:`sector_datasets.http_validators`).
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path, PurePosixPath
from urllib.parse import parse_qs, unquote, urlsplit

from sector_datasets.http_validators import etag_of_bytes, http_date, not_modified
from sector_datasets.settings import Settings

logger = logging.getLogger(__name__)

# mimetypes does not know these on every platform; the extractor does not depend on them.
_CONTENT_TYPES = {
    ".json": "application/json",
    ".csv": "text/csv",
    ".dat": "text/plain",
    ".txt": "text/plain",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _content_type(path: Path) -> str:
    return _CONTENT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0] or "application/octet-stream"


def page_file(path: Path, page: int) -> Path:
    """Where page ``page`` of a recorded multi-page payload lives (page 1 is the file itself)."""
    if page <= 1:
        return path
    return path.with_name(f"{path.stem}.page-{page}{path.suffix}")


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "sector-datasets-replay/1"

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._serve(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(send_body=False)

    def _serve(self, *, send_body: bool) -> None:
        split = urlsplit(self.path)
        rel = unquote(split.path)
        target, status = self._resolve(rel)
        if target is None:
            self._error(status, f"no snapshot at {rel}")
            return
        query = parse_qs(split.query, keep_blank_values=True)
        raw_page = (query.get("page") or ["1"])[-1]
        try:
            page = int(raw_page)
        except ValueError:
            self._error(HTTPStatus.BAD_REQUEST, f"page must be an integer, got {raw_page!r}")
            return
        if page < 1:
            self._error(HTTPStatus.BAD_REQUEST, f"page must be >= 1, got {page}")
            return
        if page > 1:
            # Named after the requested path, not the resolved one, so in-tree symlinks still work.
            target, status = self._resolve(str(page_file(Path(rel), page).as_posix()))
            if target is None:
                self._error(HTTPStatus.NOT_FOUND, f"no recorded page {page} for {rel}")
                return
        # stat before reading: if the file changes in between, Last-Modified is older than the bytes
        # sent, so a later If-Modified-Since asks again rather than keeping stale bytes.
        modified = datetime.fromtimestamp(target.stat().st_mtime, UTC)
        body = target.read_bytes()
        etag = etag_of_bytes(body)
        validators = {"ETag": etag, "Last-Modified": http_date(modified)}
        if not_modified(self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since"), etag, modified):
            self._reply(HTTPStatus.NOT_MODIFIED, validators, None)
            return
        headers = {"Content-Type": _content_type(target), "Content-Length": str(len(body)), **validators}
        self._reply(HTTPStatus.OK, headers, body if send_body else None)

    def _resolve(self, rel: str) -> tuple[Path | None, HTTPStatus]:
        root = self.server.root
        # Reject before touching the file system: '..', absolute, backslash and NUL tricks.
        if not rel.startswith("/") or rel.startswith("//") or "\\" in rel or "\x00" in rel:
            return None, HTTPStatus.BAD_REQUEST
        parts = PurePosixPath(rel.lstrip("/")).parts
        if not parts or ".." in parts:
            return None, HTTPStatus.BAD_REQUEST
        try:
            target = root.joinpath(*parts).resolve(strict=True)
        except (OSError, RuntimeError):
            return None, HTTPStatus.NOT_FOUND
        # resolve() follows symlinks, so this also catches links pointing out of the snapshot dir.
        if not target.is_relative_to(root) or not target.is_file():
            return None, HTTPStatus.NOT_FOUND
        return target, HTTPStatus.OK

    def _error(self, status: HTTPStatus, message: str) -> None:
        body = message.encode("utf-8")
        headers = {"Content-Type": "text/plain; charset=utf-8", "Content-Length": str(len(body))}
        self._reply(status, headers, body if self.command != "HEAD" else None)

    def _reply(self, status: HTTPStatus, headers: dict[str, str], body: bytes | None) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        if body is not None:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (signature of the base class)
        # The base class writes to stderr, which would flood Airflow task logs.
        logger.debug("replay %s - %s", self.address_string(), format % args)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], root: Path) -> None:
        self.root = root
        super().__init__(address, _Handler)


class ReplayServer:
    """Serves ``snapshot_dir`` on 127.0.0.1 over HTTP from a daemon thread.

    ``with ReplayServer(dir) as base_url:`` or ``start()`` / ``stop()``.
    """

    def __init__(self, snapshot_dir: Path, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.snapshot_dir = Path(snapshot_dir).resolve()
        if not self.snapshot_dir.is_dir():
            raise FileNotFoundError(f"replay snapshot directory does not exist: {self.snapshot_dir}")
        self.host = host
        self.port = port
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        if self._server is None:
            raise RuntimeError("replay server is not running")
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> str:
        if self._server is not None:
            return self.base_url
        self._server = _Server((self.host, self.port), self.snapshot_dir)
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            # stop() waits for the loop to notice, up to one poll: with 0.1 s that wait was ~90 % of
            # an extract task (one private server each); 100 idle wake-ups a second cost nothing.
            kwargs={"poll_interval": 0.01},
            name=f"replay-server-{self._server.server_address[1]}",
            daemon=True,
        )
        self._thread.start()
        logger.info("replay server for %s listening on %s", self.snapshot_dir, self.base_url)
        return self.base_url

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def __enter__(self) -> str:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


@contextmanager
def replay_base_url(settings: Settings) -> Iterator[str | None]:
    """The base URL to fetch sources from: None in live mode, else a replay server's URL.

    An external server (``settings.replay_url``) is preferred so that many tasks can share one;
    otherwise a private server runs for the duration of the ``with`` block.
    """
    if settings.source_mode == "live":
        yield None
        return
    if settings.replay_url:
        yield settings.replay_url.rstrip("/")
        return
    with ReplayServer(settings.snapshot_dir) as base_url:
        yield base_url
