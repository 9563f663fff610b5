"""The peers a user would otherwise pick: the same sector DAGs, but the dbt project rendered by
astronomer-cosmos as Airflow tasks per dbt model, in manifest load mode. Benchmark only
(bench/overhead.py); never on the platform's DAGs folder.

Every other task is the platform's own (``sector_datasets.orchestration.dag_factory``: start, extract,
load_raw, gate, publish, report), so the only difference measured is how dbt is run.

``SECTOR_DATASETS_BENCH_PEER`` selects how the dbt tasks are made:

* ``cosmos`` — astronomer-cosmos ``DbtTaskGroup`` in its default mode (``ExecutionMode.LOCAL``
  with ``InvocationMode.SUBPROCESS``): one task per model (``dbt run --select <model>``), then one
  per model's tests (``dbt test --select <model>``, ``TestBehavior.AFTER_EACH``);
* ``cosmos_watcher`` — the same ``DbtTaskGroup`` in ``ExecutionMode.WATCHER``: one producer task
  runs a single ``dbt build`` of the selection, and the per-model (and per-model test) tasks are
  sensors that succeed or fail as the producer reports each node's result through XCom;
* ``emulate`` — the shape of ``cosmos`` built here from manifest.json: one task per model running
  ``dbt run --select <model>`` and one running ``dbt test --select <model>`` in a subprocess
  (what cosmos' LOCAL mode does with ``invocation_mode=SUBPROCESS``). Reported as an emulation.

Both cosmos modes share the project, profile and render configuration (``LoadMode.DBT_MANIFEST``,
``+path:models/marts/<sector>``) and select tests cautiously, as the platform's own build does.
``SECTOR_DATASETS_BENCH_MANIFEST`` is the manifest.json to render from (made by ``dbt parse``
before the run, as cosmos users do at deploy time).
"""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

from airflow.sdk import DAG, TaskGroup, task

from sector_datasets.orchestration.dag_factory import extract, gate, load_raw, publish, report, start_run
from sector_datasets.registry import load_registry
from sector_datasets.settings import get_settings
from sector_datasets.orchestration.writer_pool import WRITER_POOL

MODES = ("cosmos", "cosmos_watcher", "emulate")
MODE = os.environ.get("SECTOR_DATASETS_BENCH_PEER", "emulate")
if MODE not in MODES:
    raise ValueError(f"SECTOR_DATASETS_BENCH_PEER={MODE!r}: expected one of {', '.join(MODES)}")
MANIFEST = Path(os.environ.get("SECTOR_DATASETS_BENCH_MANIFEST", "/nonexistent/manifest.json"))
SETTINGS = get_settings()
REGISTRY = load_registry(SETTINGS.registry_dir)
DBT = str(Path(os.environ.get("SECTOR_DATASETS_BENCH_PYTHON", "python")).with_name("dbt"))
DBT_ENV = {
    "SECTOR_DATASETS_WAREHOUSE": str(SETTINGS.warehouse_path),
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "DO_NOT_TRACK": "1",
}


@task(task_id="collect_build", pool=WRITER_POOL, retries=0)
def collect_build(sector_id: str, models: list[str]) -> dict:
    """The record the platform's gate task expects (every model built: the group succeeded)."""
    from airflow.sdk import get_current_context

    return {"sector_id": sector_id, "run_id": get_current_context()["run_id"], "success": True,
            "elapsed_s": 0.0, "models": {m: "success" for m in models}, "failures": {}}


