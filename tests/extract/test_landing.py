"""land_pages / read_manifest / record_sources: immutable landing and snapshot recording."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import stat
from pathlib import Path

import pytest

from sector_datasets.extract import (
    ExtractError,
    HttpClient,
    LandingManifest,
    Page,
    ReplayServer,
    fetch_source,
    land_pages,
    read_manifest,
    record_sources,
)
from sector_datasets.state.layout import run_folder_name
from sector_datasets.registry import Source
from sector_datasets.settings import Settings

DATA = Path("/work/shared/data")
AGRI_SNAPSHOT = "agriculture/worldbank_api_v2/wb_agri_land.json"
RUN_ID = "scheduled__2025-01-06T00:00:00+00:00"


def make_settings(tmp_path: Path) -> Settings:
    return Settings(
        repo_root=tmp_path,
        registry_dir=tmp_path / "registry",
        snapshot_dir=DATA,
        home=tmp_path / "home",
        source_mode="replay",
        replay_url=None,
        http_timeout_s=2.0,
        http_max_attempts=2,
        http_backoff_s=0.01,
    )


def agri_source(**over) -> Source:
    values = dict(
        id="wb_agri_land",
        title="Agricultural land (% of land area)",
        publisher="World Bank",
        format="worldbank_json",
        url="https://api.worldbank.org/v2/country/VNM/indicator/AG.LND.AGRI.ZS",
        params={"format": "json", "per_page": "1000"},
        paging="worldbank",
        snapshot=AGRI_SNAPSHOT,
        licence="CC BY 4.0",
        provenance="World Bank WDI via Luna777247/dragon-fly-data",
    )
    values.update(over)
    return Source(**values)


def csv_page(body: bytes, number: int = 1) -> Page:
    return Page(
        number=number,
        url=f"http://example.invalid/data.csv?page={number}",
        params={"page": str(number)},
        status=200,
        headers={"content-type": "text/csv"},
        body=body,
        fetched_at="2025-01-06T00:00:00+00:00",
    )


CSV_SOURCE = agri_source(id="owid_fertilizer", format="csv", paging="none", params={}, snapshot="a/b.csv")


@pytest.fixture(scope="module")
def real_pages(tmp_path_factory) -> list[Page]:
    """The real wb_agri_land.json fetched through the replay server, with a secret in the params."""
    tmp = tmp_path_factory.mktemp("fetch")
    source = agri_source(params={"format": "json", "per_page": "1000", "api_key": "SUPERSECRET123"})
    with ReplayServer(DATA) as base_url, HttpClient(make_settings(tmp)) as client:
        return fetch_source(client, source, "agriculture", base_url)


def test_land_real_pages_layout_hashes_and_readonly(tmp_path, real_pages):
    landing = tmp_path / "landing"
    manifest = land_pages(landing, "agriculture", RUN_ID, agri_source(), real_pages)

    folder = landing / "agriculture" / "scheduled__2025-01-06T00_00_00_00_00" / "wb_agri_land"
    assert Path(manifest.path) == folder
    assert sorted(p.name for p in folder.iterdir()) == ["manifest.json", "page-0001.json"]
    real = (DATA / AGRI_SNAPSHOT).read_bytes()
    assert (folder / "page-0001.json").read_bytes() == real
    digest = hashlib.sha256(real).hexdigest()
    (entry,) = manifest.files
    assert entry["sha256"] == digest and entry["size"] == len(real)
    assert entry["status"] == 200 and entry["content_type"] == "application/json"
    assert manifest.sha256 == hashlib.sha256(digest.encode()).hexdigest()
    for name in ("page-0001.json", "manifest.json"):
        assert stat.S_IMODE(os.stat(folder / name).st_mode) == 0o444
    # Nothing left over from the temp-dir-and-rename dance.
    assert [p.name for p in folder.parent.iterdir()] == ["wb_agri_land"]
    assert manifest.run_id == RUN_ID and manifest.licence == "CC BY 4.0"


def test_secrets_never_reach_the_manifest(tmp_path, real_pages):
    manifest = land_pages(tmp_path, "agriculture", RUN_ID, agri_source(), real_pages)
    text = (Path(manifest.path) / "manifest.json").read_text()
    assert "SUPERSECRET123" not in text
    entry = manifest.files[0]
    assert entry["params"]["api_key"] == "***" and "api_key=***" in entry["url"]
    assert entry["params"]["page"] == "1"


def test_manifest_round_trips_through_json(tmp_path, real_pages):
    manifest = land_pages(tmp_path, "agriculture", RUN_ID, agri_source(), real_pages)
    xcom = json.loads(json.dumps(manifest.to_dict()))
    assert LandingManifest.from_dict(xcom) == manifest
    assert read_manifest(manifest.path) == manifest
    assert read_manifest(Path(manifest.path) / "manifest.json") == manifest
    assert json.loads((Path(manifest.path) / "manifest.json").read_text()) == manifest.to_dict()


def test_second_landing_returns_existing_manifest_without_writing(tmp_path, real_pages, caplog):
    first = land_pages(tmp_path, "agriculture", RUN_ID, agri_source(), real_pages)
    page_file = Path(first.path) / "page-0001.json"
    before = os.stat(page_file)

    caplog.set_level(logging.WARNING, logger="sector_datasets.extract.landing")
    again = land_pages(tmp_path, "agriculture", RUN_ID, agri_source(), real_pages)

    assert again == first  # same landed_at: it was read back, not rebuilt
    after = os.stat(page_file)
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    # Only warnings count: after Airflow's logging config (another test module) INFO is captured too.
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_different_content_on_retry_keeps_existing_and_warns(tmp_path, caplog):
    original = b"year,value\n2020,1\n"
    first = land_pages(tmp_path, "agriculture", "manual__1", CSV_SOURCE, [csv_page(original)])

    caplog.set_level(logging.WARNING, logger="sector_datasets.extract.landing")
    again = land_pages(tmp_path, "agriculture", "manual__1", CSV_SOURCE, [csv_page(b"year,value\n2020,2\n")])

    assert again == first
    assert (Path(first.path) / "page-0001.csv").read_bytes() == original
    (warning,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert warning.levelno == logging.WARNING and "different content" in warning.getMessage()
    assert "owid_fertilizer" in warning.getMessage() and first.sha256 in warning.getMessage()


def test_multi_page_names_and_combined_hash(tmp_path):
    bodies = [b"a\n1\n", b"a\n2\n", b"a\n3\n"]
    pages = [csv_page(b, i + 1) for i, b in enumerate(bodies)]
    manifest = land_pages(tmp_path, "agriculture", "manual__2", CSV_SOURCE, pages)
    assert [f["name"] for f in manifest.files] == ["page-0001.csv", "page-0002.csv", "page-0003.csv"]
    hexes = [hashlib.sha256(b).hexdigest() for b in bodies]
    assert [f["sha256"] for f in manifest.files] == hexes
    assert manifest.sha256 == hashlib.sha256("\n".join(hexes).encode()).hexdigest()
    assert [p.read_bytes() for p in manifest.file_paths] == bodies


@pytest.mark.parametrize("run_id", ["..", "../escape", "a/b", "/abs", "a..b", "", "run id", "x\\y", "."])
def test_unsafe_run_ids_are_rejected(tmp_path, run_id):
    with pytest.raises(ValueError, match="run_id"):
        land_pages(tmp_path / "landing", "agriculture", run_id, CSV_SOURCE, [csv_page(b"a\n1\n")])
    assert not (tmp_path / "landing").exists()


def test_unsafe_sector_id_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="sector id"):
        land_pages(tmp_path, "../agriculture", "manual__1", CSV_SOURCE, [csv_page(b"a\n1\n")])


def test_run_folder_name_maps_airflow_characters():
    assert run_folder_name("manual__2025-01-06T10:11:12.123+07:00") == "manual__2025-01-06T10_11_12.123_07_00"
    assert run_folder_name("backfill-1_a") == "backfill-1_a"


def test_foreign_folder_without_manifest_is_not_overwritten(tmp_path):
    folder = tmp_path / "agriculture" / "manual__1" / "owid_fertilizer"
    folder.mkdir(parents=True)
    (folder / "someone_elses.csv").write_bytes(b"x")
    with pytest.raises(ExtractError) as info:
        land_pages(tmp_path, "agriculture", "manual__1", CSV_SOURCE, [csv_page(b"a\n1\n")])
    assert "without a manifest" in str(info.value) and str(folder) in str(info.value)
    assert sorted(p.name for p in folder.parent.iterdir()) == ["owid_fertilizer"]  # temp dir cleaned up


# --------------------------------------------------------------------------- record_sources


def test_record_then_replay_round_trip(tmp_path):
    # The "live" API is a replay server over a scratch dir holding a RE-PAGED COPY of the real
    # wb_agri_land.json (65 records split 40 + 25 with pages=2; no real multi-page payload exists).
    live_root = tmp_path / "live"
    meta, records = json.loads((DATA / AGRI_SNAPSHOT).read_bytes())
    p1 = json.dumps([{**meta, "pages": 2, "per_page": 40}, records[:40]], separators=(",", ":")).encode()
    p2 = json.dumps([{**meta, "page": 2, "pages": 2, "per_page": 40}, records[40:]], separators=(",", ":")).encode()
    (live_root / "v2").mkdir(parents=True)
    (live_root / "v2/agri.json").write_bytes(p1)
    (live_root / "v2/agri.page-2.json").write_bytes(p2)
    out = tmp_path / "snapshots"

    with ReplayServer(live_root) as live, HttpClient(make_settings(tmp_path)) as client:
        source = agri_source(url=f"{live}/v2/agri.json")
        written = record_sources([source], out, client)
        first = out / AGRI_SNAPSHOT
        assert written == [first, first.with_name("wb_agri_land.page-2.json")]
        assert [p.read_bytes() for p in written] == [p1, p2]

        with pytest.raises(ExtractError) as info:
            record_sources([source], out, client)
        assert "refusing to overwrite" in str(info.value) and str(first) in str(info.value)
        assert "source=wb_agri_land" in str(info.value)

        stale = first.with_name("wb_agri_land.page-3.json")
        stale.write_bytes(b"old")
        assert record_sources([source], out, client, overwrite=True) == written
        assert not stale.exists()

        # What was recorded is exactly what the replay server gives back, page by page.
        with ReplayServer(out) as replay:
            pages = fetch_source(client, source, "agriculture", replay)
        assert [p.body for p in pages] == [p1, p2]
