"""The CLI answers a user's mistake with one line saying what to do, not a traceback (issue 16)."""

from __future__ import annotations

import time

from sector_datasets import cli


def test_an_unknown_dataset_is_named_with_the_closest_ones(capsys):
    assert cli.main(["versions", "transport_airport"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown dataset 'transport_airport'; did you mean transport_airports")
    assert "Traceback" not in err and "cli summary" in err


def test_a_missing_snapshot_directory_fails_at_once_saying_how_to_fix_it(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SECTOR_DATASETS_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("SECTOR_DATASETS_SNAPSHOT_DIR", str(tmp_path / "no-such-snapshot"))
    monkeypatch.delenv("SECTOR_DATASETS_SOURCE_MODE", raising=False)
    started = time.monotonic()
    assert cli.main(["run", "--sector", "transport"]) == 2
    assert time.monotonic() - started < 30, "no extract retries before the error"
    err = capsys.readouterr().err
    assert f"the snapshot directory {tmp_path / 'no-such-snapshot'} does not exist" in err
    assert "SECTOR_DATASETS_SNAPSHOT_DIR" in err and "SECTOR_DATASETS_SOURCE_MODE=live" in err
    assert not (tmp_path / "home" / "logs").exists(), "nothing ran"


def test_scenarios_of_an_unknown_sector_is_one_line_naming_the_registered_ones(capsys):
    assert cli.main(["scenarios", "--sector", "healthh", "--show"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: unknown sector 'healthh'; registered: agriculture, ")
    assert err.count("\n") == 1 and "Traceback" not in err


def test_scenarios_on_a_catalog_that_is_not_there_is_one_line(capsys, tmp_path):
    assert cli.main(["scenarios", "--catalog", str(tmp_path / "catalog.duckdb")]) == 2
    err = capsys.readouterr().err
    assert err == f"error: no catalog at {tmp_path / 'catalog.duckdb'}: give the catalog.duckdb of an exports folder\n"
