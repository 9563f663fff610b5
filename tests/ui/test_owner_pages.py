"""The owner pages as a sector owner reads them, in Chromium, at desktop (1440×900) and phone
(390×844) size, on the real transport platform of tests/ui/conftest.py (a clean run, then a run
whose airports payload has a latitude of 95 and a duplicated airport: that gate fails).

What an owner must get without expanding anything: what to do next and who can do it; a failure
in plain Vietnamese naming the rows by key, the source to fix and whom to contact (GX's raw
result one click away); the data's period; times in Vietnam time. Screenshots (kept as CI
artefacts) in test-artifacts/ui/: overview.png, sector-scorecard.png, failing-dataset.png,
phone-overview.png, phone-scorecard.png.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from playwright.sync_api import Page, expect

from tests.ui.conftest import BAD_RUN, GOOD_RUN

pytestmark = pytest.mark.slow  # Chromium + two transport runs (tests/ui/conftest.py)

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
DATASETS = ["transport_bus_routes", "transport_bus_stop_points", "transport_airports", "transport_air_routes",
            "transport_passenger_freight_monthly_by_mode"]

#: Every badge's box inside its card (a dataset card, a KPI tile, a table cell) and the screen.
BADGES_OUTSIDE = """() => {
  const out = [];
  const width = document.documentElement.clientWidth;
  for (const b of document.querySelectorAll('.badge')) {
    const box = b.getBoundingClientRect();
    if (box.width === 0) continue;  // hidden (e.g. a column hidden on phones)
    const holder = b.closest('.card, .kpi, td, dd, li, p');
    const h = holder.getBoundingClientRect();
    if (box.left < h.left - 0.5 || box.right > h.right + 0.5 || box.right > width + 0.5)
      out.push(`${b.textContent.trim()} [${Math.round(box.left)}–${Math.round(box.right)}] in ${holder.tagName}.${holder.className} [${Math.round(h.left)}–${Math.round(h.right)}]`);
  }
  return out;
}"""


@contextmanager
def open_page(browser, platform, path: str, viewport: dict) -> Iterator[Page]:
    phone = viewport == PHONE
    page = browser.new_page(viewport=viewport, is_mobile=phone, has_touch=phone)
    try:
        page.goto((platform.settings.reports_dir / path).as_uri())
        yield page
    finally:
        page.close()


def assert_fits(page: Page, what: str) -> None:
    scroll_width, client_width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert scroll_width <= client_width, f"{what}: page is {scroll_width}px wide on a {client_width}px screen"
    assert page.evaluate(BADGES_OUTSIDE) == [], f"{what}: badges overflow their cards"


def assert_owner_words(page: Page, what: str) -> None:
    text = page.locator("body").inner_text()
    assert "kỳ vọng" not in text.lower(), f"{what}: GX's 'expectation' translated as 'hope'"
    assert "Tỉ lệ" not in text, f"{what}: the pages write 'Tỷ lệ'"
    assert "giờ Việt Nam" in text and not re.search(r"\d{4}-\d{2}-\d{2}[ T\u00a0]\d{2}:\d{2}", text), f"{what}: times not in ICT"
    assert not re.search(r"\bUTC\b(?!\+7)", text), f"{what}: a time still in UTC"
    assert not re.search(r"\d\.\d ngày|\d\.\d ×", text), f"{what}: an English decimal point"


def test_desktop_overview_says_what_each_sector_does_next(transport_platform, browser, artifacts):
    with open_page(browser, transport_platform, "index.html", DESKTOP) as page:
        row = page.locator('tr[data-sector="transport"]')
        step = row.locator("td[data-next]")
        assert step.get_attribute("data-next") != "none"
        expect(step).to_contain_text(re.compile(r"\w.+\((\d+) bộ · (Đơn vị chủ quản|Kỹ sư dữ liệu|Đơn vị cung cấp nguồn)"))
        expect(page.locator("table.ranking thead")).to_contain_text("Việc cần làm")
        assert_fits(page, "overview")
        assert_owner_words(page, "overview")
        page.screenshot(path=str(artifacts / "overview.png"), full_page=True)


def test_desktop_scorecard_gives_every_dataset_a_next_step_its_period_and_a_consistent_level(transport_platform, browser, artifacts):
    with open_page(browser, transport_platform, "transport/index.html", DESKTOP) as page:
        for ds in DATASETS:
            card = page.locator(f"article#{ds}")
            todo = card.locator("[data-todo]")
            expect(todo).to_be_visible()  # shown without expanding anything
            expect(todo).to_contain_text("Việc cần làm:")
            if todo.get_attribute("data-todo") != "none":
                expect(todo.locator("[data-who-name]")).to_contain_text(re.compile(r"Ai làm: \S"))
            # a published dataset is never called "not published", whatever its level
            expect(card.locator(".badge.level")).not_to_contain_text("Chưa công bố")
            expect(card.locator("[data-period]").first).to_have_text(re.compile(r"Dữ liệu (đến \S+|không chia theo kỳ)"))
        # the licence still to verify is the transport owner's step, named with the contact
        bus = page.locator("article#transport_bus_routes [data-todo]")
        expect(bus).to_have_attribute("data-todo", "open_licence")
        expect(bus).to_contain_text("data-transport@example.gov.vn")
        # the sector's level explains itself beside the gate count
        expect(page.locator('[data-kpi="level"] [data-level-why]')).to_contain_text("ít nhất 3 bộ dữ liệu")
        # one trend point per run, and each axis label carries the time (runs share a day)
        chart = page.locator("svg.chart")
        expect(chart.locator("circle")).to_have_count(2)
        assert [c.get_attribute("data-run") for c in chart.locator("circle").all()] == [GOOD_RUN, BAD_RUN]
        ticks = chart.locator("text.tick")
        expect(ticks).to_have_count(2)
        assert all(re.fullmatch(r"\d\d/\d\d\d\d:\d\d", t.text_content()) for t in ticks.all())
        # sparklines carry their values
        spark = page.locator("article#transport_airports svg.spark")
        expect(spark.locator("text.value")).to_have_text(re.compile(r"^\d[\d.]*$"))
        assert "Số dòng qua" in spark.get_attribute("aria-label")
        assert_fits(page, "scorecard")
        assert_owner_words(page, "scorecard")
        page.screenshot(path=str(artifacts / "sector-scorecard.png"), full_page=True)


def test_a_failing_dataset_names_the_rule_the_rows_by_key_the_source_and_the_contact(transport_platform, browser, artifacts):
    with open_page(browser, transport_platform, "transport/index.html", DESKTOP) as page:
        card = page.locator("article#transport_airports")
        failures = card.locator("section[data-failures]")
        expect(failures).to_be_visible()
        latitude = failures.locator('li[data-expectation="expect_column_values_to_be_between(latitude)"]')
        expect(latitude).to_contain_text("Quy tắc kiểm tra: Giá trị cột latitude phải từ 8 đến 23,5")
        expect(latitude).to_contain_text("giá trị sai: 95")
        expect(latitude.locator("[data-rows]")).to_contain_text(re.compile(r"Dòng cần sửa: airport_id \d+"))
        duplicate = failures.locator('li[data-expectation="expect_column_values_to_be_unique(airport_id)"] [data-rows]')
        expect(duplicate).to_contain_text(re.compile(r"airport_id \d+ \(2 dòng\)"))
        fix = failures.locator("[data-fix]")
        expect(fix.locator('[data-source="openflights_airports_vnm"]')).to_contain_text("OpenFlights")
        expect(fix.locator("[data-contact]")).to_contain_text("data-transport@example.gov.vn")
        expect(card.locator("[data-todo]")).to_have_attribute("data-who", "publisher")
        # GX's raw result is one click away, not in the way
        raw = latitude.locator("details.raw")
        expect(raw.locator("pre")).not_to_be_visible()
        raw.locator("summary").click()
        expect(raw.locator("pre")).to_contain_text('"partial_unexpected_list"')
        expect(raw.locator("pre")).to_contain_text('"unexpected_rows"')
        assert "kỳ vọng" not in card.inner_text().lower()
        card.scroll_into_view_if_needed()
        card.screenshot(path=str(artifacts / "failing-dataset.png"))


@pytest.mark.parametrize(("path", "shot"), [("index.html", "phone-overview.png"), ("transport/index.html", "phone-scorecard.png")])
def test_phone_pages_show_every_status_without_sideways_scrolling(transport_platform, browser, artifacts, path, shot):
    with open_page(browser, transport_platform, path, PHONE) as page:
        assert_fits(page, path)
        # every status cell (gate, level, next step, freshness) is on screen, not in a scrolled-off column
        width = page.evaluate("document.documentElement.clientWidth")
        cells = page.locator("table.stack-table td[data-label]")
        assert cells.count() > 0
        for cell in cells.all():
            box = cell.bounding_box()
            assert box is None or box["x"] + box["width"] <= width + 0.5, f"{path}: {cell.get_attribute('data-label')} off-screen"
        if path == "transport/index.html":
            row = page.locator('tr[data-row="transport_airports"]')
            row.scroll_into_view_if_needed()
            expect(row.locator("td[data-gate]")).to_be_visible()
            expect(row.locator("td[data-next]")).to_be_visible()
        page.screenshot(path=str(artifacts / shot), full_page=True)
