"""privacy.py on DuckDB tables built from the SYNTHETIC fixture (tests/privacy/synthetic.py)."""

from __future__ import annotations

import hashlib

import duckdb
import pytest

from sector_datasets import privacy
from sector_datasets.registry import Dataset, KAnonymity, PersonalDataTags
from tests.privacy import synthetic

SALT = "synthetic-test-salt-0123456789abcdef"


@pytest.fixture
def con(tmp_path):
    synthetic.create_audit_tables(tmp_path / "w.duckdb")
    with duckdb.connect(str(tmp_path / "w.duckdb")) as c:
        yield c


def dataset(ds_id: str, **personal) -> Dataset:
    return Dataset(
        id=ds_id, title={"vi": "giả", "en": "synthetic"}, description={"vi": "giả", "en": "synthetic"}, grain="g",
        primary_key=["row_id"], sources=["synthetic_clinic_register"], update_frequency="static", licence="CC0-1.0", coverage="synthetic",
        personal_data=PersonalDataTags(**personal),
        columns=[{"name": "row_id", "type": "integer", "description": {"vi": "giả", "en": "synthetic"}}],
        promise={"geography": {"text": "SYNTHETIC"}},
    )


# --------------------------------------------------------------------------- detection


@pytest.mark.parametrize(
    ("text", "kind", "masked"),
    [
        ("0900000001", "phone_vn", "090*****01"),
        ("gọi 0912 000 111 nhé", "phone_vn", "091*****11"),
        ("(+84) 912.000.111", "phone_vn", "+849******11"),
        ("+84912000111", "phone_vn", "+849******11"),
        ("CCCD: 001099000009.", "cccd", "001*******09"),
        ("mail synthetic.five@example.com!", "email", "s***@***.com"),
    ],
)
def test_each_kind_is_found_and_the_example_is_masked(text, kind, masked):
    c = duckdb.connect()
    c.execute("CREATE TABLE t (note VARCHAR)")
    c.execute("INSERT INTO t VALUES (?)", [text])
    scanned, findings = privacy.scan_text_columns(c, "t")
    assert scanned == ["note"]
    assert [(f.column, f.kind, f.rows, f.example) for f in findings] == [("note", kind, 1, masked)]


@pytest.mark.parametrize(
    "text",
    [
        "2024", "2020-03-15", "1990-2024", "39.2147376279795", "331000000000", "123456789012345",  # 15 digits
        "33000001",  # an 8-digit exam candidate number is not a phone or a CCCD
        "SP.DYN.IMRT.IN", "VNM", "Hà Nội", "01234567890",  # 11 digits starting 012: not a mobile number
        "0212345678",  # 02x is a landline area code, not a mobile prefix
        "data-health@", "@example", "1.5e10", "GTFS stop 0900000001234",  # phone embedded in a longer number
    ],
)
def test_ordinary_values_of_the_real_datasets_are_not_flagged(text):
    c = duckdb.connect()
    c.execute("CREATE TABLE t (v VARCHAR)")
    c.execute("INSERT INTO t VALUES (?)", [text])
    assert privacy.scan_text_columns(c, "t")[1] == []


def test_the_leaky_synthetic_table_names_every_column_kind_and_masks_examples(con):
    scanned, findings = privacy.scan_text_columns(con, f"audit.{synthetic.LEAKY}")
    assert scanned == ["note"]
    assert {(f.kind, f.rows) for f in findings} == {("phone_vn", 1), ("cccd", 1), ("email", 1)}
    text = " ".join(f.describe(synthetic.LEAKY) for f in findings)
    assert "synthetic_leaky_notes" in text and "'note'" in text
    for raw in ("0912 000 111", "0912000111", "001099000009", "synthetic.five@example.com"):
        assert raw not in text


def test_declared_pii_columns_are_not_scanned_because_publish_removes_them(con):
    ds = dataset(synthetic.PEOPLE, pii=synthetic.PII)
    outcomes = privacy.gate_outcomes(con, f"audit.{synthetic.PEOPLE}", ds)
    assert [o["success"] for o in outcomes] == [True]
    assert outcomes[0]["observed_value"] == {"text_columns_scanned": 2}  # district, note
    undeclared = privacy.gate_outcomes(con, f"audit.{synthetic.PEOPLE}", dataset(synthetic.PEOPLE))
    failed = {o["column"] for o in undeclared if not o["success"]}
    assert failed == {"citizen_id", "phone", "email"}


