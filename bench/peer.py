"""The peers of bench/overhead.py: the same sector DAGs with dbt rendered by astronomer-cosmos
(bench/peer_dags/sectors_peer.py), run through ``airflow dags test`` in a private home.

Two cosmos modes, each a peer of its own:

  cosmos          the default ``ExecutionMode.LOCAL``: one task per model (``dbt run --select
                  <model>``) and one per model's tests (``dbt test --select <model>``)
  cosmos_watcher  ``ExecutionMode.WATCHER``: one producer task runs a single ``dbt build`` of the
                  sector's selection; per-model and per-test sensor tasks report its results
  emulate         the shape of ``cosmos`` built without cosmos, if cosmos cannot be installed
                  (there is no emulation of the watcher mode)

Cosmos lives in a private ``--target`` folder (bench/requirements-peer.txt) seen only by the
peer's Airflow processes: it registers a plugin and provider in every Airflow process of the
environment it is installed in.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import time
from collections import defaultdict
from pathlib import Path

from bench import airflow_log
from bench.common import BENCH, PLUGINS, PYTHON, REPO, Report, bench_root, log, platform_env, private_home, remove_home, run

#: --peer-mode → the cosmos execution modes it runs (sectors_peer.py's SECTOR_DATASETS_BENCH_PEER values)
PEER_MODES = {"local": ["cosmos"], "watcher": ["cosmos_watcher"], "both": ["cosmos", "cosmos_watcher"]}
#: The issue's goals: our DAG at least this many times faster (wall) than the peer, same sector.
TARGETS = {"cosmos": 5, "emulate": 5, "cosmos_watcher": 3}
LABELS = {"cosmos": "peer_cosmos", "emulate": "peer_cosmos_EMULATION", "cosmos_watcher": "peer_cosmos_watcher"}
PRODUCER_TASK = "dbt.dbt_producer_watcher"  # cosmos.constants.PRODUCER_WATCHER_TASK_ID in the group "dbt"


def peer_site() -> Path | None:
    """astronomer-cosmos + its additions, pip-installed once into a private folder (or None)."""
    req = BENCH / "requirements-peer.txt"
    site = bench_root() / f"peer-site-{hashlib.sha256(req.read_bytes()).hexdigest()[:12]}"
    if (site / ".ok").exists():
        return site
    log(f"installing the peer (astronomer-cosmos, {req.name}) into {site} …")
    proc = subprocess.run([PYTHON, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(site), "-r", str(req)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        log(f"  could not install astronomer-cosmos ({proc.stderr.strip().splitlines()[-1:]}); using the emulation")
        return None
    (site / ".ok").touch()
    return site


def peer_plan(peer: str, mode: str) -> tuple[list[str], Path | None]:
    """The peer modes to run for ``--peer`` / ``--peer-mode``, and cosmos' private folder (None: emulation)."""
    if peer == "skip":
        return [], None
    site = peer_site() if peer in ("auto", "cosmos") else None
    if peer == "cosmos" and site is None:
        raise SystemExit("--peer cosmos: astronomer-cosmos could not be installed (bench/requirements-peer.txt)")
    if site:
        return PEER_MODES[mode], site
    if mode == "watcher":
        raise SystemExit("--peer-mode watcher needs astronomer-cosmos: there is no emulation of the watcher mode")
    if mode == "both":
        log("peer: no astronomer-cosmos, so no watcher-mode peer; the per-model peer is emulated")
    return ["emulate"], None


