"""A SYNTHETIC person-level sector for the privacy and recovery tests — no real person in it.

Every name, phone number, citizen ID and e-mail below is invented for these tests: phone numbers
are 090000xxxx, citizen IDs 0010990000xx, e-mail addresses use the reserved domain example.com.
The sector lives in a private registry directory (with its own ``_policy.yml``) and its "dbt
marts" are plain tables written straight into ``audit`` — the privacy code under test only
reads audit tables, so dbt is not needed here.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path

import duckdb
import yaml

SECTOR = "synthetic"
PEOPLE = "synthetic_people"            # person-level rows: direct identifiers declared as pii
COUNTS = "synthetic_visit_counts"      # aggregated person counts: k-anonymity
LEAKY = "synthetic_leaky_notes"        # free text with undeclared personal data: gate must fail

# (citizen_id, full_name, phone, email, birth_year, district, visits, note) — all SYNTHETIC
PEOPLE_ROWS = [
    ("001099000001", "Nguyễn Văn Giả", "0900000001", "synthetic.one@example.com", 1980, "Ba Đình", 3, "tái khám"),
    ("001099000002", "Trần Thị Mẫu", "0900000002", "synthetic.two@example.com", 1975, "Ba Đình", 1, "khám mới"),
    ("001099000003", "Lê Văn Thử", "0900000003", "synthetic.three@example.com", 1990, "Hoàn Kiếm", 2, "khám mới"),
    ("001099000004", "Phạm Thị Ví Dụ", "0900000004", "synthetic.four@example.com", 2001, "Tây Hồ", 5, "tái khám"),
]
# (district, year, visits): three cells below k=10, one of them zero
COUNT_ROWS = [("Ba Đình", 2024, 120), ("Hoàn Kiếm", 2024, 9), ("Tây Hồ", 2024, 0), ("Cầu Giấy", 2024, 3), ("Đống Đa", 2024, 10)]
# (row_id, note): free text a clinic clerk typed — with a phone, a CCCD and an e-mail in it
LEAKY_ROWS = [
    (1, "Bệnh nhân hẹn tái khám tuần sau"),
    (2, "Gọi lại cho người nhà: 0912 000 111"),
    (3, "Số CCCD 001099000009 đã kiểm tra"),
    (4, "Gửi kết quả qua synthetic.five@example.com"),
    (5, "Năm 2024, chỉ số 123456789012345 bình thường"),  # 15 digits: not a CCCD
]
PII = ["citizen_id", "full_name", "phone", "email"]
# The contract of each synthetic dataset: the audit tables create_audit_tables builds.
COLUMNS = {
    PEOPLE: [("citizen_id", "text"), ("full_name", "text"), ("phone", "text"), ("email", "text"),
             ("birth_year", "integer"), ("district", "text"), ("visits", "integer"), ("note", "text")],
    COUNTS: [("district", "text"), ("year", "integer"), ("visits", "integer")],
    LEAKY: [("row_id", "integer"), ("note", "text")],
}


def registry_document(*, pii_handling: str = "hash", k: int = 10, suppress_zero: bool = True) -> dict:
    source = {
        "id": "synthetic_clinic_register",
        "title": "SYNTHETIC clinic register (test fixture, no real person)",
        "publisher": "test fixture",
        "format": "csv",
        "url": "https://synthetic.example.com/clinic_register.csv",
        "snapshot": "synthetic/clinic_register.csv",
        "licence": "CC0-1.0",
        "provenance": "invented for the privacy tests",
        "dbt_source": "synthetic.clinic_register",
        "delivers": {"fields": {"citizen_id": "text"}},
    }

    def dataset(ds_id: str, pk: list[str], personal: dict) -> dict:
        return {
            "id": ds_id,
            "title": {"vi": f"Dữ liệu giả {ds_id}", "en": f"SYNTHETIC {ds_id}"},
            "description": {"vi": "Dữ liệu giả để kiểm thử", "en": "Synthetic test data"},
            "grain": "one row per synthetic thing",
            "primary_key": pk,
            "sources": ["synthetic_clinic_register"],
            "update_frequency": "static",
            "licence": "CC0-1.0",
            "coverage": "SYNTHETIC: no real person",
            "personal_data": personal,
            "columns": [
                {"name": name, "type": kind, "nullable": name not in pk,
                 "description": {"vi": f"Cột giả {name}", "en": f"SYNTHETIC column {name}"}}
                for name, kind in COLUMNS[ds_id]
            ],
            "promise": {"geography": {"text": "SYNTHETIC"}},
        }

    return {
        "id": SECTOR,
        "name": {"vi": "Dữ liệu giả", "en": "Synthetic"},
        "owner": {"organisation": {"vi": "Kiểm thử", "en": "Tests"}, "contact": "tests@example.com"},
        "schedule": None,
        "sources": [source],
        "datasets": [
            dataset(PEOPLE, ["citizen_id"], {"pii": PII, "quasi": ["birth_year", "district"], "pii_handling": pii_handling}),
            dataset(COUNTS, ["district", "year"], {"k_anonymity": {"k": k, "count_columns": ["visits"], "suppress_zero": suppress_zero}}),
            dataset(LEAKY, ["row_id"], {}),
        ],
    }


def write_registry(directory: Path, document: dict | None = None, policy: dict | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / f"{SECTOR}.yml").write_text(yaml.safe_dump(document or registry_document(), allow_unicode=True), encoding="utf-8")
    policy = policy or {"allowed_url_schemes": ["https"], "allowed_hosts": ["synthetic.example.com"]}
    (directory / "_policy.yml").write_text(yaml.safe_dump(policy), encoding="utf-8")
    return directory


def write_suites(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for ds in (PEOPLE, COUNTS, LEAKY):
        suite = {"name": ds, "expectations": [{"type": "expect_table_row_count_to_be_between", "kwargs": {"min_value": 1, "max_value": 100}}]}
        (directory / f"{ds}.json").write_text(json.dumps(suite))
    return directory


def create_audit_tables(warehouse: Path) -> None:
    with duckdb.connect(str(warehouse)) as con:
        for schema in ("raw", "audit", "curated", "meta", "quality"):
            con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
        con.execute(
            f"CREATE OR REPLACE TABLE audit.{PEOPLE} (citizen_id VARCHAR, full_name VARCHAR, phone VARCHAR, email VARCHAR, "
            "birth_year INTEGER, district VARCHAR, visits INTEGER, note VARCHAR)"
        )
        con.executemany(f"INSERT INTO audit.{PEOPLE} VALUES (?, ?, ?, ?, ?, ?, ?, ?)", PEOPLE_ROWS)
        con.execute(f"CREATE OR REPLACE TABLE audit.{COUNTS} (district VARCHAR, year INTEGER, visits BIGINT)")
        con.executemany(f"INSERT INTO audit.{COUNTS} VALUES (?, ?, ?)", COUNT_ROWS)
        con.execute(f"CREATE OR REPLACE TABLE audit.{LEAKY} (row_id INTEGER, note VARCHAR)")
        con.executemany(f"INSERT INTO audit.{LEAKY} VALUES (?, ?)", LEAKY_ROWS)


def build_record(run_id: str) -> dict:
    """What the transform stage would have returned: every synthetic mart built."""
    return {
        "sector_id": SECTOR, "run_id": run_id, "success": True, "elapsed_s": 0.0,
        "models": {PEOPLE: "success", COUNTS: "success", LEAKY: "success"}, "failures": {},
    }


@contextmanager
def environment(**values: str | None):
    """Set (or, with None, unset) environment variables for the duration of a block."""
    old = {k: os.environ.get(k) for k in values}
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


def platform(tmp_path: Path, **registry_options) -> dict[str, str]:
    """A private platform home with the synthetic registry, suites and audit tables."""
    home = tmp_path / "home"
    home.mkdir(parents=True, exist_ok=True)
    registry = write_registry(tmp_path / "registry", registry_document(**registry_options))
    suites = write_suites(tmp_path / "expectations")
    create_audit_tables(home / "warehouse.duckdb")
    return {
        "SECTOR_DATASETS_HOME": str(home),
        "SECTOR_DATASETS_REGISTRY": str(registry),
        "SECTOR_DATASETS_EXPECTATIONS_DIR": str(suites),
        "SECTOR_DATASETS_WAREHOUSE": None,
        "SECTOR_DATASETS_EXPORTS": None,
    }
