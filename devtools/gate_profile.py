"""Where one dataset's quality gate spends its time, GX metric by GX metric (a development harness).

    python -m devtools.gate_profile WAREHOUSE DATASET [--expectations DIR] [--runs N]

Runs the gate's validation as the gate stage does (the contract baseline plus the rule file,
:func:`sector_datasets.gate.contract_suite.load_dataset_suite`, then
:func:`sector_datasets.gate.validate_table` with the primary key), Great Expectations imported
first so its import is not counted. Every SQL statement SQLAlchemy sends is timed
(``before/after_cursor_execute``) and labelled with the GX metric being resolved: a direct metric
function (its inclusive time, SQL plus GX's Python inside it, e.g. the compound-key proof of
``duckdb_workaround.compound``, which reads hashes outside any statement's timing) or an aggregate
bundle (many metrics in one SELECT). Printed per run: the validation's wall and CPU seconds (CPU of
the whole process, DuckDB's threads included), the two passes, SQL and everything else, then the
metrics by time. ``--expectations`` points at a copy of expectations/ (e.g. with row-count bounds
scaled for a SYNTHETIC table, ``bench.synthetic.scaled_suites``).
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import json
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any


def cpu_s() -> float:
    """CPU seconds of this process so far, every thread included."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclasses.dataclass(frozen=True)
class Timing:
    """Seconds of one labelled piece of work."""

    kind: str  # "sql" (one statement), "metric" (a metric function or bundle, inclusive) or "pass"
    label: str
    wall_s: float
    cpu_s: float


