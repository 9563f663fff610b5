"""Scale out on this machine: the sector DAGs on Airflow's CeleryExecutor, every component a process.

The topology of ``docker-compose.yml`` run natively: a fresh PostgreSQL metadata database, a Redis
broker, an api-server, a scheduler, a dag-processor and N ``airflow celery worker`` processes,
each in its own process group, with a private ``AIRFLOW_HOME`` and ``SECTOR_DATASETS_HOME``. Used by
the scale-out test (``tests/scale``), by ``python -m devtools.scaleout`` and by ``bench/scale_out.py``::

    with CeleryCluster(home, workers=2) as cluster:      # db create + migrate, processes, health
        result = cluster.run_all()                       # unpause + trigger every sector DAG
        result.states, result.workers_used, result.wall_s

Every Airflow process shares what a real deployment must share (see README "Scaling out"): the
metadata DB, broker and result backend, ``[api_auth] jwt_secret``, ``[core] fernet_key`` and
``[core] execution_api_server_url``. Celery's ``result_extended`` is on so that
``celery_taskmeta.worker`` names the worker that ran each task (``ti.hostname`` is the same for
every worker on one machine). Isolation from anything else using the same PostgreSQL and Redis:
a uniquely named database (dropped on stop) and a uniquely named Celery queue (its keys deleted).

Which warehouse the tasks write to is ordinary project configuration: ``warehouse="duckdb"``
(default) is the embedded file under the private home, whose single writer is the one-slot pool
``sector_datasets_warehouse`` created here before any trigger; ``warehouse="postgres"`` creates a
fresh PostgreSQL warehouse database next to the metadata DB (``SECTOR_DATASETS_WAREHOUSE_KIND``,
``SECTOR_DATASETS_PG_DSN`` for every process; the pool sized by ``warehouse_pool.writer_pool``).
Anything else goes through ``extra_env``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from sector_datasets.orchestration.airflow_env import airflow_environment
from sector_datasets.registry import load_registry
from sector_datasets.settings import Settings, get_settings
from sector_datasets.orchestration.writer_pool import WRITER_POOL, writer_pool

PG_URL_ENV = "SECTOR_DATASETS_SCALEOUT_PG_URL"
REDIS_URL_ENV = "SECTOR_DATASETS_SCALEOUT_REDIS_URL"
DEFAULT_PG_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379"
DB_PREFIX = "sdscale_"
TERMINAL = {"success", "failed"}


class ScaleOutError(RuntimeError):
    """A component did not start, a run did not finish, or a process died; carries log tails."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Component:
    name: str
    argv: list[str]
    log_path: Path
    env: dict[str, str]
    process: subprocess.Popen | None = None

    def start(self) -> None:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            # Own process group: stop() signals the group, so the children (gunicorn/uvicorn
            # workers, Celery pool processes, task supervisors) go with it, and nothing else does.
            self.process = subprocess.Popen(
                self.argv, env=self.env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True,
            )

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return "(no log)"
        return "\n".join(text[-lines:])


