"""Wrapping a GX metric's SqlAlchemy provider (what the compound, column-types and median patches do)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sector_datasets.gate.duckdb_workaround.marker import is_marked, mark

ENGINE = "SqlAlchemyExecutionEngine"


def is_duckdb(execution_engine: Any) -> bool:
    """Whether a GX execution engine runs on the ``duckdb`` dialect."""
    engine = getattr(execution_engine, "engine", None)
    return getattr(getattr(engine, "dialect", None), "name", None) == "duckdb"


def batch_id(execution_engine: Any, metric_domain_kwargs: dict) -> Any:
    """The batch a metric reads, found as GX's SqlAlchemy providers find it."""
    return metric_domain_kwargs.get("batch_id") or execution_engine.batch_manager.active_batch_data_id


def _providers(metric: str) -> dict:
    """GX's registered providers of ``metric``, by execution engine name."""
    # Metrics are registered when GX's metrics package is imported (great_expectations does).
    import great_expectations.expectations.metrics  # noqa: F401
    from great_expectations.expectations.registry import _registered_metrics

    return _registered_metrics.get(metric, {}).get("providers", {})


def provider(metric: str) -> tuple[Any, Any] | None:
    """(metric class, provider function) GX calls for ``metric`` on SQL engines, if registered."""
    return _providers(metric).get(ENGINE)


def is_wrapped(metric: str) -> bool:
    entry = provider(metric)
    return bool(entry) and is_marked(entry[1])


def wrap(metric: str, wrapper: Callable[[Any], Any], patch_module: str) -> None:
    """Replace ``metric``'s SqlAlchemy provider by ``wrapper(provider)`` (marked), once.

    ``wrapper`` must keep the provider's attributes (``functools.wraps``): GX reads
    ``metric_fn_type`` and friends from it to plan the metric. ``patch_module`` names the file
    to update when GX no longer registers the metric.
    """
    providers = _providers(metric)
    entry = providers.get(ENGINE)
    if entry is None:
        raise RuntimeError(
            f"duckdb_workaround: no SqlAlchemy provider of {metric} in this Great Expectations version; "
            f"update sector_datasets/gate/duckdb_workaround/{patch_module}.py"
        )
    if not is_marked(entry[1]):
        providers[ENGINE] = (entry[0], mark(wrapper(entry[1])))
