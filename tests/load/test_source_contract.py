"""Source contracts checked at load (issue 14): a payload that does not deliver what its source
declares is rolled back with a bilingual message naming sector, source and field.

On copies of real World Bank payloads from the snapshot directory, mutated the way real APIs
break (a renamed field, another indicator's payload, a retyped value, an empty page), loaded by
the real loader into a real DuckDB and a real PostgreSQL warehouse.
"""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest

from sector_datasets.load.raw import LoadError, load_source
from sector_datasets.load.source_contract import SourceContractError, check_source, requested_worldbank
from sector_datasets.registry import load_registry
from sector_datasets.settings import get_settings
from sector_datasets.state.tables import create_platform_tables
from tests.helpers import SNAPSHOT_DIR, private_pg_database

REGISTRY = load_registry(get_settings().registry_dir)
SOURCE = REGISTRY.sources["wb_infant_mortality_vnm"]
OTHER_INDICATOR = "health/worldbank_api_v2/wb_who_life_expectancy.json"  # SP.DYN.LE00.IN, also VNM


@pytest.fixture(scope="module")
def pg_dsn():
    yield from private_pg_database("sd_srccontract")


@pytest.fixture(params=["duckdb", pytest.param("postgres", marks=pytest.mark.postgres)])
def con(request):
    if request.param == "duckdb":
        c = duckdb.connect()
        create_platform_tables(c)
        yield c
        c.close()
        return
    from sector_datasets.warehouse.pg_connection import PgConnection
    from sector_datasets.warehouse.postgres import _bootstrap, ensure_database

    dsn = request.getfixturevalue("pg_dsn")
    ensure_database(dsn)
    c = PgConnection(dsn, application_name="test_source_contract")
    _bootstrap(c)
    c.execute(f"DROP TABLE IF EXISTS raw.{SOURCE.id} CASCADE")
    yield c
    c.close()


def landing(tmp_path, name: str, mutate=None, snapshot: str = SOURCE.snapshot):
    """A landing folder holding a copy of a real payload, optionally mutated (records are payload[1])."""
    folder = tmp_path / name
    folder.mkdir()
    target = folder / "page-0001.json"
    shutil.copyfile(SNAPSHOT_DIR / snapshot, target)
    if mutate is not None:
        payload = json.loads(target.read_bytes().decode("utf-8-sig"))
        mutate(payload[1])
        target.write_text(json.dumps(payload), encoding="utf-8")
    return folder


def load(con, folder, run_id: str):
    return load_source(con, SOURCE, folder, ["page-0001.json"], run_id, run_id, sector_id="health")


def raw_state(con) -> tuple[int, set[str]]:
    rows, runs = con.execute(f"SELECT count(*), min(_landing_run) FROM raw.{SOURCE.id}").fetchone()
    return rows, {runs}


def test_the_real_payload_keeps_its_contract(tmp_path, con):
    result = load(con, landing(tmp_path, "good"), "good")
    assert result.rows == 65 and check_source(con, SOURCE, "health") == []


def _rename_value(records):
    for r in records:
        r["obs_value"] = r.pop("value")


def _retype(records):
    records[0]["value"] = "n/a"
    records[1]["value"] = "22,1"  # a decimal comma is not a number either
    records[2]["date"] = "22.1"  # TRY_CAST('22.1' AS BIGINT) is 22: the check must not use it


def _other_country(records):
    records[3]["countryiso3code"] = "THA"
    records[3]["country"] = {"id": "TH", "value": "Thailand"}


