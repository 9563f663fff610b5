"""Workarounds that make Great Expectations 1.24.1 usable on DuckDB through duckdb-engine.

Four small, process-wide, idempotent patches applied by :func:`apply`, all no-ops for any
dialect other than ``duckdb``. The first (GX issue #11579) is the essential one; without it no
metric at all is computed. Each section says how to tell when it can be removed.

1. GX #11579: every metric fails

Symptom
    With a ``SQLDatasource`` on ``duckdb:///...`` every expectation comes back with
    ``exception_info`` ``IndexError: list index out of range`` raised from
    ``SqlAlchemyExecutionEngine.resolve_metric_bundle`` (``len(res[0])`` on an empty list), so no
    metric (row count, null count, ...) is ever computed.

Cause
    ``SqlAlchemyExecutionEngine.execute_query`` (GX 1.24.1,
    ``great_expectations/execution_engine/sqlalchemy_execution_engine.py``) is::

        with self.get_connection() as connection:
            result = self._execute_query_with_recovery(connection, query)
        return result                      # <- connection already closed / back in the pool

    and every caller (``resolve_metric_bundle``, the unexpected-values metrics, ...) calls
    ``.fetchall()`` / ``.fetchmany()`` on the returned *unbuffered* ``CursorResult`` after the
    ``with`` block has returned the connection to the pool. For most drivers the cursor still
    holds its rows; for duckdb-engine the pool's reset-on-return (a rollback on the single
    DuckDB connection behind the cursor) discards the pending result, so the fetch returns
    ``[]``. The same happens to ``execute_query_in_transaction``. Only dialects listed in
    ``_PERSISTED_CONNECTION_DIALECTS`` (sqlite, mssql, ...) keep their connection open, which
    is why GX's own test matrix never sees it.

Patch (the one place rows must be read while the connection is open)
    ``SqlAlchemyExecutionEngine._execute_query_with_recovery`` is the static helper both
    ``execute_query`` and ``execute_query_in_transaction`` call *inside* their ``with
    get_connection()`` block. We wrap it so that, for the ``duckdb`` dialect only, a
    row-returning result is buffered there and then (``result.freeze()``, i.e. ``fetchall``
    into a ``FrozenResult``) and handed back as a fresh in-memory ``Result`` (``frozen()``), which
    supports the same ``fetchall``/``fetchmany``/``fetchone``/``scalar``/``keys`` API. Results that
    return no rows (DDL, inserts) and other dialects pass through untouched.

    Buffering is cheap for how GX uses it: bundled metrics return a single row, and with
    ``result_format`` ``BASIC``/``SUMMARY`` the unexpected-value queries carry a ``LIMIT``. With
    ``COMPLETE`` on a failing big table every unexpected row would be buffered (GX itself then
    ``fetchmany(MAX_RESULT_RECORDS)`` them anyway).

Removal of 1
    ``tests/gate/test_duckdb_workaround.py`` runs one metric in a clean subprocess *without*
    this patch and fails with "GX #11579 appears fixed upstream: remove duckdb_workaround" as
    soon as GX stops reproducing the bug; ``python -m sector_datasets.gate.duckdb_workaround``
    prints the same probe. Upstream status at 1.24.1: issue closed, PR #11635 only turned the
    ``IndexError`` into a clearer error, the rows are still read after the connection closes.

2. Column reflection of schema-qualified tables (no upstream issue number)
    GX learns a table's columns (metric ``table.column_types``, which ``table.columns`` and every
    column expectation depend on) through ``sqlalchemy.inspect(engine).get_columns(table,
    schema)``. With SQLAlchemy 2.1 the PostgreSQL reflection query that duckdb-engine 0.17
    inherits joins ``pg_catalog.pg_collation``, which DuckDB does not have, so it raises; GX
    then falls back to ``SELECT * FROM <table> LIMIT 1`` *without the schema* (only Redshift gets
    one), which fails for ``audit.<table>`` ("Table with name ... does not exist! Did you mean
    audit...?"). Every column expectation then fails with that error even with the #11579 patch.
    We wrap ``great_expectations.expectations.metrics.util._get_columns_from_selectable`` (looked
    up as a module global by ``get_sqlalchemy_column_metadata``) so that, for the ``duckdb``
    dialect and a named table, columns come from DuckDB's ``information_schema.columns`` (schema
    aware, ordered), with SQLAlchemy types mapped through the dialect's ``ischema_names`` (so
    ``expect_column_values_to_be_of_type`` keeps working). Anything else, or an empty answer,
    goes to the original function. :func:`reflection_is_broken` (no GX, fast) says when it can go.

3. Regex and LIKE expectations raise "Regex/Like patterns are not supported for dialect duckdb"
    ``SqlAlchemyExecutionEngine.__init__`` sets ``dialect_module`` only for the dialects GX
    knows; for ``duckdb`` it stays ``None``, and ``get_dialect_regex_expression`` /
    ``get_dialect_like_pattern_expression`` then find no dialect, so every
    ``expect_column_values_to_(not_)match_regex(_list)`` / ``..._like_pattern(_list)`` raises.
    We wrap ``__init__`` so a duckdb engine gets a tiny module-like ``dialect_module`` whose
    ``.dialect`` is SQLAlchemy's PostgreSQL dialect class (duckdb-engine's dialect derives from
    it, and DuckDB implements PostgreSQL's ``~`` / ``!~`` / ``LIKE`` that GX then emits, with
    the same search semantics) and whose every other attribute (type classes used by
    ``expect_column_values_to_be_of_type`` / ``..._in_type_list``) is SQLAlchemy's top-level one,
    exactly what GX uses when ``dialect_module`` is ``None``. Checked against 33 expectation
    types: the only differences from the unpatched engine are that regex/LIKE now work.
    The probe reports ``dialect_module_missing``; when GX sets one for duckdb, drop this patch.

4. ``expect_compound_columns_to_be_unique`` joins the whole table to its group counts (speed only)
    GX's SQL map metric ``compound_columns.count.map`` gives every row its group's size by an inner
    join of the table with ``SELECT <keys>, count(*) ... GROUP BY <keys>`` on equality of every
    key: on DuckDB a hash join of two relations of the table's size (at 10^7 SYNTHETIC rows of
    agri_crop_production ≈4.4-5.1 s of the suite's ≈6 s; the GROUP BY alone ≈3 s). For the
    ``duckdb`` dialect the provider of that metric is wrapped to build an equivalent relation:
    the table LEFT JOIN only the groups with ``count(*) >= 2`` (on a unique key an empty build
    side), ``_num_rows`` = ``coalesce(count, 1)``, and rows with a NULL key left out as the
    inner join's ``NULL = NULL`` left them out. Same rows, same ``_num_rows`` per row, same names
    (``records_with_grouped_column_counts_subquery``, all table columns + ``_num_rows``), so the
    condition metric, unexpected counts and unexpected-value queries GX builds on it are
    unchanged; the join probes the table against the duplicate groups only (≈ the GROUP BY's
    cost). Other dialects get GX's function. ``tests/gate/test_duckdb_workaround.py`` checks the
    verdicts with and without it on tables with unique keys, duplicates and NULL keys. Remove when
    GX emits a cheaper shape (nothing to fix upstream: the original is correct).

Importing this module is cheap: Great Expectations is imported only inside :func:`apply`.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import sys
import threading
from typing import Any

__all__ = ["apply", "is_applied", "is_upstream_fixed", "probe", "reflection_is_broken"]

_MARKER = "__sector_datasets_duckdb_workaround__"
_lock = threading.Lock()


def _buffered(execute: Any) -> Any:
    """Wrap ``_execute_query_with_recovery(connection, query)`` to buffer DuckDB results."""

    @functools.wraps(execute)
    def _execute_query_with_recovery(connection: Any, query: Any) -> Any:
        result = execute(connection, query)
        if connection.dialect.name != "duckdb" or not getattr(result, "returns_rows", False):
            return result
        # Read every row now, while ``connection`` is still checked out (GX #11579).
        return result.freeze()()

    setattr(_execute_query_with_recovery, _MARKER, True)
    return _execute_query_with_recovery


def _duckdb_sqlalchemy_type(dialect: Any, data_type: str) -> Any:
    """SQLAlchemy type instance for a DuckDB ``information_schema`` data type string."""
    import sqlalchemy as sa

    text = data_type.strip().lower()
    if text.endswith("]") or text.startswith(("struct", "map", "union")):
        return sa.types.NullType()  # nested types: GX type checks need a class; none fits
    base = text.split("(", 1)[0].strip()
    names = {**dialect.ischema_names, **_EXTRA_DUCKDB_TYPES}
    type_cls = names.get(base)
    if type_cls is None:
        return sa.types.NullType()
    if base in {"decimal", "numeric"} and "(" in text:
        precision, _, scale = text.split("(", 1)[1].rstrip(")").partition(",")
        try:
            return type_cls(precision=int(precision), scale=int(scale or 0))
        except (TypeError, ValueError):
            pass
    try:
        return type_cls()
    except TypeError:
        return sa.types.NullType()


def _duckdb_extra_types() -> dict[str, Any]:
    import sqlalchemy as sa

    return {
        "double": sa.types.DOUBLE,
        "float": sa.types.FLOAT,
        "decimal": sa.types.DECIMAL,
        "blob": sa.types.LargeBinary,
        "timestamp with time zone": sa.types.TIMESTAMP,
        "time with time zone": sa.types.TIME,
    }


_EXTRA_DUCKDB_TYPES: dict[str, Any] = {}


def _information_schema_columns(get_columns: Any) -> Any:
    """Wrap GX's ``_get_columns_from_selectable`` to read DuckDB's information_schema."""

    @functools.wraps(get_columns)
    def _get_columns_from_selectable(
        table_selectable: Any,
        inspector: Any,
        schema_name: Any,
        is_text_clause: bool,
        is_quoted_name: bool,
    ) -> Any:
        if is_text_clause or getattr(inspector.dialect, "name", None) != "duckdb":
            return get_columns(table_selectable, inspector, schema_name, is_text_clause, is_quoted_name)
        import sqlalchemy as sa

        query = sa.text(
            "SELECT column_name, data_type FROM information_schema.columns "
            "WHERE table_name = :table AND table_schema = coalesce(:schema, current_schema()) "
            "ORDER BY ordinal_position"
        )
        with inspector.bind.connect() as connection:
            rows = connection.execute(
                query, {"table": str(table_selectable), "schema": schema_name}
            ).fetchall()
        if not rows:
            return get_columns(table_selectable, inspector, schema_name, is_text_clause, is_quoted_name)
        return [
            {"name": name, "type": _duckdb_sqlalchemy_type(inspector.dialect, data_type)}
            for name, data_type in rows
        ]

    setattr(_get_columns_from_selectable, _MARKER, True)
    return _get_columns_from_selectable


def _duckdb_dialect_module() -> Any:
    """Module-like object: ``.dialect`` is SQLAlchemy's PostgreSQL dialect class, anything else
    (type classes) is top-level SQLAlchemy's, as GX uses when ``dialect_module`` is ``None``."""
    import types

    import sqlalchemy as sa
    from sqlalchemy.dialects import postgresql

    module = types.ModuleType("sector_datasets_gx_duckdb_dialect")
    # GX tests ``issubclass(_dialect.dialect, sqlalchemy.dialects.postgresql.dialect)``; on
    # SQLAlchemy 2.1 that default class is the psycopg (3) dialect, which duckdb-engine's
    # psycopg2-derived dialect does not subclass, so the PostgreSQL class itself is given.
    module.dialect = postgresql.dialect  # type: ignore[attr-defined]

    def __getattr__(name: str) -> Any:  # PEP 562 module __getattr__
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(sa, name)

    module.__getattr__ = __getattr__  # type: ignore[method-assign]
    return module


