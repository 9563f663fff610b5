"""HttpClient / fetch_source against a real local HTTP server with scripted responses.

The server is a ``ThreadingHTTPServer`` on 127.0.0.1; each test scripts the sequence of replies
per path and then asserts what the client asked for, how long it asked to sleep and what it
raised. Payload bytes come from the real recorded snapshots in /work/shared/data where one
exists.
"""

from __future__ import annotations

import json
import logging
import pickle
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from sector_datasets.extract import (
    ApiErrorBody,
    HttpClient,
    HttpGiveUp,
    PayloadError,
    PermanentHttpError,
    fetch_source,
    validate_payload,
)
from sector_datasets.registry import Source
from sector_datasets.settings import Settings

DATA = Path("/work/shared/data")
WB_AGRI = DATA / "agriculture/worldbank_api_v2/wb_agri_land.json"
WB_ERROR = DATA / "environment/worldbank_api_v2/wb_co2_emissions.json"
WB_POWERSHELL = DATA / "education/worldbank_api_v2/wb_SE_TER_ENRR.json"
WB_SOURCES = DATA / "reference/worldbank_api_v2/wbSources.json"
RICE_XLSX = DATA / "agriculture/gso_rice_province_xlsx/Rice_production_2014_GSO.xlsx"
OWID_CSV = DATA / "agriculture/owid_datasets/owid_fertilizer_use_fao_vietnam.csv"

HTTP_LOGGER = "sector_datasets.extract.http_client"


# --------------------------------------------------------------------------- scripted server


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # sleep before sending anything (read-timeout tests)
    declared_length: int | None = None  # announce this Content-Length, send only ``body``, close


@dataclass
class Seen:
    path: str
    query: dict[str, str]
    headers: dict[str, str] = field(default_factory=dict)


class ScriptedServer:
    def __init__(self) -> None:
        self.scripts: dict[str, list[Reply]] = {}
        self.seen: list[Seen] = []
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                split = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
                with outer.lock:
                    outer.seen.append(Seen(split.path, query, dict(self.headers)))
                    script = outer.scripts.get(split.path)
                    # The last reply repeats, so "always 503" is a one-element script.
                    reply = (script.pop(0) if len(script) > 1 else script[0]) if script else Reply(404, b"unscripted")
                try:
                    if reply.delay:
                        time.sleep(reply.delay)
                    # send_response() without its Date, so that a reply can fix the Date it is sent with
                    self.send_response_only(reply.status)
                    self.send_header("Server", self.version_string())
                    self.send_header("Date", reply.headers.get("Date") or self.date_time_string())
                    for name, value in reply.headers.items():
                        if name != "Date":
                            self.send_header(name, value)
                    length = reply.declared_length if reply.declared_length is not None else len(reply.body)
                    self.send_header("Content-Length", str(length))
                    self.end_headers()
                    self.wfile.write(reply.body)
                    self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

            def log_message(self, *args: object) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    def script(self, path: str, *replies: Reply) -> str:
        self.scripts[path] = list(replies)
        return self.base + path

    def hits(self, path: str) -> list[Seen]:
        return [s for s in self.seen if s.path == path]

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    srv = ScriptedServer()
    yield srv
    srv.close()


def make_settings(tmp_path: Path, **over) -> Settings:
    values = dict(
        repo_root=tmp_path,
        registry_dir=tmp_path / "registry",
        snapshot_dir=DATA,
        home=tmp_path / "home",
        source_mode="replay",
        replay_url=None,
        http_timeout_s=0.3,
        http_max_attempts=3,
        http_backoff_s=0.01,
    )
    values.update(over)
    return Settings(**values)


@pytest.fixture
def sleeps() -> list[float]:
    return []


@pytest.fixture
def client(tmp_path, sleeps):
    with HttpClient(make_settings(tmp_path), sleep=sleeps.append) as c:
        yield c


def make_source(url: str, *, fmt: str = "worldbank_json", paging: str = "none", params=None, **kw) -> Source:
    return Source(
        id=kw.pop("id", "wb_agri_land"),
        title="Agricultural land (% of land area)",
        publisher="World Bank",
        format=fmt,
        url=url,
        params=params if params is not None else {"format": "json", "per_page": "1000"},
        paging=paging,
        snapshot=kw.pop("snapshot", "agriculture/worldbank_api_v2/wb_agri_land.json"),
        licence="CC BY 4.0",
        provenance="test",
        **kw,
    )


def assert_names_context(exc: BaseException, url_part: str, sector: str = "agriculture", source: str = "wb_agri_land"):
    text = str(exc)
    assert f"sector={sector}" in text
    assert f"source={source}" in text
    assert url_part in text


