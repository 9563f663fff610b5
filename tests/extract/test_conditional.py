"""Conditional extract: the replay server answers like a real static server (ETag, Last-Modified,
304), and a second extract of an unchanged source downloads nothing yet lands the same bytes.

Real HTTP throughout: the real replay server over a private copy of real snapshot files (so they
can be changed), and for live-server behaviour the scripted server of test_http.py.
"""

from __future__ import annotations

import email.utils
import hashlib
import json
import logging
import os
import shutil
import threading
import time
from http.server import ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from sector_datasets.extract import (
    HttpClient,
    PermanentHttpError,
    ReplayServer,
    extract_source,
    fetch_source,
    previous_landing,
)
from sector_datasets.extract import replay
from sector_datasets.extract.conditional import request_key, usable_last_modified
from sector_datasets.registry import Source
from sector_datasets.registry.models import Release
from sector_datasets.settings import Settings
from tests.extract.test_http import Reply, ScriptedServer

DATA = Path("/work/shared/data")
WB = "agriculture/worldbank_api_v2/wb_agri_land.json"
RICE = ["agriculture/gso_rice_province_xlsx/Rice_production_2014_GSO.xlsx",
        "agriculture/gso_rice_province_xlsx/Rice_production_2017_GSO.xlsx"]
HTTP_LOGGER = "sector_datasets.extract.http_client"


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_settings(tmp_path: Path, snapshot_dir: Path, **over) -> Settings:
    values = dict(
        repo_root=tmp_path, registry_dir=tmp_path / "registry", snapshot_dir=snapshot_dir, home=tmp_path / "home",
        source_mode="replay", replay_url=None, http_timeout_s=2.0, http_max_attempts=2, http_backoff_s=0.01,
    )
    values.update(over)
    return Settings(**values)


def wb_source() -> Source:
    return Source(
        id="wb_agri_land", title="Agricultural land", publisher="World Bank", format="worldbank_json",
        url="https://api.worldbank.org/v2/country/VNM/indicator/AG.LND.AGRI.ZS",
        params={"format": "json", "per_page": "1000"}, paging="worldbank", snapshot=WB,
        licence="CC BY 4.0", provenance="test",
    )


def rice_releases() -> Source:
    return Source(
        id="gso_rice", title="Rice production", publisher="GSO", format="xlsx", licence="CC BY 4.0", provenance="test",
        releases=[Release(key=str(year), url=f"https://example.org/rice_{year}.xlsx", snapshot=rel)
                  for year, rel in zip((2014, 2017), RICE, strict=True)],
    )


@pytest.fixture
def snapshots(tmp_path) -> Path:
    """A private snapshot dir: the real World Bank payload RE-PAGED into 2 pages (no real
    multi-page response is stored; 40 + 25 records) and the two real rice workbooks."""
    root = tmp_path / "snapshots"
    meta, records = json.loads((DATA / WB).read_bytes())
    first = root / WB
    first.parent.mkdir(parents=True)
    first.write_bytes(json.dumps([{**meta, "pages": 2, "per_page": 40}, records[:40]]).encode())
    first.with_name("wb_agri_land.page-2.json").write_bytes(
        json.dumps([{**meta, "page": 2, "pages": 2, "per_page": 40}, records[40:]]).encode()
    )
    for rel in RICE:
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(DATA / rel, root / rel)
    return root


def extract_twice(settings: Settings, source: Source, sector: str = "agriculture"):
    with ReplayServer(settings.snapshot_dir) as base_url:
        first = extract_source(settings, sector, source, "run_1", base_url)
    with ReplayServer(settings.snapshot_dir) as base_url:  # a new server, a new port: still 304
        second = extract_source(settings, sector, source, "run_2", base_url)
    return first, second


# --------------------------------------------------------------------------- the replay server


def test_replay_server_sends_content_etag_and_mtime_and_answers_304(snapshots):
    path = snapshots / RICE[0]
    body = path.read_bytes()
    os.utime(path, (1_700_000_000, 1_700_000_000))
    with ReplayServer(snapshots) as base:
        url = f"{base}/{RICE[0]}"
        ok = requests.get(url, timeout=5)
        etag, last_modified = ok.headers["ETag"], ok.headers["Last-Modified"]
        assert ok.status_code == 200 and ok.content == body
        assert etag == f'"{sha(body)[:32]}"'  # strong, from the content
        assert last_modified == email.utils.formatdate(1_700_000_000, usegmt=True)

        for headers in ({"If-None-Match": etag}, {"If-None-Match": f'"other", W/{etag}'}, {"If-None-Match": "*"},
                        {"If-Modified-Since": last_modified},
                        {"If-Modified-Since": email.utils.formatdate(1_700_000_100, usegmt=True)}):
            not_modified = requests.get(url, headers=headers, timeout=5)
            assert not_modified.status_code == 304, headers
            assert not_modified.content == b"" and not_modified.headers["ETag"] == etag
            assert not_modified.headers["Last-Modified"] == last_modified
        assert requests.head(url, headers={"If-None-Match": etag}, timeout=5).status_code == 304

        older = email.utils.formatdate(1_699_999_999, usegmt=True)
        for headers in ({"If-None-Match": '"other"'}, {"If-Modified-Since": older}, {"If-Modified-Since": "garbage"},
                        # If-None-Match wins: a stale ETag is a download even with a recent date
                        {"If-None-Match": '"other"', "If-Modified-Since": last_modified}):
            again = requests.get(url, headers=headers, timeout=5)
            assert again.status_code == 200 and again.content == body, headers

    with ReplayServer(snapshots) as base:  # stable across restarts
        assert requests.get(f"{base}/{RICE[0]}", timeout=5).headers["ETag"] == etag