def peer_job(sector_ids: list[str], mode: str, site: Path | None, keep: bool) -> dict:
    """``airflow dags test`` of every ``peer_<sector>`` DAG in ``mode``, one fresh home for all of them."""
    from sector_datasets.orchestration.airflow_env import airflow_environment
    from sector_datasets.settings import get_settings

    home = private_home(f"peer-{mode}")
    try:
        os.environ["SECTOR_DATASETS_HOME"] = str(home)
        env = {**platform_env(home), **airflow_environment(get_settings())}
        env["AIRFLOW__CORE__DAGS_FOLDER"] = str(BENCH / "peer_dags")
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(site) if site else "", str(PLUGINS), str(REPO)]))
        env["SECTOR_DATASETS_BENCH_PEER"] = mode
        env["SECTOR_DATASETS_BENCH_PYTHON"] = PYTHON
        manifest_dir = home / "dbt" / "peer-manifest"
        env["SECTOR_DATASETS_BENCH_MANIFEST"] = str(manifest_dir / "manifest.json")
        airflow = str(Path(PYTHON).with_name("airflow"))
        log(f"{LABELS[mode]}: dbt parse → manifest.json (deploy-time step, timed apart) …")
        t0 = time.perf_counter()
        run([str(Path(PYTHON).with_name("dbt")), "parse", "--project-dir", str(REPO / "dbt_project"),
             "--profiles-dir", str(REPO / "dbt_project"), "--target-path", str(manifest_dir),
             "--log-path", str(manifest_dir / "logs")],
            env={**env, "SECTOR_DATASETS_WAREHOUSE": str(home / "warehouse.duckdb")}).check("dbt parse")
        parse_s = time.perf_counter() - t0
        t_start = time.perf_counter()
        cpu = 0.0
        init1 = run([airflow, "db", "migrate"], env=env).check("airflow db migrate")
        init2 = run([airflow, "pools", "set", "sector_datasets_warehouse", "1", "bench"], env=env).check("airflow pools set")
        cpu += init1.user_s + init1.sys_s + init2.user_s + init2.sys_s
        totals: dict[str, float] = defaultdict(float)
        totals["cli_init (airflow db migrate, pool) + summary"] = time.perf_counter() - t_start
        per_sector, failed, tasks, producer_s = {}, [], 0, 0.0
        for sector_id in sector_ids:
            log(f"  peer_{sector_id} ({mode}): airflow dags test …")
            m = run([airflow, "dags", "test", f"peer_{sector_id}"], env=env)
            cpu += m.user_s + m.sys_s
            text = m.stdout + m.stderr
            (home / f"peer_{sector_id}.log").write_text(text)
            ok = m.returncode == 0 and "state=failed" not in text[-5000:]
            b = airflow_log.breakdown(text, m.wall_s)
            tasks += int(b.get("_tasks", 0))
            # the watcher's one `dbt build`; its sensors' share of the dbt stage is the rest
            producer_s += sum(s.work_s for s in airflow_log.parse(text) if s.task_id == PRODUCER_TASK)
            per_sector[sector_id] = {"wall_s": m.wall_s, "ok": ok, **b}
            for k, v in b.items():
                if not k.startswith("_"):
                    totals[k] += v
            log(f"    {'ok' if ok else 'FAILED'} in {m.wall_s:.1f} s ({int(b.get('_tasks', 0))} tasks)")
            if not ok:
                failed.append(sector_id)
        wall = time.perf_counter() - t_start
        log(f"  {LABELS[mode]}: {wall:.1f} s wall, {cpu:.1f} s CPU, {tasks} Airflow tasks" + (f"; FAILED: {failed}" if failed else ""))
        return {"wall_s": wall, "cpu_s": cpu, "mode": mode, "dbt_parse_s": parse_s, "stages": dict(totals),
                "per_sector": per_sector, "failed": failed, "tasks": tasks, "producer_s": producer_s}
    finally:
        remove_home(home, keep)


def peer_ratios(rep: Report, peer: dict, ref: dict | None, bar: dict | None) -> None:
    """One peer's ratios against the main job on the same sectors (``ref``) and bare DuckDB."""
    mode = peer["mode"]
    label = LABELS[mode]
    if ref:
        rep.ratio(f"{label} / main_job_airflow (wall; target >= {TARGETS[mode]})", peer["wall_s"], ref["wall_s"])
        rep.ratio(f"{label} / main_job_airflow (CPU)", peer["cpu_s"], ref["cpu_s"])
        rep.ratio(f"  {label} dbt stage / main_job dbt stage", peer["stages"].get("dbt", 0), ref["stages"].get("dbt", 0))
        if mode == "cosmos_watcher":
            rep.ratio(f"  {label} producer (one dbt build) / main_job dbt stage", peer["producer_s"], ref["stages"].get("dbt", 0))
        rep.ratio(f"  {label} airflow task start / main_job airflow task start",
                  peer["stages"].get("airflow_task_start", 0), ref["stages"].get("airflow_task_start", 0))
    if bar:
        rep.ratio(f"{label} / bare_duckdb (wall)", peer["wall_s"], bar["work_s"])
    for stage, sec in sorted(peer["stages"].items(), key=lambda kv: -kv[1])[:6]:
        rep.ratio(f"  {label} share: {stage}", sec, peer["wall_s"], f"{sec:.1f} s of {peer['wall_s']:.1f} s")
    shape = ("1 producer running one dbt build + 1 sensor per model and per model's tests"
             if mode == "cosmos_watcher" else "1 task per model + 1 per model's tests")
    dbt_note = (f"; of its dbt stage ({peer['stages'].get('dbt', 0):.1f} s) the producer's dbt build is "
                f"{peer['producer_s']:.1f} s, the sensors and collect_build the rest" if mode == "cosmos_watcher" else "")
    rep.note(f"{label}: {peer['tasks']} Airflow tasks ({shape}){dbt_note}; its dbt parse for manifest.json "
             f"({peer['dbt_parse_s']:.1f} s) is a deploy-time step and not counted")
