"""review.diff on real published data: the health sector is built once through the real stages
(real World Bank payloads → load → dbt → gate → publish), then candidates are made from its
published version by SQL edits — a new year, a vanished series, revised values, a new column —
and the diff must count exactly what each edit did, on DuckDB and on PostgreSQL.
"""

from __future__ import annotations

import io
import os
import shutil

import duckdb
import pytest

from sector_datasets.registry import PublishPolicy, load_registry
from sector_datasets.review.cli_diff import DiffChoiceError, choose_versions, show_diff
from sector_datasets.review.diff import compute_diff, release_note
from sector_datasets.review.policy import decide
from sector_datasets.review.records import APPROVE, BLOCK, PUBLISH, DiffSummary
from sector_datasets.settings import get_settings
from sector_datasets.state.diffs import diff_of_version, diffs_of, record_diff
from sector_datasets.state.tables import create_platform_tables
from tests.helpers import private_pg_database

DATASET = "health_mortality_indicators"
SERVED = f"curated.{DATASET}__v0001"
CAND = "curated.cand"
SECTOR, DS = load_registry(get_settings().registry_dir).dataset(DATASET)


@pytest.fixture(scope="module")
def health_home(tmp_path_factory):
    """The health sector built once by the real stages in a private home (≈20 s)."""
    from sector_datasets.orchestration import inline

    home = tmp_path_factory.mktemp("health_home")
    previous = os.environ.get("SECTOR_DATASETS_HOME")
    os.environ["SECTOR_DATASETS_HOME"] = str(home)
    try:
        outcome = inline.run_all("diff_tests", ["health"])
    finally:
        if previous is None:
            os.environ.pop("SECTOR_DATASETS_HOME", None)
        else:
            os.environ["SECTOR_DATASETS_HOME"] = previous
    assert not isinstance(outcome["health"][DATASET], Exception), outcome["health"][DATASET]
    return home


@pytest.fixture(scope="module")
def pg_dsn():
    yield from private_pg_database("sd_diff")


_PG_TYPES = {"VARCHAR": "VARCHAR", "INTEGER": "INTEGER", "BIGINT": "BIGINT", "DOUBLE": "DOUBLE PRECISION"}


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def con(request, health_home, tmp_path):
    """A warehouse holding the real published v1 of the dataset and a candidate copy of it."""
    wh = tmp_path / "warehouse.duckdb"
    shutil.copyfile(health_home / "warehouse.duckdb", wh)
    src = duckdb.connect(str(wh))
    if request.param == "duckdb":
        src.execute(f"CREATE TABLE {CAND} AS SELECT * FROM {SERVED}")
        yield src
        src.close()
        return
    from psycopg2.extras import execute_values

    from sector_datasets.warehouse.pg_connection import PgConnection
    from sector_datasets.warehouse.postgres import _bootstrap, ensure_database

    # The real published rows, copied into PostgreSQL with their types.
    cols = src.execute(f"DESCRIBE {SERVED}").fetchall()
    rows = src.execute(f"SELECT * FROM {SERVED}").fetchall()
    src.close()
    dsn = request.getfixturevalue("pg_dsn")
    ensure_database(dsn)
    pg = PgConnection(dsn, application_name="test_diff")
    _bootstrap(pg)
    for table in (SERVED, CAND):
        pg.execute(f"DROP TABLE IF EXISTS {table}")
        pg.execute(f"CREATE TABLE {table} ({', '.join(f'{c[0]} {_PG_TYPES[c[1]]}' for c in cols)})")
        with pg.raw.cursor() as cur:
            execute_values(cur, f"INSERT INTO {table} VALUES %s", rows)
    pg.execute("DELETE FROM quality.diffs")
    yield pg
    pg.close()


def diff(con, **kw) -> DiffSummary:
    return compute_diff(con, DS, CAND, SERVED, "test_run", **kw)


def with_tolerance(tolerance: float):
    return DS.model_copy(update={"publish_policy": PublishPolicy(revision_tolerance=tolerance)})


def test_an_identical_candidate_is_unchanged(con):
    d = diff(con)
    assert d.unchanged and (d.rows_before, d.rows_after, d.from_version) == (184, 184, 1)
    assert release_note(d, version=2).en == "v2: no change against v1."


def test_a_new_year_is_three_added_rows_and_publishes(con):
    con.execute(f"INSERT INTO {CAND} SELECT indicator_code, indicator_name_en, indicator_name_vi, unit, 2024, value "
                f"FROM {SERVED} WHERE year = 2023")
    d = diff(con)
    assert (d.added, d.removed, d.changed, d.rows_after) == (3, 0, 0, 187)
    assert d.periods_added == ["2024"] and d.periods_removed == [] and d.series_added == d.series_removed == []
    assert {s: (c.added, c.removed, c.changed) for s, c in d.by_series.items()} == {
        "SH.DYN.MORT": (1, 0, 0), "SP.DYN.IMRT.IN": (1, 0, 0), "SP.DYN.LE00.IN": (1, 0, 0)}
    outcome = decide(d, DS)
    assert outcome.action == PUBLISH
    note = release_note(d, outcome, version=2, period="year")
    assert note.en == "v2: 3 new rows (year 2024). Published without review."
    assert note.vi == "v2: 3 dòng mới (năm 2024). Được công bố tự động."