def test_each_page_of_a_paged_snapshot_has_its_own_validators(snapshots):
    with ReplayServer(snapshots) as base:
        url = f"{base}/{WB}"
        p1, p2 = (requests.get(url, params={"page": n}, timeout=5) for n in ("1", "2"))
        assert p1.headers["ETag"] != p2.headers["ETag"]
        assert requests.get(url, params={"page": "2"}, headers={"If-None-Match": p2.headers["ETag"]}, timeout=5).status_code == 304
        assert requests.get(url, params={"page": "2"}, headers={"If-None-Match": p1.headers["ETag"]}, timeout=5).status_code == 200


# --------------------------------------------------------------------------- extract


@pytest.mark.parametrize("source", [wb_source(), rice_releases()], ids=["paged", "releases"])
def test_second_extract_of_an_unchanged_source_gets_304s_and_lands_the_same_bytes(tmp_path, snapshots, source):
    settings = make_settings(tmp_path, snapshots)
    first, second = extract_twice(settings, source)

    assert len(second.files) == 2 and second.not_modified == [f["name"] for f in second.files]
    assert [f["status"] for f in first.files] == [200, 200] and first.not_modified == []
    assert [f["status"] for f in second.files] == [304, 304]
    assert second.sha256 == first.sha256
    for old, new, old_path, new_path in zip(first.files, second.files, first.file_paths, second.file_paths, strict=True):
        assert (new["name"], new["sha256"], new["size"]) == (old["name"], old["sha256"], old["size"])
        assert new["not_modified"] and new["reused_from"] == str(old_path)
        assert new["etag"] == old["etag"] and new["content_type"] == old["content_type"]
        assert new_path.read_bytes() == old_path.read_bytes()
        assert os.stat(new_path).st_ino == os.stat(old_path).st_ino  # hard-linked, not copied
        assert oct(os.stat(new_path).st_mode & 0o777) == oct(0o444)
    assert previous_landing(settings.landing_dir, "agriculture", source.id, "run_3").run_id == "run_2"


def test_a_changed_page_is_downloaded_and_the_unchanged_one_is_not(tmp_path, snapshots):
    settings = make_settings(tmp_path, snapshots)
    page2 = snapshots / WB.replace(".json", ".page-2.json")
    with ReplayServer(snapshots) as base_url:
        first = extract_source(settings, "agriculture", wb_source(), "run_1", base_url)
        meta, records = json.loads(page2.read_bytes())
        records[0]["value"] = 99.5  # an upstream revision of one value on page 2
        page2.write_bytes(json.dumps([meta, records]).encode())
        second = extract_source(settings, "agriculture", wb_source(), "run_2", base_url)

    assert second.not_modified == ["page-0001.json"]
    assert [f["status"] for f in second.files] == [304, 200]
    assert second.file_paths[1].read_bytes() == page2.read_bytes() != first.file_paths[1].read_bytes()
    assert second.files[1]["sha256"] == sha(page2.read_bytes()) and second.sha256 != first.sha256


def test_a_304_whose_previous_file_is_gone_or_altered_is_fetched_again(tmp_path, snapshots, caplog):
    settings = make_settings(tmp_path, snapshots)
    source = rice_releases()
    with ReplayServer(snapshots) as base_url:
        first = extract_source(settings, "agriculture", source, "run_1", base_url)
        folder = first.file_paths[0].parent
        folder.chmod(0o755)
        first.file_paths[0].unlink()  # the previous landing lost a file
        first.file_paths[1].chmod(0o644)
        first.file_paths[1].write_bytes(b"PK\x03\x04 not what was landed")  # and another one changed
        caplog.set_level(logging.WARNING, logger=HTTP_LOGGER)
        second = extract_source(settings, "agriculture", source, "run_2", base_url)

    assert second.not_modified == [] and [f["status"] for f in second.files] == [200, 200]
    assert [p.read_bytes() for p in second.file_paths] == [(snapshots / rel).read_bytes() for rel in RICE]
    assert second.sha256 == first.sha256  # nothing lost: the same bytes as the first download
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2 and all("answered 304 Not Modified" in w and "fetching it again" in w for w in warnings)


class RecordingHandler(replay._Handler):
    def _serve(self, *, send_body: bool) -> None:
        self.server.seen.append({k.lower(): v for k, v in self.headers.items()})
        super()._serve(send_body=send_body)


