"""Gate verdicts beyond the expectation suite: a failed verdict for a dataset that could not be
validated, the automatic personal-data checks and the upstream duplicate-key warnings.

Moved out of :mod:`sector_datasets.orchestration.stages` (module size); the gate stage calls them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sector_datasets.gate.outcomes import GateVerdict
from sector_datasets.registry import Dataset
from sector_datasets.settings import Settings


def failed_verdict(dataset: Dataset, sector_id: str, run_id: str, error: str) -> GateVerdict:
    """A failed verdict for a dataset that was not validated (its inputs are known bad)."""
    return GateVerdict(
        dataset_id=dataset.id, sector_id=sector_id, run_id=run_id, suite_name=dataset.suite_name,
        table=f"audit.{dataset.model_name}", success=False, evaluated=0, failed=0, row_count=None,
        started_at=datetime.now(UTC).isoformat(timespec="seconds"), duration_s=0.0, error=error,
    )


def with_privacy_checks(settings: Settings, dataset: Dataset, verdict: GateVerdict) -> GateVerdict:
    """Add the automatic personal-data checks (:func:`privacy.gate_outcomes`) to a gate verdict."""
    import dataclasses

    from sector_datasets.warehouse import get_backend
    from sector_datasets.gate.outcomes import ExpectationOutcome
    from sector_datasets.privacy import gate_outcomes
    from sector_datasets.warehouse.duckdb_lock import quote_ident

    with get_backend(settings).connect_reader() as con:
        extra = gate_outcomes(con, f"audit.{quote_ident(dataset.model_name)}", dataset)
    results = verdict.results + tuple(ExpectationOutcome.from_dict(o) for o in extra)
    failed = sum(1 for r in results if not r.success)
    return dataclasses.replace(
        verdict, results=results, evaluated=len(results), failed=failed, success=failed == 0 and bool(results)
    )


def with_upstream_keys(verdict: GateVerdict, warnings: dict[str, str]) -> GateVerdict:
    """Fail the verdict on a duplicated key upstream (a staging ``unique`` test that warned).

    A duplicate upstream multiplies rows in every join below it, which the mart's own suite
    cannot always see (its key may still be unique after the join), so it must not publish.
    """
    import dataclasses

    from sector_datasets.gate.outcomes import ExpectationOutcome

    if not warnings:
        return verdict
    extra = tuple(
        ExpectationOutcome(type="dbt_upstream_key_test", column=None, kwargs={"test": test_id}, success=False,
                           exception=message)
        for test_id, message in warnings.items()
    )
    results = verdict.results + extra
    return dataclasses.replace(verdict, results=results, evaluated=len(results),
                               failed=verdict.failed + len(extra), success=False)