# --------------------------------------------------------------------------- retries


def test_retries_500_twice_then_succeeds_with_doubling_backoff(server, client, sleeps, caplog):
    caplog.set_level(logging.WARNING, logger=HTTP_LOGGER)
    body = WB_AGRI.read_bytes()
    url = server.script("/v2/agri", Reply(500), Reply(500), Reply(200, body, {"Content-Type": "application/json"}))

    pages = fetch_source(client, make_source(url), "agriculture")

    assert len(server.hits("/v2/agri")) == 3
    assert [p.body for p in pages] == [body]
    assert pages[0].status == 200 and pages[0].headers["content-type"] == "application/json"
    assert len(sleeps) == 2
    assert 0.01 <= sleeps[0] < 0.02 + 1e-9 and 0.02 <= sleeps[1] < 0.03 + 1e-9  # base, doubled (+ jitter)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 2
    assert all("retryable status 500" in r.getMessage() and url in r.getMessage() for r in warnings)


def test_429_honours_retry_after(server, client, sleeps):
    url = server.script("/csv", Reply(429, b"slow down", {"Retry-After": "1"}), Reply(200, b"a,b\n1,2\n"))

    pages = fetch_source(client, make_source(url, fmt="csv", params={}), "agriculture")

    assert len(server.hits("/csv")) == 2
    assert pages[0].body == b"a,b\n1,2\n"
    assert len(sleeps) == 1 and 1.0 <= sleeps[0] <= 1.1


def test_retry_after_is_capped_at_60_seconds(server, client, sleeps):
    url = server.script("/csv", Reply(429, headers={"Retry-After": "3600"}), Reply(200, b"a\n1\n"))
    fetch_source(client, make_source(url, fmt="csv", params={}), "agriculture")
    assert len(sleeps) == 1 and 60.0 <= sleeps[0] <= 63.0


def test_backoff_is_capped_at_30_seconds(tmp_path):
    c = HttpClient(make_settings(tmp_path, http_backoff_s=10.0), sleep=lambda s: None)
    assert 30.0 <= c.backoff_delay(5) <= 31.5
    assert 10.0 <= c.backoff_delay(1) <= 10.5


def test_503_forever_gives_up_after_max_attempts(server, client, sleeps):
    url = server.script("/v2/agri", Reply(503, b"<html>down</html>"))

    with pytest.raises(HttpGiveUp) as info:
        fetch_source(client, make_source(url), "agriculture")

    assert len(server.hits("/v2/agri")) == 3
    assert len(sleeps) == 2  # no sleep after the last attempt
    assert info.value.attempts == 3 and info.value.last_status == 503
    assert "gave up after 3 attempt(s)" in str(info.value) and "HTTP 503" in str(info.value)
    assert_names_context(info.value, url)


def test_404_is_permanent_and_not_retried(server, client, sleeps):
    url = server.script("/v2/missing", Reply(404, b"not found"))

    with pytest.raises(PermanentHttpError) as info:
        fetch_source(client, make_source(url), "agriculture")

    assert len(server.hits("/v2/missing")) == 1
    assert sleeps == []
    assert info.value.status == 404 and "HTTP 404" in str(info.value)
    assert_names_context(info.value, url)


def test_body_shorter_than_content_length_is_retried(server, client, sleeps, caplog):
    caplog.set_level(logging.WARNING, logger=HTTP_LOGGER)
    url = server.script(
        "/csv",
        Reply(200, b"a,b\n1,2\n3,", declared_length=1000),  # 10 bytes sent, then the socket closes
        Reply(200, b"a,b\n1,2\n3,4\n"),
    )

    pages = fetch_source(client, make_source(url, fmt="csv", params={}), "agriculture")

    assert len(server.hits("/csv")) == 2
    assert pages[0].body == b"a,b\n1,2\n3,4\n"
    (warning,) = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert "ChunkedEncodingError" in warning or "shorter than Content-Length" in warning


def test_read_timeout_is_retried_then_gives_up(server, client, sleeps):
    url = server.script("/slow", Reply(200, b"a\n1\n", delay=0.8))

    started = time.monotonic()
    with pytest.raises(HttpGiveUp) as info:
        fetch_source(client, make_source(url, fmt="csv", params={}), "agriculture")

    assert time.monotonic() - started < 3.0  # 3 x 0.3 s read timeout, not 3 x 0.8 s
    assert len(server.hits("/slow")) == 3
    assert info.value.last_status is None and "Timeout" in info.value.last_error


