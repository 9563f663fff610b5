"""Release notes: every served version carries its diff summary into metadata.json, the Data
Package, the DCAT catalog, the scorecard, the dataset page and `cli versions`; a version held for
the owner's approval shows as awaiting, with the reasons and the commands that decide it.

The sample platform's other_counts has v1 (first), v2 (approved by its owner, served) and v3
(held: written, not served), all three made and decided by the real publish, policy and approval
code (tests/report/sample_platform.py `_release`); demo_values holds two years (period coverage).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import duckdb
import frictionless
import pytest
from markupsafe import escape

from sector_datasets.orchestration.serving_commands import versions_cmd
from sector_datasets.publish.metadata import period_coverage
from sector_datasets.report.changes import changes_of, held_version
from sector_datasets.report.scorecard import environment, write_site
from sector_datasets.report.views import DatasetView
from sector_datasets.state import layout
from tests.report.sample_platform import APPROVER, V2_NOTE, V3_NOTE, V3_REASONS

NOW = datetime.now(UTC) + timedelta(minutes=5)


@pytest.fixture(scope="module")
def site(sample):
    write_site(sample.settings, sample.registry, now=NOW)
    return sample


def metadata(sample, dataset_id: str, folder: str = layout.CURRENT) -> dict:
    sector, _ = sample.registry.dataset(dataset_id)
    path = layout.dataset_dir(sample.settings.exports_dir, sector.id, dataset_id) / folder / "metadata.json"
    return json.loads(path.read_text(encoding="utf-8"))


def package(sample, dataset_id: str) -> dict:
    sector, _ = sample.registry.dataset(dataset_id)
    return json.loads(layout.datapackage_file(sample.settings.exports_dir, sector.id, dataset_id).read_text())


def catalog_entry(sample, dataset_id: str) -> dict:
    catalog = json.loads((sample.settings.exports_dir / layout.CATALOG_JSONLD_NAME).read_text())
    return next(d for d in catalog["dcat:dataset"] if d["dct:identifier"] == dataset_id)


# --- metadata.json ---------------------------------------------------------------------------


def test_metadata_records_the_periods_the_published_data_actually_holds(sample):
    assert metadata(sample, "demo_values")["period_coverage"] == {"column": "year", "from": 2023, "to": 2024, "periods": 2}
    assert "period_coverage" not in metadata(sample, "other_counts"), "no period in its contract: no coverage"


def test_period_coverage_is_sql_over_the_relation_and_keeps_dates_as_text(sample):
    _, dataset = sample.registry.dataset("demo_values")
    with duckdb.connect() as con:
        con.execute("CREATE TABLE t AS SELECT * FROM (VALUES (2019), (2019), (2021), (NULL)) v(year)")
        assert period_coverage(con, "t", dataset) == {"column": "year", "from": 2019, "to": 2021, "periods": 2}
        con.execute("CREATE TABLE d AS SELECT DATE '2024-01-31' AS year")
        assert period_coverage(con, "d", dataset)["from"] == "2024-01-31"


def test_a_first_version_says_so_and_a_version_from_before_diffs_has_no_note(sample):
    first = changes_of(metadata(sample, "demo_values"))
    assert first.version == 1 and first.first and first.by_policy
    assert first.note_en == "First version, 3 rows (year 2023, 2024). Published without review."
    assert first.note_vi == "Phiên bản đầu tiên, 3 dòng (năm 2023, 2024). Được công bố tự động."
    before_diffs = {k: v for k, v in metadata(sample, "demo_values").items() if k != "changes"}
    assert changes_of(before_diffs) is None


# --- files only: the held version ------------------------------------------------------------


def test_the_held_version_is_found_from_the_folders_alone(sample):
    exports = sample.settings.exports_dir
    held = held_version(exports, "other", "other_counts", served=2)
    assert held is not None and held.version == 3 and held.awaiting
    assert [vi for vi, _ in held.reasons] == [r.vi for r in V3_REASONS]
    assert held_version(exports, "other", "other_counts", served=3) is None, "a served version is not held"
    assert held_version(exports, "demo", "demo_values", served=1) is None
    served = changes_of(metadata(sample, "other_counts"))
    assert served.version == 2 and served.approved and served.approved_by == APPROVER and not served.awaiting


# --- Data Package and DCAT -------------------------------------------------------------------


def test_the_datapackage_carries_the_version_its_note_and_its_changes_and_still_validates(site):
    pkg = package(site, "other_counts")
    assert pkg["version"] == "2.0.0"
    assert pkg["notes"] == V2_NOTE
    changes = pkg["sector_datasets"]["changes"]
    assert changes["diff"]["added"] == 1 and changes["diff"]["changed"] == 1 and changes["diff"]["from_version"] == 1
    assert changes["approval"]["by"] == APPROVER and changes["policy"]["action"] == "approve"
    first = package(site, "demo_values")
    assert first["version"] == "1.0.0" and first["notes"]["en"].startswith("First version, 3 rows")
    assert package(site, "demo_values")["sector_datasets"]["period_coverage"]["periods"] == 2
    sector, _ = site.registry.dataset("other_counts")
    report = frictionless.validate(str(layout.datapackage_file(site.settings.exports_dir, sector.id, "other_counts")))
    assert report.valid, report.flatten(["type", "message"])


def test_dcat_has_the_version_its_notes_modified_and_the_temporal_coverage(site):
    other = catalog_entry(site, "other_counts")
    assert other["dcat:version"] == "2"
    assert {n["@language"]: n["@value"] for n in other["adms:versionNotes"]} == V2_NOTE
    assert other["dct:modified"]["@value"] == metadata(site, "other_counts")["published_at"]
    assert "dct:temporal" not in other
    values = catalog_entry(site, "demo_values")
    assert [n["@value"] for n in values["adms:versionNotes"] if n["@language"] == "en"][0].startswith("First version")
    temporal = values["dct:temporal"]
    assert temporal["@type"] == "dct:PeriodOfTime"
    assert temporal["dcat:startDate"] == {"@value": "2023", "@type": "xsd:gYear"}
    assert temporal["dcat:endDate"] == {"@value": "2024", "@type": "xsd:gYear"}


# --- scorecard and dataset page ---------------------------------------------------------------


def card(html: str, dataset_id: str) -> str:
    start = html.index('<article class="card state-')
    start = html.index(f'id="{dataset_id}"', start)
    return html[start: html.index("</article>", start)]


def test_the_card_says_what_changed_who_approved_and_what_awaits_approval(site):
    html = (site.settings.reports_dir / "other" / "index.html").read_text(encoding="utf-8")
    c = card(html, "other_counts")
    assert "Có gì thay đổi ở v2" in c and "What changed in v2" in c
    assert V2_NOTE["vi"] in c and V2_NOTE["en"] in c
    assert '<span data-count="added">+1 dòng mới</span>' in c
    assert '<span data-count="removed">−0 dòng bị bỏ</span>' in c
    assert '<span data-count="changed">1 dòng sửa</span>' in c
    assert f"Được phê duyệt bởi <strong>{APPROVER}</strong>" in c
    held = c[c.index('data-held="3"'):]
    assert "Đang chờ phê duyệt: v3" in held and escape(V3_NOTE["en"]) in held
    for reason in V3_REASONS:
        assert reason.vi in held and reason.en in held
    assert "python -m sector_datasets.cli approve other_counts" in held
    assert "python -m sector_datasets.cli reject other_counts --reason" in held
    # The datasets table flags the held version too; a dataset without a note shows none.
    assert 'class="badge stale" data-held="3"' in html
    demo = (site.settings.reports_dir / "demo" / "index.html").read_text(encoding="utf-8")
    assert "What changed in v1" in card(demo, "demo_values") and "Awaiting approval" not in demo
    scorecard = json.loads((site.settings.reports_dir / "other" / "scorecard.json").read_text())
    entry = scorecard["datasets"][0]
    assert entry["changes"]["version"] == 2 and entry["changes"]["approval"]["by"] == APPROVER
    assert entry["held"]["version"] == 3 and entry["held"]["action"] == "approve"


def test_the_dataset_page_shows_the_note_per_version_and_the_period_coverage(site):
    page = layout.dataset_page(site.settings.reports_dir, "other", "other_counts").read_text(encoding="utf-8")
    assert "<h2>Có gì thay đổi ở v2" in page
    assert '<h2 class="stale">Đang chờ phê duyệt: v3' in page
    rows = {v: page[page.index(f'<tr data-version="{v}">'):].split("</tr>", 1)[0] for v in (1, 2, 3)}
    assert V3_NOTE["vi"] in rows[3] and "chờ duyệt" in rows[3]
    assert V2_NOTE["en"] in rows[2] and "hiện hành" in rows[2]
    assert V2_NOTE["vi"] not in rows[1]
    values = layout.dataset_page(site.settings.reports_dir, "demo", "demo_values").read_text(encoding="utf-8")
    assert "year 2023–2024 (2 kỳ)" in values


def test_a_version_published_by_policy_says_so_and_lists_new_series_and_periods(site):
    meta = {"version": 5, "changes": {
        "diff": {"from_version": 4, "added": 12, "series_added": ["rice"], "periods_added": ["2025"]},
        "policy": {"action": "publish", "reasons": []}, "note": {"vi": "Thêm năm 2025.", "en": "Year 2025 added."},
        "approval": None}}
    view = DatasetView.__new__(DatasetView)  # only the template is under test: a view with the note alone
    view.changes, view.facts = changes_of(meta), type("F", (), {"held": None, "published": None})()
    html = environment().get_template("_changes.html.j2").render(d=view)
    assert "Có gì thay đổi ở v5" in html and "(so với v4)" in html
    assert "Tự động công bố theo chính sách công bố (không cần phê duyệt)" in html
    assert "<code>rice</code>" in html and "<code>2025</code>" in html
    assert "phê duyệt bởi" not in html and "Đang chờ phê duyệt" not in html


# --- cli versions -------------------------------------------------------------------------------


def test_cli_versions_prints_each_versions_note_on_its_line(sample, capsys):
    assert versions_cmd(sample.settings, "other_counts") == 0
    lines = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()[1:]}
    assert lines["v2"].endswith(f"{V2_NOTE['vi']} / {V2_NOTE['en']}")
    assert f"served; approved by {APPROVER}: " in lines["v2"]
    assert lines["v3"].endswith(f"{V3_NOTE['vi']} / {V3_NOTE['en']}") and "cli approve other_counts" in lines["v3"]
    assert "kept" in lines["v1"] and lines["v1"].endswith(
        "Phiên bản đầu tiên, 2 dòng. Được công bố tự động. / First version, 2 rows. Published without review.")
