"""The scorecards inside the Airflow 3 UI: a sector owner logs in, opens the menu entry and sees,
in the embedded page, which dataset failed its gate and on which expectation. Anonymous
requests to the plugin's routes are refused."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from sector_datasets.settings import REPO_ROOT

pytestmark = pytest.mark.slow  # Airflow standalone + Chromium + two transport runs (tests/ui/conftest.py)

MENU_ENTRY = "Thẻ điểm dữ liệu / Data scorecards"
PROTECTED = [
    "/sector-datasets/",
    "/sector-datasets/reports/index.html",
    "/sector-datasets/reports/transport/index.html",
    "/sector-datasets/exports/catalog.jsonld",
    "/sector-datasets/exports/transport/transport_airports/current/transport_airports.csv",
    "/sector-datasets/dag/sector_transport",
]


@pytest.fixture(scope="module")
def token(airflow) -> str:
    response = httpx.post(f"{airflow.base_url}/auth/token", json={"username": "admin", "password": airflow.admin_password()})
    assert response.status_code == 201, response.text
    return response.json()["access_token"]


@pytest.mark.parametrize("route", PROTECTED)
def test_an_anonymous_request_gets_401(airflow, route):
    response = httpx.get(airflow.base_url + route, follow_redirects=False)
    assert response.status_code == 401, (route, response.status_code, response.text[:200])


def test_a_forged_token_is_refused(airflow):
    response = httpx.get(f"{airflow.base_url}/sector-datasets/reports/index.html", cookies={"_token": "forged"})
    assert response.status_code in (401, 403)


def test_a_signed_in_user_gets_the_reports_and_exports_and_nothing_else(airflow, token):
    with httpx.Client(base_url=airflow.base_url, headers={"Authorization": f"Bearer {token}"}) as client:
        root = client.get("/sector-datasets/", follow_redirects=False)
        assert root.status_code == 307 and root.headers["location"] == "reports/index.html"
        scorecard = client.get("/sector-datasets/reports/transport/")
        assert scorecard.status_code == 200 and scorecard.headers["content-type"] == "text/html; charset=utf-8"
        assert 'data-dataset="transport_airports" data-gate="failed"' in scorecard.text
        csv = client.get("/sector-datasets/exports/transport/transport_airports/current/transport_airports.csv")
        assert csv.status_code == 200 and csv.content.startswith(b"\xef\xbb\xbfairport_id,")  # UTF-8 with BOM, for Excel
        catalog = client.get("/sector-datasets/exports/catalog.jsonld")
        assert catalog.headers["content-type"].startswith("application/ld+json") and catalog.json()["@type"] == "dcat:Catalog"
        tab = client.get("/sector-datasets/dag/sector_transport", follow_redirects=False)
        assert tab.status_code == 307 and tab.headers["location"] == "../reports/transport/index.html"
        for outside in ("/sector-datasets/reports/%2e%2e/warehouse.duckdb", "/sector-datasets/exports/%2e%2e/warehouse.lock",
                        "/sector-datasets/reports/..%2F..%2Fwarehouse.duckdb", "/sector-datasets/reports/transport/%2Eanything",
                        "/sector-datasets/dag/not_a_sector"):
            assert client.get(outside).status_code == 404, outside


def test_a_sector_owner_opens_the_scorecard_from_the_airflow_menu(airflow, browser, artifacts):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        page.goto(f"{airflow.base_url}/")
        page.get_by_label("Username").fill("admin")
        page.get_by_label("Password").fill(airflow.admin_password())
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(lambda url: "/auth/login" not in url, timeout=30_000)

        # The UI is a single-page app: under load a click before it has settled can be swallowed.
        link = page.get_by_role("link", name=MENU_ENTRY)
        expect(link).to_be_visible(timeout=30_000)
        page.wait_for_load_state("networkidle")
        for attempt in range(3):  # a click the SPA swallowed while busy (seen once in CI) is retried
            link.click()
            try:
                page.wait_for_url("**/plugin/sector-datasets", timeout=20_000)
                break
            except PlaywrightTimeout:
                if attempt == 2:
                    raise
        frame = page.frame_locator("iframe")
        expect(frame.locator('tr[data-rank][data-sector="transport"]')).to_be_visible(timeout=20_000)
        page.screenshot(path=str(artifacts / "airflow-overview.png"))

        frame.get_by_role("link", name="Giao thông vận tải").first.click()
        failing = frame.locator('[data-dataset="transport_airports"][data-gate="failed"]')
        expect(failing).to_contain_text("Không đạt", timeout=20_000)
        expect(frame.locator('[data-dataset="transport_bus_routes"][data-gate="passed"]')).to_contain_text("Đạt")
        card = frame.locator("article#transport_airports")
        expect(card).to_contain_text("expect_column_values_to_be_unique(airport_id)")
        expect(card).to_contain_text("expect_column_values_to_be_between(latitude)")
        expect(card).to_contain_text("95")
        page.screenshot(path=str(artifacts / "airflow-scorecard.png"))
        card.screenshot(path=str(artifacts / "airflow-failing-dataset.png"))

        card.get_by_role("link", name="kết quả chi tiết").click()
        row = frame.locator('tr[data-expectation="expect_column_values_to_be_unique(airport_id)"]')
        expect(row).to_have_attribute("data-success", "no", timeout=20_000)
        page.screenshot(path=str(artifacts / "airflow-validation-result.png"))
    finally:
        page.close()


def test_the_open_data_api_is_anonymous_inside_airflow_and_the_owner_pages_are_not(airflow):
    """Open datasets need no login; the scorecards (owners' internal pages) still do."""
    listing = httpx.get(f"{airflow.base_url}/open-data/datasets")
    assert listing.status_code == 200, listing.text[:500]
    ids = {d["id"] for d in listing.json()["datasets"]}
    assert "transport_bus_routes" in ids
    rows = httpx.get(f"{airflow.base_url}/open-data/datasets/transport_bus_routes/rows", params={"limit": 2})
    assert rows.status_code == 200 and len(rows.json()["rows"]) == 2
    assert rows.json()["next"].startswith(f"{airflow.base_url}/open-data/"), "links carry the mount prefix"
    assert httpx.get(f"{airflow.base_url}/sector-datasets/reports/index.html").status_code == 401


def test_airflow_lists_the_plugin_with_its_app_and_menu_entries(airflow, token):
    response = httpx.get(f"{airflow.base_url}/api/v2/plugins", headers={"Authorization": f"Bearer {token}"})
    plugin = next(p for p in response.json()["plugins"] if p["name"] == "sector_datasets_ui")
    assert [a["url_prefix"] for a in plugin["fastapi_apps"]] == ["/sector-datasets", "/open-data"]
    views = {v["url_route"]: v for v in plugin["external_views"]}
    assert views["sector-datasets"]["href"] == "/sector-datasets/" and views["sector-datasets"]["nav_top_level"] is True
    assert views["sector-datasets-dag"]["destination"] == "dag"


def test_importing_the_plugin_stays_cheap(tmp_path):
    """Every Airflow process imports plugins, each task included: no FastAPI, no API security
    module, no project code at import time (they load on the first request, in the API server)."""
    probe = (
        "import sys, sector_datasets_ui as m; "
        "print(m.SectorDatasetsUIPlugin.name, [k for k in ('fastapi', 'airflow.api_fastapi.core_api.security', "
        "'sector_datasets.settings') if k in sys.modules])"
    )
    env = {"AIRFLOW_HOME": str(tmp_path), "PYTHONPATH": str(REPO_ROOT / "plugins"), "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "sector_datasets_ui []"