def test_connection_refused_is_retried_and_secret_never_logged(tmp_path, sleeps, caplog):
    caplog.set_level(logging.WARNING, logger=HTTP_LOGGER)
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/data"
    source = make_source(url, fmt="csv", params={"api_key": "SUPERSECRET123", "format": "csv"})

    with HttpClient(make_settings(tmp_path), sleep=sleeps.append) as c, pytest.raises(HttpGiveUp) as info:
        fetch_source(c, source, "agriculture")

    assert len(sleeps) == 2
    assert "ConnectionError" in info.value.last_error
    assert "SUPERSECRET123" not in str(info.value) and "SUPERSECRET123" not in caplog.text
    assert "api_key=***" in str(info.value) and "api_key=***" in caplog.text


def test_secrets_redacted_in_page_and_logs_but_sent_to_server(server, client, caplog):
    caplog.set_level(logging.DEBUG)
    url = server.script("/csv", Reply(500), Reply(200, b"a\n1\n"))
    source = make_source(url, fmt="csv", params={"format": "csv", "apiKey": "SUPERSECRET123", "access_token": "TOK456"})

    (page,) = fetch_source(client, source, "agriculture")

    sent = server.hits("/csv")[-1].query
    assert sent == {"format": "csv", "apiKey": "SUPERSECRET123", "access_token": "TOK456"}
    assert page.params == {"format": "csv", "apiKey": "***", "access_token": "***"}
    assert "SUPERSECRET123" not in page.url and "TOK456" not in page.url and "apiKey=***" in page.url
    assert "SUPERSECRET123" not in caplog.text and "TOK456" not in caplog.text
    assert "apiKey=***" in caplog.text


# --------------------------------------------------------------------------- payload validation


@pytest.mark.parametrize(
    ("fmt", "body", "expected"),
    [
        ("csv", b"\n  <!DOCTYPE html><html><body>Service unavailable</body></html>", "HTML page"),
        ("worldbank_json", b"<html><head><title>Error</title></head></html>", "HTML page"),
        ("xlsx", b"<HTML>login</HTML>", "HTML page"),
        ("csv", b"", "empty body"),
        ("worldbank_json", b"  \n", "empty body"),
    ],
)
def test_html_or_empty_with_200_is_a_payload_error(server, client, sleeps, fmt, body, expected):
    url = server.script("/p", Reply(200, body, {"Content-Type": "text/html"}))

    with pytest.raises(PayloadError) as info:
        fetch_source(client, make_source(url, fmt=fmt, params={}), "agriculture")

    assert expected in str(info.value)
    assert_names_context(info.value, url)
    assert len(server.hits("/p")) == 1 and sleeps == []  # deterministic: not retried


def test_truncated_json_is_a_payload_error(server, client):
    body = WB_AGRI.read_bytes()[:5000]
    url = server.script("/v2/agri", Reply(200, body))

    with pytest.raises(PayloadError) as info:
        fetch_source(client, make_source(url), "agriculture")

    assert "invalid JSON" in str(info.value)
    assert_names_context(info.value, url)


def test_real_world_bank_error_body_raises_api_error(server, client):
    url = server.script("/v2/co2", Reply(200, WB_ERROR.read_bytes(), {"Content-Type": "application/json"}))
    source = make_source(url, id="wb_co2_emissions", snapshot="environment/worldbank_api_v2/wb_co2_emissions.json")

    with pytest.raises(ApiErrorBody) as info:
        fetch_source(client, source, "environment", None)

    text = str(info.value)
    assert "id=175" in text and "key=Invalid format" in text
    assert "The indicator was not found. It may have been deleted or archived." in text
    assert_names_context(info.value, url, sector="environment", source="wb_co2_emissions")
    assert info.value.messages[0]["id"] == "175"


def test_real_powershell_reserialised_file_is_rejected_as_bom(server, client):
    url = server.script("/v2/enrr", Reply(200, WB_POWERSHELL.read_bytes()))

    with pytest.raises(PayloadError) as info:
        fetch_source(client, make_source(url, id="wb_se_ter_enrr"), "education")

    assert "UTF-8 BOM / not World Bank wire format" in str(info.value)


def test_powershell_shape_without_bom_is_rejected_as_not_wire_format(tmp_path):
    body = WB_POWERSHELL.read_bytes()[3:]  # same file, BOM stripped: {"value": [...], "Count": n}
    with pytest.raises(PayloadError) as info:
        validate_payload(make_source("http://x.invalid/"), body, sector_id="education", url="http://x.invalid/")
    assert "not World Bank wire format" in str(info.value)


