"""Through the real stages (stages.gate with Great Expectations on DuckDB, stages.publish) on
the SYNTHETIC person-level sector of tests/privacy/synthetic.py: a published dataset never holds
a pii column in clear, small person counts are withheld, undeclared personal data in text fails
the gate, and the salt appears nowhere it could leak.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

import duckdb
import pytest

from sector_datasets import privacy

from sector_datasets.orchestration import stages

from sector_datasets.state import runlog
from tests.privacy import synthetic

SALT = "SYNTHETIC-salt-not-a-real-secret-7f3a9c2e"
RUN = "synthetic_run_1"


@pytest.fixture
def home(tmp_path):
    env = synthetic.platform(tmp_path)
    with synthetic.environment(**env, SECTOR_DATASETS_PII_SALT=SALT):
        yield Path(env["SECTOR_DATASETS_HOME"])


def gate_and_publish(dataset_id: str, run_id: str = RUN) -> dict:
    verdict = stages.gate(synthetic.SECTOR, dataset_id, run_id, synthetic.build_record(run_id))
    return stages.publish(synthetic.SECTOR, dataset_id, run_id, verdict)


def all_bytes(root: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file())


def test_pii_is_published_only_as_salted_hashes_and_the_salt_leaks_nowhere(home, caplog):
    caplog.set_level(logging.DEBUG)
    publication = gate_and_publish(synthetic.PEOPLE)
    assert publication["version"] == 1 and publication["new_version"]

    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(f"SELECT citizen_id, phone, email, full_name, district FROM curated.{synthetic.PEOPLE}").fetchall()
    expected = {
        tuple(hashlib.sha256((SALT + v).encode()).hexdigest() for v in (r[0], r[2], r[3], r[1])) + (r[5],)
        for r in synthetic.PEOPLE_ROWS
    }
    assert set(rows) == expected

    current = home / "exports" / synthetic.SECTOR / synthetic.PEOPLE / "current"
    exported = (current / f"{synthetic.PEOPLE}.csv").read_bytes() + (current / f"{synthetic.PEOPLE}.parquet").read_bytes()
    metadata = json.loads((current / "metadata.json").read_text())
    for cid, name, phone, email, *_ in synthetic.PEOPLE_ROWS:
        for raw in (cid, name, phone, email):
            assert raw.encode() not in exported
    assert metadata["personal_data"]["hashed_columns"] == synthetic.PII
    assert metadata["personal_data"]["legal_basis"].startswith("Decree 13/2023")
    hashed = {c["name"]: c for c in metadata["columns"] if c.get("personal_data") == "pii_hashed"}
    assert set(hashed) == set(synthetic.PII) and "salted SHA-256" in hashed["phone"]["description"]

    # The salt is nowhere: not in exports, metadata, run log, gate results, warehouse, logs.
    secret = SALT.encode()
    assert secret not in all_bytes(home)
    assert SALT not in caplog.text


def test_hashing_without_a_salt_publishes_nothing_and_says_why(home):
    with synthetic.environment(SECTOR_DATASETS_PII_SALT=None):
        verdict = stages.gate(synthetic.SECTOR, synthetic.PEOPLE, RUN, synthetic.build_record(RUN))
        with pytest.raises(privacy.PrivacyError, match="SECTOR_DATASETS_PII_SALT"):
            stages.publish(synthetic.SECTOR, synthetic.PEOPLE, RUN, verdict)
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        assert not con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'curated'"
        ).fetchone()[0]
        state = con.execute("SELECT status FROM meta.dataset_state WHERE dataset_id = ?", [synthetic.PEOPLE]).fetchone()
    assert state == ("publish_failed",)
    assert not (home / "exports" / synthetic.SECTOR / synthetic.PEOPLE / "current").exists()
    failed = [e for e in runlog.read_events(home, synthetic.SECTOR, RUN) if e["status"] == "failed"]
    assert failed and "no salt is configured" in failed[-1]["message"]


def test_person_counts_below_k_are_withheld_and_the_metadata_says_how_many(home):
    gate_and_publish(synthetic.COUNTS)
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        published = dict(con.execute(f"SELECT district, visits FROM curated.{synthetic.COUNTS}").fetchall())
    assert published == {"Ba Đình": 120, "Hoàn Kiếm": None, "Tây Hồ": None, "Cầu Giấy": None, "Đống Đa": 10}
    metadata = json.loads((home / "exports" / synthetic.SECTOR / synthetic.COUNTS / "current" / "metadata.json").read_text())
    k = metadata["personal_data"]["k_anonymity"]
    assert k["k"] == 10 and k["suppressed_cells"] == {"visits": 3} and k["suppressed_total"] == 3


def test_undeclared_personal_data_in_text_fails_the_gate_naming_dataset_column_and_a_masked_example(home):
    with pytest.raises(stages.GateFailed) as err:
        stages.gate(synthetic.SECTOR, synthetic.LEAKY, RUN, synthetic.build_record(RUN))
    message = str(err.value)
    assert "'synthetic_leaky_notes'" in message
    assert "expect_column_values_to_not_contain_personal_data(note)" in message
    assert "091*****11" in message and "001*******09" in message and "s***@***.com" in message
    stored = (home / "quality" / synthetic.SECTOR / synthetic.LEAKY / f"{RUN}.json").read_text()
    for raw in ("0912 000 111", "001099000009", "synthetic.five@example.com"):
        assert raw not in message and raw not in stored
    # Nothing published, and the next run of this sector must run fully.
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        state = con.execute("SELECT status FROM meta.dataset_state WHERE dataset_id = ?", [synthetic.LEAKY]).fetchone()
    assert state == ("gate_failed",)
    assert not (home / "exports" / synthetic.SECTOR / synthetic.LEAKY).exists()


def test_a_clean_dataset_records_the_scan_as_a_passing_expectation(home):
    verdict = stages.gate(synthetic.SECTOR, synthetic.COUNTS, RUN, synthetic.build_record(RUN))
    scan = [r for r in verdict["results"] if r["type"] == privacy.SCAN_EXPECTATION]
    assert len(scan) == 1 and scan[0]["success"] and scan[0]["observed_value"] == {"text_columns_scanned": 1}
