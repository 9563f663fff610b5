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
"""

from __future__ import annotations

import functools
from typing import Any

from sector_datasets.gate.duckdb_workaround.marker import is_marked, mark

COMPOUND_METRIC = "compound_columns.count.map"


def _duckdb_compound_counts(provider_fn: Any) -> Any:
    """Wrap GX's SqlAlchemy provider of ``compound_columns.count.map``."""

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

    return mark(inner_func)


def _compound_providers() -> dict:
    """GX's registered providers of the metric, by execution engine name."""
    # The metric is registered when GX's metrics package is imported (great_expectations does).
    import great_expectations.expectations.metrics  # noqa: F401
    from great_expectations.expectations.registry import _registered_metrics

    return _registered_metrics.get(COMPOUND_METRIC, {}).get("providers", {})


def is_patched() -> bool:
    entry = _compound_providers().get("SqlAlchemyExecutionEngine")
    return bool(entry) and is_marked(entry[1])


def patch() -> None:
    """Wrap GX's SqlAlchemy provider of the metric once."""
    providers = _compound_providers()
    entry = providers.get("SqlAlchemyExecutionEngine")
    if entry is None:
        raise RuntimeError(
            f"duckdb_workaround (compound uniqueness): no SqlAlchemy provider of {COMPOUND_METRIC} in this "
            "Great Expectations version; update sector_datasets/gate/duckdb_workaround/compound.py"
        )
    if not is_marked(entry[1]):
        providers["SqlAlchemyExecutionEngine"] = (entry[0], _duckdb_compound_counts(entry[1]))
