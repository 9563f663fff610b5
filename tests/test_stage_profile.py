"""devtools.stage_profile: py-spy samples of a ``cli run`` attributed to the pipeline's stages."""

from __future__ import annotations

import pytest

from devtools.stage_profile import attribute, bucket, main, read_folded

BATCH = 'process 10:"python -m sector_datasets.cli run";process 11:"python -m sector_datasets.orchestration.dag_batch sector_x"'
CLI = 'process 10:"python -m sector_datasets.cli run"'
TASK = "<module> (sector_datasets/orchestration/dag_batch.py:400);DAG.test (airflow/sdk/definitions/dag.py:1200);_run_task (airflow/sdk/definitions/dag.py:1300)"
WRAPPER = "_recorded.<locals>.decorate.<locals>.wrapper (sector_datasets/orchestration/stages.py:80)"
FOLDED = [
    # the gate: GX validation, then the verdict stored through a writer connection
    f"{BATCH};{TASK};{WRAPPER};gate (sector_datasets/orchestration/stages.py:250);validate_table (sector_datasets/gate/validate.py:40) 8\n",
    f"{BATCH};{TASK};{WRAPPER};gate (sector_datasets/orchestration/stages.py:250);store_verdict (sector_datasets/gate/verdicts.py:20);"
    "connect_writer (sector_datasets/warehouse/duckdb_lock.py:78) 2\n",
    # dbt's node runs in its own worker thread: no stage wrapper above it, still the transform
    f"{BATCH};Thread._bootstrap (threading.py:1002);GraphRunnableTask.call_runner (dbt/task/runnable.py:200) 12\n",
    f"{BATCH};{TASK};{WRAPPER};publish (sector_datasets/orchestration/stages.py:300);write_xlsx (sector_datasets/publish/export_files.py:10) 4\n",
    # Airflow's own work between tasks, and its execution API thread
    f"{BATCH};{TASK};SerializedDagModel.write_dag (airflow/models/serialized_dag.py:10) 3\n",
    f"{BATCH};Thread._bootstrap (threading.py:1002);BaseEventLoop.run_forever (asyncio/base_events.py:600) 5\n",
    # the interpreter before the first DAG, and the CLI process itself
    f"{BATCH};<module> (sector_datasets/orchestration/dag_batch.py:400);upgradedb (airflow/utils/db.py:900) 2\n",
    f"{CLI};write_index (sector_datasets/report/__init__.py:10) 4\n",
    "not a sample line\n",
]


def test_every_sample_lands_in_the_bucket_of_the_stage_that_paid_for_it() -> None:
    samples = read_folded(FOLDED)
    assert len(samples) == 8  # the malformed line is skipped
    assert [bucket(s) for s in samples] == [
        "gate", "gate", "transform (dbt)", "publish", "airflow", "airflow", "process start", "cli",
    ]
    seconds, watched = attribute(samples, rate=2.0)
    assert seconds == {"transform (dbt)": 6.0, "gate": 5.0, "airflow": 4.0, "publish": 2.0, "process start": 1.0, "cli": 2.0}
    assert watched["gate"] == {"GX validation": 4.0, "warehouse writer connection (open + close)": 1.0}
    assert watched["publish"] == {"XLSX export": 2.0}
    assert watched["process start"] == {"metadata DB migration check": 1.0}


def test_the_command_prints_the_table_with_its_total(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    folded = tmp_path / "main.folded"
    folded.write_text("".join(FOLDED), encoding="utf-8")
    assert main([str(folded), "--rate", "2", "--detail"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["bucket", "seconds", "share"]
    assert out[1].split() == ["transform", "(dbt)", "6.0", "30%"]
    assert "GX validation" in "\n".join(out)
    assert out[-1].split() == ["sampled", "20.0"]