def test_validate_payload_accepts_real_snapshots():
    wb = validate_payload(make_source("http://x.invalid/"), WB_AGRI.read_bytes(), sector_id="agriculture", url=None)
    assert wb[0]["total"] == 65 and len(wb[1]) == 65
    xlsx = make_source("http://x.invalid/", fmt="xlsx", id="gso_rice_2014")
    assert validate_payload(xlsx, RICE_XLSX.read_bytes(), sector_id="agriculture", url=None) is None
    csv = make_source("http://x.invalid/", fmt="csv", id="owid_fertilizer")
    assert validate_payload(csv, OWID_CSV.read_bytes(), sector_id="agriculture", url=None) is None
    with pytest.raises(PayloadError, match="zip signature"):
        validate_payload(xlsx, OWID_CSV.read_bytes(), sector_id="agriculture", url=None, file=str(OWID_CSV))


def test_json_format_rejects_invalid_json_and_accepts_bom():
    src = make_source("http://x.invalid/", fmt="json", id="gho_root")
    assert validate_payload(src, b'\xef\xbb\xbf{"value": []}', sector_id="health", url=None) == {"value": []}
    with pytest.raises(PayloadError, match="invalid JSON"):
        validate_payload(src, b'{"value": [', sector_id="health", url=None)


# --------------------------------------------------------------------------- World Bank paging


def repaged_real_payload(total_on_page_2: int | None = None) -> tuple[bytes, bytes, int]:
    """A RE-PAGED COPY of the real wb_agri_land.json: its 65 records split in two with pages=2.

    No genuine multi-page World Bank response is stored (PROVENANCE §5), so the real meta and
    records are re-cut the way the API pages (same meta keys, page/pages/per_page adjusted).
    """
    meta, records = json.loads(WB_AGRI.read_bytes())
    per_page = 33
    page1 = [{**meta, "page": 1, "pages": 2, "per_page": per_page}, records[:per_page]]
    meta2 = {**meta, "page": 2, "pages": 2, "per_page": per_page}
    if total_on_page_2 is not None:
        meta2["total"] = total_on_page_2
    page2 = [meta2, records[per_page:]]
    dump = lambda obj: json.dumps(obj, separators=(",", ":"), ensure_ascii=False).encode()  # noqa: E731
    return dump(page1), dump(page2), len(records)


def test_world_bank_paging_fetches_all_pages(server, client):
    page1, page2, n = repaged_real_payload()
    url = server.script("/v2/agri", Reply(200, page1), Reply(200, page2))

    pages = fetch_source(client, make_source(url, paging="worldbank"), "agriculture")

    hits = server.hits("/v2/agri")
    assert [h.query["page"] for h in hits] == ["1", "2"]
    assert all(h.query["per_page"] == "1000" and h.query["format"] == "json" for h in hits)
    assert [p.number for p in pages] == [1, 2] and [p.body for p in pages] == [page1, page2]
    assert [p.params["page"] for p in pages] == ["1", "2"]
    assert sum(len(json.loads(p.body)[1]) for p in pages) == n == 65


def test_world_bank_paging_total_changing_between_pages_is_a_payload_error(server, client):
    page1, page2, _ = repaged_real_payload(total_on_page_2=66)
    url = server.script("/v2/agri", Reply(200, page1), Reply(200, page2))

    with pytest.raises(PayloadError) as info:
        fetch_source(client, make_source(url, paging="worldbank"), "agriculture")

    assert "paging changed between pages" in str(info.value)
    assert "total=65" in str(info.value) and "total=66" in str(info.value)
    assert_names_context(info.value, "page=2")


def test_world_bank_single_page_real_payload_makes_one_request(server, client):
    url = server.script("/v2/agri", Reply(200, WB_AGRI.read_bytes()))
    pages = fetch_source(client, make_source(url, paging="worldbank"), "agriculture")
    assert len(pages) == 1 and len(server.hits("/v2/agri")) == 1


def test_world_bank_sources_endpoint_with_string_paging_fields(server, client):
    # The real wbSources.json has "page":"1","pages":"1","total":"70" as strings.
    url = server.script("/v2/sources", Reply(200, WB_SOURCES.read_bytes()))
    source = make_source(url, id="wb_sources", paging="worldbank", params={"format": "json", "per_page": "5000"})
    (page,) = fetch_source(client, source, "reference")
    assert page.body == WB_SOURCES.read_bytes()


def test_errors_survive_pickling():
    err = PermanentHttpError(status=404, reason="Not Found", sector_id="s", source_id="x", url="http://h/p")
    back = pickle.loads(pickle.dumps(err))
    assert str(back) == str(err) and back.status == 404 and back.url == "http://h/p"