def test_a_vanished_promised_series_is_counted_and_blocks(con):
    con.execute(f"DELETE FROM {CAND} WHERE indicator_code = 'SP.DYN.LE00.IN'")
    d = diff(con)
    assert (d.added, d.removed, d.changed) == (0, 64, 0)
    assert d.series_removed == ["SP.DYN.LE00.IN"] and d.series_added == []
    assert d.periods_removed == ["1960", "1961", "1962", "1963"]  # only life expectancy starts in 1960
    assert d.by_series == {"SP.DYN.LE00.IN": d.by_series["SP.DYN.LE00.IN"]} and d.by_series["SP.DYN.LE00.IN"].removed == 64
    assert decide(d, DS).action == BLOCK


def test_a_repeated_key_is_counted_and_blocks(con):
    """A row sent twice (same key, same values) is no row change; the counts still show it."""
    con.execute(f"INSERT INTO {CAND} SELECT * FROM {SERVED} WHERE year = 2000 AND indicator_code = 'SH.DYN.MORT'")
    d = diff(con)
    assert (d.added, d.removed, d.changed, d.rows_after, d.repeated_keys) == (0, 0, 0, 185, 1) and not d.unchanged
    outcome = decide(d, DS)
    assert outcome.action == BLOCK and "1 row(s) repeat a key (indicator_code, year)" in outcome.reasons[0].en
    assert release_note(d, outcome, version=2).en == "v2: 1 row repeating a key. Blocked: not published."


def test_revisions_by_one_and_twenty_percent(con):
    con.execute(f"UPDATE {CAND} SET value = value * 1.01 WHERE indicator_code = 'SP.DYN.IMRT.IN' AND year = 2019")
    con.execute(f"UPDATE {CAND} SET value = value * 1.2 WHERE indicator_code = 'SH.DYN.MORT' AND year = 2000")
    d = diff(con)
    assert (d.added, d.removed, d.changed, d.changed_within_tolerance) == (0, 0, 2, 0)  # strict default: 0 %
    assert d.max_relative_revision == pytest.approx(0.2)
    top, second = d.revisions
    assert (top.key, top.column, top.relative) == ({"indicator_code": "SH.DYN.MORT", "year": "2000"}, "value", pytest.approx(0.2))
    assert float(top.old) == 29.8 and float(top.new) == pytest.approx(35.76)
    assert second.key == {"indicator_code": "SP.DYN.IMRT.IN", "year": "2019"} and second.relative == pytest.approx(0.01)
    assert diff(con, tolerance=0.01).changed_within_tolerance == 1  # exactly 1 % is within 1 %
    assert diff(con, tolerance=0.25).changed_within_tolerance == 2
    assert decide(d, DS).action == APPROVE
    assert decide(diff(con, tolerance=0.25), with_tolerance(0.25)).action == PUBLISH
    note = release_note(d, decide(d, DS), version=2, period="year")
    assert note.en == "v2: 2 past values revised, largest +20 % (value of indicator_code SH.DYN.MORT, year 2000: 29.8 → 35.76). Waiting for the owner's approval."
    assert note.vi.startswith("v2: 2 giá trị cũ được sửa, lớn nhất +20 % (value của indicator_code SH.DYN.MORT, year 2000: 29.8 → 35.76).")


def test_a_one_percent_revision_publishes_under_a_one_percent_policy(con):
    con.execute(f"UPDATE {CAND} SET value = value * 1.01 WHERE indicator_code = 'SP.DYN.IMRT.IN' AND year = 2019")
    d = diff(con, tolerance=0.01)
    assert (d.changed, d.changed_within_tolerance) == (1, 1)
    assert decide(d, with_tolerance(0.01)).action == PUBLISH
    assert release_note(d, version=3).vi == "v3: 1 giá trị cũ được sửa, lớn nhất +1 % (value của indicator_code SP.DYN.IMRT.IN, year 2019: 14.9 → 15.049)."


def test_a_text_change_or_a_value_from_zero_is_never_within_tolerance(con):
    con.execute(f"UPDATE {CAND} SET indicator_name_en = 'renamed' WHERE indicator_code = 'SH.DYN.MORT' AND year = 1990")
    con.execute(f"UPDATE {SERVED} SET value = 0 WHERE indicator_code = 'SP.DYN.IMRT.IN' AND year = 1990")
    con.execute(f"UPDATE {SERVED} SET value = NULL WHERE indicator_code = 'SP.DYN.IMRT.IN' AND year = 1991")
    d = diff(con, tolerance=100.0)
    assert (d.changed, d.changed_within_tolerance, d.max_relative_revision) == (3, 0, None)
    assert {(r.column, r.relative) for r in d.revisions} == {("indicator_name_en", None), ("value", None)}


