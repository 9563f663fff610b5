"""Workarounds that make Great Expectations 1.24.1 usable on DuckDB through duckdb-engine.

Six small, process-wide, idempotent patches applied by :func:`apply`, all no-ops for any
dialect other than ``duckdb``. Each module says what it fixes and how to tell when it can go:

====================  ============================================================================
:mod:`.buffering`     1. GX #11579, every metric fails (the essential one: without it no metric at
                      all is computed)
:mod:`.reflection`    2. column reflection of schema-qualified tables (``audit.<table>``)
:mod:`.dialect`       3. regex and LIKE expectations raise "not supported for dialect duckdb"
:mod:`.compound`      4. ``expect_compound_columns_to_be_unique`` joins the whole table (speed only)
:mod:`.column_types`  5. the table's columns are reflected again per ``row_condition`` (speed only)
:mod:`.median`        6. ``expect_column_median_to_be_between`` sorts the column (speed only)
:mod:`.upstream`      the probes that say when a patch can be removed (``python -m`` this package)
====================  ============================================================================

Importing this package is cheap: Great Expectations is imported only inside :func:`apply`.
"""

from __future__ import annotations

import threading

from sector_datasets.gate.duckdb_workaround import buffering, column_types, compound, dialect, median, reflection

__all__ = ["apply", "is_applied"]

_PATCHES = (buffering, reflection, dialect, compound, column_types, median)
_lock = threading.Lock()


def is_applied() -> bool:
    """Whether :func:`apply` has patched GX in this process (imports GX)."""
    return all(patch.is_patched() for patch in _PATCHES)


def apply() -> None:
    """Apply the six DuckDB patches; idempotent.

    Process-wide and idempotent (safe to call from every validation, thread-safe). Fails loudly
    if GX no longer has a patched helper, so an upgrade cannot silently drop the workaround.
    """
    with _lock:
        for patch in _PATCHES:
            patch.patch()
