"""Patch 4: ``expect_compound_columns_to_be_unique`` joins the whole table to its group counts
(speed only).

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

Even so, that GROUP BY of every key was ≈80 % of the gate's SQL at 10^7 rows (1.5-2.2 s of
agri_crop_production's 1.8-2.5 s of SQL on the shared machine; ≈1.2 GB of memory), to find what
a published key almost always is: unique. So first a proof of uniqueness: ``hash(<keys>)`` of
the rows the relation keeps (no NULL key) is read into a NumPy array, sorted, and searched for a
repeated value (≈0.25 s and ≈0.2 GB at 10^7 rows; at most :data:`HASH_CHECK_MAX_ROWS` hashes at
a time, a bigger relation in parts split by hash value). DuckDB groups and compares rows by the
values ``hash()`` hashes (-0.0 and 0.0 alike, every NaN alike), so equal keys have equal hashes
and no repeated hash means no group of two or more: every kept row's ``_num_rows`` is then 1 and
the relation is exactly that, without the GROUP BY. The one exception, text compared under a
collation, is excluded (:func:`_keys_provably_unique`). A repeated hash (a duplicate key, or a
64-bit collision), a collation or any error in the proof falls back to the relation above, so
the verdict is the same either way. The tests compare both with GX's own join on unique,
duplicated, NULL, signed-zero/NaN and collated keys.
"""

from __future__ import annotations

import functools
import logging
from typing import Any

from sector_datasets.gate.duckdb_workaround import providers

log = logging.getLogger(__name__)

COMPOUND_METRIC = "compound_columns.count.map"
#: At most this many key hashes (8 bytes each) are held at once by the uniqueness proof; a bigger
#: relation is checked in parts split by hash value (each part re-reads the key columns).
HASH_CHECK_MAX_ROWS = 1 << 24


def _source_table(execution_engine: Any, metric_domain_kwargs: dict) -> tuple[str | None, str] | None:
    """(schema, table) the validated batch reads, or None for a query batch."""
    batch = execution_engine.batch_manager.batch_data_cache.get(providers.batch_id(execution_engine, metric_domain_kwargs))
    table = getattr(batch, "source_table_name", None)
    return (getattr(batch, "source_schema_name", None), str(table)) if table else None


def _keys_provably_unique(execution_engine: Any, relation: Any, keys: list[Any], table: tuple[str | None, str] | None) -> bool:
    """True when no two rows of ``relation`` with non-NULL ``keys`` share ``hash(keys)``.

    False when some do (duplicates or a collision) and when the check itself fails: the caller
    then builds GX's exact relation, so a False never changes a verdict, only costs time. Also
    False unless ``table`` is a base table declaring no collation and no default collation is
    set: GROUP BY and ``=`` compare collated text (``'A'`` = ``'a'`` under NOCASE) while
    ``hash()`` hashes the raw text, so only without a collation do equal keys imply equal hashes.
    """
    if table is None:
        return False
    try:
        import numpy as np
        import sqlalchemy as sa

        kept = sa.and_(*(key.is_not(None) for key in keys))
        digest = sa.func.hash(*keys)
        with execution_engine.engine.connect() as connection:
            binary = connection.execute(
                sa.text(
                    "SELECT current_setting('default_collation') = '' AND EXISTS (SELECT 1 FROM duckdb_tables() "
                    "WHERE schema_name = coalesce(:schema, current_schema()) AND table_name = :table "
                    "AND NOT contains(upper(sql), 'COLLATE'))"
                ),
                {"schema": table[0], "table": table[1]},
            ).scalar()
            if not binary:
                return False
            rows = connection.execute(sa.select(sa.func.count()).select_from(relation).where(kept)).scalar() or 0
            parts = max(1, -(-rows // HASH_CHECK_MAX_ROWS))
            for part in range(parts):
                query = sa.select(digest.label("h")).select_from(relation).where(kept)
                if parts > 1:
                    query = query.where(digest % parts == part)
                # straight from the DuckDB cursor into NumPy, not as 10^7 Python rows through SQLAlchemy
                hashes = np.asarray(connection.execute(query).cursor.fetchnumpy()["h"])
                hashes.sort()
                if bool((hashes[1:] == hashes[:-1]).any()):
                    return False
        return True
    except Exception:  # the exact relation still answers; never fail a gate over a shortcut
        log.debug("compound uniqueness: hash check failed, using the exact relation", exc_info=True)
        return False


def _duckdb_compound_counts(provider_fn: Any) -> Any:
    """Wrap GX's SqlAlchemy provider of ``compound_columns.count.map``."""

    @functools.wraps(provider_fn)  # keeps metric_fn_type / metric_engine / domain attributes
    def inner_func(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, runtime_configuration):
        if not providers.is_duckdb(execution_engine):
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
        kept = sa.and_(*(original.c[name].is_not(None) for name in column_names))
        if _keys_provably_unique(execution_engine, original, keys, _source_table(execution_engine, metric_domain_kwargs)):
            query = (
                sa.select(original, sa.cast(sa.literal(1), sa.BigInteger).label("_num_rows"))
                .where(kept)
                .alias("records_with_grouped_column_counts_subquery")
            )
            return query, compute_domain_kwargs, accessor_domain_kwargs
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
            .where(kept)
            .alias("records_with_grouped_column_counts_subquery")
        )
        return query, compute_domain_kwargs, accessor_domain_kwargs

    return inner_func


def is_patched() -> bool:
    return providers.is_wrapped(COMPOUND_METRIC)


def patch() -> None:
    """Wrap GX's SqlAlchemy provider of the metric once."""
    providers.wrap(COMPOUND_METRIC, _duckdb_compound_counts, "compound")
