"""The Airflow configuration every command of this project runs with, as environment variables.

Set in one place so that `make run`, `make test`, `make ui` and the tests agree, and so that
`airflow db migrate` never writes a default airflow.cfg that would silently differ.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from sector_datasets.settings import Settings


def airflow_environment(settings: Settings, *, executor: str = "LocalExecutor", api_port: int | None = None) -> dict[str, str]:
    """``api_port`` (``cli ui --port``) wins over ``AIRFLOW__API__PORT``; default 8080."""
    home = settings.home / "airflow"
    host = os.environ.get("AIRFLOW__API__HOST", "127.0.0.1")
    port = str(api_port or os.environ.get("AIRFLOW__API__PORT") or 8080)
    env = {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(settings.repo_root / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(settings.repo_root / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__EXECUTOR": executor,
        # A 2-core machine: the default of 32 parallel LocalExecutor processes only thrashes.
        "AIRFLOW__CORE__PARALLELISM": "4",
        "AIRFLOW__CORE__MAX_ACTIVE_TASKS_PER_DAG": "4",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "AIRFLOW__CORE__DAGBAG_IMPORT_TIMEOUT": "60",
        "AIRFLOW__LOGGING__LOGGING_LEVEL": "INFO",
        "AIRFLOW__CORE__UNIT_TEST_MODE": "False",
        "AIRFLOW__SCHEDULER__ENABLE_HEALTH_CHECK": "False",
        "AIRFLOW__API__EXPOSE_CONFIG": "False",
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE": str(home / "simple_auth_manager_passwords.json.generated"),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(settings.repo_root / "plugins"), os.environ.get("PYTHONPATH")])),
        "SECTOR_DATASETS_HOME": str(settings.home),
        "SECTOR_DATASETS_SNAPSHOT_DIR": str(settings.snapshot_dir),
        "SECTOR_DATASETS_SOURCE_MODE": settings.source_mode,
        "SECTOR_DATASETS_REGISTRY": str(settings.registry_dir),
        "NO_PROXY": "*",
        # `airflow standalone` starts its components as `airflow ...` subprocesses: the venv's
        # bin directory must come first on PATH even when the venv is not activated.
        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        # The local UI listens on loopback only: its generated admin password is for this machine.
        "AIRFLOW__API__HOST": host,
        "AIRFLOW__API__PORT": port,
        # Task processes report to the execution API of the api-server they run under; Airflow's
        # default is http://localhost:8080/execution/ whatever the port, so on another port every
        # task failed at its start with only "Pre Execute" in its log.
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://{_reachable(host)}:{port}/execution/",
    }
    # Explicit AIRFLOW__* settings from the caller win (e.g. the scale-out test's Postgres DB),
    # except the port when one was passed.
    kept = {"AIRFLOW__CORE__DAGS_FOLDER", *(["AIRFLOW__API__PORT"] if api_port else [])}
    env.update({k: v for k, v in os.environ.items() if k.startswith("AIRFLOW__") and k not in kept})
    return env


def _reachable(host: str) -> str:
    """The address a local task process reaches a server listening on ``host`` at."""
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host


def ui_url(env: dict[str, str]) -> str:
    """The URL the UI answers at with this environment (printed by ``cli ui``)."""
    return (env.get("AIRFLOW__API__BASE_URL") or
            f"http://{_reachable(env['AIRFLOW__API__HOST'])}:{env['AIRFLOW__API__PORT']}").rstrip("/")


def task_logs_root(env: dict[str, str]) -> Path:
    """Where Airflow (and so its UI) reads task logs for ``env``."""
    return Path(env.get("AIRFLOW__LOGGING__BASE_LOG_FOLDER") or Path(env["AIRFLOW_HOME"]) / "logs")
