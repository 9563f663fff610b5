"""Patch 5: the table's columns are reflected again for every ``row_condition`` (speed only).

GX resolves ``table.column_types`` (which ``table.columns`` and every column expectation depend
on) per metric domain, and a domain includes the expectation's ``row_condition``: a suite with one
coverage check per promised series (the contract's ``expect_column_unique_value_count_to_be_between``
with ``row_condition``) reflected the same table once per series and once more, each time two
catalog queries (primary key, then ``information_schema.columns`` through :mod:`.reflection`).
For agriculture's six datasets that was 33 reflections (40 statements) per gate run where 6 give
the same answers. GX's SqlAlchemy provider of the metric reads nothing but the batch
(``batch_id``): a row condition filters rows, never columns. So for the ``duckdb`` dialect its
answer is kept per batch (and value arguments) in the execution engine's metric cache, where GX
keeps its own metric values by batch id and :mod:`sector_datasets.gate.gx_source` clears them
after each validation; each caller gets its own copy of the column list. Other dialects, or an
engine without a metric cache, get GX's function unchanged. Remove when GX resolves table
metrics once per batch.
"""

from __future__ import annotations

import functools
import json
from typing import Any

from sector_datasets.gate.duckdb_workaround import providers

COLUMN_TYPES_METRIC = "table.column_types"
#: First item of this patch's keys in GX's metric cache (GX's own keys start with a metric name).
_CACHE_TAG = "sector_datasets.duckdb_workaround: table.column_types per batch"


def _once_per_batch(provider_fn: Any) -> Any:
    """Wrap GX's SqlAlchemy provider of ``table.column_types``."""

    @functools.wraps(provider_fn)  # keeps metric_fn_type / metric_engine / domain attributes
    def inner_func(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, runtime_configuration):
        def reflect() -> Any:
            return provider_fn(cls, execution_engine, metric_domain_kwargs, metric_value_kwargs, metrics, runtime_configuration)

        cache = getattr(execution_engine, "_metric_cache", None)
        if not providers.is_duckdb(execution_engine) or not isinstance(cache, dict):
            return reflect()
        batch_id = providers.batch_id(execution_engine, metric_domain_kwargs)
        if batch_id is None:
            return reflect()
        key = (_CACHE_TAG, batch_id, json.dumps(metric_value_kwargs or {}, sort_keys=True, default=str))
        if key not in cache:
            cache[key] = reflect()
        columns = cache[key]
        return columns if columns is None else [dict(column) for column in columns]

    return inner_func


def is_patched() -> bool:
    return providers.is_wrapped(COLUMN_TYPES_METRIC)


def patch() -> None:
    """Wrap GX's SqlAlchemy provider of the metric once."""
    providers.wrap(COLUMN_TYPES_METRIC, _once_per_batch, "column_types")
