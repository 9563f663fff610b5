"""The open-data read API over the real build's exports (``built_platform``), through HTTP.

Answers are checked against the same Parquet files read by DuckDB directly, so the API is held to
what is published, not to values written here.
"""

from __future__ import annotations

import io
import json
import re

import duckdb
import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from sector_datasets.api.app import create_api
from sector_datasets.settings import get_settings
from sector_datasets.state import layout

pytestmark = pytest.mark.slow  # needs built_platform

DS, SECTOR = "agri_rice_province", "agriculture"


@pytest.fixture(scope="module")
def client(built_platform):
    settings = get_settings()
    with TestClient(create_api(settings.exports_dir, settings.reports_dir)) as c:
        yield c


@pytest.fixture(scope="module")
def parquet(built_platform):
    settings = get_settings()
    return layout.parquet_file((layout.current_link(settings.exports_dir, SECTOR, DS)).resolve(), DS)


def _direct(parquet, sql_tail: str, params=()) -> list[tuple]:
    return duckdb.connect().execute(f"SELECT * FROM read_parquet('{parquet}') {sql_tail}", list(params)).fetchall()


def test_the_catalog_lists_every_published_dataset(client, built_platform):
    body = client.get("/datasets").json()
    published = {link.parent.name for link in layout.all_current_links(get_settings().exports_dir)}
    assert body["count"] == len(published) >= 40
    assert {d["id"] for d in body["datasets"]} == published
    rice = next(d for d in body["datasets"] if d["id"] == DS)
    assert rice["sector"] == SECTOR and rice["rows"] == len(_direct(layout.parquet_file(
        layout.current_link(get_settings().exports_dir, SECTOR, DS).resolve(), DS), ""))


@pytest.mark.parametrize("q", ["lúa", "lua", "LÚA TỈNH", "rice province"])
def test_free_text_search_in_vietnamese_and_english_with_and_without_diacritics(client, q):
    found = [d["id"] for d in client.get("/datasets", params={"q": q}).json()["datasets"]]
    assert DS in found, (q, found)


def test_search_by_sector_and_a_search_that_finds_nothing(client):
    sector = client.get("/datasets", params={"sector": "transport"}).json()
    assert sector["count"] >= 4 and all(d["sector"] == "transport" for d in sector["datasets"])
    assert client.get("/datasets", params={"q": "zzzz không có"}).json() == {"count": 0, "datasets": []}


def test_dataset_metadata_has_dictionary_units_licence_provenance_versions_and_quality(client):
    body = client.get(f"/datasets/{DS}").json()
    assert body["primary_key"] == ["province_code", "year"]
    units = {c["name"]: c.get("unit") for c in body["columns"]}
    assert units["cultivated_area_ha"] == "ha"
    assert body["licence"] and body["sources"] and body["validation"]["success"] is True
    assert body["quality"]["gate"] == "passed" and body["quality"]["maturity_level"] is not None
    assert body["links"]["rows"].endswith(f"/datasets/{DS}/rows")
    versions = client.get(f"/datasets/{DS}/versions").json()
    assert versions["latest"] == body["version"] and versions["versions"][-1]["readable"] is True
    assert versions["versions"][-1]["note"]["vi"]


def test_filters_columns_sort_and_pages_give_what_duckdb_gives_on_the_same_file(client, parquet):
    params = {"filter": ["year:eq:2017", "production_t:gte:100000", "province_code:notnull"],
              "columns": "province_code,production_t", "sort": "-production_t", "limit": 3}
    first = client.get(f"/datasets/{DS}/rows", params=params).json()
    expected = duckdb.connect().execute(
        f"SELECT province_code, production_t FROM read_parquet('{parquet}') WHERE year = 2017 AND production_t >= 100000 "
        "ORDER BY production_t DESC, province_code").fetchall()
    assert first["total"] == len(expected) > 3
    pages, url = [first], first["next"]
    while url:
        pages.append(client.get(url).json())
        url = pages[-1]["next"]
    got = [(r["province_code"], r["production_t"]) for p in pages for r in p["rows"]]
    assert got == expected
    chosen = client.get(f"/datasets/{DS}/rows", params={"filter": "province_code:in:01,31,99"}).json()
    assert {r["province_code"] for r in chosen["rows"]} == {r[0] for r in _direct(parquet, "WHERE province_code IN ('01','31','99')")}


def test_csv_and_parquet_carry_the_same_page(client):
    params = {"filter": "year:eq:2014", "columns": "province_code,year,total_area_ha", "limit": 50}
    as_json = client.get(f"/datasets/{DS}/rows", params=params).json()["rows"]
    as_csv = client.get(f"/datasets/{DS}/rows", params={**params, "format": "csv"})
    assert as_csv.headers["content-type"].startswith("text/csv")
    lines = as_csv.text.strip().splitlines()
    assert lines[0] == "province_code,year,total_area_ha" and len(lines) == len(as_json) + 1
    assert lines[1].split(",")[0] == as_json[0]["province_code"]  # codes stay text: leading zeros kept
    as_parquet = client.get(f"/datasets/{DS}/rows", params={**params, "format": "parquet"})
    table = pq.read_table(io.BytesIO(as_parquet.content))
    assert table.to_pylist() == as_json


