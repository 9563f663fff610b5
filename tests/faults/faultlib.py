"""Toolkit of the fault and bad-input catalogue (issue 5): fault server, state fingerprints, runs.

Everything here drives the real platform: HTTP goes over a real local socket to a real server,
files are real files in a private snapshot directory, DuckDB, dbt, Great Expectations and the
stage functions are the real ones. What is arranged for speed is stated here so that
nobody mistakes them for the production set-up:

* ``FaultServer`` is the project's replay server handler (``extract.replay._Handler``, i.e. the
  real snapshot bytes, paging and path checks) with a script of faults in front of it; the
  pipeline is pointed at it with ``SECTOR_DATASETS_REPLAY_URL``, which the extract stage
  supports for exactly this (a shared, already running server).
* dbt runs in this process, as in the platform itself (``sector_datasets.transform.dbt_runner``: one
  manifest parsed once per process and project, reused by every case's build).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import logging
import re
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import duckdb
import pytest

from sector_datasets.extract import replay
from sector_datasets.publish.wap import table_checksum
from sector_datasets.registry import Registry
from sector_datasets.warehouse.duckdb_lock import quote_ident

# --------------------------------------------------------------------------- fault server


class Act:
    """One scripted reply of the fault server."""

    label = "act"

    def respond(self, handler: FaultHandler, send_body: bool) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class Real(Act):
    label = "real bytes"

    def respond(self, handler, send_body):
        handler.serve_real(send_body)


@dataclass
class Status(Act):
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def label(self) -> str:
        return f"HTTP {self.status}"

    def respond(self, handler, send_body):
        handler.reply(self.status, self.body, self.headers, send_body)


@dataclass
class Body(Act):
    """Status 200 with the given bytes (an HTML error page, an empty body, a truncated payload…)."""

    body: bytes
    content_type: str = "application/octet-stream"
    label: str = "200 with a scripted body"

    def respond(self, handler, send_body):
        handler.reply(200, self.body, {"Content-Type": self.content_type}, send_body)


@dataclass
class Stall(Act):
    """Accept the request and say nothing for ``seconds`` (longer than the client's read timeout)."""

    seconds: float
    label: str = "stall"

    def respond(self, handler, send_body):
        time.sleep(self.seconds)
        with contextlib.suppress(OSError):
            handler.serve_real(send_body)


@dataclass
class ResetMidBody(Act):
    """Announce the full Content-Length, send part of the real body, then reset the TCP connection."""

    fraction: float = 0.5
    label: str = "reset mid-body"

    def respond(self, handler, send_body):
        body = handler.real_bytes()
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[: int(len(body) * self.fraction)])
        handler.wfile.flush()
        # SO_LINGER 0: close() sends RST instead of FIN — a reset, not a clean short body.
        handler.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        handler.connection.close()
        handler.close_connection = True
        handler.wfile = io.BytesIO()  # nothing left to flush on the dead socket


@dataclass
class Paged(Act):
    """Serve ``pages[n]`` for ``?page=n`` (World Bank paging)."""

    pages: dict[int, bytes]
    label: str = "paged"

    def respond(self, handler, send_body):
        page = int(handler.query.get("page", "1"))
        handler.reply(200, self.pages[page], {"Content-Type": "application/json"}, send_body)


class FaultHandler(replay._Handler):
    server: _FaultHTTPServer

    def _serve(self, *, send_body: bool) -> None:
        split = urlsplit(self.path)
        self.rel = unquote(split.path)
        self.query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        act = self.server.owner.next_act(self.rel, self.query)
        if act is None:
            self.serve_real(send_body)
        else:
            act.respond(self, send_body)

    def serve_real(self, send_body: bool) -> None:
        replay._Handler._serve(self, send_body=send_body)

    def real_bytes(self) -> bytes:
        target, _ = self._resolve(self.rel)
        assert target is not None, f"no snapshot for {self.rel}"
        return target.read_bytes()

    def reply(self, status: int, body: bytes, headers: dict[str, str], send_body: bool) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body:
            self.wfile.write(body)


class _FaultHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, owner: FaultServer, root: Path) -> None:
        self.owner = owner
        self.root = root
        super().__init__(("127.0.0.1", 0), FaultHandler)

    def handle_error(self, request, client_address) -> None:
        pass  # resets and client time-outs are the point of some scripts


