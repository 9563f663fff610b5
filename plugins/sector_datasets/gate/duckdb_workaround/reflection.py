"""Patch 2: column reflection of schema-qualified tables (no upstream issue number).

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
goes to the original function. :func:`.upstream.reflection_is_broken` (no GX, fast) says when
it can go.
"""

from __future__ import annotations

import functools
from typing import Any

from sector_datasets.gate.duckdb_workaround.marker import is_marked, mark


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

    return mark(_get_columns_from_selectable)


def is_patched() -> bool:
    from great_expectations.expectations.metrics import util as metrics_util

    return is_marked(getattr(metrics_util, "_get_columns_from_selectable", None))


def patch() -> None:
    """Wrap ``metrics.util._get_columns_from_selectable`` once."""
    from great_expectations.expectations.metrics import util as metrics_util

    reflect = getattr(metrics_util, "_get_columns_from_selectable", None)
    if is_marked(reflect):
        return
    if reflect is None:
        raise RuntimeError(
            "duckdb_workaround (column reflection): great_expectations.expectations."
            "metrics.util._get_columns_from_selectable is gone in this Great "
            "Expectations version; update sector_datasets/gate/duckdb_workaround/reflection.py"
        )
    if not _EXTRA_DUCKDB_TYPES:
        _EXTRA_DUCKDB_TYPES.update(_duckdb_extra_types())
    metrics_util._get_columns_from_selectable = _information_schema_columns(reflect)