def test_k_anonymity_columns_must_exist_and_be_numeric(con):
    ds = dataset(synthetic.COUNTS, k_anonymity=KAnonymity(k=10, count_columns=["visits", "district", "nope"]))
    outcomes = privacy.gate_outcomes(con, f"audit.{synthetic.COUNTS}", ds)
    problem = next(o for o in outcomes if o["type"] == privacy.DECLARED_EXPECTATION)
    assert not problem["success"] and "missing: nope" in problem["observed_value"] and "not numeric: district" in problem["observed_value"]


# --------------------------------------------------------------------------- publishable relation


def test_drop_removes_every_pii_column(con):
    ds = dataset(synthetic.PEOPLE, pii=synthetic.PII, pii_handling="drop")
    relation, report = privacy.publishable_relation(con, ds, f"audit.{synthetic.PEOPLE}", sector_id="synthetic", salt=None)
    columns = [c for c, _ in privacy.columns_of(con, relation)]
    assert columns == ["birth_year", "district", "visits", "note"]
    assert report.dropped_columns == synthetic.PII and report.hashed_columns == []


def test_hash_is_salted_sha256_and_never_the_clear_value(con):
    ds = dataset(synthetic.PEOPLE, pii=synthetic.PII, pii_handling="hash")
    relation, report = privacy.publishable_relation(con, ds, f"audit.{synthetic.PEOPLE}", sector_id="synthetic", salt=SALT)
    rows = con.execute(f"SELECT citizen_id, phone, district FROM {relation} ORDER BY birth_year").fetchall()
    first = next(r for r in synthetic.PEOPLE_ROWS if r[4] == 1975)
    assert rows[0] == (
        hashlib.sha256((SALT + first[0]).encode()).hexdigest(),
        hashlib.sha256((SALT + first[2]).encode()).hexdigest(),
        "Ba Đình",
    )
    assert report.hashed_columns == synthetic.PII
    assert SALT not in str(report.metadata_block())
    everything = str(con.execute(f"SELECT * FROM {relation}").fetchall())
    for raw in ("001099000001", "0900000001", "synthetic.one@example.com", "Nguyễn Văn Giả"):
        assert raw not in everything


@pytest.mark.parametrize("salt", [None, "", "short"])
def test_hashing_without_a_usable_salt_fails_clearly(con, salt):
    ds = dataset(synthetic.PEOPLE, pii=synthetic.PII, pii_handling="hash")
    with pytest.raises(privacy.PrivacyError) as err:
        privacy.publishable_relation(con, ds, f"audit.{synthetic.PEOPLE}", sector_id="synthetic", salt=salt)
    message = str(err.value)
    assert "synthetic_people" in message
    assert ("SECTOR_DATASETS_PII_SALT" in message) if not salt else ("16 characters" in message)


def test_pii_columns_absent_from_the_table_need_no_salt_and_are_reported(con):
    ds = dataset(synthetic.COUNTS, pii=["citizen_id"], pii_handling="hash")
    relation, report = privacy.publishable_relation(con, ds, f"audit.{synthetic.COUNTS}", sector_id="synthetic", salt=None)
    assert relation == f"audit.{synthetic.COUNTS}"  # nothing to protect: no copy
    assert report.pii_not_in_table == ["citizen_id"]


def test_small_cells_below_k_are_suppressed_and_counted(con):
    ds = dataset(synthetic.COUNTS, k_anonymity=KAnonymity(k=10, count_columns=["visits"]))
    relation, report = privacy.publishable_relation(con, ds, f"audit.{synthetic.COUNTS}", sector_id="synthetic", salt=None)
    published = dict(con.execute(f"SELECT district, visits FROM {relation}").fetchall())
    assert published == {"Ba Đình": 120, "Hoàn Kiếm": None, "Tây Hồ": None, "Cầu Giấy": None, "Đống Đa": 10}
    assert report.suppressed_cells == {"visits": 3}
    assert report.metadata_block()["k_anonymity"]["suppressed_total"] == 3


