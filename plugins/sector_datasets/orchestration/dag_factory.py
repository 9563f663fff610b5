"""Registry → one Airflow DAG per sector. Thin: every task is one call into ``pipeline``.

Shape of a sector DAG (task ids are stable, generated in registry order):

    start ─► extract ─► load_raw ─► transform ─► gate ─┬► publish__<dataset> ─► approve__<dataset> ─┬► serve__<dataset>
                                                      └► …                                          └► reject__<dataset>
    report  (teardown of ``start``: always runs, never decides the run's state)

The gate is one task for the sector's datasets (each still validated on its own, its own outcome
in the run log and its own stored verdict): the task stays green when it could validate, and each
dataset's verdict is its ``publish__<dataset>`` task — red with the gate's message (``GateFailed``)
when that dataset failed its gate, so nothing of it is published while the other datasets are.
A task per dataset cost Airflow's start and finish 58 times per main job and bought nothing the
publish task's state does not show (issue 19).

publish__ is a branch: approve__ (a human-in-the-loop task) runs only when the publish policy
held the new version; see :mod:`.approval_tasks`. Asset events (through an AssetAlias outlet on
publish__/serve__) only for a newly served version.

Retries: extract retries with exponential backoff (a flaky API may recover; the sources already
landed in the run are not landed twice); the gate and publishes do not (a failed expectation will
fail again; retrying only hides it). Extract is one task for all the sector's sources: a task
per source cost ≈0.17 s of Airflow start and finish each (95 in the main job, issue 19) and
bought nothing — they all had to succeed before load, and each source's outcome is still its
own line in the run log and the report.
Failures: every task's ``on_failure_callback`` (:class:`FailureRecorder`, in ``default_args``)
writes the failure into the run's event log, so the report shows it even when a task died
outside the stage functions (killed, timed out, lost its worker, failed to import). Publish
tasks also mail the sector owner (:func:`~sector_datasets.orchestration.alerts.failure_alert`:
the dataset's gate failed, its publish was blocked) when an SMTP connection is configured.
Reruns: when nothing changed since the last published run, load says so, records the
"unchanged" outcomes of transform, gates and publishes (``stage_groups.settle_unchanged``) and skips
those tasks (``load_raw`` is a short circuit; the report, a teardown, still runs); the run stays
green and emits no Asset event. Trigger with the param ``force_rebuild: true`` to rebuild anyway.
XCom: one per task, the whole record (see ``stage_task``).
Parse-time cost: this module imports only the registry (YAML + pydantic); pipeline code,
DuckDB, dbt and Great Expectations are imported inside the task callables.
"""

from __future__ import annotations

import operator
from datetime import datetime, timedelta
from functools import partial, reduce

from airflow.sdk import DAG, Asset, Param, get_current_context, task
from airflow.task.trigger_rule import TriggerRule

from sector_datasets.orchestration import approval_tasks
from sector_datasets.registry import Dataset, Registry, Sector
from sector_datasets.orchestration.alerts import failure_alert
from sector_datasets.orchestration.writer_pool import WRITER_POOL


# Every task returns one record as ONE XCom: Airflow infers ``multiple_outputs`` from a ``-> dict``
# annotation and would push each key as its own XCom — one execution-API call and metadata-DB
# commit per key, ≈0.3 s per task, a third of the main job's Airflow time (docs/benchmarks.md).
stage_task = partial(task, multiple_outputs=False)


def asset_for(dataset: Dataset) -> Asset:
    """The Airflow Asset downstream DAGs schedule on; one per published dataset."""
    return approval_tasks.asset_named(dataset.id)


def _run_id() -> str:
    return get_current_context()["run_id"]


def _force() -> bool:
    return bool((get_current_context().get("params") or {}).get("force_rebuild"))