@dataclass
class Hit:
    path: str
    query: dict[str, str]
    at: float
    act: str


class FaultServer:
    """The replay server over ``root`` with a per-path script of faults in front of it.

    ``script(path, *acts, repeat_last=False)``: the next requests of ``path`` get ``acts`` in order;
    afterwards the real snapshot bytes (or the last act forever with ``repeat_last``).
    ``clear()`` removes every script: the fault is gone.
    """

    def __init__(self, root: Path) -> None:
        self.root = Path(root).resolve()
        self.scripts: dict[str, tuple[list[Act], bool]] = {}
        self.hits: list[Hit] = []
        self.lock = threading.Lock()
        self.httpd = _FaultHTTPServer(self, self.root)
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def script(self, path: str, *acts: Act, repeat_last: bool = False) -> None:
        with self.lock:
            self.scripts["/" + path.lstrip("/")] = (list(acts), repeat_last)

    def clear(self) -> None:
        with self.lock:
            self.scripts.clear()

    def next_act(self, rel: str, query: dict[str, str]) -> Act | None:
        with self.lock:
            acts, repeat = self.scripts.get(rel, ([], False))
            act = None
            if acts:
                act = acts[0] if (repeat and len(acts) == 1) else acts.pop(0)
            self.hits.append(Hit(rel, query, time.monotonic(), act.label if act else "real bytes"))
            return act

    def hits_for(self, path: str, since: int = 0) -> list[Hit]:
        rel = "/" + path.lstrip("/")
        return [h for h in self.hits[since:] if h.path == rel]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


# --------------------------------------------------------------------------- snapshot files


@contextlib.contextmanager
def modified(path: Path, change: Callable[[bytes], bytes]) -> Iterator[bytes]:
    """Replace a snapshot file's bytes by ``change(original)`` for the duration of the block."""
    original = path.read_bytes()
    new = change(original)
    assert new != original, f"fault injection did not change {path}"
    path.write_bytes(new)
    try:
        yield new
    finally:
        path.write_bytes(original)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --------------------------------------------------------------------------- platform state


@dataclass(frozen=True)
class DatasetState:
    """What a reader of one dataset sees: the curated view and the exports' ``current`` folder."""

    version: int | None = None  # the version curated.<dataset> serves (from the view)
    latest: int | None = None  # the newest version in meta.publications
    view_target: str | None = None
    checksum: str | None = None
    rows: int | None = None
    dup_keys: int | None = None
    export_version: str | None = None
    export_files: tuple[tuple[str, str], ...] = ()
    export_rows: int | None = None
    catalog_rows: int | None = None
    error: str | None = None

    @property
    def readable(self) -> bool:
        return self.error is None and self.checksum is not None and self.export_version is not None

    def fingerprint(self) -> tuple:
        return (self.version, self.view_target, self.checksum, self.export_version, self.export_files)


def capture(warehouse: Path, exports: Path, registry: Registry, sector_id: str) -> dict[str, DatasetState]:
    """The state of every dataset of a sector, read the way consumers read it (read-only)."""
    sector = registry.sector(sector_id)
    out: dict[str, DatasetState] = {}
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        for ds in sector.datasets:
            out[ds.id] = _dataset_state(con, exports, sector_id, ds.id, ds.primary_key)
    finally:
        con.close()
    return out


