"""What a sector owner sees when a run revises a past value, in Chromium, on real transport data.

Two real transport runs outside Airflow (replayed payloads, ``SECTOR_DATASETS_APPROVALS=cli``):
the first publishes v1; before the second, one airport's latitude in a private copy of the real
OpenFlights file is moved by 0.25° (SYNTHETIC EDIT: a revision of a past value, still valid), so
the default publish policy holds v2. The static scorecard must say so on the dataset's card —
what changed, why it waits, the commands that decide — and, once the owner runs the command it
shows, say who approved it. Screenshots: test-artifacts/ui/owner-awaiting-approval.png and
owner-approved.png.
"""

from __future__ import annotations

import os

import pytest
from playwright.sync_api import expect

from sector_datasets import cli
from sector_datasets.orchestration import inline
from sector_datasets.settings import get_settings
from tests.helpers import TRANSPORT_FILES, copy_snapshot, revise_airport_latitude

pytestmark = pytest.mark.slow  # two transport runs + Chromium

DS = "transport_airports"


@pytest.fixture(scope="module")
def held(tmp_path_factory):
    snapshot = copy_snapshot(TRANSPORT_FILES, tmp_path_factory.mktemp("release_note_snapshot"))
    env = {"SECTOR_DATASETS_HOME": str(tmp_path_factory.mktemp("release_note_home")),
           "SECTOR_DATASETS_SNAPSHOT_DIR": str(snapshot), "SECTOR_DATASETS_APPROVALS": "cli"}
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        first = inline.run_sector("transport", "run_1")
        assert first[DS]["version"] == 1 and first[DS]["action"] == "publish", first[DS]
        revise_airport_latitude(snapshot, 3)
        second = inline.run_sector("transport", "run_2")
        assert second[DS]["held"] and second[DS]["version"] == 2, second[DS]
        yield get_settings()
    finally:
        for k, v in old.items():
            os.environ.pop(k, None) if v is None else os.environ.__setitem__(k, v)


def test_the_owner_reads_what_changed_decides_with_the_shown_command_and_the_card_says_who(held, browser, artifacts):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        scorecard = (held.reports_dir / "transport" / "index.html").as_uri()
        page.goto(scorecard)
        card = page.locator(f"article#{DS}")
        waiting = card.locator('section.held[data-held="2"]')
        expect(waiting).to_contain_text("Đang chờ phê duyệt: v2")
        expect(waiting).to_contain_text("1 giá trị cũ được sửa")  # the note, Vietnamese first
        expect(waiting).to_contain_text("1 past value revised")
        expect(waiting).to_contain_text("vượt ngưỡng 0 %")  # why it waits: the policy's reason
        expect(waiting).to_contain_text(f"python -m sector_datasets.cli approve {DS}")
        expect(card.locator('section.changes[data-changes="1"]')).to_contain_text("What changed in v1")
        card.scroll_into_view_if_needed()
        card.screenshot(path=str(artifacts / "owner-awaiting-approval.png"))

        assert cli.main(["approve", DS, "--by", "chu.so.huu@example.gov.vn"]) == 0
        page.goto(scorecard)
        card = page.locator(f"article#{DS}")
        expect(card.locator("section.held")).to_have_count(0)
        changes = card.locator('section.changes[data-changes="2"]')
        expect(changes).to_contain_text("What changed in v2")
        expect(changes).to_contain_text("Đã được chu.so.huu@example.gov.vn phê duyệt")
        expect(changes.locator('[data-approval="approved"]')).to_contain_text("chu.so.huu@example.gov.vn")
        card.screenshot(path=str(artifacts / "owner-approved.png"))
    finally:
        page.close()
