"""DuckDB warehouse connections under a single-writer discipline.

DuckDB lets one process hold a database file open for writing. Parallel Airflow tasks (and a
second run of the same sector) therefore take an exclusive file lock before opening the
warehouse for writing and release it, with the connection, as soon as their stage is done.
Readers never take the lock: downstream tools read the published exports or the read-only
catalog (see ``publish``), which never block on the pipeline.
"""

from __future__ import annotations

import fcntl
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb

from sector_datasets.state.tables import create_platform_tables

log = logging.getLogger(__name__)


class WarehouseBusy(RuntimeError):
    """The single-writer lock could not be taken in time."""


@contextmanager
def writer_lock(lock_path: Path, timeout_s: float = 600.0, holder: str = "") -> Iterator[None]:
    """Exclusive, process-wide lock on the warehouse; released even if the holder is killed."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
    deadline = time.monotonic() + timeout_s
    waited = False
    try:
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waited:
                    owner = _read_owner(lock_path)
                    log.info("warehouse busy (held by %s); %s waits for the writer lock", owner, holder)
                    waited = True
                if time.monotonic() > deadline:
                    raise WarehouseBusy(
                        f"{holder}: could not take the warehouse writer lock {lock_path} within "
                        f"{timeout_s:.0f}s (held by {_read_owner(lock_path)})"
                    ) from None
                time.sleep(0.2)
        os.ftruncate(fd, 0)
        os.write(fd, f"pid={os.getpid()} {holder}".encode())
        yield
    finally:
        # Closing the descriptor drops the flock; the kernel does the same if we are killed.
        os.close(fd)


def _read_owner(lock_path: Path) -> str:
    try:
        return lock_path.read_text().strip() or "unknown"
    except OSError:
        return "unknown"


@contextmanager
def connect_writer(
    db_path: Path, lock_path: Path, holder: str = "", *, reader_wait_s: float
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse for writing under the writer lock; the schemas and platform tables exist.

    ``reader_wait_s`` is ``Settings.reader_wait_s`` (see :func:`_open_for_writing`).
    """
    db_path.parent.mkdir(parents=True, exist_ok=True)
    with writer_lock(lock_path, holder=holder):
        con = _open_for_writing(db_path, holder, reader_wait_s)
        try:
            # On every open, not once per process: a warehouse file deleted and made again in the
            # same process (tests do) needs them again, and the no-op costs ≈4 ms (the open 35+ ms).
            create_platform_tables(con)
            yield con
        finally:
            con.close()


def _open_for_writing(db_path: Path, holder: str, reader_wait_s: float) -> duckdb.DuckDBPyConnection:
    """Open the file read-write, waiting a while for outside readers to let go.

    Our own writers are serialised by the file lock, but a process outside the pipeline (a
    notebook, a BI tool) holding a read-only connection makes DuckDB refuse the writer at once.
    Readers are usually short-lived, so wait ``reader_wait_s`` seconds (``SECTOR_DATASETS_READER_WAIT``,
    default 60) before failing with DuckDB's own message, which names the process holding the file.
    """
    deadline = time.monotonic() + reader_wait_s
    announced = False
    while True:
        try:
            return duckdb.connect(str(db_path))
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower():
                raise
            if time.monotonic() > deadline:
                raise WarehouseBusy(
                    f"{holder}: the warehouse {db_path} is held open by another process outside the "
                    f"pipeline; close it and rerun. DuckDB says: {exc}"
                ) from None
            if not announced:
                log.warning("%s: warehouse %s is open in another process; waiting for it: %s", holder, db_path, exc)
                announced = True
            time.sleep(0.5)


@contextmanager
def connect_reader(db_path: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        yield con
    finally:
        con.close()


def quote_ident(name: str) -> str:
    """Quote an SQL identifier; names from config are validated upstream, this guards the rest."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(text: str) -> str:
    """``text`` as an SQL string literal (a file path, a comment): DuckDB takes no parameter there."""
    return "'" + text.replace("'", "''") + "'"
