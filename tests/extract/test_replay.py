"""ReplayServer and replay_base_url over the real snapshot directory and a scratch copy."""

from __future__ import annotations

import hashlib
import http.client
import json
import logging
import os
from pathlib import Path

import pytest
import requests

from sector_datasets.extract import (
    ApiErrorBody,
    HttpClient,
    PermanentHttpError,
    ReplayServer,
    extract_source,
    fetch_source,
    replay_base_url,
)
from sector_datasets.registry import Source
from sector_datasets.settings import Settings

DATA = Path("/work/shared/data")
AGRI_SNAPSHOT = "agriculture/worldbank_api_v2/wb_agri_land.json"
XLSX_SNAPSHOT = "agriculture/gso_rice_province_xlsx/Rice_production_2014_GSO.xlsx"


def make_settings(tmp_path: Path, **over) -> Settings:
    values = dict(
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
    values.update(over)
    return Settings(**values)


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


def raw_get(base_url: str, raw_path: str) -> int:
    """Send the path byte-for-byte: requests/urllib3 would normalise '..' away before sending."""
    host, port = base_url.removeprefix("http://").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5)
    try:
        conn.putrequest("GET", raw_path, skip_accept_encoding=True)
        conn.endheaders()
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


@pytest.fixture(scope="module")
def real_replay():
    with ReplayServer(DATA) as base_url:
        yield base_url


def test_serves_real_snapshot_byte_identical(real_replay):
    for rel, ctype in ((AGRI_SNAPSHOT, "application/json"), (XLSX_SNAPSHOT, "spreadsheetml")):
        response = requests.get(f"{real_replay}/{rel}", params={"format": "json", "per_page": "1000"}, timeout=5)
        expected = (DATA / rel).read_bytes()
        assert response.status_code == 200
        assert response.content == expected
        assert hashlib.sha256(response.content).hexdigest() == hashlib.sha256(expected).hexdigest()
        assert response.headers["Content-Length"] == str(len(expected))
        assert ctype in response.headers["Content-Type"]


def test_fetch_source_through_replay_sends_same_query_string(real_replay, tmp_path):
    with HttpClient(make_settings(tmp_path)) as client:
        (page,) = fetch_source(client, agri_source(), "agriculture", real_replay)
    assert page.body == (DATA / AGRI_SNAPSHOT).read_bytes()
    assert page.url == f"{real_replay}/{AGRI_SNAPSHOT}?format=json&per_page=1000&page=1"


def test_missing_snapshot_is_404_and_permanent(real_replay, tmp_path):
    source = agri_source(snapshot="agriculture/worldbank_api_v2/does_not_exist.json")
    with HttpClient(make_settings(tmp_path)) as client, pytest.raises(PermanentHttpError) as info:
        fetch_source(client, source, "agriculture", real_replay)
    assert info.value.status == 404
    assert "does_not_exist.json" in str(info.value) and "sector=agriculture" in str(info.value)


@pytest.fixture
def scratch(tmp_path):
    """A snapshot dir with a secret file beside it and a symlink pointing out of it."""
    root = tmp_path / "snapshots"
    (root / "agriculture/worldbank_api_v2").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("do not serve")
    (root / "escape.txt").symlink_to(tmp_path / "secret.txt")
    (root / "inside_link.json").symlink_to(root / "agriculture/worldbank_api_v2/wb_agri_land.json")
    with ReplayServer(root) as base_url:
        yield root, base_url


@pytest.mark.parametrize(
    "raw_path",
    [
        "/../secret.txt",
        "/agriculture/../../secret.txt",
        "/%2e%2e/secret.txt",
        "/agriculture/%2E%2E/%2E%2E/secret.txt",
        "//etc/passwd",
        "/escape.txt",
        "/%2Fetc%2Fpasswd",
        "/agriculture\\..\\..\\secret.txt",
    ],
)
def test_path_traversal_is_refused(scratch, raw_path):
    _, base_url = scratch
    assert raw_get(base_url, raw_path) in (400, 404)