def test_validators_are_sent_only_for_the_same_request(tmp_path, snapshots):
    """No previous landing: plain GETs. Same request: If-None-Match only (a strong validator;
    no If-Modified-Since beside it). Another URL or params: the old validators are not sent."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), RecordingHandler)
    httpd.root, httpd.seen = snapshots.resolve(), []
    base_url = f"http://127.0.0.1:{httpd.server_address[1]}"
    threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True).start()
    try:
        settings = make_settings(tmp_path, snapshots)
        first = extract_source(settings, "agriculture", wb_source(), "run_1", base_url)
        assert [("if-none-match" in h, "if-modified-since" in h) for h in httpd.seen] == [(False, False)] * 2
        httpd.seen.clear()
        extract_source(settings, "agriculture", wb_source(), "run_2", base_url)
        assert [h.get("if-none-match") for h in httpd.seen] == [f["etag"] for f in first.files]
        assert not any("if-modified-since" in h for h in httpd.seen)
        httpd.seen.clear()
        other = wb_source().model_copy(update={"params": {"format": "json", "per_page": "500"}})
        extract_source(settings, "agriculture", other, "run_3", base_url)
        assert not any("if-none-match" in h for h in httpd.seen)
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_request_key_ignores_the_replay_port_but_not_the_mode():
    assert request_key("http://127.0.0.1:4001/a/b.csv?x=1", "http://127.0.0.1:4001") == "replay:/a/b.csv?x=1"
    assert request_key("http://127.0.0.1:5002/a/b.csv?x=1", "http://127.0.0.1:5002/") == "replay:/a/b.csv?x=1"
    assert request_key("https://example.org/a/b.csv?x=1", None) == "https://example.org/a/b.csv?x=1"


def test_last_modified_too_close_to_the_response_date_is_not_a_validator():
    date = "Mon, 07 Dec 2026 21:13:32 GMT"
    assert usable_last_modified("Mon, 07 Dec 2026 21:13:31 GMT", date) == "Mon, 07 Dec 2026 21:13:31 GMT"
    assert usable_last_modified("Mon, 07 Dec 2026 21:13:32 GMT", date) is None  # same second
    assert usable_last_modified("Mon, 07 Dec 2026 21:13:31 GMT", None) is None
    assert usable_last_modified("not a date", date) is None


# --------------------------------------------------------------------------- live servers


def live_source(url: str) -> Source:
    return Source(id="owid_fertilizer", title="t", publisher="p", format="csv", url=url, params={}, paging="none",
                  snapshot="a/b.csv", licence="CC BY 4.0", provenance="test")


@pytest.fixture
def live(tmp_path):
    srv = ScriptedServer()
    yield srv, make_settings(tmp_path, DATA, source_mode="live")
    srv.close()


def test_a_live_api_that_ignores_validators_works_as_before(live):
    server, settings = live
    url = server.script("/data.csv", Reply(200, b"year,v\n2020,1\n", {"ETag": '"v1"'}),
                        Reply(200, b"year,v\n2020,2\n", {"ETag": '"v2"'}))
    extract_source(settings, "agriculture", live_source(url), "run_1", None)
    second = extract_source(settings, "agriculture", live_source(url), "run_2", None)
    assert server.hits("/data.csv")[1].headers.get("If-None-Match") == '"v1"'
    assert second.not_modified == [] and second.file_paths[0].read_bytes() == b"year,v\n2020,2\n"


def test_a_live_server_with_last_modified_only_gets_if_modified_since(live):
    server, settings = live
    body = b"year,v\n2020,1\n"
    old = "Mon, 01 Jan 2024 00:00:00 GMT"
    url = server.script("/lm.csv", Reply(200, body, {"Last-Modified": old}), Reply(304))
    first = extract_source(settings, "agriculture", live_source(url), "run_1", None)
    second = extract_source(settings, "agriculture", live_source(url), "run_2", None)
    sent = server.hits("/lm.csv")[1].headers
    assert sent.get("If-Modified-Since") == old and "If-None-Match" not in sent
    assert second.not_modified == ["page-0001.csv"] and second.sha256 == first.sha256
    assert second.files[0]["last_modified"] == old  # kept for the next run although the 304 omitted it


def test_a_last_modified_of_the_response_second_is_not_trusted(live):
    server, settings = live
    now = email.utils.formatdate(time.time(), usegmt=True)
    # The response's Date is that very second, however long the request takes on a loaded machine.
    url = server.script("/fresh.csv", Reply(200, b"a\n1\n", {"Last-Modified": now, "Date": now}))
    extract_source(settings, "agriculture", live_source(url), "run_1", None)
    extract_source(settings, "agriculture", live_source(url), "run_2", None)
    assert "If-Modified-Since" not in server.hits("/fresh.csv")[1].headers


def test_a_304_to_an_unconditional_request_is_an_error_and_lands_nothing(live):
    server, settings = live
    url = server.script("/broken.csv", Reply(304))
    with HttpClient(settings) as client, pytest.raises(PermanentHttpError) as info:
        fetch_source(client, live_source(url), "agriculture")
    assert info.value.status == 304 and "source=owid_fertilizer" in str(info.value)
    assert not settings.landing_dir.exists()