def _dataset_state(con, exports: Path, sector_id: str, dataset_id: str, pk: list[str]) -> DatasetState:
    values: dict = {}
    try:
        values["latest"] = con.execute(
            "SELECT max(version) FROM meta.publications WHERE dataset_id = ?", [dataset_id]
        ).fetchone()[0]
        sql = con.execute(
            "SELECT sql FROM duckdb_views() WHERE schema_name = 'curated' AND view_name = ?", [dataset_id]
        ).fetchone()
        values["view_target"] = sql[0].rsplit("FROM", 1)[-1].strip().rstrip(";").strip() if sql else None
        served = re.search(r"__v(\d+)", values["view_target"] or "")
        values["version"] = int(served.group(1)) if served else None
        view = f"curated.{quote_ident(dataset_id)}"
        values["rows"], values["checksum"] = table_checksum(con, view)
        keys = ", ".join(quote_ident(c) for c in pk)
        values["dup_keys"] = con.execute(
            f"SELECT count(*) FROM (SELECT {keys} FROM {view} GROUP BY {keys} HAVING count(*) > 1)"
        ).fetchone()[0]
        current = exports / sector_id / dataset_id / "current"
        target = current.resolve(strict=True)
        values["export_version"] = target.name
        values["export_files"] = tuple(sorted((p.name, sha256(p.read_bytes())) for p in target.iterdir()))
        with duckdb.connect() as mem:
            values["export_rows"] = mem.execute(
                f"SELECT count(*) FROM read_parquet('{target / (dataset_id + '.parquet')}')"
            ).fetchone()[0]
        catalog = duckdb.connect(str(exports / "catalog.duckdb"), read_only=True)
        try:
            values["catalog_rows"] = catalog.execute(f"SELECT count(*) FROM curated.{quote_ident(dataset_id)}").fetchone()[0]
        finally:
            catalog.close()
    except Exception as exc:  # the point: a reader that cannot read the last good version
        values["error"] = f"{type(exc).__name__}: {exc}"
    return DatasetState(**values)


# --------------------------------------------------------------------------- log capture