def test_pages_served_from_page_n_siblings(scratch, tmp_path):
    root, base_url = scratch
    meta, records = json.loads((DATA / AGRI_SNAPSHOT).read_bytes())
    # A RE-PAGED COPY of the real payload (no real multi-page response is stored): 65 records in 2 pages.
    first = root / AGRI_SNAPSHOT
    p1 = json.dumps([{**meta, "pages": 2, "per_page": 40}, records[:40]], separators=(",", ":")).encode()
    p2 = json.dumps([{**meta, "page": 2, "pages": 2, "per_page": 40}, records[40:]], separators=(",", ":")).encode()
    first.write_bytes(p1)
    first.with_name("wb_agri_land.page-2.json").write_bytes(p2)

    url = f"{base_url}/{AGRI_SNAPSHOT}"
    assert requests.get(url, timeout=5).content == p1
    assert requests.get(url, params={"page": "1"}, timeout=5).content == p1
    assert requests.get(url, params={"page": "2"}, timeout=5).content == p2
    assert requests.get(url, params={"page": "3"}, timeout=5).status_code == 404
    assert requests.get(url, params={"page": "x"}, timeout=5).status_code == 400
    with HttpClient(make_settings(tmp_path)) as client:
        pages = fetch_source(client, agri_source(), "agriculture", base_url)
    assert [p.body for p in pages] == [p1, p2]


def test_symlink_inside_the_snapshot_dir_is_served(scratch):
    root, base_url = scratch
    assert requests.get(f"{base_url}/inside_link.json", timeout=5).status_code == 404  # dangling
    (root / AGRI_SNAPSHOT).write_bytes(b"[]")
    assert requests.get(f"{base_url}/inside_link.json", timeout=5).content == b"[]"


def test_requests_are_logged_at_debug_not_stderr(scratch, caplog, capfd):
    _, base_url = scratch
    caplog.set_level(logging.DEBUG, logger="sector_datasets.extract.replay")
    requests.get(f"{base_url}/nothing-here.csv", timeout=5)
    assert capfd.readouterr().err == ""
    assert any(r.levelno == logging.DEBUG and "nothing-here.csv" in r.getMessage() for r in caplog.records)


def test_start_stop_and_context_manager(tmp_path):
    server = ReplayServer(tmp_path)
    base_url = server.start()
    assert base_url.startswith("http://127.0.0.1:") and server.start() == base_url
    (tmp_path / "a.csv").write_bytes(b"x,y\n")
    assert requests.get(f"{base_url}/a.csv", timeout=5).content == b"x,y\n"
    server.stop()
    server.stop()  # idempotent
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{base_url}/a.csv", timeout=1)
    with pytest.raises(FileNotFoundError):
        ReplayServer(tmp_path / "nope")


def test_replay_base_url_modes(tmp_path):
    with replay_base_url(make_settings(tmp_path, source_mode="live")) as url:
        assert url is None
    with replay_base_url(make_settings(tmp_path, replay_url="http://replay.internal:8099/")) as url:
        assert url == "http://replay.internal:8099"
    with replay_base_url(make_settings(tmp_path)) as url:
        assert requests.get(f"{url}/{AGRI_SNAPSHOT}", timeout=5).content == (DATA / AGRI_SNAPSHOT).read_bytes()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{url}/{AGRI_SNAPSHOT}", timeout=1)


def test_extract_source_end_to_end_in_replay_mode(tmp_path):
    settings = make_settings(tmp_path)
    run_id = "scheduled__2025-01-06T00:00:00+00:00"
    with replay_base_url(settings) as base_url:
        manifest = extract_source(settings, "agriculture", agri_source(), run_id, base_url)
    real = (DATA / AGRI_SNAPSHOT).read_bytes()
    landed = Path(manifest.path) / "page-0001.json"
    assert landed.read_bytes() == real
    assert manifest.files[0]["sha256"] == hashlib.sha256(real).hexdigest()
    run_folder = "scheduled__2025-01-06T00_00_00_00_00"
    assert Path(manifest.path) == settings.landing_dir / "agriculture" / run_folder / "wb_agri_land"
    assert os.stat(landed).st_mode & 0o777 == 0o444
    assert manifest.licence == "CC BY 4.0" and manifest.format == "worldbank_json"


def test_extract_source_real_error_body_lands_nothing(tmp_path):
    settings = make_settings(tmp_path)
    source = agri_source(id="wb_co2_emissions", snapshot="environment/worldbank_api_v2/wb_co2_emissions.json")
    with replay_base_url(settings) as base_url, pytest.raises(ApiErrorBody):
        extract_source(settings, "environment", source, "manual__1", base_url)
    assert not settings.landing_dir.exists() or not any(settings.landing_dir.rglob("*.json"))