@task(pool=WRITER_POOL, retries=0)
def dbt_node(command: str, model: str) -> None:
    """Emulation of one cosmos LOCAL-mode task: one dbt invocation for one model."""
    import subprocess

    target = SETTINGS.home / "dbt" / "peer-target"
    cmd = [DBT, command, "--select", model, "--project-dir", str(SETTINGS.dbt_project_dir),
           "--profiles-dir", str(SETTINGS.dbt_project_dir), "--target-path", str(target),
           "--log-path", str(target.parent / "peer-logs")]
    if command == "test":
        cmd += ["--indirect-selection", "cautious"]
    proc = subprocess.run(cmd, env={**os.environ, **DBT_ENV}, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{proc.stdout[-3000:]}")


def _selected_models(manifest: dict, sector_id: str) -> list[dict]:
    nodes = manifest["nodes"]
    marts = [u for u, n in nodes.items() if n["resource_type"] == "model"
             and n["original_file_path"].startswith(f"models/marts/{sector_id}/")]
    seen: set[str] = set()
    stack = list(marts)
    while stack:
        uid = stack.pop()
        if uid in seen or uid not in nodes:
            continue
        seen.add(uid)
        stack.extend(p for p in nodes[uid]["depends_on"].get("nodes", []) if p.startswith(("model.", "seed.")))
    return [nodes[u] for u in sorted(seen)]


def _emulated_group(manifest: dict, sector_id: str) -> tuple[TaskGroup, list[str]]:
    selected = _selected_models(manifest, sector_id)
    ids = {n["unique_id"] for n in selected}
    with TaskGroup(group_id="dbt") as group:
        last = {}
        for node in selected:
            name = node["name"]
            if node["resource_type"] == "seed":
                run = dbt_node.override(task_id=f"{name}_seed")("seed", name)
                last[node["unique_id"]] = run
                continue
            run = dbt_node.override(task_id=f"{name}_run")("run", name)
            has_tests = any(
                n["resource_type"] == "test" and node["unique_id"] in n["depends_on"].get("nodes", [])
                and all(p in ids for p in n["depends_on"].get("nodes", []) if not p.startswith(("macro.", "source.")))
                for n in manifest["nodes"].values()
            )
            if has_tests:
                test = dbt_node.override(task_id=f"{name}_test")("test", name)
                run >> test
                last[node["unique_id"]] = test
            else:
                last[node["unique_id"]] = run
            node["_run_task"] = run
        for node in selected:
            if node["resource_type"] != "model":
                continue
            for parent in node["depends_on"].get("nodes", []):
                if parent in last:
                    last[parent] >> node["_run_task"]
    return group, [n["name"] for n in selected if n["resource_type"] == "model"]


def _cosmos_configs(sector_id: str) -> dict:
    """What both cosmos peers share: the project, its profile and the rendering of one sector."""
    from cosmos import ProfileConfig, ProjectConfig, RenderConfig
    from cosmos.constants import LoadMode, TestBehavior

    return {
        "project_config": ProjectConfig(
            dbt_project_path=SETTINGS.dbt_project_dir, manifest_path=MANIFEST, project_name="sector_datasets",
            env_vars=DBT_ENV,
        ),
        "profile_config": ProfileConfig(
            profile_name="sector_datasets", target_name="duckdb",
            profiles_yml_filepath=SETTINGS.dbt_project_dir / "profiles.yml",
        ),
        "render_config": RenderConfig(
            load_method=LoadMode.DBT_MANIFEST, select=[f"+path:models/marts/{sector_id}"],
            test_behavior=TestBehavior.AFTER_EACH,
        ),
        "operator_args": {"pool": WRITER_POOL, "install_deps": False, "retries": 0},
    }


def _cosmos_group(sector_id: str, watcher: bool) -> tuple[TaskGroup, list[str]]:
    from cosmos import DbtTaskGroup, ExecutionConfig
    from cosmos.constants import PRODUCER_WATCHER_TASK_ID, ExecutionMode, InvocationMode, TestIndirectSelection

    group = DbtTaskGroup(
        group_id="dbt",
        **_cosmos_configs(sector_id),
        # cautious, as the platform's own build: a relationships test runs only once both models exist.
        # SUBPROCESS, as the platform runs dbt: with the in-process dbtRunner, dbt-duckdb keeps the
        # warehouse open read-write in the task process and the gate (same `dags test` process)
        # cannot open it ("different configuration than existing connections").
        execution_config=ExecutionConfig(
            execution_mode=ExecutionMode.WATCHER if watcher else ExecutionMode.LOCAL, dbt_executable_path=DBT,
            invocation_mode=InvocationMode.SUBPROCESS, test_indirect_selection=TestIndirectSelection.CAUTIOUS,
            # test_indirect_selection reaches only the per-test tasks (sensors in WATCHER mode); the
            # producer's one `dbt build` runs the tests, so it needs the flag itself.
            setup_operator_args={"indirect_selection": TestIndirectSelection.CAUTIOUS.value} if watcher else None,
        ),
    )
    if watcher:
        # Cosmos puts its producer (the one `dbt build`) upstream of the first sensors only in a
        # whole DbtDag; in a DbtTaskGroup they are roots too, and `dags test` (one task at a time)
        # may run such a sensor first, which then waits for a build that never starts.
        producer = group.tasks_map[PRODUCER_WATCHER_TASK_ID]
        for root in group.roots:
            if root is not producer:
                producer >> root
    models = [n.name for n in group.dbt_graph.filtered_nodes.values() if n.resource_type.value == "model"]
    return group, models


def build_peer_dag(sector) -> DAG:
    manifest = json.loads(MANIFEST.read_text())
    with DAG(
        dag_id=f"peer_{sector.id}", schedule=None, start_date=datetime(2025, 1, 1), catchup=False,
        max_active_runs=1, tags=["bench", "peer", MODE],
    ) as dag:
        started = start_run(sector.id)
        if REGISTRY.sources_for(sector):
            manifests = extract(sector.id)
            started >> manifests
            upstream = load_raw(sector.id, manifests)
        else:
            upstream = started
        group, models = (_emulated_group(manifest, sector.id) if MODE == "emulate"
                         else _cosmos_group(sector.id, watcher=MODE == "cosmos_watcher"))
        upstream >> group
        built = collect_build(sector.id, models)
        group >> built
        verdicts = gate(sector.id, built)
        publishes = [publish.override(task_id=f"publish__{ds.id}")(sector.id, ds.id, verdicts) for ds in sector.datasets]
        finished = report(sector.id)
        for p in publishes or [built]:
            p >> finished
        finished.as_teardown(setups=started)
    return dag


if MANIFEST.exists():
    for _sector in REGISTRY.sectors.values():
        globals()[f"peer_{_sector.id}"] = build_peer_dag(_sector)
