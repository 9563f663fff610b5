"""Secrets for sources (API keys in a header or a query parameter) come from the environment,
are sent only to the live source, and never reach logs, landing manifests, the run log, errors,
exports or metadata. The values here are SYNTHETIC test secrets.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from sector_datasets.orchestration import stages

from sector_datasets.state import runlog
from sector_datasets.extract import ExtractError, HttpClient, PermanentHttpError, fetch_source, land_pages
from sector_datasets.registry import Source
from sector_datasets.settings import Settings
from tests.privacy.synthetic import environment

HEADER_SECRET = "SYNTHETIC-header-key-5b1f0e"
PARAM_SECRET = "SYNTHETIC+param/sig=9d2c"  # characters that get percent-encoded in a URL
CSV = b"year,value\n2020,1\n2021,2\n"


class Server:
    """Records what it was sent; answers the CSV for every path but /missing.csv (a 404)."""

    def __init__(self) -> None:
        self.seen: list[dict] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                split = urlsplit(self.path)
                outer.seen.append({"path": split.path, "query": parse_qs(split.query), "headers": dict(self.headers)})
                body, status = (b"no such file", 404) if split.path == "/missing.csv" else (CSV, 200)
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.httpd.server_address[1]
        threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = Server()
    yield srv
    srv.close()


@pytest.fixture
def secrets():
    with environment(SYNTH_API_KEY=HEADER_SECRET, SYNTH_SIG=PARAM_SECRET):
        yield


def source(url: str) -> Source:
    return Source(
        id="synthetic_keyed_api", title="SYNTHETIC keyed API", publisher="test", format="csv", url=url,
        params={"format": "csv"}, headers_from_env={"X-API-Key": "SYNTH_API_KEY"}, params_from_env={"sig": "SYNTH_SIG"},
        snapshot="synthetic/keyed.csv", licence="CC0-1.0", provenance="test",
    )


def settings(tmp_path: Path, mode: str = "live") -> Settings:
    return Settings(
        repo_root=tmp_path, registry_dir=tmp_path / "registry", snapshot_dir=tmp_path / "snapshot", home=tmp_path / "home",
        source_mode=mode, replay_url=None, http_timeout_s=2, http_max_attempts=2, http_backoff_s=0.01,
    )


def test_live_fetch_sends_the_secrets_and_keeps_them_out_of_pages_manifests_and_logs(tmp_path, server, secrets, caplog):
    caplog.set_level(logging.DEBUG)
    src = source(f"http://127.0.0.1:{server.port}/data.csv")
    with HttpClient(settings(tmp_path)) as client:
        pages = fetch_source(client, src, "synthetic")
    sent = server.seen[-1]
    assert sent["headers"]["X-API-Key"] == HEADER_SECRET and sent["query"]["sig"] == [PARAM_SECRET]

    manifest = land_pages(tmp_path / "landing", "synthetic", "run_1", src, pages)
    manifest_text = (Path(manifest.path) / "manifest.json").read_text()
    assert pages[0].params == {"format": "csv", "sig": "***"}
    for secret in (HEADER_SECRET, PARAM_SECRET, "SYNTHETIC%2Bparam"):
        assert secret not in manifest_text and secret not in pages[0].url and secret not in caplog.text


def test_an_error_message_never_carries_the_secret(tmp_path, server, secrets):
    src = source(f"http://127.0.0.1:{server.port}/missing.csv")
    with HttpClient(settings(tmp_path)) as client, pytest.raises(PermanentHttpError) as err:
        fetch_source(client, src, "synthetic")
    assert "HTTP 404" in str(err.value) and "sig=***" in str(err.value)
    assert PARAM_SECRET not in str(err.value) and "SYNTHETIC%2Bparam" not in str(err.value)


def test_a_missing_secret_names_the_variable_not_a_value(tmp_path, server):
    src = source(f"http://127.0.0.1:{server.port}/data.csv")
    with environment(SYNTH_API_KEY=None, SYNTH_SIG=None), HttpClient(settings(tmp_path)) as client:
        with pytest.raises(ExtractError, match=r"query parameter 'sig' needs the environment variable SYNTH_SIG"):
            fetch_source(client, src, "synthetic")
    assert server.seen == [], "nothing is requested without its credentials"


def test_the_replay_server_is_never_sent_a_secret(tmp_path, server, secrets):
    src = source("https://synthetic.example.com/data.csv")
    with HttpClient(settings(tmp_path, mode="replay")) as client:
        fetch_source(client, src, "synthetic", base_url=f"http://127.0.0.1:{server.port}")
    assert "X-API-Key" not in server.seen[-1]["headers"] and "sig" not in server.seen[-1]["query"]


def test_through_the_extract_stage_the_run_log_and_landing_hold_no_secret(tmp_path, server, secrets, caplog):
    """stages.extract in live mode against a registry source: what a task would log and keep."""
    caplog.set_level(logging.DEBUG)
    registry = tmp_path / "registry"
    registry.mkdir()
    doc = {
        "id": "synthetic", "name": {"vi": "Giả", "en": "Synthetic"},
        "owner": {"organisation": {"vi": "Kiểm thử", "en": "Tests"}, "contact": "tests@example.com"},
        "sources": [
            {**source(f"http://127.0.0.1:{server.port}/data.csv").model_dump(exclude={"csv"}), "id": "synthetic_ok",
             "dbt_source": "synthetic.ok", "delivers": {"fields": {"a": "text"}}},
            {**source(f"http://127.0.0.1:{server.port}/missing.csv").model_dump(exclude={"csv"}), "id": "synthetic_broken",
             "dbt_source": "synthetic.broken", "delivers": {"fields": {"a": "text"}}},
        ],
        "datasets": [],
    }
    (registry / "synthetic.yml").write_text(yaml.safe_dump(doc))
    (registry / "_policy.yml").write_text(yaml.safe_dump({"allowed_url_schemes": ["http"], "allowed_hosts": ["127.0.0.1"]}))
    home = tmp_path / "home"
    with environment(SECTOR_DATASETS_HOME=str(home), SECTOR_DATASETS_REGISTRY=str(registry), SECTOR_DATASETS_SOURCE_MODE="live"):
        manifest = stages.extract("synthetic", "synthetic_ok", "run_1")
        with pytest.raises(ExtractError):
            stages.extract("synthetic", "synthetic_broken", "run_1")
    events = runlog.read_events(home, "synthetic", "run_1")
    assert [e["status"] for e in events] == ["success", "failed"]
    kept = json.dumps(events) + json.dumps(manifest) + "".join(
        p.read_text() for p in (home / "landing").rglob("manifest.json")
    )
    for secret in (HEADER_SECRET, PARAM_SECRET, "SYNTHETIC%2Bparam"):
        assert secret not in kept and secret not in caplog.text