def _with_duckdb_dialect_module(init: Any) -> Any:
    """Wrap ``SqlAlchemyExecutionEngine.__init__`` to give duckdb engines a ``dialect_module``."""

    @functools.wraps(init)
    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        engine = getattr(self, "engine", None)
        dialect = getattr(engine, "dialect", None)
        if getattr(self, "dialect_module", None) is None and getattr(dialect, "name", None) == "duckdb":
            self.dialect_module = _duckdb_dialect_module()

    setattr(__init__, _MARKER, True)
    return __init__


_COMPOUND_METRIC = "compound_columns.count.map"


def _duckdb_compound_counts(provider_fn: Any) -> Any:
    """Wrap GX's SqlAlchemy provider of ``compound_columns.count.map`` (patch 4)."""

    @functools.wraps(provider_fn)  # keeps metric_fn_type / metric_engine / domain attributes
    def inner_func(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, runtime_configuration):
        engine = getattr(execution_engine, "engine", None)
        if getattr(getattr(engine, "dialect", None), "name", None) != "duckdb":
            return provider_fn(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, runtime_configuration)
        import sqlalchemy as sa
        from great_expectations.core.metric_domain_types import MetricDomainTypes
        from great_expectations.expectations.metrics.util import get_dbms_compatible_metric_domain_kwargs

        # What GX's multicolumn_function_partial wrapper does before calling the metric function.
        metric_domain_kwargs = get_dbms_compatible_metric_domain_kwargs(
            metric_domain_kwargs=metric_domain_kwargs, batch_columns_list=metrics["table.columns"]
        )
        selectable, compute_domain_kwargs, accessor_domain_kwargs = execution_engine.get_compute_domain(
            domain_kwargs=metric_domain_kwargs, domain_type=MetricDomainTypes.MULTICOLUMN
        )
        column_names = accessor_domain_kwargs["column_list"]
        original = sa.select(*[sa.column(c) for c in metrics["table.columns"]]).select_from(selectable).alias(
            "original_table_clause"
        )
        keys = [original.c[name] for name in column_names]
        duplicates = (
            sa.select(*keys, sa.func.count().label("_num_rows"))
            .select_from(original)
            .group_by(*keys)
            .having(sa.func.count() >= 2)  # noqa: PLR2004
            .alias("group_counts_subquery")
        )
        on = sa.and_(*(duplicates.c[name] == original.c[name] for name in column_names))
        query = (
            sa.select(original, sa.func.coalesce(duplicates.c._num_rows, 1).label("_num_rows"))
            .select_from(original.join(duplicates, onclause=on, isouter=True))
            .where(sa.and_(*(original.c[name].is_not(None) for name in column_names)))
            .alias("records_with_grouped_column_counts_subquery")
        )
        return query, compute_domain_kwargs, accessor_domain_kwargs

    setattr(inner_func, _MARKER, True)
    return inner_func


