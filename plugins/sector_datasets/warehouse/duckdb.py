"""The embedded default: one DuckDB file, one writing process at a time.

Writers take the file lock ``<home>/warehouse.lock`` (:func:`sector_datasets.warehouse.duckdb_lock.writer_lock`)
and, inside Airflow, the one-slot pool ``sector_datasets_warehouse``; the gate holds the same lock
while it reads so that no writer opens the file under it. The SQL here is what the stages always
ran; moving it behind :class:`DuckDBDialect` changed no statement.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from sector_datasets.warehouse.duckdb_lock import connect_reader, connect_writer, quote_ident, writer_lock
from sector_datasets.warehouse.base import Backend, Dialect

TEMP_PREFIX = "temp.main."


def _quote(value: str) -> str:
    return '"' + value.replace('"', '""') + '"'


def write_staging_csv(out, columns: Sequence[str], rows: Sequence[Sequence[str | None]]) -> None:
    """Every present value quoted, a missing one (JSON null, absent xlsx cell) left bare.

    With ``allow_quoted_nulls = false`` DuckDB then reads ``""`` as an empty string and a bare
    empty field as NULL (PostgreSQL's CSV COPY reads the same convention), so raw keeps the
    payload's distinction between "" and null.
    """
    out.write(",".join(_quote(c) for c in columns) + "\n")
    for row in rows:
        out.write(",".join("" if v is None else _quote(v) for v in row) + "\n")


class DuckDBDialect(Dialect):
    name = "duckdb"

    def replace_raw_table(self, con, schema, table, columns, rows, *, source_id, run_id, source_file, loaded_at):
        with tempfile.NamedTemporaryFile("w", suffix=".csv", newline="", encoding="utf-8") as tmp:
            write_staging_csv(tmp, columns, rows)
            tmp.flush()
            spec = ", ".join(f"'{c}': 'VARCHAR'" for c in columns)
            select_cols = ", ".join(quote_ident(c) for c in columns)
            con.execute(
                f"""CREATE OR REPLACE TABLE {schema}.{quote_ident(table)} AS
                SELECT {select_cols},
                       ? AS _source_id, ? AS _landing_run, ? AS _source_file,
                       row_number() OVER () AS _row_number, CAST(? AS TIMESTAMP) AS _loaded_at
                FROM read_csv(?, header = true, columns = {{{spec}}}, quote = '"', escape = '"',
                              allow_quoted_nulls = false, parallel = false)""",
                [source_id, run_id, source_file, loaded_at, tmp.name],
            )

    def table_checksum(self, con, relation):
        rows, total = con.execute(f"SELECT count(*), coalesce(sum(hash(t)::HUGEINT), 0) FROM {relation} t").fetchone()
        return int(rows), f"{rows}:{total}"

    def columns_of(self, con, relation):
        return [(r[0], r[1]) for r in con.execute(f"DESCRIBE SELECT * FROM {relation}").fetchall()]

    def replace_view(self, con, view, select_sql):
        con.execute(f"CREATE OR REPLACE VIEW {view} AS {select_sql}")

    def create_temp_table(self, con, name, select_sql, params=()):
        temp = quote_ident(name)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {temp} AS {select_sql}", list(params))
        return f"{TEMP_PREFIX}{temp}"

    def is_temp_relation(self, relation):
        return relation.startswith(TEMP_PREFIX)

    def regexp_matches_sql(self, expr):
        return f"regexp_matches({expr}, ?)"

    def regexp_extract_sql(self, expr, group):
        return f"regexp_extract({expr}, ?, {int(group)})"

    def sha256_hex_sql(self, expr):
        return f"sha256({expr})"

    def approx_distinct_sql(self, expr):
        return f"approx_count_distinct({expr})"  # HyperLogLog: ≈0.07 s for two columns at 10^7 rows

    @contextmanager
    def as_duckdb(self, con, relation):
        yield con, relation


class DuckDBBackend(Backend):
    kind = "duckdb"
    dbt_target = "duckdb"

    @property
    def path(self) -> Path:
        return self.settings.warehouse_path

    @contextmanager
    def connect_writer(self, holder: str = "") -> Iterator[duckdb.DuckDBPyConnection]:
        with connect_writer(self.path, self.settings.lock_path, holder, reader_wait_s=self.settings.reader_wait_s) as con:
            yield con

    @contextmanager
    def connect_reader(self) -> Iterator[duckdb.DuckDBPyConnection]:
        with connect_reader(self.path) as con:
            yield con

    @contextmanager
    def build_lock(self, holder: str = "") -> Iterator[None]:
        with writer_lock(self.settings.lock_path, holder=holder):
            yield

    # One writer at a time, and a reader must not let a writer open the file under it.
    read_lock = build_lock

    def dbt_env(self) -> dict[str, str]:
        return {"SECTOR_DATASETS_DBT_TARGET": self.dbt_target, "SECTOR_DATASETS_WAREHOUSE": str(self.path)}

    def gate_target(self) -> Path:
        return self.path

    def describe(self) -> str:
        return f"DuckDB file {self.path}"

    def exists(self) -> bool:
        return Path(self.path).is_file()


def is_duckdb_connection(con: Any) -> bool:
    return isinstance(con, duckdb.DuckDBPyConnection)