def test_zero_counts_can_be_kept_when_declared(con):
    ds = dataset(synthetic.COUNTS, k_anonymity=KAnonymity(k=10, count_columns=["visits"], suppress_zero=False))
    relation, report = privacy.publishable_relation(con, ds, f"audit.{synthetic.COUNTS}", sector_id="synthetic", salt=None)
    assert dict(con.execute(f"SELECT district, visits FROM {relation}").fetchall())["Tây Hồ"] == 0
    assert report.suppressed_cells == {"visits": 2}


# --------------------------------------------------------------------------- one-pass scan


def _reference_scan(c, relation: str, columns: list[str]) -> list[tuple]:
    """The scan as it was before the combined pattern and the distinct-value mode: every pattern
    on every row of every column (count and smallest match), kept here as the oracle."""
    out = []
    for column in columns:
        for kind, pattern in privacy.PATTERNS.items():
            n, example = c.execute(
                f'SELECT count(*) FILTER (WHERE regexp_matches(CAST("{column}" AS VARCHAR), ?)), '
                f'min(regexp_extract(CAST("{column}" AS VARCHAR), ?, 1)) FILTER (WHERE regexp_matches(CAST("{column}" AS VARCHAR), ?)) '
                f"FROM {relation}",
                [pattern, pattern, pattern],
            ).fetchone()
            if n:
                out.append((column, kind, int(n), privacy.mask(kind, example)))
    return out


@pytest.mark.parametrize("share", [0.0, 0.1, 1.0], ids=["row-by-row", "default", "distinct-values"])
def test_the_one_pass_scan_finds_what_every_pattern_on_every_row_finds(share):
    """Same findings (kind, row count, masked smallest match) as one query per pattern and row,
    whether a column is scanned row by row or over its distinct values."""
    texts = [
        "gọi 0912 000 111 nhé", "CCCD: 001099000009.", "mail synthetic.five@example.com!", "0900000001 và a@b.vn",
        "(+84) 912.000.111", "CCCD 001099000001 / 001099000002", "2024", "Hà Nội", "123456789012345", None, "",
        "GTFS stop 0900000001234", "z@example.org; synthetic.one@example.com",
    ]
    c = duckdb.connect()
    c.execute('CREATE TABLE t (free VARCHAR, "Cat egory" VARCHAR, unique_text VARCHAR, n INTEGER, doc JSON)')
    rows = []
    for i in range(600):  # "Cat egory": few distinct values; unique_text: all distinct; free: repeats
        free = texts[i % len(texts)]
        rows.append([free, texts[(i * 7) % 5], f"row {i} {texts[i % len(texts)] or ''}", i, '{"k": "0900000009"}' if i % 50 == 0 else None])
    c.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?)", rows)
    scanned, findings = privacy.scan_text_columns(c, "t", distinct_max_share=share)
    assert scanned == ["free", "Cat egory", "unique_text", "doc"]
    expected = _reference_scan(c, "t", scanned)
    assert [(f.column, f.kind, f.rows, f.example) for f in findings] == expected
    assert {f.column for f in findings} == {"free", "Cat egory", "unique_text", "doc"}


def test_the_default_scan_groups_only_low_cardinality_columns():
    c = duckdb.connect()
    c.execute("CREATE TABLE t AS SELECT 'nhóm ' || (i % 3) AS category, 'dòng ' || i AS label FROM range(2000) r(i)")
    assert privacy._distinct_columns(c, "t", ["category", "label"], privacy.DISTINCT_SCAN_MAX_SHARE) == {"category"}


def test_the_combined_pattern_matches_exactly_where_one_of_the_patterns_does():
    import re

    texts = ["0912 000 111", "x001099000009y", "a@b.vn", "2024", "0212345678", "+84912000111", "@example", "a b"]
    c = duckdb.connect()
    for text in texts:
        each = any(c.execute("SELECT regexp_matches(?, ?)", [text, p]).fetchone()[0] for p in privacy.PATTERNS.values())
        assert c.execute("SELECT regexp_matches(?, ?)", [text, privacy.any_pattern()]).fetchone()[0] == each
        assert bool(re.search(privacy.any_pattern(), text)) == each