def _compound_providers() -> dict:
    """GX's registered providers of the metric, by execution engine name."""
    # The metric is registered when GX's metrics package is imported (great_expectations does).
    import great_expectations.expectations.metrics  # noqa: F401
    from great_expectations.expectations.registry import _registered_metrics

    return _registered_metrics.get(_COMPOUND_METRIC, {}).get("providers", {})


def _compound_provider_patched() -> bool:
    entry = _compound_providers().get("SqlAlchemyExecutionEngine")
    return bool(entry) and bool(getattr(entry[1], _MARKER, False))


def _patch_compound_provider() -> None:
    providers = _compound_providers()
    entry = providers.get("SqlAlchemyExecutionEngine")
    if entry is None:
        raise RuntimeError(
            f"duckdb_workaround (compound uniqueness): no SqlAlchemy provider of {_COMPOUND_METRIC} in this "
            "Great Expectations version; update sector_datasets/gate/duckdb_workaround.py"
        )
    if not getattr(entry[1], _MARKER, False):
        providers["SqlAlchemyExecutionEngine"] = (entry[0], _duckdb_compound_counts(entry[1]))


def is_applied() -> bool:
    """Whether :func:`apply` has patched GX in this process (imports GX)."""
    from great_expectations.execution_engine import sqlalchemy_execution_engine as see
    from great_expectations.expectations.metrics import util as metrics_util

    current = see.SqlAlchemyExecutionEngine.__dict__.get("_execute_query_with_recovery")
    return (
        bool(getattr(getattr(current, "__func__", current), _MARKER, False))
        and bool(getattr(getattr(metrics_util, "_get_columns_from_selectable", None), _MARKER, False))
        and bool(getattr(see.SqlAlchemyExecutionEngine.__init__, _MARKER, False))
        and _compound_provider_patched()
    )


