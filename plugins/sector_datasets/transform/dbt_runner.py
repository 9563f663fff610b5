"""dbt in this process, with the parsed project kept in memory while it is unchanged.

A ``dbt build`` started as a process paid, every time, Python + dbt imports (≈2 s), loading and
checking the partial-parse cache (≈3 s on this machine) and writing a 5 MB ``manifest.json`` —
more than the SQL of a sector's 150 nodes takes. Through dbt's documented programmatic entry
point (``dbtRunner``) those are paid once per process: the first invocation parses (``dbt
parse``, which still uses and refreshes the partial-parse cache on disk), every later one hands
that ``Manifest`` to ``dbtRunner(manifest=…)`` and goes straight to the graph. Inside ``cli run``
(every DAG in one Airflow interpreter) that is once per main job; in a Celery or local executor
worker, where each task is its own process, it costs what the subprocess did.

The manifest is reused only for the same dbt project files (path, size and mtime of every file)
and the same dbt target (adapter); the warehouse path and credentials are read from the
environment by dbt's profile on every invocation, so homes with different warehouses share it.

Why this is safe in a worker: dbtRunner is synchronous and each Airflow task runs one stage at a
time (a lock guards the rare threaded caller); a killed task kills dbt with it, as before; dbt
logs through its own event manager, which we forward line by line to this module's logger
(``dbt | …``) instead of letting it print; after every invocation dbt-duckdb's class-level DuckDB
environment is dropped so that the file's read-write handle is closed before the gate opens the
same file read-only in this process (DuckDB refuses two configurations of one file per process).
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import logging
import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: Folders of the dbt project that dbt writes to or that are not part of the parse (hidden ones
#: neither); the run fingerprints of :mod:`.recovery` skip them too.
NOT_PARSED_DIRS = frozenset({"target", "logs", "dbt_packages", "__pycache__"})

#: dbt's levels that reach the task log (debug goes to dbt's own log file under --log-path).
_LOGGED_LEVELS = frozenset({"info", "warn", "error"})


@dataclass(frozen=True)
class DbtOutcome:
    """What the ``dbt`` executable's exit code and output would have said."""

    returncode: int  # 0 all passed, 1 a node failed or errored, 2 dbt could not run at all
    lines: list[str] = field(default_factory=list)  # dbt's log lines, info level and above
    error: str = ""  # when dbt could not run: the exception
    # {"nodes": {unique_id: {"test_metadata": {"name": …}}}, "parent_map": {unique_id: [parents]}}
    # of the manifest the invocation used: the parts of manifest.json the pipeline reads.
    lineage: dict[str, Any] | None = None

    def tail(self, n: int = 30) -> str:
        return "\n".join([*self.lines, *([self.error] if self.error else [])][-n:])


@dataclass
class _Parsed:
    key: tuple
    manifest: Any  # dbt.contracts.graph.manifest.Manifest
    lineage: dict[str, Any]
    written_to: set[str] = field(default_factory=set)  # target dirs holding its manifest.json


_lock = threading.Lock()
_parsed: _Parsed | None = None
_release_registered_in: int | None = None  # the pid whose atexit runs _release


def project_fingerprint(project_dir: Path) -> tuple:
    """Every file dbt parses, by path, size and modification time (cheap: no reads)."""
    found = []
    for root, dirs, files in os.walk(project_dir):
        dirs[:] = sorted(d for d in dirs if d not in NOT_PARSED_DIRS and not d.startswith("."))
        for name in sorted(files):
            st = os.stat(os.path.join(root, name))
            found.append((os.path.relpath(os.path.join(root, name), project_dir), st.st_size, st.st_mtime_ns))
    return tuple(found)


