"""Stage entry points over many targets, for the DAG tasks that do more than one stage call.

Each call below is still the stage function of :mod:`.stages` (recorded in the run log per
source or per dataset, as its own task would have): what is saved is Airflow's start and
finish of a task per call — ≈2 s on a Celery worker, little in ``dag.test()`` (the 47 gate
tasks this removed saved ≈1.7 s of the main job, ≈0.04 s each; docs/benchmarks.md, issue 19).
The extract task fetches every source, the gate task validates every dataset.
"""

from __future__ import annotations

from sector_datasets.orchestration import stages
from sector_datasets.registry import load_registry
from sector_datasets.settings import get_settings


class ExtractFailed(RuntimeError):
    """One or more of a sector's sources could not be fetched; the message names each."""


#: The key of a dataset's entry in :func:`gate_datasets`' record when its gate did not pass.
GATE_FAILED_KEY = "gate_failed"


#: Sources fetched at once: the work is waiting on HTTP (a live API, or the replay server).
EXTRACT_THREADS = 4


def extract_sources(sector_id: str, run_id: str) -> list[dict]:
    """Every source of the sector, a few at a time; their manifests in registry order.

    Each source is still its own extract outcome in the run log (:func:`extract`). Every source
    is tried even when one fails, and the error names all that failed, so a retry or a fix is
    for all of them at once. A retried call lands nothing twice: a source already landed in
    this run returns its manifest (``extract.landing.land_pages``).
    """
    from concurrent.futures import ThreadPoolExecutor

    from sector_datasets.extract import replay_base_url

    settings = get_settings()
    registry = load_registry(settings.registry_dir)
    sources = registry.sources_for(registry.sector(sector_id))
    with replay_base_url(settings) as base_url, ThreadPoolExecutor(EXTRACT_THREADS, "extract") as pool:
        futures = [(s.id, pool.submit(stages.extract, sector_id, s.id, run_id, base_url=base_url)) for s in sources]
        outcomes = [(source_id, future.exception(), future) for source_id, future in futures]
    failed = [f"{source_id}: {exc}" for source_id, exc, _ in outcomes if exc is not None]
    if failed:
        raise ExtractFailed(
            f"sector {sector_id!r}: {len(failed)} of {len(sources)} source(s) could not be fetched:\n  "
            + "\n  ".join(failed)
        )
    return [future.result() for _, _, future in outcomes]


def gate_datasets(sector_id: str, run_id: str, build: dict) -> dict[str, dict]:
    """Every dataset of the sector through its gate, in registry order: dataset id → its verdict.

    Each dataset is still its own gate outcome in the run log and its own stored verdict
    (:func:`stages.gate`); one dataset failing does not stop the others. A dataset whose gate did
    not pass (a failed expectation, or a gate that could not run) is ``{"gate_failed": message}``
    here, and its publish task fails with that message (:func:`verdict_of`): the per-dataset
    verdict the Airflow UI shows is ``publish__<dataset>``'s state. One task for the sector's
    gates, not one per dataset, saves Airflow's start and finish of 47 tasks per main job.
    """
    registry = load_registry(get_settings().registry_dir)
    verdicts: dict[str, dict] = {}
    for dataset in registry.sector(sector_id).datasets:
        try:
            verdicts[dataset.id] = stages.gate(sector_id, dataset.id, run_id, build)
        except stages.GateFailed as exc:  # the verdict's own summary names the failed expectations
            verdicts[dataset.id] = {"dataset_id": dataset.id, GATE_FAILED_KEY: str(exc)}
        except Exception as exc:  # recorded by the stage; this dataset's publish fails with it
            verdicts[dataset.id] = {"dataset_id": dataset.id, GATE_FAILED_KEY: (
                f"the gate of sector {sector_id!r} dataset {dataset.id!r} could not run: {type(exc).__name__}: {exc}")}
    return verdicts


def verdict_of(verdicts: dict[str, dict], sector_id: str, dataset_id: str) -> dict:
    """The dataset's gate verdict from :func:`gate_datasets`' record; GateFailed if it did not pass."""
    verdict = verdicts.get(dataset_id)
    if verdict is None:
        raise stages.GateFailed(f"sector {sector_id!r} dataset {dataset_id!r}: no gate verdict in this run")
    if GATE_FAILED_KEY in verdict:
        raise stages.GateFailed(verdict[GATE_FAILED_KEY])
    return verdict


def settle_unchanged(sector_id: str, run_id: str) -> list[dict]:
    """An unchanged run's transform, gates and publishes, in one call; their records, in order.

    The DAG's load task calls this when load decided *unchanged* and then skips those tasks
    (a short circuit): each is the very stage function, returning at once and recording its
    "skipped, unchanged" outcome in the run log as its task would have, so the report and the
    summary read the same run. What it saves is Airflow's start and finish of ≈2 tasks per
    dataset that had nothing to do (issue 19: a no-op rerun cost 0.53× a full run).
    """
    registry = load_registry(get_settings().registry_dir)
    built = stages.transform(sector_id, "dbt", run_id)
    verdicts = gate_datasets(sector_id, run_id, built)
    records = [built]
    for dataset in registry.sector(sector_id).datasets:
        verdict = verdict_of(verdicts, sector_id, dataset.id)
        records += [verdict, stages.publish(sector_id, dataset.id, run_id, verdict)]
    return records
