"""`cli run`'s one-interpreter runner: its output split into one log per DAG, and what a crash of
that interpreter does (a stand-in process prints the runner's markers; no Airflow needed)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sector_datasets.orchestration.dag_batch import MARK, DagBegun, DagEnded, _follow
from sector_datasets.settings import REPO_ROOT


def _runner(tmp_path: Path, body: str) -> subprocess.Popen:
    script = tmp_path / "runner.py"
    script.write_text(f"import os, sys\nMARK = {MARK!r}\n" + body)
    return subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _events(proc: subprocess.Popen, expected: list[str], logs: Path) -> tuple[list, list[str]]:
    gen = _follow(proc, expected, logs)
    events = []
    while True:
        try:
            events.append(next(gen))
        except StopIteration as stop:
            return events, stop.value


def test_each_dag_gets_its_own_log_and_state(tmp_path):
    proc = _runner(tmp_path, """
print("start-up")
print(MARK, "begin", "a", flush=True); print("a works"); print(MARK, "end", "a", "success", flush=True)
print(MARK, "begin", "b", flush=True); print("b fails", file=sys.stderr); sys.stderr.flush()
print(MARK, "end", "b", "failed", flush=True)
""")
    events, done = _events(proc, ["a", "b"], tmp_path)
    ended = [e for e in events if isinstance(e, DagEnded)]
    assert [(e.dag_id, e.state, e.ok) for e in ended] == [("a", "success", True), ("b", "failed", False)]
    assert done == ["a", "b"]
    assert (tmp_path / "a.log").read_text() == "start-up\na works\n"
    assert (tmp_path / "b.log").read_text() == "b fails\n"


def test_a_crash_inside_a_dag_fails_that_dag_only(tmp_path):
    proc = _runner(tmp_path, """
print(MARK, "begin", "a", flush=True); print(MARK, "end", "a", "success", flush=True)
print(MARK, "begin", "b", flush=True); print("segfault-like", flush=True); os._exit(139)
""")
    events, done = _events(proc, ["a", "b", "c"], tmp_path)
    assert [type(e) for e in events] == [DagBegun, DagEnded, DagBegun, DagEnded]
    assert (events[-1].dag_id, events[-1].state) == ("b", "error")
    assert done == ["a", "b"]  # run_dags starts a new interpreter for "c"
    assert "exited with code 139 while running b" in (tmp_path / "b.log").read_text()


def test_an_interpreter_that_cannot_start_fails_every_dag_with_its_output(tmp_path):
    proc = _runner(tmp_path, 'print("ModuleNotFoundError: airflow", flush=True); sys.exit(1)\n')
    events, done = _events(proc, ["a", "b"], tmp_path)
    assert [(e.dag_id, e.state) for e in events if isinstance(e, DagEnded)] == [("a", "error"), ("b", "error")]
    assert done == ["a", "b"]
    assert "ModuleNotFoundError: airflow" in (tmp_path / "b.log").read_text()


@pytest.mark.slow
def test_sigterm_to_cli_run_stops_the_airflow_interpreter_and_its_children(tmp_path):
    """`cli run` killed by SIGTERM (a supervisor, `kill`) leaves no dag_batch process behind."""
    import psutil

    from tests.helpers import platform_env

    env = platform_env(tmp_path / "home")
    cli = subprocess.Popen([sys.executable, "-m", "sector_datasets.cli", "run", "--sector", "transport"],
                           env=env, cwd=REPO_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        runner = None
        while runner is None and time.monotonic() < deadline and cli.poll() is None:
            runner = next((p for p in psutil.Process(cli.pid).children(recursive=True)
                           if "sector_datasets.orchestration.dag_batch" in " ".join(p.cmdline())), None)
            time.sleep(0.2)
        assert runner is not None, "the Airflow interpreter never started"
        time.sleep(3)  # let it get into Airflow (and start its own children)
        family = [runner, *runner.children(recursive=True)]
        cli.send_signal(signal.SIGTERM)
        assert cli.wait(timeout=60) == 128 + signal.SIGTERM
        gone, alive = psutil.wait_procs(family, timeout=20)
        assert not alive, f"still running after SIGTERM: {[(p.pid, p.cmdline()[:3]) for p in alive]}"
    finally:
        if cli.poll() is None:
            cli.kill()