@pytest.mark.parametrize(
    ("case", "mutate", "snapshot", "expected"),
    [
        ("renamed", _rename_value, SOURCE.snapshot, [
            "Nguồn wb_infant_mortality_vnm (ngành health): trường 'value' không có trong dữ liệu (có: indicator_id, ",
            "/ Source wb_infant_mortality_vnm (sector health): field 'value' missing (got: indicator_id, ",
        ]),
        ("other indicator", None, OTHER_INDICATOR, [
            "đã yêu cầu chỉ tiêu SP.DYN.IMRT.IN (URL) nhưng 65 bản ghi có 'indicator_id' khác (ví dụ: 'SP.DYN.LE00.IN')",
            "asked for indicator SP.DYN.IMRT.IN (URL) but 65 record(s) have another 'indicator_id' (e.g. 'SP.DYN.LE00.IN')",
        ]),
        ("retyped", _retype, SOURCE.snapshot, [
            "field 'value' expected a number, got 2 value(s) that are not (e.g. 'n/a', '22,1')",
            "field 'date' expected an integer, got 1 value(s) that are not (e.g. '22.1')",
            "trường 'date' phải là số nguyên, nhưng 1 giá trị không phải (ví dụ: '22.1')",
        ]),
        ("other country", _other_country, SOURCE.snapshot, [
            "asked for country VNM (URL) but 1 record(s) have another 'countryiso3code' (e.g. 'THA')",
        ]),
        ("empty", lambda records: records.clear(), SOURCE.snapshot, [
            "Nguồn wb_infant_mortality_vnm (ngành health): dữ liệu rỗng: 0 bản ghi",
            "Source wb_infant_mortality_vnm (sector health): empty payload: 0 records (a source promises data)",
        ]),
    ],
)
def test_a_broken_payload_is_rolled_back_with_a_bilingual_message(tmp_path, con, case, mutate, snapshot, expected):
    load(con, landing(tmp_path, "good"), "good")
    before = raw_state(con)
    loads_before = con.execute("SELECT count(*) FROM meta.loads").fetchone()[0]
    with pytest.raises(SourceContractError) as caught:
        load(con, landing(tmp_path, "bad", mutate, snapshot), "bad")
    err = caught.value
    assert isinstance(err, LoadError)
    assert (err.sector_id, err.source_id) == ("health", "wb_infant_mortality_vnm")
    for text in expected:
        assert text in str(err), f"{case}: {text!r} not in {err}"
    assert all(p in str(err) for p in err.problems) and err.problems
    # Rolled back: raw keeps the last good payload, and no load of the bad one is recorded.
    assert raw_state(con) == before == (65, {"good"})
    assert con.execute("SELECT count(*) FROM meta.loads").fetchone()[0] == loads_before


def test_blank_null_and_declared_missing_values_are_not_type_errors(tmp_path, con):
    source = SOURCE.model_copy(update={"delivers": SOURCE.delivers.model_copy(update={"missing_values": [".."]})})

    def holes(records):
        records[0]["value"] = None
        records[1]["value"] = "  "
        records[2]["value"] = ".."
        records[3]["value"] = " -1.5e3 "

    folder = landing(tmp_path, "holes", holes)
    load_source(con, source, folder, ["page-0001.json"], "holes", "holes", sector_id="health")
    assert check_source(con, source, "health") == []
    with pytest.raises(SourceContractError, match=r"got 1 value\(s\) that are not \(e\.g\. '\.\.'\)"):
        load(con, folder, "holes-undeclared")  # the real contract does not declare ".." missing


def test_the_requested_indicator_and_country_come_from_the_url_path():
    assert requested_worldbank("https://api.worldbank.org/v2/country/VNM/indicator/SP.DYN.IMRT.IN") == (
        "VNM", "SP.DYN.IMRT.IN"
    )
    assert requested_worldbank("https://api.worldbank.org/v2/country/all/indicator/NY.GDP.MKTP.CD") == (
        None, "NY.GDP.MKTP.CD"
    )
    assert requested_worldbank("https://api.worldbank.org/v2/country/VNM;THA/indicator/X.Y") == (None, "X.Y")
    assert requested_worldbank("https://api.worldbank.org/v2/sources") == (None, None)


def test_every_real_source_keeps_its_declared_contract(tmp_path):
    """All registry sources, on their real snapshot payloads (one page each, as replayed)."""
    con = duckdb.connect()
    create_platform_tables(con)
    owner = {src.id: sec.id for sec in REGISTRY.sectors.values() for src in sec.sources}
    broken = {}
    for source_id, source in REGISTRY.sources.items():
        try:  # every release of a source published as several files; page 1 of a paged API
            load_source(con, source, SNAPSHOT_DIR, source.snapshots, "real", "real", sector_id=owner[source_id])
        except LoadError as exc:
            broken[source_id] = str(exc)
    assert len(REGISTRY.sources) >= 59 and broken == {}