class FailureRecorder:
    """``on_failure_callback``: record a task's final failure in the sector run's event log.

    Stage functions already log their own failures (stage ``extract``, ``gate``, …); this adds
    the task's view (stage = task id) only when the stage did not, e.g. a task killed, timed out
    or failing before it reached the stage function. Never raises: a callback must not mask the
    task's own failure.
    """

    def __init__(self, sector_id: str):
        self.sector_id = sector_id

    def __repr__(self) -> str:
        return f"FailureRecorder({self.sector_id!r})"

    def __call__(self, context) -> None:
        try:
            self._record(context)
        except Exception:  # pragma: no cover - best effort by design
            import logging

            logging.getLogger(__name__).exception("could not record the task failure in the run event log")

    def _record(self, context) -> None:
        from sector_datasets.orchestration.stages import GateFailed
        from sector_datasets.state import runlog
        from sector_datasets.secret_handling import redact_text
        from sector_datasets.settings import get_settings

        ti = context.get("ti") or context.get("task_instance")
        task = context.get("task")
        task_id = getattr(ti, "task_id", None) or getattr(task, "task_id", None) or "unknown_task"
        dag_run = context.get("dag_run")
        run_id = context.get("run_id") or getattr(dag_run, "run_id", None) or getattr(ti, "run_id", None)
        if not run_id:
            return
        exc = context.get("exception")
        message = redact_text(f"{type(exc).__name__}: {exc}" if isinstance(exc, BaseException) else str(exc or "task failed"))
        stage, _, target = task_id.partition("__")
        home = get_settings().home
        stage_names = {"load_raw": "load"}
        # A publish task failing because its dataset's gate did not pass: the gate stage recorded why.
        gate_verdict = stage == "publish" and isinstance(exc, GateFailed)
        already = any(
            e.get("status") == "failed"
            and (
                (e.get("stage") == "gate" and e.get("target") == target) if gate_verdict else
                (e.get("stage") == stage_names.get(stage, stage)
                 and e.get("target") in (target, self.sector_id, "raw", "dbt", "sector")
                 and e.get("message") == message)
            )
            for e in runlog.read_events(home, self.sector_id, run_id)
        )
        if already:  # the stage function recorded this very failure; do not count it twice
            return
        runlog.record(
            home, self.sector_id, run_id, task_id, target or self.sector_id, "failed", message,
            source="on_failure_callback", try_number=getattr(ti, "try_number", None),
            dag_id=getattr(ti, "dag_id", None) or getattr(dag_run, "dag_id", None),
        )


@stage_task(task_id="start", retries=0)
def start_run(sector_id: str) -> str:
    from sector_datasets.state import runlog
    from sector_datasets.settings import get_settings

    run_id = _run_id()
    runlog.record(get_settings().home, sector_id, run_id, "start", sector_id, "success", "run started")
    return run_id


@stage_task(task_id="extract", retries=3, retry_delay=timedelta(seconds=10), retry_exponential_backoff=True,
            max_retry_delay=timedelta(minutes=5))
def extract(sector_id: str) -> list[dict]:
    """Every source of the sector in one task (a few at a time), each its own outcome in the run
    log; the task fails naming every source that could not be fetched."""
    from sector_datasets.orchestration import stage_groups

    return stage_groups.extract_sources(sector_id, _run_id())


@task.short_circuit(task_id="load_raw", multiple_outputs=False, pool=WRITER_POOL, retries=1, retry_delay=timedelta(seconds=5))
def load_raw(sector_id: str, manifests: list[dict]) -> dict | bool:
    """Load; when nothing changed, settle the run here and skip transform, gates and publishes.

    The skipped stages' outcomes are recorded by :func:`stage_groups.settle_unchanged` (the same stage
    functions, returning at once), so the run log and report read as before; the report, a
    teardown, still runs. False is the short circuit's signal (its XCom); no task reads it.
    """
    from sector_datasets.orchestration import stage_groups, stages

    run_id = _run_id()
    loaded = stages.load(sector_id, "raw", run_id, manifests, force=_force())
    if loaded.get("unchanged"):
        stage_groups.settle_unchanged(sector_id, run_id)
        return False
    return loaded


@stage_task(task_id="transform", pool=WRITER_POOL, retries=0)
def transform(sector_id: str, _loaded: dict) -> dict:
    from sector_datasets.orchestration import stages

    # load's record carries the sources that broke their contract; their datasets' gates fail.
    violations = (_loaded or {}).get("violations") or {}
    return stages.transform(sector_id, "dbt", _run_id(), force=_force(), source_violations=violations)


@stage_task(task_id="gate", pool=WRITER_POOL, retries=0)
def gate(sector_id: str, build: dict) -> dict:
    """Every dataset's gate; each verdict goes to its publish task (stage_groups.gate_datasets)."""
    from sector_datasets.orchestration import stage_groups

    return stage_groups.gate_datasets(sector_id, _run_id(), build)


