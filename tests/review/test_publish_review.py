"""Publish reviews a new version before serving it: publish, hold for approval, or block.

Real stages on a real DuckDB warehouse built from the transport sector's replayed payloads; the
candidate versions are made by editing the audit table with SQL (a revised past value, added rows,
most rows gone), then the publish stage runs as in a DAG. ``cli approve`` / ``cli reject`` are the
real CLI. The diff's own detail is tested in ``test_diff``; here, what publish does with the
policy's answer.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from sector_datasets import cli
from sector_datasets.gate import GateVerdict
from sector_datasets.orchestration import inline, stages
from sector_datasets.review.candidate import PublishBlocked
from sector_datasets.settings import get_settings
from sector_datasets.state import approvals
from sector_datasets.state.versions import served_version
from sector_datasets.warehouse import get_backend
from tests.helpers import TRANSPORT_FILES, copy_snapshot

SECTOR, DS = "transport", "transport_airports"
FILES = TRANSPORT_FILES


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    home = tmp_path_factory.mktemp("review_home")
    snapshot = copy_snapshot(FILES, tmp_path_factory.mktemp("snapshot"))
    env = {"SECTOR_DATASETS_HOME": str(home), "SECTOR_DATASETS_SNAPSHOT_DIR": str(snapshot),
           "SECTOR_DATASETS_APPROVALS": "cli"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    first = inline.run_sector(SECTOR, "run_1")
    assert first[DS]["version"] == 1 and first[DS]["action"] == "publish", first[DS]
    yield get_settings()
    for k, v in old.items():
        os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def _sql(settings, *statements: str) -> None:
    with get_backend(settings).connect_writer("test edit") as con:
        for sql in statements:
            con.execute(sql)


def _served(settings) -> int | None:
    with get_backend(settings).connect_writer("test read") as con:
        return served_version(con, settings.exports_dir, SECTOR, DS)[0]


def _rows(settings, sql: str) -> list[tuple]:
    with get_backend(settings).connect_writer("test read") as con:
        return con.execute(sql).fetchall()


def _publish(run_id: str) -> dict:
    verdict = GateVerdict(dataset_id=DS, sector_id=SECTOR, run_id=run_id, suite_name=DS, table=f"audit.{DS}",
                          success=True, evaluated=1, failed=0, row_count=None, started_at="2026-01-01T00:00:00",
                          duration_s=0.0)
    return stages.publish(SECTOR, DS, run_id, verdict.to_dict())


def _reset_to_served(settings) -> None:
    served = _served(settings)
    _sql(settings, f"CREATE OR REPLACE TABLE audit.{DS} AS SELECT * FROM curated.{DS}__v{served:04d}")


def _revise_a_past_value(settings) -> None:
    _sql(settings, f"UPDATE audit.{DS} SET latitude = latitude + 1.5 "
                   f"WHERE airport_id = (SELECT min(airport_id) FROM audit.{DS})")


def _metadata(settings, version: int) -> dict:
    path = settings.exports_dir / SECTOR / DS / f"v{version:04d}" / "metadata.json"
    return json.loads(Path(path).read_text(encoding="utf-8"))


def test_a_revised_past_value_is_held_until_approved(platform, capsys):
    settings = platform
    _revise_a_past_value(settings)
    held = _publish("run_revised")
    assert held["held"] and held["action"] == "approve" and held["new_version"], held
    assert held["version"] == 2 and held["served_version"] == 1
    assert _served(settings) == 1, "a revision must not be served without a decision"
    assert "awaiting approval — cli approve transport_airports" in held["summary"]
    with get_backend(settings).connect_writer("t") as con:
        pending = approvals.pending(con, DS)
    assert [(p["version"], p["status"], p["run_id"]) for p in pending] == [(2, "awaiting", "run_revised")]
    changes = _metadata(settings, 2)["changes"]
    assert changes["policy"]["action"] == "approve" and changes["diff"]["changed"] == 1
    assert changes["approval"]["status"] == "awaiting" and changes["note"]["vi"]
    # The summary table says how to decide.
    assert any("awaiting approval" in r["this run"] for r in cli.summary_rows(settings, [SECTOR]) if r["dataset"] == DS)
    # A rerun with the same content makes no new version and still serves v1.
    again = _publish("run_revised_again")
    assert not again["new_version"] and again["held"] and _served(settings) == 1

    assert cli.main(["approve", DS, "--by", "owner.nguyen"]) == 0
    assert _served(settings) == 2
    assert (settings.exports_dir / SECTOR / DS / "current").resolve().name == "v0002"
    row = _rows(settings, f"SELECT status, decided_by FROM meta.approvals WHERE dataset_id = '{DS}' AND version = 2")
    assert row == [("approved", "owner.nguyen")]
    assert _metadata(settings, 2)["changes"]["approval"]["by"] == "owner.nguyen"
    assert _rows(settings, f"SELECT count(*) FROM curated.{DS}")[0][0] > 0
    assert any("v2 approved by owner.nguyen" in r["this run"] for r in cli.summary_rows(settings, [SECTOR])
               if r["dataset"] == DS)
    assert cli.main(["approve", DS]) == 1, "nothing is held any more"
    assert "no version is awaiting approval" in capsys.readouterr().err


def test_a_rejected_version_is_never_served_and_who_and_why_are_kept(platform, capsys):
    settings = platform
    _revise_a_past_value(settings)
    held = _publish("run_revised_2")
    assert held["held"] and held["version"] == 3 and _served(settings) == 2
    assert cli.main(["reject", DS, "--reason", "số liệu sai / wrong figures", "--by", "owner.tran"]) == 0
    assert _served(settings) == 2
    row = _rows(settings, f"SELECT status, decided_by, reason FROM meta.approvals WHERE dataset_id = '{DS}' AND version = 3")
    assert row == [("rejected", "owner.tran", "số liệu sai / wrong figures")]
    # Kept for the record, never served: not by a rerun of the same content, not by unpin.
    rerun = _publish("run_revised_2_again")
    assert not rerun["new_version"] and not rerun["held"] and _served(settings) == 2
    assert cli.main(["rollback", DS, "3"]) == 1
    assert "held by its publish policy" in capsys.readouterr().err
    assert cli.main(["reject", DS, "--reason", "x"]) == 1


def test_a_version_that_only_adds_rows_is_published_directly(platform):
    settings = platform
    _reset_to_served(settings)
    _sql(settings, f"INSERT INTO audit.{DS} SELECT * REPLACE (airport_id + 1000000 AS airport_id) "
                   f"FROM audit.{DS} ORDER BY airport_id LIMIT 2")
    published = _publish("run_added")
    assert published["action"] == "publish" and not published["held"]
    assert published["version"] == 4 and _served(settings) == 4
    changes = _metadata(settings, 4)["changes"]
    assert changes["diff"]["added"] == 2 and changes["approval"] is None


def test_losing_more_than_half_of_the_rows_is_blocked(platform):
    settings = platform
    _sql(settings, f"DELETE FROM audit.{DS} WHERE airport_id % 4 <> 0")
    with pytest.raises(PublishBlocked) as exc:
        _publish("run_gutted")
    message = str(exc.value)
    for part in (DS, "v5", "run_gutted", "BLOCKED", "bị CHẶN", "disappeared"):
        assert part in message, part
    assert _served(settings) == 4
    rows = _rows(settings, f"SELECT version, status FROM meta.approvals WHERE dataset_id = '{DS}' AND status = 'blocked'")
    assert rows == [(5, "blocked")]
    assert not (settings.exports_dir / SECTOR / DS / "v0005").exists()
    diffs = _rows(settings, f"SELECT action, to_version FROM quality.diffs WHERE dataset_id = '{DS}' AND run_id = 'run_gutted'")
    assert diffs == [("block", None)]
    # The run log (the report's source) has the failure with its reasons.
    from sector_datasets.state import runlog
    failed = [e for e in runlog.read_events(settings.home, SECTOR, "run_gutted") if e["status"] == "failed"]
    assert failed and "BLOCKED" in failed[0]["message"]
    # The blocked number is reused by the next real version, which is not withheld by the blocked row.
    _reset_to_served(settings)
    _sql(settings, f"INSERT INTO audit.{DS} SELECT * REPLACE (airport_id + 2000000 AS airport_id) "
                   f"FROM audit.{DS} ORDER BY airport_id LIMIT 1")
    assert _publish("run_after_block")["version"] == 5 and _served(settings) == 5