class ListHandler(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextlib.contextmanager
def captured_logs(*names: str) -> Iterator[ListHandler]:
    handler = ListHandler()
    loggers = [logging.getLogger(n) for n in names]
    saved = [(lg, lg.level) for lg in loggers]
    for lg in loggers:
        lg.addHandler(handler)
        if lg.level == logging.NOTSET or lg.level > logging.INFO:
            lg.setLevel(logging.INFO)
    try:
        yield handler
    finally:
        for lg, level in saved:
            lg.removeHandler(handler)
            lg.setLevel(level)


# --------------------------------------------------------------------------- cases and observations


@dataclass(frozen=True)
class Case:
    """One row of the catalogue."""

    id: str
    category: str  # "http" | "payload" | "process"
    fault: str  # what is injected
    fixture: str  # where the bad input comes from (synthetic modification of a real file, …)
    expected: str  # "fails" (run stops, nothing published) | "quarantined" (gate) | "absorbed"
    target: str  # source or dataset the fault is injected into
    mentions: tuple[str, ...]  # the failure message must name these (sector, source/dataset, cause)
    group: str = "solo"  # cases sharing one pipeline run (disjoint lineages) share a group
    hits: tuple[str, ...] = ()  # datasets whose gate must catch the fault (quarantine cases)
    xfail: str | None = None  # strict xfail: the reason names the missing feature / the bug


@dataclass
class Observation:
    case: Case
    outcome: str = "not run"  # "failed" | "quarantined" | "absorbed" | "published" | "crashed"
    message: str = ""
    events: list[dict] = field(default_factory=list)
    scope: tuple[str, ...] = ()  # datasets whose state (b) and (c) are checked
    before: dict[str, DatasetState] = field(default_factory=dict)
    after_fault: dict[str, DatasetState] = field(default_factory=dict)
    recovery_run: str = ""
    before_recovery: dict[str, DatasetState] = field(default_factory=dict)
    recovery: dict[str, object] = field(default_factory=dict)
    after_recovery: dict[str, DatasetState] = field(default_factory=dict)
    good: dict[str, DatasetState] = field(default_factory=dict)
    notes: dict[str, object] = field(default_factory=dict)
    error: str | None = None  # the campaign itself broke while running this case

    @property
    def published_wrong(self) -> bool:
        """A curated table or current export moved while the fault was present."""
        return any(
            d in self.after_fault and self.after_fault[d].readable and self.before[d].readable
            and self.after_fault[d].fingerprint() != self.before[d].fingerprint()
            for d in self.scope
        )

    @property
    def lost(self) -> bool:
        """The last good version could not be read after the fault."""
        return any(d in self.after_fault and not self.after_fault[d].readable for d in self.scope)

    def observed(self) -> str:
        if self.error:
            return f"campaign error: {self.error[:160]}"
        text = self.outcome
        if self.published_wrong:
            text += "; PUBLISHED WRONG"
        if self.lost:
            text += "; LAST GOOD VERSION LOST"
        if self.recovery:
            versions = sorted({f"v{s.version}" for d, s in self.after_recovery.items() if d in self.scope})
            ok = all(isinstance(self.recovery.get(d), dict) for d in self.scope)
            text += f"; rerun {'published ' + '/'.join(versions) if ok else 'FAILED'}"
        return text


OBSERVATIONS: dict[str, Observation] = {}  # every case of the session, for the summary hook
TIMINGS: dict[str, float] = {}  # phase label -> wall seconds, printed with the summary


def check_case(obs: Observation) -> None:
    """Assert (a) the failure names sector, source/dataset and cause, (b) the last good version is
    untouched and readable, (c) the rerun after removing the fault republishes it correctly."""
    case = obs.case
    assert obs.error is None, f"{case.id}: the campaign broke: {obs.error}"
    # (a)
    expected_outcome = {"fails": "failed", "quarantined": "quarantined", "absorbed": "absorbed"}[case.expected]
    assert obs.outcome == expected_outcome, f"{case.id}: expected {expected_outcome}, observed {obs.outcome}: {obs.message[:600]}"
    missing = [m for m in case.mentions if m not in obs.message]
    assert not missing, f"{case.id}: the message does not name {missing}: {obs.message[:800]}"
    # (b)
    assert obs.scope, f"{case.id}: no datasets in scope"
    for d in obs.scope:
        before, after = obs.before[d], obs.after_fault[d]
        assert before.readable, f"{case.id}: {d} had no readable good version before the fault: {before.error}"
        assert after.readable, f"{case.id}: {d} LOST after the fault: {after.error}"
        assert after.fingerprint() == before.fingerprint(), (
            f"{case.id}: {d} changed while the fault was present: {before.fingerprint()[:3]} -> {after.fingerprint()[:3]}"
        )
        assert after.rows == after.export_rows == after.catalog_rows, f"{case.id}: {d} exports disagree with curated"
    # (c)
    assert obs.recovery_run, f"{case.id}: no rerun after the fault was removed"
    for d in obs.scope:
        outcome = obs.recovery.get(d)
        assert isinstance(outcome, dict), f"{case.id}: rerun {obs.recovery_run} did not publish {d}: {str(outcome)[:600]}"
        # "same or next version": relative to what was served just before the rerun
        before = (obs.before_recovery or obs.after_fault)[d]
        after, good = obs.after_recovery[d], obs.good[d]
        assert after.readable, f"{case.id}: {d} unreadable after the rerun: {after.error}"
        assert after.checksum == good.checksum and after.rows == good.rows, (
            f"{case.id}: rerun published {d} with {after.rows} rows / {after.checksum}, the good version has {good.rows} / {good.checksum}"
        )
        if before.checksum == good.checksum:
            expected_versions = {before.version}
        else:  # a bad version got out earlier (counted as published wrong there); the rerun supersedes it
            expected_versions = {(before.latest or 0) + 1}
        assert after.version in expected_versions, f"{case.id}: {d} v{after.version}, expected {expected_versions}"
        assert after.dup_keys == 0, f"{case.id}: {d} has {after.dup_keys} duplicate primary keys after the rerun"
        assert after.export_version == f"v{after.version:04d}" and after.rows == after.export_rows == after.catalog_rows


def case_params(cases: Iterable[Case], xfail: Mapping[str, str]) -> list:
    """The cases as pytest params; known gaps are strict xfail, so they XPASS the day they are fixed."""
    params = []
    for case in cases:
        marks = [pytest.mark.fault_case(case.id)]
        if case.id in xfail:
            marks.append(pytest.mark.xfail(strict=True, reason=xfail[case.id]))
        params.append(pytest.param(case, id=case.id, marks=marks))
    return params


def check_observed(observations: Mapping[str, Observation], case: Case,
                   extra_checks: Mapping[str, Callable[[Observation], bool]]) -> None:
    """:func:`check_case` on the campaign's observation of ``case``, then the case's own extra check."""
    obs = observations.get(case.id)
    assert obs is not None, f"{case.id} was not run"
    check_case(obs)
    extra = extra_checks.get(case.id)
    if extra:
        assert extra(obs), f"{case.id}: {obs.notes}"
