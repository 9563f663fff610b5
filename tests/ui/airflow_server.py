"""Start and stop a private ``airflow standalone`` for the UI tests (its own process group)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from devtools.scaleout import free_port
from sector_datasets.orchestration.airflow_env import airflow_environment
from sector_datasets.settings import Settings


@dataclass
class AirflowServer:
    process: subprocess.Popen
    base_url: str
    home: Path  # AIRFLOW_HOME
    log_path: Path

    def wait_healthy(self, timeout_s: float = 180.0) -> float:
        """Block until the API server answers its health endpoint; returns the seconds waited."""
        started = time.monotonic()
        while time.monotonic() - started < timeout_s:
            if self.process.poll() is not None:
                raise RuntimeError(f"airflow standalone exited with {self.process.returncode}; log: {self.log_tail()}")
            try:
                if httpx.get(f"{self.base_url}/api/v2/monitor/health", timeout=2).status_code == 200:
                    return time.monotonic() - started
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise TimeoutError(f"airflow standalone not healthy after {timeout_s:.0f}s; log: {self.log_tail()}")

    def admin_password(self) -> str:
        path = self.home / "simple_auth_manager_passwords.json.generated"
        return json.loads(path.read_text())["admin"]

    def log_lines(self) -> list[str]:
        """What ``airflow standalone`` has printed so far (every component, prefixed), by line."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()
        except OSError:
            return []

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_lines()[-lines:]) or "(no log)"

    def stop(self, timeout_s: float = 30.0) -> None:
        """Stop the process group this server started (and only it), SIGTERM then SIGKILL."""
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                return
            try:
                self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                pass
        try:  # children of standalone that outlived it are still in the group
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass


def start_airflow(settings: Settings, dags_folder: Path, log_path: Path) -> AirflowServer:
    """``airflow standalone`` on a free loopback port, this project's configuration, the DAGs of
    ``dags_folder`` (the UI tests: an empty one; the approval test: its own)."""
    port = free_port()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "SECTOR_DATASETS_"))}
    # The project's own configuration on a non-default port: the execution API URL the tasks
    # report to is derived from it (airflow_environment), so every DAG these tests run under the
    # real scheduler checks that derivation.
    env = {**base, **airflow_environment(settings, api_port=port)}
    env.update(
        AIRFLOW__API__HOST="127.0.0.1",
        AIRFLOW__CORE__DAGS_FOLDER=str(dags_folder),  # the plugin is under test, not the DAGs
        AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="True",
    )
    dags_folder.mkdir(parents=True, exist_ok=True)
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).with_name("airflow")), "standalone"],
        env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    log.close()
    return AirflowServer(process, f"http://127.0.0.1:{port}", Path(env["AIRFLOW_HOME"]), log_path)