@dataclass
class RunResult:
    """What ``run_all`` did: one DAG run per sector, their states, who ran which task, how long."""

    runs: dict[str, str]  # dag_id -> run_id
    states: dict[str, str]  # dag_id -> final state
    wall_s: float  # first trigger -> last run finished
    phase_s: dict[str, float]  # "sectors", "cross_sector"
    task_workers: list[dict]  # dag_id, task_id, state, worker, start, end, pool
    peak_pss_mb: float | None = None

    @property
    def workers_used(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for t in self.task_workers:
            if t["worker"]:
                counts[t["worker"]] = counts.get(t["worker"], 0) + 1
        return counts

    @property
    def failed(self) -> dict[str, str]:
        return {dag: state for dag, state in self.states.items() if state != "success"}


@dataclass
class CeleryCluster:
    """A private CeleryExecutor deployment; ``start()``/``stop()`` or use as a context manager."""

    home: Path
    workers: int = 2
    concurrency: int = 2
    pg_url: str = field(default_factory=lambda: os.environ.get(PG_URL_ENV, DEFAULT_PG_URL))
    redis_url: str = field(default_factory=lambda: os.environ.get(REDIS_URL_ENV, DEFAULT_REDIS_URL))
    extra_env: dict[str, str] = field(default_factory=dict)
    settings: Settings | None = None
    # "duckdb": the embedded file under ``home`` (one writer at a time); "postgres": a fresh
    # PostgreSQL database on the same server as the metadata DB, dropped on stop.
    warehouse: str = "duckdb"
    keep_warehouse: bool = False  # postgres: leave the warehouse database for inspection after stop()
    token: str = field(default_factory=lambda: f"{os.getpid()}_{secrets.token_hex(3)}")

    def __post_init__(self) -> None:
        self.home = Path(self.home).resolve()
        base = self.settings or get_settings()
        self.settings = dataclasses.replace(base, home=self.home)
        self.db_name = f"{DB_PREFIX}{self.token}"
        self.warehouse_db = None
        if self.warehouse == "postgres":  # a kept one is not named like the scratch databases swept at start
            self.warehouse_db = f"sector_datasets_scaleout_{self.token}" if self.keep_warehouse else f"{DB_PREFIX}{self.token}_wh"
        self.queue = f"{DB_PREFIX}{self.token}"
        # A Redis database of its own when possible (1..15, from the token), the queue name isolates anyway.
        self.redis_db = 1 + int(secrets.token_hex(2), 16) % 15
        self.logs_dir = self.home / "scaleout-logs"
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.components: list[Component] = []
        self.timings: dict[str, float] = {}
        self._token: str | None = None
        self._db_created = False
        self.env: dict[str, str] = {}

    # ------------------------------------------------------------------ configuration
    @property
    def warehouse_dsn(self) -> str | None:
        """libpq URL of the PostgreSQL warehouse (``warehouse="postgres"``), else None."""
        return _with_db(self.pg_url, self.warehouse_db, "postgresql") if self.warehouse_db else None

    @property
    def metadata_url(self) -> str:
        return _with_db(self.pg_url, self.db_name, "postgresql+psycopg2")

    def environment(self) -> dict[str, str]:
        """The configuration every process of this deployment shares (worker-specific bits added later)."""
        from cryptography.fernet import Fernet

        if not hasattr(self, "_shared_secrets"):
            self._shared_secrets = (secrets.token_urlsafe(32), Fernet.generate_key().decode())
        jwt_secret, fernet_key = self._shared_secrets
        base = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "SECTOR_DATASETS_"))}
        saved = {k: os.environ.pop(k) for k in list(os.environ) if k.startswith("AIRFLOW__")}
        try:  # airflow_environment lets the caller's AIRFLOW__* win; a private deployment must not inherit them
            env = {**base, **airflow_environment(self.settings, executor="CeleryExecutor")}
        finally:
            os.environ.update(saved)
        result_backend = "db+" + _with_db(self.pg_url, self.db_name, "postgresql+psycopg2")
        env.update(
            {
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": self.metadata_url,
                "AIRFLOW__CELERY__BROKER_URL": f"{self.redis_url.rstrip('/')}/{self.redis_db}",
                "AIRFLOW__CELERY__RESULT_BACKEND": result_backend,
                # result_extended (celery_taskmeta.worker: which worker ran which task) and a warm
                # start for task processes (see sector_datasets.orchestration.celery_config).
                "AIRFLOW__CELERY__CELERY_CONFIG_OPTIONS": "sector_datasets.orchestration.celery_config.CELERY_CONFIG",
                "AIRFLOW__CELERY__SYNC_PARALLELISM": "1",
                "AIRFLOW__OPERATORS__DEFAULT_QUEUE": self.queue,
                "AIRFLOW__API_AUTH__JWT_SECRET": jwt_secret,
                "AIRFLOW__CORE__FERNET_KEY": fernet_key,
                "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"{self.base_url}/execution/",
                "AIRFLOW__API__HOST": "127.0.0.1",
                "AIRFLOW__API__PORT": str(self.port),
                "AIRFLOW__API__BASE_URL": self.base_url,
                "AIRFLOW__API__WORKERS": "1",
                "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "True",
                # Runs are created by explicit triggers only (no cron catch-up run on unpause).
                "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
                "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.5",
                "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
                "AIRFLOW__WORKERS__MIN_HEARTBEAT_INTERVAL": "1",
                "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
                "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
                "AIRFLOW__DAG_PROCESSOR__STALE_DAG_THRESHOLD": "120",
                "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port()),
                "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS": "admin:admin",
            }
        )
        if self.warehouse_db:
            env.update(SECTOR_DATASETS_WAREHOUSE_KIND="postgres", SECTOR_DATASETS_PG_DSN=self.warehouse_dsn)
        env.update(self.extra_env)
        return env

    # ------------------------------------------------------------------ lifecycle
    def __enter__(self) -> CeleryCluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self, timeout_s: float = 300.0) -> None:
        t0 = time.monotonic()
        (self.home / "airflow").mkdir(parents=True, exist_ok=True)
        self.logs_dir.mkdir(parents=True, exist_ok=True)
        drop_stale_databases(self.pg_url)
        self._create_database()
        env = self.env = self.environment()
        airflow = str(Path(sys.executable).with_name("airflow"))
        migrate_log = self.logs_dir / "db-migrate.log"
        with open(migrate_log, "wb") as log:
            proc = subprocess.run([airflow, "db", "migrate"], env=env, stdout=log, stderr=subprocess.STDOUT, timeout=timeout_s)
        if proc.returncode != 0:
            raise ScaleOutError(f"airflow db migrate failed ({proc.returncode}):\n{_tail(migrate_log, 40)}")
        self.timings["migrate_s"] = time.monotonic() - t0

        self.components = [
            Component("api-server", [airflow, "api-server", "--port", str(self.port), "--host", "127.0.0.1", "--workers", "1"],
                      self.logs_dir / "api-server.log", env),
            Component("scheduler", [airflow, "scheduler"], self.logs_dir / "scheduler.log", env),
            Component("dag-processor", [airflow, "dag-processor"], self.logs_dir / "dag-processor.log", env),
        ]
        for i in range(1, self.workers + 1):
            worker_env = {**env, "AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT": str(free_port())}
            self.components.append(
                Component(
                    f"worker{i}",
                    [airflow, "celery", "worker", "--celery-hostname", self.worker_name(i),
                     "--concurrency", str(self.concurrency), "--queues", self.queue, "--without-gossip", "--without-mingle"],
                    self.logs_dir / f"worker{i}.log", worker_env,
                )
            )
        for c in self.components:
            c.start()
        deadline = time.monotonic() + timeout_s
        # The first call to /execution/ on a fresh api-server is slow (≈4 s): wait for it before any
        # worker needs it, or the workers' 5 s client timeout fails the first tasks.
        self._wait(lambda: self._get_status("/execution/health") == 200, deadline, "api-server /execution/health")
        self._login()
        self._ensure_pool()
        expected = len(load_registry(self.settings.registry_dir).sectors)
        self._wait(lambda: self._dag_count() >= expected, deadline, f"dag-processor to serialise {expected} DAGs")
        self._wait(self._scheduler_healthy, deadline, "scheduler heartbeat")
        for i in range(1, self.workers + 1):
            log = self.logs_dir / f"worker{i}.log"
            self._wait(lambda log=log: " ready." in log.read_text(errors="replace"), deadline, f"worker{i} ready")
        self.timings["start_s"] = time.monotonic() - t0

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop every process group this cluster started, drop its database, delete its queue."""
        t0 = time.monotonic()
        for c in self.components:
            if c.process is not None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(c.process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        for c in self.components:
            if c.process is None:
                continue
            with contextlib.suppress(subprocess.TimeoutExpired):
                c.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            # Whatever is left in the group (a child that outlived its parent) is killed.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(c.process.pid, signal.SIGKILL)
            with contextlib.suppress(subprocess.TimeoutExpired):
                c.process.wait(timeout=10)
        if self._db_created:
            for name in filter(None, (self.db_name, None if self.keep_warehouse else self.warehouse_db)):
                with contextlib.suppress(Exception):
                    _drop_database(self.pg_url, name)
            self._db_created = False
        self._delete_queue()
        self.timings["stop_s"] = time.monotonic() - t0

    # ------------------------------------------------------------------ running DAGs
    def run_all(self, sector_ids: list[str] | None = None, timeout_s: float = 3600.0, *, conf: dict | None = None) -> RunResult:
        """Unpause and trigger every sector DAG, then the cross-sector DAG once its inputs are published.

        The sectors run concurrently (their writers take turns through the one-slot pool); a
        cross-sector DAG is scheduled on its inputs' Assets, so it is unpaused and triggered only
        after every other run succeeded — unpaused earlier, the first input's publish would start
        it on half its inputs.
        """
        registry = load_registry(self.settings.registry_dir)
        ordered = [registry.sector(s) for s in registry.run_order(sector_ids)]
        phases = [
            ("sectors", [s.dag_id for s in ordered if s.kind != "cross_sector"]),
            ("cross_sector", [s.dag_id for s in ordered if s.kind == "cross_sector"]),
        ]
        runs: dict[str, str] = {}
        states: dict[str, str] = {}
        phase_s: dict[str, float] = {}
        peak = [0.0]
        deadline = time.monotonic() + timeout_s
        started = time.monotonic()
        for phase, dag_ids in phases:
            if not dag_ids:
                continue
            if phase == "cross_sector" and any(s != "success" for s in states.values()):
                for dag_id in dag_ids:
                    states[dag_id] = "not triggered (an input sector failed)"
                continue
            t0 = time.monotonic()
            for dag_id in dag_ids:
                runs[dag_id] = self.trigger(dag_id, conf=conf)
            states.update(self.wait_for_runs({d: runs[d] for d in dag_ids}, deadline, peak))
            phase_s[phase] = time.monotonic() - t0
        wall = time.monotonic() - started
        return RunResult(runs, states, wall, phase_s, self.task_workers(), peak[0] or None)

    def trigger(self, dag_id: str, conf: dict | None = None) -> str:
        self.api("PATCH", f"/api/v2/dags/{dag_id}", json={"is_paused": False})
        body = self.api("POST", f"/api/v2/dags/{dag_id}/dagRuns", json={"logical_date": None, "conf": conf or {}})
        return body["dag_run_id"]

    def wait_for_runs(self, runs: dict[str, str], deadline: float, peak: list[float] | None = None) -> dict[str, str]:
        states: dict[str, str] = {}
        last_mem = 0.0
        while True:
            for dag_id, run_id in runs.items():
                if dag_id not in states:
                    state = self.api("GET", f"/api/v2/dags/{dag_id}/dagRuns/{run_id}")["state"]
                    if state in TERMINAL:
                        states[dag_id] = state
            if len(states) == len(runs):
                return states
            self._check_alive()
            if peak is not None and time.monotonic() - last_mem > 5:
                peak[0] = max(peak[0], self.memory_pss_mb())
                last_mem = time.monotonic()
            if time.monotonic() > deadline:
                pending = {d: r for d, r in runs.items() if d not in states}
                raise ScaleOutError(f"runs not finished in time: {pending}\n{self.log_tails()}")
            time.sleep(2)

    def task_workers(self) -> list[dict]:
        """Every task instance of this deployment with the Celery worker that ran it."""
        rows = self.sql(
            """
            SELECT ti.dag_id, ti.task_id, ti.state, m.worker, ti.start_date, ti.end_date, ti.pool, ti.try_number
            FROM task_instance ti
            LEFT JOIN celery_taskmeta m ON m.task_id = ti.external_executor_id
            ORDER BY ti.start_date NULLS LAST
            """
        )
        keys = ("dag_id", "task_id", "state", "worker", "start", "end", "pool", "try_number")
        return [dict(zip(keys, r)) for r in rows]

    def asset_events(self) -> dict[str, int]:
        """Asset name -> number of events recorded by publish tasks (the cross-sector DAG's trigger)."""
        rows = self.sql(
            "SELECT a.name, count(*) FROM asset_event e JOIN asset a ON a.id = e.asset_id GROUP BY a.name"
        )
        return {name: n for name, n in rows}

    def failed_task_logs(self, lines: int = 30) -> str:
        """The tail of the task log of every task instance that did not succeed (why a run is red)."""
        rows = self.sql(
            "SELECT dag_id, run_id, task_id, state, try_number FROM task_instance "
            "WHERE state IS DISTINCT FROM 'success' ORDER BY dag_id, task_id"
        )
        logs_root = Path(self.env.get("AIRFLOW_HOME", self.home / "airflow")) / "logs"
        parts = []
        for dag_id, run_id, task_id, state, try_number in rows:
            candidates = sorted((logs_root / f"dag_id={dag_id}" / f"run_id={run_id}" / f"task_id={task_id}").glob("attempt=*.log"))
            tail = _tail(candidates[-1], lines) if candidates else "(no task log)"
            parts.append(f"----- {dag_id}.{task_id}: {state} (try {try_number}) -----\n{tail}")
        return "\n".join(parts)

    def worker_name(self, i: int) -> str:
        return f"w{i}-{self.token}@%h"

    # ------------------------------------------------------------------ plumbing
    def api(self, method: str, path: str, **kwargs):
        import httpx

        if self._token is None:
            self._login()
        response = httpx.request(method, self.base_url + path, headers={"Authorization": f"Bearer {self._token}"},
                                 timeout=60, **kwargs)
        if response.status_code >= 400:
            raise ScaleOutError(f"{method} {path}: HTTP {response.status_code} {response.text[:500]}")
        return response.json() if response.content else None

    def sql(self, query: str, params: Iterable | None = None) -> list[tuple]:
        import psycopg2

        with contextlib.closing(psycopg2.connect(_with_db(self.pg_url, self.db_name, "postgresql"))) as con:
            with con.cursor() as cur:
                cur.execute(query, params)
                return cur.fetchall() if cur.description else []

    def memory_pss_mb(self) -> float:
        """Proportional set size of every process in this cluster's process groups (MiB)."""
        groups = {c.process.pid for c in self.components if c.process is not None}
        total_kb = 0
        for pid_dir in Path("/proc").iterdir():
            if not pid_dir.name.isdigit():
                continue
            try:
                stat = (pid_dir / "stat").read_text()
                pgid = int(stat.rsplit(")", 1)[1].split()[2])
                if pgid not in groups:
                    continue
                for line in (pid_dir / "smaps_rollup").read_text().splitlines():
                    if line.startswith("Pss:"):
                        total_kb += int(line.split()[1])
                        break
            except (OSError, ValueError, IndexError):
                continue
        return total_kb / 1024

    def log_tails(self, lines: int = 40) -> str:
        parts = []
        migrate = self.logs_dir / "db-migrate.log"
        if migrate.exists() and not self.components:
            parts.append(f"----- db-migrate ({migrate}) -----\n{_tail(migrate, lines)}")
        for c in self.components:
            state = "running" if c.alive() else f"exited {c.process.returncode if c.process else '-'}"
            parts.append(f"----- {c.name} ({state}; {c.log_path}) -----\n{c.log_tail(lines)}")
        return "\n".join(parts)

    def _check_alive(self) -> None:
        dead = [c for c in self.components if not c.alive()]
        if dead:
            raise ScaleOutError(
                f"{', '.join(c.name for c in dead)} exited unexpectedly\n{self.log_tails()}"
            )

    def _wait(self, predicate, deadline: float, what: str) -> None:
        while True:
            self._check_alive()
            try:
                if predicate():
                    return
            except Exception:  # not up yet (connection refused, table not created, …)
                pass
            if time.monotonic() > deadline:
                raise ScaleOutError(f"timed out waiting for {what}\n{self.log_tails()}")
            time.sleep(0.5)

    def _get_status(self, path: str) -> int:
        import httpx

        return httpx.get(self.base_url + path, timeout=10).status_code

    def _login(self) -> None:
        import httpx

        response = httpx.post(f"{self.base_url}/auth/token", json={"username": "admin", "password": self._admin_password()}, timeout=30)
        response.raise_for_status()
        self._token = response.json()["access_token"]

    def _admin_password(self) -> str:
        path = Path(self.env["AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"])
        deadline = time.monotonic() + 30
        while not path.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        return json.loads(path.read_text())["admin"]

    @property
    def pool_slots(self) -> int:
        return int(self.api("GET", f"/api/v2/pools/{WRITER_POOL}")["slots"])

    def _ensure_pool(self) -> None:
        """The writer pool, sized for the warehouse as ``cli run`` and docker-compose size it."""
        slots, description = writer_pool(self.warehouse)
        body = {"name": WRITER_POOL, "slots": slots, "description": description, "include_deferred": False}
        try:
            self.api("POST", "/api/v2/pools", json=body)
        except ScaleOutError as exc:
            if "409" not in str(exc):
                raise
            self.api("PATCH", f"/api/v2/pools/{WRITER_POOL}", json=body)

    def _dag_count(self) -> int:
        return int(self.api("GET", "/api/v2/dags", params={"limit": 1, "tags": "sector-datasets"})["total_entries"])

    def _scheduler_healthy(self) -> bool:
        health = self.api("GET", "/api/v2/monitor/health")
        return (health.get("scheduler") or {}).get("status") == "healthy"

    def _create_database(self) -> None:
        self._db_created = True
        _admin_execute(self.pg_url, f'CREATE DATABASE "{self.db_name}"')
        if self.warehouse_db:
            _admin_execute(self.pg_url, f'CREATE DATABASE "{self.warehouse_db}"')

    def _delete_queue(self) -> None:
        try:
            import redis

            client = redis.Redis.from_url(f"{self.redis_url.rstrip('/')}/{self.redis_db}", socket_timeout=5)
            keys = [k for k in client.scan_iter(match=f"*{self.queue}*")]
            if keys:
                client.delete(*keys)
            client.close()
        except Exception:  # best effort: a leftover empty queue harms nobody
            pass


def _with_db(url: str, db_name: str, scheme: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((scheme, parts.netloc, f"/{db_name}", parts.query, ""))


def _admin_execute(pg_url: str, statement: str) -> None:
    import psycopg2

    con = psycopg2.connect(_with_db(pg_url, urlsplit(pg_url).path.lstrip("/") or "postgres", "postgresql"))
    try:
        con.autocommit = True
        with con.cursor() as cur:
            cur.execute(statement)
    finally:
        con.close()


def _drop_database(pg_url: str, db_name: str) -> None:
    _admin_execute(pg_url, f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


def drop_stale_databases(pg_url: str) -> list[str]:
    """Drop scale-out databases left by a process of this machine that no longer exists (a killed run)."""
    import psycopg2

    con = psycopg2.connect(_with_db(pg_url, urlsplit(pg_url).path.lstrip("/") or "postgres", "postgresql"))
    try:
        with con.cursor() as cur:
            cur.execute("SELECT datname FROM pg_database WHERE datname LIKE %s", (DB_PREFIX + "%",))
            names = [r[0] for r in cur.fetchall()]
    finally:
        con.close()
    dropped = []
    for name in names:
        m = re.fullmatch(DB_PREFIX + r"(\d+)_[0-9a-f]+(_wh)?", name)
        if m and not Path(f"/proc/{m.group(1)}").exists():
            with contextlib.suppress(Exception):
                _drop_database(pg_url, name)
                dropped.append(name)
    return dropped


def _tail(path: Path, lines: int) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


def format_result(result: RunResult, cluster: CeleryCluster) -> str:
    """A short human summary: per-DAG state, tasks per worker, timings, memory."""
    lines = [f"{'dag':<28} state"]
    lines += [f"{dag:<28} {state}" for dag, state in result.states.items()]
    lines.append("")
    lines.append("tasks per worker: " + ", ".join(f"{w}={n}" for w, n in sorted(result.workers_used.items())))
    timings = {**cluster.timings, "run_s": result.wall_s, **{f"{k}_s": v for k, v in result.phase_s.items()}}
    lines.append("timings: " + ", ".join(f"{k}={v:.1f}" for k, v in timings.items()))
    if result.peak_pss_mb:
        lines.append(f"peak PSS of the cluster: {result.peak_pss_mb:.0f} MiB")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m devtools.scaleout --workers N``: every sector DAG on a private Celery deployment."""
    import argparse
    import logging

    parser = argparse.ArgumentParser(
        prog="python -m devtools.scaleout",
        description="Run every sector DAG on a private CeleryExecutor deployment (PostgreSQL metadata DB, Redis "
        "broker, N workers). Starts api-server, scheduler, dag-processor and N Celery workers as processes on a fresh "
        "PostgreSQL database (SECTOR_DATASETS_SCALEOUT_PG_URL, default postgresql://postgres@127.0.0.1:5432/postgres) "
        "and Redis (SECTOR_DATASETS_SCALEOUT_REDIS_URL, default redis://127.0.0.1:6379), triggers every sector DAG, "
        "prints states, tasks per worker and wall times, then stops everything and drops the database.",
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=2, help="task slots per worker")
    parser.add_argument("--sector", action="append", default=[], help="sector id (repeatable); default: all")
    parser.add_argument("--home", type=Path, default=None, help="SECTOR_DATASETS_HOME of the deployment (default: var/scale-out)")
    parser.add_argument("--warehouse", choices=["duckdb", "postgres"], default=None,
                        help="duckdb: a file in --home; postgres: a fresh database next to the metadata DB, kept "
                        "after the run (default: SECTOR_DATASETS_WAREHOUSE_KIND)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    return _scale_out(get_settings(), args)


def _scale_out(settings: Settings, args) -> int:
    home = args.home or settings.home / "scale-out"
    print(f"· starting a CeleryExecutor deployment with {args.workers} worker(s) in {home} …", flush=True)
    try:
        with CeleryCluster(home, workers=args.workers, concurrency=args.concurrency, settings=settings,
                           warehouse=args.warehouse or settings.warehouse_kind, keep_warehouse=True) as cluster:
            print(f"· started in {cluster.timings['start_s']:.1f}s (logs: {cluster.logs_dir}); triggering every sector DAG …", flush=True)
            result = cluster.run_all(args.sector or None)
            failed_logs = cluster.failed_task_logs() if result.failed else ""
        print(format_result(result, cluster))
        print(f"warehouse: {cluster.warehouse_dsn or home / 'warehouse.duckdb'}")
    except ScaleOutError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if result.failed:
        print(failed_logs)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