def invoke(args: list[str], env: Mapping[str, str]) -> DbtOutcome:
    """Run one dbt command (``args`` as after ``dbt`` on a command line) with ``env`` in effect.

    ``args`` must carry ``--project-dir`` and ``--target-path``; the command runs against the
    cached manifest of that project (parsed first if there is none or the project changed).
    """
    global _parsed
    project_dir = Path(_option(args, "--project-dir"))
    target_dir = Path(_option(args, "--target-path"))
    lines: list[str] = []
    target = str(target_dir.resolve())
    with _lock, _environment(env):
        try:
            # Not a setting: the dbt profile's target exactly as dbt reads it (``env`` is in effect).
            key = (str(project_dir.resolve()), os.environ.get("SECTOR_DATASETS_DBT_TARGET", ""),
                   project_fingerprint(project_dir))
            if _parsed is None or _parsed.key != key:
                _parsed = None
                _release_at_exit()
                parsed = _run(["parse", *_without(args[1:], ("--select", "--exclude", "--indirect-selection"))],
                              None, lines)
                if parsed.returncode != 0:
                    return DbtOutcome(2, lines, parsed.error or "dbt parse failed")
                _parsed = _Parsed(key, parsed.result, _lineage(parsed.result), {target})
            elif target not in _parsed.written_to:
                target_dir.mkdir(parents=True, exist_ok=True)  # what `dbt parse` leaves there, for readers
                _parsed.manifest.write(str(target_dir / "manifest.json"))
                _parsed.written_to.add(target)
            # --no-write-json: dbt would rewrite the whole 5 MB manifest.json after every command
            # (≈1 s); it is on disk from the parse. The run results are written below.
            outcome = _run([args[0], "--no-write-json", *args[1:]], _parsed.manifest, lines)
            if hasattr(outcome.result, "write"):
                outcome.result.write(str(target_dir / "run_results.json"))
            return DbtOutcome(outcome.returncode, lines, outcome.error, _parsed.lineage)
        finally:
            _close_duckdb_environment()


def current_manifest() -> Any | None:
    """The manifest of the last invocation, with the compiled SQL of every node it ran."""
    return _parsed.manifest if _parsed else None


@dataclass(frozen=True)
class _Raw:
    returncode: int
    error: str
    result: Any


def _run(args: list[str], manifest: Any | None, lines: list[str]) -> _Raw:
    from dbt.cli.main import dbtRunner

    def forward(msg: Any) -> None:
        info = msg.info
        if info.level in _LOGGED_LEVELS and info.msg:
            lines.append(info.msg)
            log.info("dbt | %s", info.msg)

    command = [args[0], "--quiet", "--no-use-colors", *args[1:]]  # output comes through `forward`
    result = dbtRunner(manifest=manifest, callbacks=[forward]).invoke(command)
    if result.exception is not None:
        return _Raw(2, f"{type(result.exception).__name__}: {result.exception}", None)
    return _Raw(0 if result.success else 1, "", result.result)


def _lineage(manifest: Any) -> dict[str, Any]:
    nodes: dict[str, dict] = {}
    parent_map: dict[str, list[str]] = {}
    for unique_id, node in manifest.nodes.items():
        meta = getattr(node, "test_metadata", None)
        nodes[unique_id] = {"test_metadata": {"name": meta.name}} if meta is not None else {}
        parent_map[unique_id] = list(getattr(getattr(node, "depends_on", None), "nodes", None) or [])
    return {"nodes": nodes, "parent_map": parent_map}


def _option(args: list[str], name: str) -> str:
    try:
        return args[args.index(name) + 1]
    except (ValueError, IndexError):
        raise ValueError(f"dbt command {args!r} has no {name}") from None


def _without(args: list[str], names: tuple[str, ...]) -> list[str]:
    out, skip = [], False
    for arg in args:
        if skip:
            skip = False
        elif arg in names:
            skip = True
        else:
            out.append(arg)
    return out


@contextlib.contextmanager
def _environment(env: Mapping[str, str]) -> Iterator[None]:
    """``env`` in ``os.environ`` for the invocation (dbt's profile reads env_var()), then restored."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _close_duckdb_environment() -> None:
    """dbt-duckdb keeps its DuckDB environment (a read-write handle) in a class attribute."""
    try:
        from dbt.adapters.duckdb.connections import DuckDBConnectionManager as manager
    except ImportError:  # the duckdb adapter was never loaded
        return
    with manager._LOCK:
        if manager._ENV is not None:
            with contextlib.suppress(Exception):
                manager._ENV.close()
            manager._ENV = None


def _release_at_exit() -> None:
    """Drop dbt's cached manifest and adapters when this process exits.

    Both hold a ``multiprocessing`` lock of dbt's *spawn* context, a named semaphore that the
    resource tracker watches. An Airflow task process ends with ``os._exit`` after running only the
    atexit functions registered since its fork, so those locks were never finalised and every
    successful transform task's log ended with the tracker's two red "leaked semaphore" lines.
    Releasing them here lets their finalisers unregister them; the cache is of no use past exit.
    """
    global _release_registered_in
    if _release_registered_in != os.getpid():  # a forked child inherits the flag, not the handler
        atexit.register(_release)
        _release_registered_in = os.getpid()


def _release() -> None:
    global _parsed
    _parsed = None
    try:
        from dbt.adapters.factory import reset_adapters
    except ImportError:
        return
    reset_adapters()
    gc.collect()