def apply() -> None:
    """Apply the four DuckDB patches described in the module docstring; idempotent.

    Process-wide and idempotent (safe to call from every validation, thread-safe). Fails loudly
    if GX no longer has the patched helper, so an upgrade cannot silently drop the workaround.
    """
    from great_expectations.execution_engine import sqlalchemy_execution_engine as see
    from great_expectations.expectations.metrics import util as metrics_util

    cls = see.SqlAlchemyExecutionEngine
    with _lock:
        current = cls.__dict__.get("_execute_query_with_recovery")
        if not getattr(getattr(current, "__func__", current), _MARKER, False):
            if not isinstance(current, staticmethod):
                raise RuntimeError(
                    "duckdb_workaround (GX #11579): SqlAlchemyExecutionEngine."
                    "_execute_query_with_recovery is no longer a staticmethod in this Great "
                    "Expectations version; re-check the issue and update "
                    "sector_datasets/gate/duckdb_workaround.py"
                )
            cls._execute_query_with_recovery = staticmethod(_buffered(current.__func__))

        reflect = getattr(metrics_util, "_get_columns_from_selectable", None)
        if not getattr(reflect, _MARKER, False):
            if reflect is None:
                raise RuntimeError(
                    "duckdb_workaround (column reflection): great_expectations.expectations."
                    "metrics.util._get_columns_from_selectable is gone in this Great "
                    "Expectations version; update sector_datasets/gate/duckdb_workaround.py"
                )
            if not _EXTRA_DUCKDB_TYPES:
                _EXTRA_DUCKDB_TYPES.update(_duckdb_extra_types())
            metrics_util._get_columns_from_selectable = _information_schema_columns(reflect)

        if not getattr(cls.__init__, _MARKER, False):
            cls.__init__ = _with_duckdb_dialect_module(cls.__init__)  # type: ignore[method-assign]

        _patch_compound_provider()