def test_an_added_column_is_a_column_change_not_a_row_change(con):
    con.execute(f"ALTER TABLE {CAND} ADD COLUMN note VARCHAR")
    con.execute(f"UPDATE {CAND} SET note = 'x'")
    d = diff(con)
    assert d.columns_added == ["note"] and d.columns_removed == [] and (d.added, d.removed, d.changed) == (0, 0, 0)
    assert not d.unchanged and decide(d, DS).action == APPROVE


def test_first_version_counts_everything_as_added(con):
    d = compute_diff(con, DS, SERVED, None, "first")
    assert d.first_version and (d.rows_before, d.rows_after, d.added) == (0, 184, 184)
    assert d.periods_added[0] == "1960" and d.periods_added[-1] == "2023" and len(d.periods_added) == 64
    assert d.series_added == ["SH.DYN.MORT", "SP.DYN.IMRT.IN", "SP.DYN.LE00.IN"] and d.by_series["SP.DYN.LE00.IN"].added == 64
    assert decide(d, DS).action == PUBLISH
    assert release_note(d, version=1, period="year").en == "v1: first version, 184 rows (year 1960–2023)."


def test_recorded_diffs_round_trip(con):
    con.execute(f"INSERT INTO {CAND} SELECT indicator_code, indicator_name_en, indicator_name_vi, unit, 2024, value "
                f"FROM {SERVED} WHERE year = 2023")
    d = diff(con)
    outcome = decide(d, DS)
    record_diff(con, SECTOR.id, d, outcome, 2)
    record_diff(con, SECTOR.id, d, outcome, 2)  # a retried task replaces its row
    stored = diff_of_version(con, DATASET, 2)
    assert stored["action"] == PUBLISH and stored["from_version"] == 1 and stored["to_version"] == 2
    assert DiffSummary.from_dict(stored["summary"]) == d
    assert stored["policy"] == outcome.to_dict()
    assert diff_of_version(con, DATASET, 3) is None
    # (the DuckDB fixture's own first publish also recorded v1's row: publish reviews every version)
    assert [r["run_id"] for r in diffs_of(con, DATASET) if r["to_version"] == 2] == [d.run_id]


def test_choose_versions():
    assert choose_versions([1, 2, 3], 2, None) == (2, 3)  # a held newer version against the served one
    assert choose_versions([1, 2, 3], 3, None) == (2, 3)  # the served newest against the one before
    assert choose_versions([3], 3, None) == (None, 3)
    assert choose_versions([1, 2, 3], 3, (1, 3)) == (1, 3)
    with pytest.raises(DiffChoiceError, match="v4 not kept"):
        choose_versions([1, 2, 3], 3, (1, 4))
    with pytest.raises(DiffChoiceError, match="nothing published"):
        choose_versions([], None, None)


def test_cli_diff_on_a_built_home(health_home, tmp_path, monkeypatch):
    home = tmp_path / "home"
    shutil.copytree(health_home, home, symlinks=True)
    wh = duckdb.connect(str(home / "warehouse.duckdb"))
    create_platform_tables(wh)
    # A held v2 (written, not served): the served v1 plus a new year and one revised value.
    wh.execute(f"CREATE TABLE curated.{DATASET}__v0002 AS SELECT * FROM {SERVED}")
    wh.execute(f"INSERT INTO curated.{DATASET}__v0002 SELECT indicator_code, indicator_name_en, indicator_name_vi, unit, "
               f"2024, value FROM {SERVED} WHERE year = 2023")
    wh.execute(f"UPDATE curated.{DATASET}__v0002 SET value = value * 1.2 WHERE indicator_code = 'SH.DYN.MORT' AND year = 2000")
    wh.close()
    monkeypatch.setenv("SECTOR_DATASETS_HOME", str(home))
    out = io.StringIO()
    assert show_diff(get_settings(), DATASET, out=out) == 0
    text = out.getvalue()
    assert text.startswith("v2: 3 new rows (year 2024); 1 past value revised, largest +20 % (value of indicator_code SH.DYN.MORT, year 2000: 29.8 → 35.76).\n"
                           "v2: 3 dòng mới (năm 2024); 1 giá trị cũ được sửa, lớn nhất +20 % (value của indicator_code SH.DYN.MORT, year 2000: 29.8 → 35.76).\n"), text
    assert "v1 → v2" in text and "periods added / kỳ mới" in text and "SH.DYN.MORT 2000" in text
    out = io.StringIO()
    assert show_diff(get_settings(), DATASET, [2, 1], out=out) == 0  # v1 against v2: the reverse
    assert "3 rows removed (year 2024 gone)" in out.getvalue()
    assert show_diff(get_settings(), DATASET, [1, 9], out=io.StringIO()) == 1
