"""Quality gate: validate one warehouse table against its expectation suite with Great Expectations.

``validate_table`` runs a GX 1.x expectation suite (``expectations/<suite>.json``) against a
DuckDB table through a SQL datasource, so every metric is pushed down to DuckDB as SQL (nothing
is loaded into pandas), and returns a :class:`GateVerdict`: a small, frozen, JSON-serialisable
record (:mod:`.outcomes`) meant to travel through Airflow XCom and into reports.
With the PostgreSQL warehouse (``SECTOR_DATASETS_WAREHOUSE_KIND=postgres``) the same suites run
through a SQL datasource on PostgreSQL (psycopg2, read-only session); the DuckDB workaround
patches are no-ops there.

Operational rules this module keeps:

* Great Expectations costs ~5 s to import, so it is imported inside :func:`validate_table`
  only; importing this module (e.g. from a DAG file) is cheap.
* The GX context and SQL datasource are made once per process and warehouse connection
  (:mod:`sector_datasets.gate.gx_source`); each validation gets a fresh table asset.
* The warehouse is opened READ ONLY (duckdb-engine ``connect_args={"read_only": True}``) and
  every connection GX opened is closed before returning, so the DuckDB file is released and the
  next task in the same process (``dag.test()`` of ``cli run``) can open it for writing.
* The suite runs in two passes (:func:`run_suite`): all expectations with result format BASIC
  and no example values, then SUMMARY (examples of unexpected values) only for those that found
  any. The verdict is the same as one SUMMARY pass, without a scan per column check for
  examples that do not exist.
* GX + duckdb-engine needs :mod:`sector_datasets.gate.duckdb_workaround` (GX #11579 and schema
  aware column reflection); it is applied here, idempotently.
* Problems with the data or its configuration give a *failed verdict* with ``error`` set (missing
  warehouse file, missing table, invalid/missing suite file); they do not raise. A warehouse that
  cannot be opened (e.g. held read-write by another connection of this process) raises
  :class:`GateError`, because that is an environment problem worth a retry.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import time
from pathlib import Path
from typing import Any

from sector_datasets.gate.outcomes import (
    PARTIAL_UNEXPECTED_MAX,
    ExpectationOutcome,
    GateVerdict,
    exception_message,
    outcome_from_gx,
)
from sector_datasets.gate.suites import SuiteError, load_suite

log = logging.getLogger(__name__)
# GX logs each datasource, asset and batch registration at INFO (≈60 lines per gate task, 214 of
# a gate task's 230 log lines): the gate's own verdict line (orchestration.stages.gate) is what a
# reader needs. Its warnings and errors still show.
logging.getLogger("great_expectations").setLevel(logging.WARNING)

__all__ = ["GateError", "run_suite", "validate_table"]

#: GX result format: SUMMARY fills ``partial_unexpected_list`` and lets GX ``LIMIT`` the
#: unexpected-value queries (COMPLETE would fetch every failing row).
RESULT_FORMAT = {"result_format": "SUMMARY", "partial_unexpected_count": PARTIAL_UNEXPECTED_MAX}
#: The first pass over the whole suite: observed values and unexpected counts, but no query for
#: example values (a scan per column check even when nothing is unexpected: at 10^7 rows one
#: SUMMARY pass took 1.3-1.8x the two passes). Only expectations that found unexpected values
#: are re-run with RESULT_FORMAT.
FIRST_PASS = {"result_format": "BASIC", "partial_unexpected_count": 0}


class GateError(RuntimeError):
    """The gate could not run at all (environment problem, not a data-quality finding)."""


# --------------------------------------------------------------------------------------------
# Validation
# --------------------------------------------------------------------------------------------


def _is_url(warehouse: Path | str) -> bool:
    return isinstance(warehouse, str) and warehouse.startswith(("postgresql://", "postgres://"))


def _datasource_args(warehouse: Path | str) -> tuple[str, dict[str, Any], str]:
    """(SQLAlchemy URL, engine kwargs, name for messages) of the warehouse to validate.

    A DuckDB file is opened read-only; a PostgreSQL URL (the PostgreSQL backend) with psycopg2 in
    a read-only session. The password never reaches a message.
    """
    if _is_url(warehouse):
        from sector_datasets.secret_handling import redact_dsn

        url = "postgresql+psycopg2://" + str(warehouse).split("://", 1)[1]
        kwargs = {"connect_args": {"options": "-c default_transaction_read_only=on"}}
        return url, kwargs, redact_dsn(str(warehouse))
    path = Path(warehouse).resolve()
    return f"duckdb:///{path}", {"connect_args": {"read_only": True}}, str(Path(warehouse))


def validate_table(
    warehouse_path: Path | str,
    schema: str,
    table: str,
    suite: Path | Any,
    *,
    dataset_id: str,
    sector_id: str,
    run_id: str,
    key_columns: tuple[str, ...] = (),
) -> GateVerdict:
    """Validate ``<schema>.<table>`` in the warehouse ``warehouse_path`` with ``suite``.

    ``warehouse_path`` is a DuckDB file or, with the PostgreSQL backend, a ``postgresql://`` URL
    (:meth:`sector_datasets.warehouse.Backend.gate_target`); the suites are the same on both.

    ``suite`` is a GX ``ExpectationSuite`` (the gate passes a dataset's contract baseline plus
    its rule file, :func:`sector_datasets.gate.contract_suite.load_dataset_suite`) or the path
    of a suite file ``expectations/<suite name>.json`` (see :mod:`sector_datasets.gate.suites`).
    Returns a :class:`GateVerdict`; ``verdict.success`` is False when any expectation failed or
    raised, or when the table/suite/warehouse is missing (then ``verdict.error`` says why).
    Raises :class:`GateError` only when the warehouse exists but cannot be opened read-only.
    ``key_columns`` (the contract's primary key) name the failing rows in each failed result
    (``ExpectationOutcome.unexpected_rows``), so an owner reads "year 2010", not a row number.
    """
    warehouse_path = warehouse_path if _is_url(warehouse_path) else Path(warehouse_path)
    started_at = dt.datetime.now(dt.timezone.utc)
    t0 = time.perf_counter()
    qualified = f"{schema}.{table}"

    def verdict(
        *,
        suite_name: str,
        results: tuple[ExpectationOutcome, ...] = (),
        row_count: int | None = None,
        error: str | None = None,
    ) -> GateVerdict:
        failed = sum(1 for r in results if not r.success)
        return GateVerdict(
            dataset_id=dataset_id,
            sector_id=sector_id,
            run_id=run_id,
            suite_name=suite_name,
            table=qualified,
            success=error is None and failed == 0 and bool(results),
            evaluated=len(results),
            failed=failed,
            row_count=row_count,
            started_at=started_at.isoformat(timespec="seconds"),
            duration_s=round(time.perf_counter() - t0, 3),
            results=results,
            error=error,
        )

    if isinstance(suite, (str, Path)):
        try:
            suite = load_suite(suite)
        except SuiteError as exc:
            return verdict(suite_name=Path(suite).stem, error=str(exc))
    if not _is_url(warehouse_path) and not warehouse_path.is_file():
        return verdict(suite_name=suite.name, error=f"warehouse file {warehouse_path} not found")
    connection_string, engine_kwargs, warehouse_name = _datasource_args(warehouse_path)

    import sqlalchemy as sa

    from sector_datasets.gate import duckdb_workaround, gx_source

    duckdb_workaround.apply()

    with contextlib.ExitStack() as stack:
        try:
            # The process' shared datasource: made (with a test connection) on first use only.
            datasource = stack.enter_context(gx_source.warehouse_datasource(connection_string, engine_kwargs))
            with datasource.get_engine().connect() as connection:
                exists = connection.execute(
                    sa.text(
                        "SELECT count(*) FROM information_schema.tables "
                        "WHERE table_schema = :schema AND table_name = :table"
                    ),
                    {"schema": schema, "table": table},
                ).scalar()
        except Exception as exc:  # sqlalchemy DBAPIError, GX TestConnectionError
            raise GateError(
                f"cannot open warehouse {warehouse_name} read-only for the quality gate "
                f"(is it open read-write elsewhere in this process?): {exc}"
            ) from exc
        if not exists:
            with datasource.get_engine().connect() as connection:
                present = connection.execute(
                    sa.text(
                        "SELECT table_name FROM information_schema.tables "
                        "WHERE table_schema = :schema ORDER BY table_name LIMIT 20"
                    ),
                    {"schema": schema},
                ).scalars().all()
            hint = f"; schema {schema!r} has: {', '.join(present)}" if present else f"; schema {schema!r} is empty or missing"
            return verdict(
                suite_name=suite.name,
                error=f"table {qualified} not found in warehouse {warehouse_name}{hint}",
            )

        with gx_source.whole_table(datasource, schema, table) as batch_definition:
            results = run_suite(batch_definition, suite, key_columns=key_columns)

        count_query = sa.select(sa.func.count()).select_from(sa.table(table, schema=schema))
        row_count = datasource.get_execution_engine().execute_query(count_query).scalar()

        # GX groups results by domain, not in suite order; report them in the file's order.
        position = {e.id: i for i, e in enumerate(suite.expectations)}
        ordered = sorted(
            enumerate(results),
            key=lambda item: (position.get(item[1].expectation_config.id, len(position)), item[0]),
        )
        return verdict(
            suite_name=suite.name,
            results=tuple(outcome_from_gx(evr) for _, evr in ordered),
            row_count=None if row_count is None else int(row_count),
        )


def _needs_summary(evr: Any) -> bool:
    """Whether the cheap first pass left out something SUMMARY would report (example values)."""
    return not evr.success or exception_message(evr.exception_info) is not None or bool(
        (evr.result or {}).get("unexpected_count")
    )


def run_suite(
    batch_definition: Any, suite: Any, batch_parameters: dict[str, Any] | None = None, key_columns: tuple[str, ...] = ()
) -> list[Any]:
    """Validate ``suite``: all of it with :data:`FIRST_PASS`, then again with
    :data:`RESULT_FORMAT` only the expectations that found unexpected values, failed or raised.

    Same results as one SUMMARY pass: an expectation with no unexpected values has an empty
    example list either way, and every other one is re-run with SUMMARY itself. Public: bench
    runs the same passes on a pandas batch (``batch_parameters``) to compare datasources.
    With ``key_columns`` the second pass also asks GX for those columns of the failing rows
    (``unexpected_index_column_names``; GX returns them as ``partial_unexpected_index_list``,
    at most ``partial_unexpected_count`` rows, in the same LIMITed query).
    """
    import copy
    import uuid

    from great_expectations.core import ExpectationSuite
    from great_expectations.validator.v1_validator import Validator  # what ValidationDefinition.run uses

    for expectation in suite.expectations:  # ids tie results to the file's order and to the re-run
        expectation.id = expectation.id or str(uuid.uuid4())
    def validate(fmt: dict[str, Any], expectations: Any) -> Any:
        return Validator(batch_definition=batch_definition, result_format=fmt,
                         batch_parameters=batch_parameters).validate_expectation_suite(expectations)

    first = validate(FIRST_PASS, suite)
    redo = {evr.expectation_config.id for evr in first.results if _needs_summary(evr)}
    if not redo:
        return list(first.results)
    chosen = [e for e in suite.expectations if e.id in redo]
    subset = ExpectationSuite(name=suite.name, expectations=[copy.copy(e) for e in chosen])
    for copied, original in zip(subset.expectations, chosen):
        copied.id = original.id  # copy.copy() drops the id
    fmt = {**RESULT_FORMAT, "unexpected_index_column_names": list(key_columns)} if key_columns else RESULT_FORMAT
    again = validate(fmt, subset)
    by_id = {evr.expectation_config.id: evr for evr in again.results}
    return [by_id.get(evr.expectation_config.id, evr) for evr in first.results]
