"""Patch 3: regex and LIKE expectations raise "Regex/Like patterns are not supported for dialect
duckdb".

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
The probe (:mod:`.upstream`) reports ``dialect_module_missing``; when GX sets one for duckdb,
drop this patch.
"""

from __future__ import annotations

import functools
from typing import Any

from sector_datasets.gate.duckdb_workaround.marker import is_marked, mark


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

    return mark(__init__)


def is_patched() -> bool:
    from great_expectations.execution_engine.sqlalchemy_execution_engine import SqlAlchemyExecutionEngine

    return is_marked(SqlAlchemyExecutionEngine.__init__)


def patch() -> None:
    """Wrap ``SqlAlchemyExecutionEngine.__init__`` once."""
    from great_expectations.execution_engine.sqlalchemy_execution_engine import SqlAlchemyExecutionEngine as cls

    if not is_marked(cls.__init__):
        cls.__init__ = _with_duckdb_dialect_module(cls.__init__)  # type: ignore[method-assign]