# --------------------------------------------------------------------------------------------
# Probe: does the installed GX still need the patch?
# --------------------------------------------------------------------------------------------

_PROBE_SCRIPT = r"""
import json, os, sys, tempfile
import duckdb
patched = sys.argv[1] == "patched"
out = {"patched": patched, "ok": False, "row_count": None, "error": None}
with tempfile.TemporaryDirectory() as tmp:
    db = os.path.join(tmp, "probe.duckdb")
    con = duckdb.connect(db)
    con.execute("CREATE TABLE probe AS SELECT range AS id FROM range(3)")
    con.close()
    import great_expectations as gx
    if patched:
        from sector_datasets.gate import duckdb_workaround
        duckdb_workaround.apply()
    ctx = gx.get_context(mode="ephemeral")
    ds = ctx.data_sources.add_sql("probe", connection_string="duckdb:///" + db)
    batch = ds.add_table_asset("probe", table_name="probe").add_batch_definition_whole_table("all").get_batch()
    res = batch.validate(gx.expectations.ExpectTableRowCountToEqual(value=3))
    out["ok"] = bool(res.success)
    out["row_count"] = (res.result or {}).get("observed_value")
    errors = [
        info.get("exception_message") or ""
        for info in (res.exception_info or {}).values()
        if isinstance(info, dict) and info.get("raised_exception")
    ]
    tracebacks = [
        info.get("exception_traceback") or ""
        for info in (res.exception_info or {}).values()
        if isinstance(info, dict) and info.get("raised_exception")
    ]
    out["error"] = "; ".join(errors) or None
    out["index_error"] = any("IndexError" in tb for tb in tracebacks)
    out["dialect_module_missing"] = ds.get_execution_engine().dialect_module is None
    ds.get_engine().dispose()
    ds.get_execution_engine().close()
print("PROBE_RESULT=" + json.dumps(out))
"""


def probe(patched: bool, timeout_s: float = 180.0) -> dict[str, Any]:
    """Run one metric (table row count of a 3-row DuckDB table) in a clean subprocess.

    Returns ``{"patched", "ok", "row_count", "error", "index_error", "dialect_module_missing"}``. A subprocess so that the
    unpatched run is not affected by a patch already applied in this process.
    """
    plugins_dir = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env_path = [plugins_dir, *sys.path]
    proc = subprocess.run(
        [sys.executable, "-c", _PROBE_SCRIPT, "patched" if patched else "unpatched"],
        capture_output=True,
        text=True,
        timeout=timeout_s,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in env_path if p)},
    )
    for line in proc.stdout.splitlines():
        if line.startswith("PROBE_RESULT="):
            return json.loads(line.removeprefix("PROBE_RESULT="))
    raise RuntimeError(
        f"duckdb_workaround probe ({'patched' if patched else 'unpatched'}) produced no result "
        f"(exit {proc.returncode}): {proc.stderr[-2000:]}"
    )


def is_upstream_fixed() -> bool:
    """True when an unpatched GX computes a metric on DuckDB correctly (subprocess, ~6 s)."""
    result = probe(patched=False)
    return bool(result["ok"]) and result["row_count"] == 3


def reflection_is_broken() -> bool:
    """True while SQLAlchemy/duckdb-engine cannot reflect a schema-qualified DuckDB table.

    No GX involved (fast): ``inspect(engine).get_columns("t", schema="s")`` on a throwaway file.
    When this returns False the column-reflection half of :func:`apply` can go.
    """
    import tempfile

    import duckdb
    import sqlalchemy as sa

    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "reflect.duckdb")
        con = duckdb.connect(db)
        con.execute("CREATE SCHEMA s; CREATE TABLE s.t (id BIGINT, name VARCHAR)")
        con.close()
        engine = sa.create_engine(f"duckdb:///{db}")
        try:
            columns = sa.inspect(engine).get_columns("t", schema="s")
            return [c["name"] for c in columns] != ["id", "name"]
        except sa.exc.DBAPIError:
            return True
        finally:
            engine.dispose()


if __name__ == "__main__":  # python -m sector_datasets.gate.duckdb_workaround
    print(
        json.dumps(
            {
                "unpatched": probe(False),
                "patched": probe(True),
                "reflection_is_broken": reflection_is_broken(),
            },
            indent=2,
        )
    )
