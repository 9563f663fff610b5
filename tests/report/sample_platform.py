"""A small platform in a temporary folder, made with the real publish and quality code (no dbt):
two sectors, a registry, suites, a usage scenario, published versions and kept gate results.

``demo`` sector:
  * ``demo_values``  — every column type the exports use, published, gate passed, scenario runs;
  * ``demo_broken``  — published v1 on the good run, then its gate failed (duplicate key, a value
    out of range) on the latest run: the last good version stays published;
  * ``demo_never``   — its dbt model never built: a gate error, never published.
``other`` sector: ``other_counts`` — published, passing; then v2 (a row added, one revised),
  approved by its owner, and v3 (a row dropped, a large revision) held for approval: written but
  not served. Their release notes (``metadata.json["changes"]``) are written here as the publish
  lane will write them — a stand-in until the publish stage computes diffs (see ``_release``).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import yaml

from sector_datasets.state import runlog
from sector_datasets.gate.outcomes import ExpectationOutcome, GateVerdict
from sector_datasets.publish.approval import approve
from sector_datasets.publish.wap import publish_dataset
from sector_datasets.state.tables import create_platform_tables
from sector_datasets.gate.verdicts import store_verdict
from sector_datasets.review.records import Reason
from sector_datasets.registry import Registry, load_registry
from sector_datasets.settings import Settings

GOOD_RUN, BAD_RUN = "scheduled__2026-05-01T00:00:00+00:00", "scheduled__2026-05-08T00:00:00+00:00"
# On the real clock: publish stamps versions with the time it runs.
BAD_AT = datetime.now(UTC).replace(microsecond=0) - timedelta(days=1)
GOOD_AT = BAD_AT - timedelta(days=7)

OWNER = {"organisation": {"vi": "Bộ Thử nghiệm", "en": "Ministry of Testing"}, "contact": "data@example.gov.vn"}


def _source(sid: str) -> dict:
    return {
        "id": sid, "title": f"{sid} file", "publisher": "Example Office", "format": "csv",
        "url": f"https://raw.githubusercontent.com/example/repo/0123abcd/{sid}.csv", "snapshot": f"demo/{sid}.csv", "licence": "CC-BY-4.0",
        "provenance": f"example/repo @ 0123abcd : {sid}.csv",
        "dbt_source": f"demo.{sid}", "delivers": {"fields": {"item_id": "text"}},
    }


def _dataset(did: str, pk: list[str], frequency: str = "yearly", licence: str = "CC-BY-4.0", **extra) -> dict:
    return {
        "id": did, "title": {"vi": f"Bộ {did}", "en": f"Dataset {did}"},
        "description": {"vi": f"Mô tả {did}.", "en": f"Description of {did}."},
        "grain": "one row per province and year", "primary_key": pk, "sources": ["demo_src"],
        "update_frequency": frequency, "licence": licence, "coverage": "Test coverage.",
        "columns": [_column(did, c) for c in CONTRACT[did]],
        "promise": {"geography": {"text": "Two test provinces"}, **({"period": "year", "min_periods": 1} if "year" in CONTRACT[did] else {})},
        **extra,
    }


COLUMN_DOCS = {
    "province_code": ("Two-digit province code (2025 list).", "Mã tỉnh hai chữ số (danh mục 2025)."),
    "year": ("Calendar year.", "Năm."),
    "value": ("Measured value.", "Giá trị đo."),
    "share": ("Share of the national total, percent.", "Tỉ trọng trong tổng cả nước, %."),
    "big_count": ("A large count.", "Số đếm lớn."),
    "is_final": ("Whether the figure is final.", "Số liệu chính thức hay chưa."),
    "as_of_date": ("Reference date.", "Ngày tham chiếu."),
    "loaded_at": ("When the source was loaded.", "Thời điểm nạp nguồn."),
    "status": ("final or provisional.", "Chính thức hoặc sơ bộ."),
    "note": ("Free-text note.", "Ghi chú."),
    "item_id": ("Item id.", "Mã mục."),
    "amount": ("Amount, percent.", "Giá trị, %."),
    "n": ("Count.", "Số lượng."),
}

# The contract of each dataset's columns: type, then what else the column promises.
CONTRACT: dict[str, dict[str, tuple]] = {
    "demo_values": {
        "province_code": ("text",), "year": ("integer",), "value": ("double", {"unit": "tonnes"}),
        "share": ("decimal", {"nullable": True, "unit": "%"}), "big_count": ("integer", {"nullable": True}),
        "is_final": ("boolean", {"nullable": True}), "as_of_date": ("date", {"nullable": True}),
        "loaded_at": ("timestamp", {"nullable": True}), "status": ("text", {"values": ["final", "provisional"]}),
        "note": ("text", {"nullable": True}),
    },
    "demo_broken": {"item_id": ("integer",), "amount": ("double",)},
    "demo_never": {"item_id": ("integer",)},
    "other_counts": {"item_id": ("integer", {"unique": True}), "n": ("integer",)},
}


def _column(did: str, name: str) -> dict:
    kind, *extra = CONTRACT[did][name]
    en, vi = COLUMN_DOCS[name]
    return {"name": name, "type": kind, "description": {"en": en, "vi": vi}, **(extra[0] if extra else {})}


REGISTRY = {
    "demo": {
        "id": "demo", "name": {"vi": "Lĩnh vực mẫu", "en": "Demo sector"}, "owner": OWNER,
        "sources": [_source("demo_src")],
        "datasets": [
            _dataset("demo_values", ["province_code", "year"]),
            _dataset("demo_broken", ["item_id"], frequency="monthly"),
            _dataset("demo_never", ["item_id"], licence="CC-BY-4.0 (verify)"),
        ],
        "usage_scenarios": [
            {
                "id": "values_by_province", "title": {"vi": "Giá trị theo tỉnh", "en": "Values by province"},
                "question": {"vi": "Tỉnh nào có giá trị lớn nhất?", "en": "Which province has the largest value?"},
                "datasets": ["demo_values"], "users": ["planners"], "check": {"min_rows": 2, "not_null": ["total"]},
            }
        ],
    },
    "other": {
        "id": "other", "name": {"vi": "Lĩnh vực khác", "en": "Other sector"}, "owner": OWNER,
        "sources": [_source("other_src")],
        "datasets": [dict(_dataset("other_counts", ["item_id"]), sources=["other_src"])],
    },
}

SCENARIO_SQL = "select province_code, sum(value) as total from curated.demo_values group by 1 order by 1"


def _expectation(kind: str, why: str, **kwargs) -> dict:
    return {"type": kind, "kwargs": kwargs, "meta": {"why": why}}


SUITES = {
    "demo_values": [
        _expectation("expect_table_row_count_to_be_between", "a few rows", min_value=2, max_value=100),
        _expectation("expect_column_values_to_not_be_null", "primary key", column="province_code"),
        _expectation("expect_column_values_to_match_regex", "two-digit province codes", column="province_code", regex="^[0-9]{2}$"),
        _expectation("expect_column_values_to_not_be_null", "primary key", column="year"),
        _expectation("expect_column_values_to_be_between", "years we hold", column="year", min_value=2000, max_value=2030),
        _expectation("expect_column_values_to_be_between", "non-negative", column="value", min_value=0, max_value=1e9),
        _expectation("expect_column_values_to_be_in_set", "two statuses", column="status", value_set=["final", "provisional"]),
        _expectation("expect_column_values_to_be_between", "share of a whole", column="share", min_value=0, max_value=100, mostly=0.95),
        _expectation("expect_column_values_to_be_between", "only for provisional rows", column="value", min_value=5,
                     row_condition='col("status")=="provisional"', condition_parser="great_expectations"),
    ],
    "demo_broken": [
        _expectation("expect_table_row_count_to_be_between", "a few rows", min_value=1, max_value=100),
        *[_expectation("expect_column_values_to_not_be_null", "documented column", column=c) for c in ("item_id", "amount")],
        # Also stated by the contract (whose reason the scorecard shows): these lists fabricate the
        # gate results of the sample runs, one per entry.
        _expectation("expect_column_values_to_be_unique", "primary key: one row per item", column="item_id"),
        _expectation("expect_column_values_to_be_between", "amounts are percentages", column="amount", min_value=0, max_value=100),
        *[_expectation("expect_column_values_to_not_be_null", "placeholder", column="item_id") for _ in range(3)],
    ],
    "demo_never": [_expectation("expect_column_values_to_not_be_null", "pk", column="item_id")] * 8,
    "other_counts": [_expectation("expect_column_values_to_not_be_null", "pk", column="item_id")] * 8,
}

TABLES = {
    "demo_values": """
        SELECT * FROM (VALUES
          ('01', 2024, 12.5::DOUBLE, 10.25::DECIMAL(5,2), 9007199254740993::BIGINT, true,  DATE '2024-12-31',
           TIMESTAMP '2024-12-31 23:59:59', 'final', 'Hà Nội, "thủ đô"'),
          ('79', 2024, 0.000012::DOUBLE, 99.5::DECIMAL(5,2), -3::BIGINT, false, DATE '2024-01-01',
           TIMESTAMP '2024-01-01 00:00:00', 'provisional', NULL),
          ('79', 2023, 7.0::DOUBLE, NULL::DECIMAL(5,2), NULL::BIGINT, NULL, NULL, NULL, 'final', 'TP. Hồ Chí Minh')
        ) t(province_code, year, value, share, big_count, is_final, as_of_date, loaded_at, status, note)""",
    "demo_broken": "SELECT * FROM (VALUES (1, 10.0::DOUBLE), (2, 20.0::DOUBLE)) t(item_id, amount)",
    "other_counts": "SELECT * FROM (VALUES (1, 5), (2, 6)) t(item_id, n)",
}


RELEASE_RUN, HELD_RUN = "manual__2026-05-09T00:00:00+00:00", "manual__2026-05-10T00:00:00+00:00"
APPROVER = "chu.so.huu@example.gov.vn"
APPROVAL_REASON = "Đã đối chiếu với cục thống kê"
# other_counts v2: item 2 revised (6 → 7), item 3 added; v3: item 3 dropped, item 2 revised again (7 → 12).
RELEASES = {
    RELEASE_RUN: "SELECT * FROM (VALUES (1, 5), (2, 7), (3, 4)) t(item_id, n)",
    HELD_RUN: "SELECT * FROM (VALUES (1, 5), (2, 12)) t(item_id, n)",
}
# The real policy's notes and reasons for those two versions (review.diff.release_note, review.policy).
V2_NOTE = {"vi": "1 dòng mới; 1 giá trị cũ được sửa, lớn nhất +17 % (n của item_id 2: 6 → 7). Đã được chu.so.huu@example.gov.vn phê duyệt.",
           "en": "1 new row; 1 past value revised, largest +17 % (n of item_id 2: 6 → 7). Approved by chu.so.huu@example.gov.vn."}
V3_NOTE = {"vi": "1 dòng bị bỏ; 1 giá trị cũ được sửa, lớn nhất +71 % (n của item_id 2: 7 → 12). Đang chờ chủ sở hữu phê duyệt.",
           "en": "1 row removed; 1 past value revised, largest +71 % (n of item_id 2: 7 → 12). Waiting for the owner's approval."}
V3_REASONS = [
    Reason(en="1 of 3 served rows (33.3 %) disappeared.", vi="1 trên 3 dòng đang công bố (33.3 %) bị mất."),
    Reason(en="1 past row(s) revised beyond the tolerance of 0 %; largest relative revision 71.4 %.",
           vi="1 dòng số liệu cũ bị sửa vượt ngưỡng 0 %; mức sửa lớn nhất 71.4 %."),
]


def _release(settings: Settings, registry: Registry, run_id: str) -> None:
    """Publish the next other_counts version with the real publish code and its real policy.

    Both versions revise a past value, so the default policy holds each: v2 is approved by the
    owner (the real ``approve``), v3 stays awaiting.
    """
    sector, dataset = registry.dataset("other_counts")
    with duckdb.connect(str(settings.warehouse_path)) as con:
        con.execute(f"CREATE OR REPLACE TABLE audit.other_counts AS {RELEASES[run_id]}")
        publication = publish_dataset(
            con, registry=registry, sector=sector, dataset=dataset, run_id=run_id, exports_dir=settings.exports_dir,
            validation={"suite": "other_counts", "success": True, "evaluated": 8, "failed": 0, "validated_at": GOOD_AT.isoformat()},
        )
        assert publication.held, f"the default policy should hold {run_id}: {publication.changes}"
        if run_id == RELEASE_RUN:
            approve(con, settings.exports_dir, sector.id, dataset.id, publication.version, by=APPROVER, reason=APPROVAL_REASON)


@dataclass
class Sample:
    settings: Settings
    registry: Registry
    repo: Path
    home: Path


def make_settings(repo: Path, home: Path) -> Settings:
    return Settings(
        repo_root=repo, registry_dir=repo / "include" / "sectors", snapshot_dir=repo / "snapshot", home=home,
        source_mode="replay", replay_url=None, http_timeout_s=5, http_max_attempts=1, http_backoff_s=0,
    )


def _verdict(dataset_id: str, sector_id: str, run_id: str, at: datetime, results: list[ExpectationOutcome], rows: int | None,
             error: str | None = None) -> GateVerdict:
    failed = sum(not r.success for r in results)
    return GateVerdict(
        dataset_id=dataset_id, sector_id=sector_id, run_id=run_id, suite_name=dataset_id, table=f"audit.{dataset_id}",
        success=error is None and failed == 0, evaluated=len(results), failed=failed, row_count=rows,
        started_at=at.isoformat(timespec="seconds"), duration_s=0.5, results=tuple(results), error=error,
    )


def _passing(dataset_id: str, rows: int) -> list[ExpectationOutcome]:
    return [
        ExpectationOutcome(type=e["type"], column=e["kwargs"].get("column"), kwargs=e["kwargs"], success=True,
                           observed_value=rows if "row_count" in e["type"] else None)
        for e in SUITES[dataset_id]
    ]


def build(tmp: Path) -> Sample:
    repo, home = tmp / "repo", tmp / "home"
    (repo / "include" / "sectors").mkdir(parents=True)
    for sid, sector in REGISTRY.items():
        (repo / "include" / "sectors" / f"{sid}.yml").write_text(yaml.safe_dump(sector, allow_unicode=True), encoding="utf-8")
    (repo / "expectations").mkdir()
    for name, expectations in SUITES.items():
        (repo / "expectations" / f"{name}.json").write_text(json.dumps({"name": name, "expectations": expectations}))
    (repo / "include" / "scenarios" / "demo").mkdir(parents=True)
    (repo / "include" / "scenarios" / "demo" / "values_by_province.sql").write_text(SCENARIO_SQL)
    home.mkdir()
    settings = make_settings(repo, home)
    registry = load_registry(settings.registry_dir)

    # Good run: every dataset that builds passes and is published (the real publish code).
    for dataset_id in TABLES:
        sector, dataset = registry.dataset(dataset_id)
        runlog.record(home, sector.id, GOOD_RUN, "start", sector.id, "success", "run started")
        with duckdb.connect(str(settings.warehouse_path)) as con:
            create_platform_tables(con)
            con.execute(f"CREATE OR REPLACE TABLE audit.{dataset_id} AS {TABLES[dataset_id]}")
            rows = con.execute(f"SELECT count(*) FROM audit.{dataset_id}").fetchone()[0]
            verdict = _verdict(dataset_id, sector.id, GOOD_RUN, GOOD_AT, _passing(dataset_id, rows), rows)
            publish_dataset(
                con, registry=registry, sector=sector, dataset=dataset, run_id=GOOD_RUN, exports_dir=settings.exports_dir,
                validation={"suite": dataset_id, "success": True, "evaluated": verdict.evaluated,
                                                   "failed": 0, "validated_at": verdict.started_at},
            )
        store_verdict(settings, verdict)
        runlog.record(home, sector.id, GOOD_RUN, "gate", dataset_id, "success", "passed")
    store_verdict(settings, _verdict("demo_never", "demo", GOOD_RUN, GOOD_AT, [], None,
                                     error="dbt model 'demo_never' did not build in this run (status error)"))

    _release(settings, registry, RELEASE_RUN)
    _release(settings, registry, HELD_RUN)

    # Bad run of the demo sector: demo_broken fails (duplicate id, amount out of range).
    runlog.record(home, "demo", BAD_RUN, "start", "demo", "success", "run started")
    broken = _passing("demo_broken", 3)
    broken[3] = ExpectationOutcome(type="expect_column_values_to_be_unique", column="item_id", kwargs={"column": "item_id"},
                                   success=False, unexpected_count=2, unexpected_percent=66.7, partial_unexpected_list=[2, 2],
                                   unexpected_rows=[{"item_id": 2}, {"item_id": 2}])  # as GX returns them (validate.run_suite)
    broken[4] = ExpectationOutcome(type="expect_column_values_to_be_between", column="amount",
                                   kwargs={"column": "amount", "min_value": 0, "max_value": 100}, success=False,
                                   unexpected_count=1, unexpected_percent=33.3, partial_unexpected_list=[250.0],
                                   unexpected_rows=[{"item_id": 3, "amount": 250.0}])
    store_verdict(settings, _verdict("demo_broken", "demo", BAD_RUN, BAD_AT, broken, 3))
    runlog.record(home, "demo", BAD_RUN, "gate", "demo_broken", "failed", "GateFailed: 2 of 8 expectations failed")
    store_verdict(settings, _verdict("demo_values", "demo", BAD_RUN, BAD_AT, _passing("demo_values", 3), 3))
    runlog.record(home, "demo", BAD_RUN, "gate", "demo_values", "success", "passed")
    return Sample(settings, registry, repo, home)
