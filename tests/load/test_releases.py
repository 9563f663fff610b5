"""Sources published as several files (releases): yearly CSVs and statistical workbooks whose sheet
names, header rows and label column change from one release to the next."""

from __future__ import annotations

import duckdb
import openpyxl
import pytest
from pydantic import ValidationError

from sector_datasets.load.raw import LoadError, load_source, parse_landing
from sector_datasets.registry import Source
from sector_datasets.state.tables import create_platform_tables


def _source(fmt: str, releases: list[dict], fields: dict[str, str] | None = None, **extra) -> Source:
    return Source.model_validate(dict(
        id="fixture_releases", title="t", publisher="p", format=fmt, licence="none stated",
        provenance="test fixture", dbt_source="fixture.releases", releases=releases,
        delivers={"fields": fields or {"release": "text"}}, **extra,
    ))


def _release(key: str, **extra) -> dict:
    return {"key": key, "url": f"https://example.org/{key}", "snapshot": f"x/{key}", **extra}


def _workbook(path, sheets: dict[str, list[list]]) -> None:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    book.save(path)


# Two December releases of one GSO table: the sheet is renamed, the title row, the unit, the header
# rows and the label column all move (2016: labels in B, thousand; 2024: labels in A, persons).
RELEASE_2016 = [
    ["34. Khách quốc tế đến Việt Nam"],
    [None, None, None, "Đơn vị tính: Nghìn lượt người"],
    [None, None, "Ước tính\nnăm 2016", "Năm 2016 so với\nnăm 2015 (%)"],
    ["TỔNG SỐ", None, 10012.7, 126],
    [None, "Đường không", 8260.6, 131.7],
    [None, None, None, None],
    [None, "Hàn Quốc", 1543.9, 138.7],
]
RELEASE_2024 = [
    ["44. Khách quốc tế đến Việt Nam"],
    [None, None, "Lượt người"],
    [None, "Năm", "Năm 2024 so"],
    [None, 2024, "với năm trước (%)"],
    ["TỔNG SỐ", 17583900.599999998, 139.5278134366742],
    ["Hàn Quốc", 4568941, 127.08935200561213],
]


@pytest.fixture
def books(tmp_path):
    first, second = tmp_path / "page-0001.xlsx", tmp_path / "page-0002.xlsx"
    _workbook(first, {"CPI": [["x"]], "Du lich": RELEASE_2016})
    _workbook(second, {"43.KQT quy": [["y"]], "44.KQT": RELEASE_2024})
    return [first, second]


WORKBOOK_RELEASES = [
    _release("2016", sheet="Du lich", title_contains="Khách quốc tế đến Việt Nam", cells="A3:D7",
             columns=["group_label", "item_label", "arrivals", "yoy_pct"], constants={"unit": "thousand"}),
    _release("2024", sheet="44.KQT", title_contains="khách quốc tế đến việt nam", cells="A3:C6", header_rows=2,
             columns=["item_label", "arrivals", "yoy_pct"], constants={"unit": "persons"}),
]


def test_workbook_releases_stack_by_column_name_with_key_and_constants(books):
    source = _source("xlsx", WORKBOOK_RELEASES)
    header, rows, blank = parse_landing(source, books)
    assert header == ["release", "unit", "group_label", "item_label", "arrivals", "yoy_pct"]
    assert rows == [
        ["2016", "thousand", "TỔNG SỐ", None, "10012.7", "126"],
        ["2016", "thousand", None, "Đường không", "8260.6", "131.7"],
        ["2016", "thousand", None, "Hàn Quốc", "1543.9", "138.7"],
        ["2024", "persons", None, "TỔNG SỐ", "17583900.6", "139.5278134366742"],
        ["2024", "persons", None, "Hàn Quốc", "4568941", "127.0893520056121"],
    ]
    assert blank == 1


def test_header_rows_are_joined_when_no_names_are_declared(books):
    release = {**WORKBOOK_RELEASES[1]}
    release.pop("columns")
    header, rows, _ = parse_landing(_source("xlsx", [release]), books[1:])
    assert header == ["release", "unit", "column_1", "nam_2024", "nam_2024_so_voi_nam_truoc"]
    assert rows[0][2:] == ["TỔNG SỐ", "17583900.6", "139.5278134366742"]


def test_a_renamed_sheet_fails_naming_the_release_and_the_sheets_found(books):
    release = {**WORKBOOK_RELEASES[1], "sheet": "42.KQTthang"}
    with pytest.raises(LoadError, match=r"release '2024': no sheet '42.KQTthang'; the workbook has '43.KQT quy', '44.KQT'"):
        parse_landing(_source("xlsx", [release]), books[1:])


def test_another_table_in_the_declared_place_fails_on_its_title(books):
    release = {**WORKBOOK_RELEASES[1], "title_contains": "Vận tải hành khách"}
    with pytest.raises(LoadError, match=r"does not carry the title 'Vận tải hành khách'"):
        parse_landing(_source("xlsx", [release]), books[1:])


def test_declared_names_must_match_the_width_of_the_cells(books):
    release = {**WORKBOOK_RELEASES[1], "columns": ["item_label", "arrivals"]}
    with pytest.raises(LoadError, match=r"2 column names declared for A3:C6, which is 3 columns wide"):
        parse_landing(_source("xlsx", [release]), books[1:])


def test_csv_releases_stack_and_a_missing_column_is_null(tmp_path):
    (tmp_path / "a.csv").write_text("code,name,total\n1,Ha Noi,..\n", encoding="utf-8")
    (tmp_path / "b.csv").write_bytes("\ufeffcode,name,total,beds\n1,Ha Noi,650,12\n".encode())
    source = _source("csv", [_release("2010"), _release("2011")])
    header, rows, _ = parse_landing(source, [tmp_path / "a.csv", tmp_path / "b.csv"])
    assert header == ["release", "code", "name", "total", "beds"]
    assert rows == [["2010", "1", "Ha Noi", "..", None], ["2011", "1", "Ha Noi", "650", "12"]]


def test_load_checks_the_release_columns_like_any_field(tmp_path):
    (tmp_path / "a.csv").write_text("code,total\n1,5\n", encoding="utf-8")
    con = duckdb.connect()
    create_platform_tables(con)
    source = _source("csv", [_release("2010", constants={"unit": "t"})], fields={"release": "integer", "unit": "text", "total": "integer"})
    result = load_source(con, source, tmp_path, ["a.csv"], "run-1", "0" * 64, sector_id="fixture")
    assert result.rows == 1
    assert con.execute("select release, unit, total from raw.fixture_releases").fetchall() == [("2010", "t", "5")]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ({"url": "https://example.org/x", "snapshot": "x/x"}, "not on the source as well"),
        ({"paging": "worldbank"}, "without paging"),
    ],
)
def test_releases_are_declared_once(extra, message):
    with pytest.raises(ValidationError, match=message):
        _source("csv", [_release("2010")], **extra)


def test_release_keys_are_unique_and_sheets_only_for_workbooks():
    with pytest.raises(ValidationError, match="release keys must be unique"):
        _source("csv", [_release("2010"), _release("2010")])
    with pytest.raises(ValidationError, match="are for xlsx releases"):
        _source("csv", [_release("2010", sheet="Du lich")])
