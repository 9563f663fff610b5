"""Workbook cells become the text the raw tables have always held.

The loader reads workbooks with calamine; these values are the ones the earlier openpyxl reader
produced for the same cells (the raw tables of every published version hold that text), so a
change of reader must not change them: whole numbers without ".0", dates as "YYYY-MM-DD HH:MM:SS",
empty cells as NULL.
"""

from __future__ import annotations

from datetime import date, datetime, time

import openpyxl
import pytest

from sector_datasets.load.raw import LoadError, parse_landing
from sector_datasets.registry import Source


def _source(releases: list[dict] | None = None) -> Source:
    where = {"releases": releases} if releases else {"url": "https://example.org/x.xlsx", "snapshot": "x/x.xlsx"}
    return Source.model_validate(dict(
        id="fixture_workbook", title="t", publisher="p", format="xlsx", licence="none stated",
        provenance="test fixture", dbt_source="fixture.workbook", **where,
    ))


def _release(**extra) -> dict:
    return {"key": "2024", "url": "https://example.org/2024.xlsx", "snapshot": "x/2024.xlsx", **extra}


@pytest.fixture
def book(tmp_path):
    path = tmp_path / "page-0001.xlsx"
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Bieu"
    sheet["B1"] = "Khách quốc tế đến Việt Nam"
    sheet.append([None, "Chỉ tiêu", "Ngày", "Giá trị"])
    sheet.append([None, "TỔNG SỐ", date(2016, 12, 29), 332400.0])
    sheet.append([None, "Hàn Quốc", datetime(2023, 3, 15, 18, 0), 0.1])
    sheet.append([None, None, time(12, 0), True])
    sheet.append([None, " Nhật Bản ", None, -2.5e-07])
    workbook.create_sheet("CPI")
    workbook.save(path)
    return path


def test_cells_render_as_the_raw_tables_hold_them(book):
    release = _release(sheet="Bieu", title_contains="khách quốc tế", cells="B2:D9")
    header, rows, blank = parse_landing(_source([release]), [book])
    assert header == ["release", "chi_tieu", "ngay", "gia_tri"]
    assert rows == [
        ["2024", "TỔNG SỐ", "2016-12-29 00:00:00", "332400"],
        ["2024", "Hàn Quốc", "2023-03-15 18:00:00", "0.1"],
        ["2024", None, "12:00:00", "True"],
        ["2024", " Nhật Bản ", None, "-2.5e-07"],
    ]
    assert blank == 3  # rows 7-9: declared, past the sheet's last value, so empty


def test_without_a_release_the_first_worksheet_is_read_from_a1(book):
    header, rows, blank = parse_landing(_source(), [book])
    assert header == ["", "Khách quốc tế đến Việt Nam", "", ""]
    assert rows[0] == [None, "Chỉ tiêu", "Ngày", "Giá trị"]
    assert rows[-1] == [None, " Nhật Bản ", None, "-2.5e-07"]
    assert (len(rows), blank) == (5, 0)


def test_a_file_that_is_no_workbook_fails_naming_source_and_file(tmp_path):
    path = tmp_path / "page-0001.xlsx"
    path.write_bytes(b"PK\x03\x04 truncated")
    with pytest.raises(LoadError, match=r"page-0001.xlsx: source 'fixture_workbook': not a readable workbook"):
        parse_landing(_source(), [path])