class Profiler:
    """Times SQL statements and GX metric resolution while :meth:`installed` is active."""

    def __init__(self) -> None:
        self.timings: list[Timing] = []
        self._label = "outside any metric"

    @contextmanager
    def _labelled(self, kind: str, label: str) -> Iterator[None]:
        outer, self._label = self._label, label
        t0, c0 = time.perf_counter(), cpu_s()
        try:
            yield
        finally:
            self.timings.append(Timing(kind, label, time.perf_counter() - t0, cpu_s() - c0))
            self._label = outer

    @staticmethod
    def describe(configuration: Any) -> str:
        """``metric(column or columns | row condition) value arguments`` of a metric configuration."""
        domain = configuration.metric_domain_kwargs or {}
        target = domain.get("column") or domain.get("column_list") or ""
        if domain.get("row_condition"):
            target = f"{target} | {domain['row_condition']}"
        values = {k: v for k, v in (configuration.metric_value_kwargs or {}).items() if k != "result_format"}
        return f"{configuration.metric_name}({target})" + (f" {json.dumps(values, default=str)[:60]}" if values else "")

    @contextmanager
    def installed(self) -> Iterator[None]:
        import sqlalchemy as sa
        from great_expectations.execution_engine.execution_engine import ExecutionEngine
        from great_expectations.execution_engine.sqlalchemy_execution_engine import SqlAlchemyExecutionEngine
        from great_expectations.validator.v1_validator import Validator

        profiler = self

        def before(conn, cursor, statement, parameters, context, executemany) -> None:
            conn.info["_gate_profile_t0"] = (time.perf_counter(), cpu_s())

        def after(conn, cursor, statement, parameters, context, executemany) -> None:
            t0, c0 = conn.info.pop("_gate_profile_t0")
            profiler.timings.append(Timing("sql", profiler._label, time.perf_counter() - t0, cpu_s() - c0))

        build = ExecutionEngine._build_direct_and_bundled_metric_computation_configurations
        bundle = SqlAlchemyExecutionEngine.resolve_metric_bundle
        validate = Validator.validate_expectation_suite

        def labelled_build(engine, *args, **kwargs):
            direct, bundled = build(engine, *args, **kwargs)

            def timed(configuration):
                metric_fn, label = configuration.metric_fn, profiler.describe(configuration.metric_configuration)

                def call(*a, **k):
                    with profiler._labelled("metric", label):
                        return metric_fn(*a, **k)

                return dataclasses.replace(configuration, metric_fn=call)

            return [timed(c) for c in direct], bundled

        def labelled_bundle(engine, metric_fn_bundle):
            names = collections.Counter(c.metric_configuration.metric_name for c in metric_fn_bundle)
            with profiler._labelled("metric", "BUNDLE " + ", ".join(f"{n} x{k}" for n, k in sorted(names.items()))):
                return bundle(engine, metric_fn_bundle)

        def timed_pass(validator, *args, **kwargs):
            with profiler._labelled("pass", f"pass {sum(t.kind == 'pass' for t in profiler.timings) + 1}"):
                return validate(validator, *args, **kwargs)

        sa.event.listen(sa.engine.Engine, "before_cursor_execute", before)
        sa.event.listen(sa.engine.Engine, "after_cursor_execute", after)
        ExecutionEngine._build_direct_and_bundled_metric_computation_configurations = labelled_build
        SqlAlchemyExecutionEngine.resolve_metric_bundle = labelled_bundle
        Validator.validate_expectation_suite = timed_pass
        try:
            yield
        finally:
            Validator.validate_expectation_suite = validate
            SqlAlchemyExecutionEngine.resolve_metric_bundle = bundle
            ExecutionEngine._build_direct_and_bundled_metric_computation_configurations = build
            sa.event.remove(sa.engine.Engine, "after_cursor_execute", after)
            sa.event.remove(sa.engine.Engine, "before_cursor_execute", before)

    def report(self, top: int) -> list[str]:
        """The passes, SQL against the rest, then the ``top`` metrics by time."""
        def total(kind: str) -> tuple[float, float]:
            chosen = [t for t in self.timings if t.kind == kind]
            return sum(t.wall_s for t in chosen), sum(t.cpu_s for t in chosen)

        (pass_w, pass_c), (sql_w, sql_c) = total("pass"), total("sql")
        lines = [f"GX passes {pass_w:.2f} s wall / {pass_c:.2f} s CPU; SQL {sum(t.kind == 'sql' for t in self.timings)} "
                 f"statements {sql_w:.2f} / {sql_c:.2f}; in the passes outside SQL {pass_w - sql_w:.2f} / {pass_c - sql_c:.2f}",
                 f"{'stmts':>5} {'sql_wall':>8} {'sql_cpu':>7} {'incl_wall':>9} {'incl_cpu':>8}  metric"]
        rows: dict[str, list[float]] = collections.defaultdict(lambda: [0, 0.0, 0.0, 0.0, 0.0])
        for t in self.timings:
            row = rows[t.label]
            if t.kind == "sql":
                row[0] += 1
                row[1] += t.wall_s
                row[2] += t.cpu_s
            elif t.kind == "metric":
                row[3] += t.wall_s
                row[4] += t.cpu_s
        ranked = sorted((r for r in rows.items() if not r[0].startswith("pass ")), key=lambda r: -max(r[1][1], r[1][3]))
        for label, (n, sw, sc, iw, ic) in ranked[:top]:
            lines.append(f"{int(n):5d} {sw:8.3f} {sc:7.3f} {iw:9.3f} {ic:8.3f}  {label[:150]}")
        return lines


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("warehouse", type=Path, help="DuckDB warehouse file holding audit.<the dataset's model>")
    ap.add_argument("dataset", help="dataset id, e.g. agri_crop_production")
    ap.add_argument("--expectations", type=Path, help="rule files to use (default: the repository's expectations/)")
    ap.add_argument("--runs", type=int, default=2, help="validations, each reported (default 2: the first also builds GX's context)")
    ap.add_argument("--top", type=int, default=15, help="metrics listed per run (default 15)")
    args = ap.parse_args(argv)

    import great_expectations  # noqa: F401  (imported before timing: ≈2 s, paid once per process)

    from sector_datasets.gate import validate_table
    from sector_datasets.gate.contract_suite import load_dataset_suite
    from sector_datasets.registry import load_registry
    from sector_datasets.settings import get_settings

    settings = get_settings()
    sector, dataset = load_registry(settings.registry_dir).dataset(args.dataset)
    suite = load_dataset_suite(dataset, args.expectations or settings.expectations_dir, "duckdb")
    for run in range(1, args.runs + 1):
        profiler = Profiler()
        t0, c0 = time.perf_counter(), cpu_s()
        with profiler.installed():
            verdict = validate_table(args.warehouse, "audit", dataset.model_name, suite, dataset_id=dataset.id,
                                     sector_id=sector.id, run_id=f"profile-{run}", key_columns=tuple(dataset.primary_key))
        print(f"run {run}: validate_table {time.perf_counter() - t0:.2f} s wall / {cpu_s() - c0:.2f} s CPU; "
              f"{verdict.evaluated} expectations, {verdict.failed} failed, {verdict.row_count} rows"
              + (f"; error: {verdict.error}" if verdict.error else ""))
        print("\n".join("  " + line for line in profiler.report(args.top)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
