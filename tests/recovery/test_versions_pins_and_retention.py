"""Rollback/forward, pins and retention on the real publish code (a SYNTHETIC dataset, no dbt).

Semantics under test:
* ``rollback`` serves any kept version and pins it; a later publish keeps its new version but
  does not serve it, and an unchanged publish never moves ``current`` back; ``unpin`` serves the
  newest kept version again.
* after each new version, versions beyond the newest ``keep`` are pruned (table and export
  folder), never the served or pinned one; ``meta.publications`` keeps the whole history.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import duckdb
import pytest

from sector_datasets import cli
from sector_datasets.publish import PublishError
from sector_datasets.publish.serving import prune_versions, rollback, unpin
from sector_datasets.publish.wap import publish_dataset
from sector_datasets.state.tables import create_platform_tables
from sector_datasets.state.versions import kept_versions, served_version
from sector_datasets.registry import load_registry
from tests.privacy import synthetic

DS = synthetic.COUNTS


@pytest.fixture
def world(tmp_path):
    env = synthetic.platform(tmp_path)
    registry = load_registry(Path(env["SECTOR_DATASETS_REGISTRY"]))
    home = Path(env["SECTOR_DATASETS_HOME"])
    con = duckdb.connect(str(home / "warehouse.duckdb"))
    create_platform_tables(con)  # what the warehouse backends do on each writer open
    yield registry, home, con, env
    con.close()


def publish(world, rows: int, run: str, keep: int | None = 5):
    """Make the audit table hold ``rows`` rows (distinct content per count) and publish it."""
    registry, home, con, _ = world
    con.execute(f"CREATE OR REPLACE TABLE audit.{DS} AS SELECT 'd' || i AS district, 2024 AS year, 100 + i AS visits FROM range({rows}) t(i)")
    sector, dataset = registry.dataset(DS)
    return publish_dataset(
        con, registry=registry, sector=sector, dataset=dataset, run_id=run, exports_dir=home / "exports",
        validation={"suite": DS, "success": True}, keep_versions=keep,
    )


def served(world) -> tuple[int, int, str]:
    """(view rows, exports current version, catalog rows) — what readers see."""
    _, home, con, _ = world
    view_rows = con.execute(f"SELECT count(*) FROM curated.{DS}").fetchone()[0]
    current = home / "exports" / synthetic.SECTOR / DS / "current"
    meta = json.loads((current / "metadata.json").read_text())
    return view_rows, meta["version"], os.readlink(current)


def test_rollback_pins_and_an_unchanged_or_new_publish_never_moves_current_back(world):
    _, home, con, _ = world
    for n in (1, 2, 3):
        publish(world, n, f"run_{n}")
    assert served(world) == (3, 3, "v0003")

    rollback(con, home / "exports", synthetic.SECTOR, DS, 1, reason="v3 has a bad join")
    assert served(world) == (1, 1, "v0001")
    assert served_version(con, home / "exports", synthetic.SECTOR, DS) == (1, True)

    # The unchanged rerun (same content as v3) used to swap current back to v3: not any more.
    again = publish(world, 3, "run_4")
    assert not again.new_version and again.pinned and again.served_version == 1
    assert served(world) == (1, 1, "v0001")

    # New content while pinned: kept as v4, not served.
    newer = publish(world, 4, "run_5")
    assert newer.new_version and newer.version == 4 and newer.served_version == 1
    assert served(world) == (1, 1, "v0001")
    assert (home / "exports" / synthetic.SECTOR / DS / "v0004" / "metadata.json").exists()

    # Roll forward to any kept version, then release the pin: the newest is served again.
    rollback(con, home / "exports", synthetic.SECTOR, DS, 2)
    assert served(world) == (2, 2, "v0002")
    assert unpin(con, home / "exports", synthetic.SECTOR, DS) == 4
    assert served(world) == (4, 4, "v0004")
    assert served_version(con, home / "exports", synthetic.SECTOR, DS) == (4, False)
    catalog = duckdb.connect(str(home / "exports" / "catalog.duckdb"), read_only=True)
    assert catalog.execute(f"SELECT count(*) FROM curated.{DS}").fetchone()[0] == 4
    catalog.close()


def test_retention_keeps_the_newest_n_plus_the_served_one_and_never_a_pinned_one(world):
    _, home, con, _ = world
    exports = home / "exports" / synthetic.SECTOR / DS
    publish(world, 1, "run_1", keep=3)
    publish(world, 2, "run_2", keep=3)
    rollback(con, home / "exports", synthetic.SECTOR, DS, 1)  # pin the oldest
    for n in (3, 4, 5, 6):
        publication = publish(world, n, f"run_{n}", keep=3)
    assert publication.pruned_versions == [3]
    assert kept_versions(con, DS) == [1, 4, 5, 6], "newest 3 and the pinned v1"
    assert sorted(p.name for p in exports.glob("v*")) == ["v0001", "v0004", "v0005", "v0006"]
    assert served(world) == (1, 1, "v0001")
    # The history survives pruning, in the warehouse and next to the exports.
    history = json.loads((exports / "history.json").read_text())
    assert [(h["version"], h["kept"], h["served"], h["pinned"]) for h in history] == [
        (1, True, True, True), (2, False, False, False), (3, False, False, False),
        (4, True, False, False), (5, True, False, False), (6, True, False, False),
    ]
    assert con.execute("SELECT count(*) FROM meta.publications WHERE dataset_id = ?", [DS]).fetchone()[0] == 6

    unpin(con, home / "exports", synthetic.SECTOR, DS)
    assert prune_versions(con, home / "exports", synthetic.SECTOR, DS, keep=1) == [1, 4, 5]
    assert kept_versions(con, DS) == [6] and served(world) == (6, 6, "v0006")
    with pytest.raises(PublishError, match=r"version 2 is not kept .*kept: v6"):
        rollback(con, home / "exports", synthetic.SECTOR, DS, 2)


def test_the_cli_rolls_back_lists_unpins_and_prunes(world, capsys):
    _, home, con, env = world
    for n in (1, 2, 3):
        publish(world, n, f"run_{n}")
    con.close()  # the CLI opens the warehouse itself
    with synthetic.environment(**env, SECTOR_DATASETS_KEEP_VERSIONS="1"):
        assert cli.main(["rollback", DS, "1", "--reason", "synthetic test"]) == 0
        assert "now serves v1 (pinned" in capsys.readouterr().out
        assert cli.main(["versions", DS]) == 0
        listing = capsys.readouterr().out
        assert "served, pinned" in listing and "v3" in listing
        assert cli.main(["prune", "--dataset", DS]) == 0
        assert f"{DS}: pruned v2" in capsys.readouterr().out
        assert cli.main(["rollback", DS, "2"]) == 1
        assert "version 2 is not kept" in capsys.readouterr().err
        assert cli.main(["unpin", DS]) == 0
        assert "serves the newest kept version, v3" in capsys.readouterr().out
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as ro:
        assert ro.execute("SELECT version, pinned FROM meta.current WHERE dataset_id = ?", [DS]).fetchone() == (3, False)


def test_keep_versions_setting_is_validated():
    from sector_datasets.settings import get_settings

    with synthetic.environment(SECTOR_DATASETS_KEEP_VERSIONS="0"), pytest.raises(ValueError, match="KEEP_VERSIONS"):
        get_settings()
    with synthetic.environment(SECTOR_DATASETS_KEEP_VERSIONS=None):
        assert get_settings().keep_versions == 5