@task.branch(multiple_outputs=False, pool=WRITER_POOL, retries=0)
def publish(sector_id: str, dataset_id: str, verdicts: dict) -> str | None:
    """The dataset's gate verdict (GateFailed if it did not pass), the publish stage, then the
    branch: approve__<dataset> if the version was held, else nothing."""
    from sector_datasets.orchestration import stage_groups, stages

    run_id = _run_id()
    record = stages.publish(sector_id, dataset_id, run_id, stage_groups.verdict_of(verdicts, sector_id, dataset_id))
    return approval_tasks.after_publish(sector_id, dataset_id, record)


@stage_task(pool=WRITER_POOL, retries=0)
def serve(dataset_id: str) -> dict:
    return approval_tasks.decide_from_response(dataset_id, approve=True)


@stage_task(pool=WRITER_POOL, retries=0)
def reject(dataset_id: str) -> dict:
    return approval_tasks.decide_from_response(dataset_id, approve=False)


@stage_task(task_id="report", trigger_rule=TriggerRule.ALL_DONE, retries=0)
def report(sector_id: str) -> dict:
    from sector_datasets.orchestration import stages

    return stages.report(sector_id, "sector", _run_id())


def _doc(sector: Sector, registry: Registry) -> str:
    lines = [
        f"## {sector.name.vi} / {sector.name.en}",
        f"Owner: {sector.owner.organisation.en} ({sector.owner.contact})",
        "",
        "| source | publisher | licence |",
        "|---|---|---|",
        *[f"| `{s.id}` | {s.publisher} | {s.licence} |" for s in registry.sources_for(sector)],
        "",
        "| dataset | grain | gate suite |",
        "|---|---|---|",
        *[f"| `{d.id}` — {d.title.en} | {d.grain} | `expectations/{d.suite_name}.json` |" for d in sector.datasets],
    ]
    return "\n".join(lines)


def _schedule(sector: Sector, registry: Registry):
    """Cross-sector DAGs run when any input dataset is republished; others on their cron."""
    inputs = registry.input_datasets(sector)
    if sector.kind != "cross_sector" or not inputs:
        return sector.schedule
    return reduce(operator.or_, [asset_for(ds) for ds in inputs])


def build_sector_dag(sector: Sector, registry: Registry) -> DAG:
    with DAG(
        dag_id=sector.dag_id,
        description=f"{sector.name.en}: extract → dbt → gate → publish {len(sector.datasets)} dataset(s)",
        schedule=_schedule(sector, registry),
        start_date=datetime(2025, 1, 1),
        catchup=False,
        max_active_runs=1,
        tags=["sector-datasets", sector.kind, sector.id],
        doc_md=_doc(sector, registry),
        # Airflow reads "owner" as a comma-separated list: "Ministry of Culture, Sports and Tourism"
        # would show as two owners.
        default_args={"owner": sector.owner.organisation.en.replace(",", ""),
                      "on_failure_callback": FailureRecorder(sector.id)},
        params={
            "force_rebuild": Param(
                False, type="boolean",
                description="Rebuild and re-gate even when sources, dbt models and suites are unchanged",
            )
        },
    ) as dag:
        started = start_run(sector.id)
        if registry.sources_for(sector):
            manifests = extract(sector.id)
            started >> manifests
            built = transform(sector.id, load_raw(sector.id, manifests))
        else:  # cross-sector marts read curated tables only: nothing to extract
            built = transform(sector.id, {})
            started >> built
        verdicts = gate(sector.id, built)
        decided = []  # report follows the decisions: a direct downstream of a branch would be skipped
        for ds in sector.datasets:
            # The recorder first (the run's own record), then the owner's mail (gate failed /
            # publish blocked; see orchestration.alerts); neither can mask the task's failure.
            on_failure = [FailureRecorder(sector.id), failure_alert(sector, ds)]
            alias = [approval_tasks.alias_for(ds.id)]
            published = publish.override(task_id=f"publish__{ds.id}", outlets=alias, on_failure_callback=on_failure)(
                sector.id, ds.id, verdicts
            )
            approval = approval_tasks.approval_task(sector, ds)
            published >> approval
            for name, decide, outlets in (("serve", serve, alias), ("reject", reject, [])):
                done = decide.override(task_id=f"{name}__{ds.id}", outlets=outlets)(ds.id)
                approval >> done
                decided.append(done)
        finished = report(sector.id)
        for p in decided or [built]:
            p >> finished
        finished.as_teardown(setups=started)
    return dag


def build_all(registry: Registry) -> dict[str, DAG]:
    return {sector.dag_id: build_sector_dag(sector, registry) for sector in registry.sectors.values()}
