"""Patch 6: ``expect_column_median_to_be_between`` sorts the column to read its middle (speed only).

GX's SqlAlchemy ``column.median`` reads the one or two middle values with ``SELECT <col> ...
WHERE <col> IS NOT NULL ORDER BY <col> OFFSET max(n // 2 - 1, 0) LIMIT 2`` (``n`` = the non-NULL
count, its metric dependency), which DuckDB answers with a top-N heap of half the rows: at 10^7
SYNTHETIC rows of agri_crop_production 0.15-0.35 s, the gate's largest statement once patch 4
took the uniqueness GROUP BY away. DuckDB's ``quantile_disc`` selects values at given positions
without sorting (≈0.03 s). For the ``duckdb`` dialect the provider of the metric is wrapped: the
same positions are asked of ``quantile_disc`` (position ``p`` as the fraction ``(p + 0.5) / n``,
which DuckDB's discrete quantile maps to ``p``), each answer is checked in the same scan
(``count(<col> < v) <= p < count(<col> <= v)``: ``v`` is the value at sorted position ``p``,
whatever the quantile's index rule), and GX's own arithmetic then turns the values into the
median. A zero (ORDER BY leaves -0.0 and 0.0 in no defined order, so GX may read either sign),
a value that is not a number (GX's arithmetic on it raises, with its own message), a failed check
or any error runs GX's function instead. Other dialects get GX's function. Remove when GX
computes the median with the dialect's own aggregate.
"""

from __future__ import annotations

import decimal
import functools
import logging
from typing import Any

from sector_datasets.gate.duckdb_workaround import providers

log = logging.getLogger(__name__)

MEDIAN_METRIC = "column.median"


def _middle_values(execution_engine: Any, selectable: Any, column: Any, nonnull_count: int) -> list[Any] | None:
    """The values GX's ORDER BY/OFFSET/LIMIT 2 reads, or None when they cannot be vouched for."""
    try:
        import sqlalchemy as sa

        first = max(nonnull_count // 2 - 1, 0)
        positions = [first, first + 1] if nonnull_count > first + 1 else [first]
        fractions = sa.func.list_value(*(sa.cast(sa.literal((p + 0.5) / nonnull_count), sa.Double) for p in positions))
        not_null = column.is_not(None)
        values = execution_engine.execute_query(
            sa.select(sa.func.quantile_disc(column, fractions)).select_from(selectable).where(not_null)
        ).scalar()
        if not isinstance(values, list) or len(values) != len(positions):
            return None
        if not all(isinstance(v, (int, float, decimal.Decimal)) and not isinstance(v, bool) and v != 0 for v in values):
            return None
        counts = execution_engine.execute_query(
            sa.select(*(agg for v in values for agg in (
                sa.func.count().filter(column < sa.literal(v)), sa.func.count().filter(column <= sa.literal(v))
            ))).select_from(selectable).where(not_null)
        ).one()
        for p, below, through in zip(positions, counts[0::2], counts[1::2]):
            if not below <= p < through:
                return None
        return values
    except Exception:  # GX's own query still answers; never fail a gate over a shortcut
        log.debug("column.median: quantile_disc shortcut failed, using GX's query", exc_info=True)
        return None


def _gx_median(values: list[Any], nonnull_count: int) -> Any:
    """GX 1.24.1's ``ColumnMedian._sqlalchemy`` arithmetic on the values its query returned."""
    if len(values) == 0:
        return None
    if nonnull_count % 2 == 0:
        return float(values[0] + values[1]) / 2.0
    return values[0] if len(values) == 1 else values[1]


def _duckdb_median(provider_fn: Any) -> Any:
    """Wrap GX's SqlAlchemy provider of ``column.median``."""

    @functools.wraps(provider_fn)  # keeps metric_fn_type / metric_engine / domain attributes
    def inner_func(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, runtime_configuration):
        def gx() -> Any:
            return provider_fn(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, runtime_configuration)

        nonnull_count = metrics.get("column_values.nonnull.count")
        if not providers.is_duckdb(execution_engine) or not nonnull_count:
            return gx()
        import sqlalchemy as sa
        from great_expectations.core.metric_domain_types import MetricDomainTypes

        # What GX's function does to find the column.
        selectable, _, accessor_domain_kwargs = execution_engine.get_compute_domain(
            metric_domain_kwargs, MetricDomainTypes.COLUMN
        )
        values = _middle_values(execution_engine, selectable, sa.column(accessor_domain_kwargs["column"]), nonnull_count)
        return gx() if values is None else _gx_median(values, nonnull_count)

    return inner_func


def is_patched() -> bool:
    return providers.is_wrapped(MEDIAN_METRIC)


def patch() -> None:
    """Wrap GX's SqlAlchemy provider of the metric once."""
    providers.wrap(MEDIAN_METRIC, _duckdb_median, "median")
