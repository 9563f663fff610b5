"""One Great Expectations context and SQL datasource per warehouse connection, reused per process.

Every gate used to build an ephemeral GX context, a SQL datasource (engine + test connection) and
store entries for its suite. With every DAG of ``cli run`` in one interpreter and Celery workers
running many gate tasks per process, that set-up is now made once per process and per
warehouse connection — keyed by the SQLAlchemy URL *and* the engine options, so a DuckDB file, a
PostgreSQL database or two different files (as in the tests) never share a datasource.

Reuse must not change an outcome:

* each validation adds its own table asset under a unique name and deletes it afterwards: GX
  caches metrics by batch id (datasource + asset name), so a table rebuilt since the last gate
  of the process must never be answered with its previous build's metrics;
* after each validation the datasource's connections are closed (engines disposed; they reconnect
  on next use), so the DuckDB file is released for the next writer in this process as before.

The GX context is not thread-safe: one validation at a time per process (:data:`_LOCK`).
"""

from __future__ import annotations

import itertools
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

log = logging.getLogger(__name__)

_LOCK = threading.RLock()
_context: Any = None
_sources: dict[tuple[str, str], Any] = {}
_names = itertools.count(1)  # datasource and asset names are never reused, even after a failure


def quiet_progress_bars(context: Any) -> None:
    """Turn off GX's progress bars in ``context`` (public: bench's pandas gate variant uses it too)."""
    try:
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context.variables.progress_bars = ProgressBarsConfig(globally=False)
    except Exception:  # cosmetic only; never fail a gate over progress bars
        log.debug("could not disable GX progress bars", exc_info=True)


def _dispose(datasource: Any) -> None:
    """Close every SQLAlchemy connection GX holds for ``datasource`` (releases the DuckDB file)."""
    engines = []
    execution_engine = getattr(datasource, "_execution_engine", None)
    if execution_engine is not None:
        try:
            execution_engine.close()  # closes its persisted connection (if any), disposes engine
        except Exception:
            log.debug("closing GX execution engine failed", exc_info=True)
        engines.append(getattr(execution_engine, "engine", None))
        engines.append(getattr(execution_engine, "_engine_backup", None))
        cache = getattr(execution_engine, "_metric_cache", None)
        if isinstance(cache, dict):  # memory only: unique asset names already keep results apart
            cache.clear()
    engines.append(getattr(datasource, "_engine", None))
    for engine in engines:
        dispose = getattr(engine, "dispose", None)
        if callable(dispose):
            try:
                dispose()
            except Exception:
                log.debug("disposing engine failed", exc_info=True)


def _context_once() -> Any:
    global _context
    if _context is None:
        import great_expectations as gx

        _context = gx.get_context(mode="ephemeral")
        quiet_progress_bars(_context)
    return _context


def _datasource(connection_string: str, engine_kwargs: dict[str, Any]) -> Any:
    key = (connection_string, json.dumps(engine_kwargs, sort_keys=True, default=str))
    source = _sources.get(key)
    if source is None:
        # add_sql() opens a test connection; if that fails nothing is cached and the next
        # attempt (under a new name) tries again.
        source = _context_once().data_sources.add_sql(
            name=f"warehouse_{next(_names)}", connection_string=connection_string, kwargs=engine_kwargs
        )
        _sources[key] = source
    return source


@contextmanager
def warehouse_datasource(connection_string: str, engine_kwargs: dict[str, Any]) -> Iterator[Any]:
    """The process' GX SQL datasource for this connection, held for one validation.

    Raises what GX/SQLAlchemy raise when the warehouse cannot be connected to. On exit every
    connection is closed, whatever happened inside.
    """
    with _LOCK:
        source = _datasource(connection_string, engine_kwargs)
        try:
            yield source
        finally:
            _dispose(source)


@contextmanager
def whole_table(datasource: Any, schema: str, table: str) -> Iterator[Any]:
    """A batch definition over ``schema.table`` on a fresh, uniquely named table asset."""
    asset = datasource.add_table_asset(name=f"{schema}.{table}#{next(_names)}", table_name=table, schema_name=schema)
    try:
        yield asset.add_batch_definition_whole_table("whole_table")
    finally:
        try:
            datasource.delete_asset(asset.name)
        except Exception:  # the asset only costs memory; never fail a gate over it
            log.debug("could not delete GX asset %s", asset.name, exc_info=True)
