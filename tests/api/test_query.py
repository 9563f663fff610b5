"""The row query language and the text search of the read API: pure parts (the HTTP side is in
test_read_api.py, on the real build)."""

from __future__ import annotations

import duckdb
import pytest

from sector_datasets.api.query import MAX_LIMIT, QueryError, page_sql, parse
from sector_datasets.api.search import DcatTerms, fold, matches, searchable

COLUMNS = [
    {"name": "year", "type": "integer"},
    {"name": "province_code", "type": "text"},
    {"name": "value", "type": "decimal"},
    {"name": "is_total", "type": "boolean"},
]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"filters": ["year:gte:twenty"]}, "is not a integer"),
        ({"filters": ["value:lt:NaN"]}, "is not a decimal"),
        ({"filters": ["nope:eq:1"]}, "unknown column 'nope'"),
        ({"filters": ["year;DROP TABLE x"]}, "malformed filter"),
        ({"filters": ["year:like:1"]}, "malformed filter"),
        ({"filters": ["year:eq"]}, "needs a value"),
        ({"filters": ["year:null:1"]}, "takes no value"),
        ({"filters": ["is_total:eq:yes"]}, "is not a boolean"),
        ({"select": "year,secret"}, "unknown column 'secret'"),
        ({"sort": "-nope"}, "unknown column 'nope'"),
        ({"limit": MAX_LIMIT + 1}, "between 1 and"),
        ({"limit": 0}, "between 1 and"),
        ({"offset": -1}, "offset"),
    ],
)
def test_a_bad_request_is_refused_with_a_message_naming_the_problem(kwargs, message):
    with pytest.raises(QueryError, match=message):
        parse(COLUMNS, **kwargs)


def test_values_are_bound_as_parameters_never_written_into_the_sql():
    query = parse(COLUMNS, filters=["province_code:in:01,79", "province_code:eq:'; DROP TABLE t; --", "year:gte:2010"],
                  sort="-year", primary_key=["year", "province_code"])
    sql, params = page_sql(query, "t")
    assert "DROP" not in sql and "2010" not in sql and "79" not in sql
    assert params == ["01", "79", "'; DROP TABLE t; --", 2010]
    # ties broken by the key after the requested sort: a page boundary never moves
    assert sql.endswith('ORDER BY "year" DESC NULLS LAST, "province_code" ASC NULLS LAST LIMIT 100 OFFSET 0')


def test_the_sql_answers_what_was_asked_on_a_real_duckdb():
    con = duckdb.connect()
    con.execute("CREATE TABLE t (year INTEGER, province_code VARCHAR, value DECIMAL(18,3), is_total BOOLEAN)")
    con.execute("INSERT INTO t VALUES (2009,'01',1.5,false),(2010,'01',2.5,false),(2010,'79',3.5,true),(2011,'79',NULL,false)")
    query = parse(COLUMNS, select="year,province_code", filters=["year:gte:2010", "value:notnull"], sort="-year",
                  primary_key=["year", "province_code"], limit=1, offset=1)
    sql, params = page_sql(query, "t")
    assert con.execute(sql, params).fetchall() == [(2010, "79")]


def test_the_canonical_form_ignores_the_order_filters_were_given_in():
    a = parse(COLUMNS, filters=["year:gte:2010", "province_code:eq:01"])
    b = parse(COLUMNS, filters=["province_code:eq:01", "year:gte:2010"])
    c = parse(COLUMNS, filters=["province_code:eq:01", "year:gte:2011"])
    assert a.canonical() == b.canonical() != c.canonical()


def test_text_is_found_with_or_without_vietnamese_diacritics():
    assert fold("Đồng bằng sông Cửu Long") == "dong bang song cuu long"
    item = searchable(
        {"id": "health_tb", "sector": {"id": "health", "name": {"vi": "Y tế", "en": "Health"}},
         "title": {"vi": "Tỷ lệ mắc lao", "en": "Tuberculosis incidence"}, "columns": [{"name": "year"}]},
        DcatTerms(keywords=("bệnh lao",), themes=("http://publications.europa.eu/resource/authority/data-theme/HEAL",)),
    )
    for q in ("lao", "mắc lao", "mac lao", "TUBERCULOSIS", "y te"):
        assert matches(item, q=q), q
    assert not matches(item, q="giao thông")
    assert matches(item, theme="heal") and not matches(item, theme="AGRI")
    assert matches(item, keyword="benh lao") and not matches(item, keyword="lao")
    assert matches(item, sector="health") and not matches(item, sector="transport")