def test_csv_spells_numbers_as_the_exports_do_never_with_an_exponent(client):
    """environment_climate_finance holds values like 0.00002 that Python would write as 2e-05."""
    body = client.get("/datasets/environment_climate_finance/rows", params={"format": "csv", "limit": 10000}).text
    lines = body.strip().split("\n")
    total = client.get("/datasets/environment_climate_finance/rows", params={"limit": 1}).json()["total"]
    assert len(lines) == total + 1
    assert not re.search(r"\d[eE][+-]?\d", body), [l for l in lines if re.search(r"\d[eE][+-]?\d", l)][:3]
    assert re.search(r",0\.0000\d", body), "the tiny values are there, spelled plainly"


def test_every_kept_version_has_a_stable_url_and_latest_follows_the_served_one(client):
    latest = client.get(f"/datasets/{DS}/rows", params={"limit": 5})
    version = latest.headers["x-dataset-version"]
    pinned = client.get(f"/datasets/{DS}/versions/{version}/rows", params={"limit": 5})
    assert pinned.json()["rows"] == latest.json()["rows"]
    assert "max-age" in pinned.headers["cache-control"] and latest.headers["cache-control"] == "no-cache"
    assert client.get(f"/datasets/{DS}/versions/{version}").json()["version"] == int(version)
    assert client.get(f"/datasets/{DS}/versions/999/rows").status_code == 404


@pytest.mark.parametrize("path", ["/datasets", f"/datasets/{DS}", f"/datasets/{DS}/rows?limit=5",
                                  f"/datasets/{DS}/versions", "/catalog.jsonld", f"/datasets/{DS}/datapackage.json",
                                  "/api/3/action/package_list"])
def test_harvesters_poll_cheaply_with_etag_and_last_modified(client, path):
    first = client.get(path)
    assert first.status_code == 200 and first.headers["etag"]
    again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert client.get(path, headers={"If-None-Match": '"something-else"'}).status_code == 200
    if "last-modified" in first.headers:
        since = client.get(path, headers={"If-Modified-Since": first.headers["last-modified"]})
        assert since.status_code == 304


@pytest.mark.parametrize(
    ("path", "status", "words"),
    [
        ("/datasets/no_such_dataset", 404, "unknown dataset"),
        ("/datasets/..%2F..%2Fwarehouse.duckdb/rows", 404, "Not Found"),
        (f"/datasets/{DS}/rows?filter=year:gte:abc", 400, "is not a integer"),
        (f"/datasets/{DS}/rows?filter=secret:eq:1", 400, "unknown column"),
        (f"/datasets/{DS}/rows?filter=year%3Bselect", 400, "malformed filter"),
        (f"/datasets/{DS}/rows?limit=1000000", 400, "limit"),
        (f"/datasets/{DS}/rows?columns=year,nope", 400, "unknown column"),
        (f"/datasets/{DS}/rows?format=xml", 400, "format"),
        (f"/datasets/{DS}/versions/0/rows", 400, "version"),
        ("/datasets/%2E%2E/rows", 404, "unknown dataset"),
        ("/no/such/route", 404, "Not Found"),
    ],
)
def test_bad_input_gets_a_4xx_with_a_clear_message(client, path, status, words):
    response = client.get(path)
    assert response.status_code == status, response.text
    assert words in response.json()["error"]["message"]


def test_browser_apps_may_read_it_cors(client):
    response = client.get("/datasets", headers={"Origin": "https://app.example.vn"})
    assert response.headers["access-control-allow-origin"] == "*"
    assert "ETag" in response.headers["access-control-expose-headers"]


def test_dcat_datapackage_and_openapi_are_served(client):
    catalog = client.get("/catalog.jsonld")
    assert catalog.headers["content-type"].startswith("application/ld+json") and "dcat:dataset" in catalog.text
    assert client.get(f"/datasets/{DS}/datapackage.json").json()["name"]
    spec = client.get("/openapi.json").json()
    assert {"/datasets", "/datasets/{dataset_id}/versions/{version}/rows", "/api/3/action/datastore_search"} <= set(spec["paths"])


def test_ckan_clients_work_unchanged(client, parquet):
    names = client.get("/api/3/action/package_list").json()
    assert names["success"] is True and DS in names["result"]
    package = client.get("/api/3/action/package_show", params={"id": DS}).json()["result"]
    assert package["name"] == DS and package["resources"][0]["datastore_active"] is True
    search = client.get("/api/3/action/package_search", params={"q": "lua tinh", "rows": 5}).json()["result"]
    assert DS in [p["name"] for p in search["results"]]
    store = client.get("/api/3/action/datastore_search", params={
        "resource_id": DS, "filters": json.dumps({"year": 2017}), "sort": "production_t desc", "limit": 2}).json()["result"]
    expected = _direct(parquet, "WHERE year = 2017 ORDER BY production_t DESC, province_code LIMIT 2")
    assert [r["province_code"] for r in store["records"]] == [e[0] for e in expected]
    assert store["total"] == len(_direct(parquet, "WHERE year = 2017"))
    missing = client.get("/api/3/action/package_show", params={"id": "nope"})
    assert missing.status_code == 404 and missing.json()["success"] is False
    bad = client.get("/api/3/action/datastore_search", params={"resource_id": DS, "filters": "[1]"})
    assert bad.status_code == 409 and "JSON object" in bad.json()["error"]["message"]
