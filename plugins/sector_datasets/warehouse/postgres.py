"""PostgreSQL warehouse: many writers, on several machines.

Selected with ``SECTOR_DATASETS_WAREHOUSE_KIND=postgres``; the server is ``SECTOR_DATASETS_PG_DSN``
(a libpq URL; inside Airflow the connection ``sector_datasets_warehouse`` may supply it instead).
The database is created on first use (``template0``, UTF-8, ``LC_COLLATE "C"``: text sorts by code
point, as in DuckDB, so ``string_agg(... order by ...)`` and ``row_number() over (order by name)``
give the same results on both warehouses; ``LC_CTYPE C.UTF-8`` so ``lower``/``upper`` and the regex
classes know Vietnamese letters).

What differs from DuckDB, and why:

* **Concurrency.** No file lock: loads, gates and publishes of different datasets run in parallel
  (one transaction each). dbt builds of different sectors are serialised by a PostgreSQL advisory
  lock, because sectors share upstream models (reference dimensions, World Bank staging views) and
  two ``dbt build`` processes replacing the same relation would collide. Schemas and the ``meta`` /
  ``quality`` tables are created once under an advisory transaction lock.
* **Raw tables** are filled with ``COPY ... FROM STDIN (FORMAT csv)``: a quoted ``""`` is an empty
  string, a bare empty field is NULL — the convention the DuckDB loader uses. When the columns are
  unchanged the table is truncated and refilled in one transaction (dependent staging views stay);
  otherwise it is dropped (with the views over it, which the sector's dbt build recreates) and made
  again. A row too wide for a PostgreSQL page is kept as a ``text[]`` behind a view of the same
  name and columns.
* **Exports**: PostgreSQL ``COPY ... TO STDOUT (FORMAT csv)`` into a temporary file that an in-memory
  DuckDB reads back, casting each column to the DuckDB type of the PostgreSQL column; the export
  files are then written from that table by the same code as on DuckDB (``publish.exports``).
  No DuckDB postgres extension needed.
* **Checksums** (``meta.publications``): md5 of each row's text, summed; they decide "new version
  or not" within one warehouse and are not comparable with DuckDB's.
"""

from __future__ import annotations

import io
import logging
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from sector_datasets.secret_handling import redact_dsn
from sector_datasets.settings import PG_BUILD_LOCK_TIMEOUT_ENV
from sector_datasets.state.tables import create_platform_tables
from sector_datasets.warehouse.duckdb_lock import WarehouseBusy, quote_ident
from sector_datasets.warehouse.base import Backend, Dialect
from sector_datasets.warehouse.pg_connection import PgConnection, dsn_parts, with_dbname
from sector_datasets.warehouse.duckdb import _quote

log = logging.getLogger(__name__)

TEMP_SCHEMA = "pg_temp"
META_COLUMNS = (
    ("_source_id", "text"), ("_landing_run", "text"), ("_source_file", "text"),
    ("_row_number", "bigint"), ("_loaded_at", "timestamp"),
)
# Advisory lock keys (any two stable 64-bit numbers, distinct from the project's other uses).
BOOTSTRAP_LOCK = 0x5EC7_0DA7_0001
BUILD_LOCK = 0x5EC7_0DA7_0002
# A heap row must fit in one 8 kB page; TOAST moves long values out of line, but a row of a
# thousand short values (UNDP's 1,112 indicator-year columns) cannot shrink. Such raw tables are
# stored as one text[] per row in raw.<table>__values and read through the view raw.<table>.
MAX_ROW_BYTES = 6000
WIDE_SUFFIX = "__values"


def _row_bytes(rows) -> int:
    """A generous estimate of the largest row's on-disk size (4-byte header per present value)."""
    return max((sum(len(v.encode()) + 4 for v in row if v is not None) for row in rows), default=0) + 64


# --------------------------------------------------------------------------------------------
# Types: PostgreSQL → the DuckDB spelling the rest of the platform uses
# --------------------------------------------------------------------------------------------

_PG_TO_DUCKDB = {
    "text": "VARCHAR", "character varying": "VARCHAR", "character": "VARCHAR", "name": "VARCHAR",
    "double precision": "DOUBLE", "real": "FLOAT", "bigint": "BIGINT", "integer": "INTEGER",
    "smallint": "SMALLINT", "boolean": "BOOLEAN", "date": "DATE",
    "timestamp without time zone": "TIMESTAMP", "timestamp with time zone": "TIMESTAMP WITH TIME ZONE",
    "time without time zone": "TIME", "interval": "INTERVAL", "json": "JSON", "jsonb": "JSON",
    "bytea": "BLOB", "uuid": "UUID",
    # An unconstrained numeric comes from arithmetic DuckDB does in DOUBLE (avg, decimal division).
    "numeric": "DOUBLE",
}


def duckdb_type(pg_type: str) -> str:
    """``numeric(9,6)`` → ``DECIMAL(9,6)``, ``double precision`` → ``DOUBLE``, ``text[]`` → ``VARCHAR[]``."""
    text = pg_type.strip().lower()
    if text.endswith("[]"):
        return duckdb_type(text[:-2]) + "[]"
    if text.startswith("numeric(") and text.endswith(")"):
        return "DECIMAL" + text[len("numeric"):].replace(" ", "").upper()
    base = text.split("(", 1)[0].strip()
    return _PG_TO_DUCKDB.get(base, "VARCHAR")


# --------------------------------------------------------------------------------------------
# Dialect
# --------------------------------------------------------------------------------------------


class PostgresDialect(Dialect):
    name = "postgres"

    def replace_raw_table(self, con, schema, table, columns, rows, *, source_id, run_id, source_file, loaded_at):
        qualified = f"{schema}.{quote_ident(table)}"
        stored = f"{schema}.{quote_ident(table + WIDE_SUFFIX)}"
        # Two sectors may load the same shared (reference) source at once: one after the other.
        con.execute("SELECT pg_advisory_xact_lock(hashtext(?))", [qualified])
        kind = con.execute(
            "SELECT c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = ? AND c.relname = ?",
            [schema, table],
        ).fetchone()
        existing = [
            r[0]
            for r in con.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = ? AND table_name = ? "
                "ORDER BY ordinal_position",
                [schema, table],
            ).fetchall()
        ]
        wanted = [*columns, *(name for name, _ in META_COLUMNS)]
        wide = _row_bytes(rows) > MAX_ROW_BYTES
        shape = ("v" if wide else "r", wanted)
        if kind is not None and (kind[0], existing) == shape:
            con.execute(f"TRUNCATE {stored if wide else qualified}")
        else:
            if kind is not None:
                # Dependent staging views go too; the sector's dbt build makes them again.
                con.execute(f"DROP {'VIEW' if kind[0] == 'v' else 'TABLE'} {qualified} CASCADE")
            con.execute(f"DROP TABLE IF EXISTS {stored} CASCADE")
            meta = [f"{quote_ident(n)} {t}" for n, t in META_COLUMNS]
            if wide:
                con.execute(f"CREATE TABLE {stored} (_values text[], {', '.join(meta)})")
                values = ", ".join(f"_values[{i}] AS {quote_ident(c)}" for i, c in enumerate(columns, 1))
                metas = ", ".join(quote_ident(n) for n, _ in META_COLUMNS)
                con.execute(f"CREATE VIEW {qualified} AS SELECT {values}, {metas} FROM {stored}")
            else:
                definition = ", ".join([f"{quote_ident(c)} text" for c in columns] + meta)
                con.execute(f"CREATE TABLE {qualified} ({definition})")
        meta_values = [source_id, run_id, source_file]
        if wide:
            # One text[] per row: a row of a thousand short columns does not fit PostgreSQL's 8 kB
            # page, an array is stored out of line (TOAST); the view gives the columns back.
            names = ", ".join(["_values", *(quote_ident(n) for n, _ in META_COLUMNS)])
            for number, row in enumerate(rows, 1):
                con.execute(
                    f"INSERT INTO {stored} ({names}) VALUES (CAST(? AS text[]), ?, ?, ?, ?, CAST(? AS timestamp))",
                    [list(row), *meta_values, number, loaded_at],
                )
            return
        # Every present value quoted, None left bare: COPY reads a bare empty field as NULL and a
        # quoted "" as an empty string, as DuckDB's loader does (allow_quoted_nulls = false).
        buffer = io.StringIO()
        for number, row in enumerate(rows, 1):
            values = [*row, *meta_values, str(number), loaded_at]
            buffer.write(",".join("" if v is None else _quote(v) for v in values) + "\n")
        buffer.seek(0)
        names = ", ".join(quote_ident(c) for c in wanted)
        con.copy_expert(f"COPY {qualified} ({names}) FROM STDIN WITH (FORMAT csv)", buffer)

    def table_checksum(self, con, relation):
        rows, total = con.execute(
            "SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint::numeric), 0) "
            f"FROM {relation} t"
        ).fetchone()
        return int(rows), f"{rows}:{int(total)}"

    def columns_of(self, con, relation):
        rows = con.execute(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a "
            "WHERE a.attrelid = CAST(? AS regclass) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
            [relation],
        ).fetchall()
        return [(name, duckdb_type(pg_type)) for name, pg_type in rows]

    def replace_view(self, con, view, select_sql):
        own = not con.in_transaction()
        if own:
            con.execute("BEGIN")
        try:
            con.execute("SAVEPOINT sd_replace_view")
            try:
                con.execute(f"CREATE OR REPLACE VIEW {view} AS {select_sql}")
            except Exception:
                # PostgreSQL replaces a view only with the same leading columns; a new version whose
                # columns changed needs drop + create (still one transaction for readers).
                con.execute("ROLLBACK TO SAVEPOINT sd_replace_view")
                con.execute(f"DROP VIEW IF EXISTS {view}")
                con.execute(f"CREATE VIEW {view} AS {select_sql}")
            con.execute("RELEASE SAVEPOINT sd_replace_view")
            if own:
                con.execute("COMMIT")
        except Exception:
            if own:
                con.execute("ROLLBACK")
            raise

    def create_temp_table(self, con, name, select_sql, params=()):
        relation = f"{TEMP_SCHEMA}.{quote_ident(name)}"
        con.execute(f"DROP TABLE IF EXISTS {relation}")
        con.execute(f"CREATE TEMP TABLE {quote_ident(name)} AS {select_sql}", list(params))
        return relation

    def is_temp_relation(self, relation):
        return relation.startswith(f"{TEMP_SCHEMA}.")

    def regexp_matches_sql(self, expr):
        return f"({expr} ~ ?)"

    def regexp_extract_sql(self, expr, group):
        return f"regexp_substr({expr}, ?, 1, 1, '', {int(group)})"

    def sha256_hex_sql(self, expr):
        return f"encode(sha256(convert_to({expr}, 'UTF8')), 'hex')"

    @contextmanager
    def as_duckdb(self, con, relation):
        import duckdb

        columns = self.columns_of(con, relation)
        with tempfile.TemporaryDirectory(prefix="sd_pg_export_") as tmp:
            rows_csv = Path(tmp) / "rows.csv"
            with open(rows_csv, "w", encoding="utf-8", newline="") as out:
                con.copy_expert(f"COPY (SELECT * FROM {relation}) TO STDOUT WITH (FORMAT csv, HEADER true)", out)
            spec = ", ".join(f"'{name.replace(chr(39), chr(39) * 2)}': 'VARCHAR'" for name, _ in columns)
            select = ", ".join(f"CAST({quote_ident(name)} AS {dtype}) AS {quote_ident(name)}" for name, dtype in columns)
            local = duckdb.connect()
            try:
                local.execute(
                    f"""CREATE TABLE export AS SELECT {select}
                    FROM read_csv(?, header = true, columns = {{{spec}}}, quote = '"', escape = '"',
                                  allow_quoted_nulls = false, parallel = false)""",
                    [str(rows_csv)],
                )
                yield local, "export"
            finally:
                local.close()


# --------------------------------------------------------------------------------------------
# Backend
# --------------------------------------------------------------------------------------------

_ready: set[str] = set()  # DSNs whose database, schemas and meta tables this process has ensured
_ready_lock = threading.Lock()


def ensure_database(dsn: str) -> None:
    """Create the warehouse database if it does not exist (UTF-8, code-point collation)."""
    import psycopg2
    from psycopg2 import errors

    try:
        psycopg2.connect(dsn, connect_timeout=10).close()
        return
    except psycopg2.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
    name = dsn_parts(dsn)["dbname"]
    admin = psycopg2.connect(with_dbname(dsn, "postgres"), connect_timeout=10)
    admin.autocommit = True
    try:
        with admin.cursor() as cur:
            for ctype in ("C.UTF-8", "C.utf8", None):
                options = f" LC_COLLATE 'C' LC_CTYPE '{ctype}'" if ctype else " LC_COLLATE 'C'"
                try:
                    cur.execute(f"CREATE DATABASE {quote_ident(name)} TEMPLATE template0 ENCODING 'UTF8'{options}")
                    log.info("created PostgreSQL warehouse database %s (LC_CTYPE %s)", name, ctype or "default")
                    return
                except (errors.DuplicateDatabase, errors.UniqueViolation):
                    return  # another worker created it a moment ago
                except psycopg2.Error as exc:  # e.g. the server has no C.UTF-8 locale
                    last = exc
            raise last
    finally:
        admin.close()


def _bootstrap(con: PgConnection) -> None:
    """Schemas and the platform's own tables, created once under an advisory transaction lock."""
    con.execute("BEGIN")
    try:
        con.execute("SELECT pg_advisory_xact_lock(?)", [BOOTSTRAP_LOCK])
        create_platform_tables(con)
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    collate, ctype = con.execute(
        "SELECT datcollate, datctype FROM pg_database WHERE datname = current_database()"
    ).fetchone()
    if collate not in ("C", "POSIX", "C.UTF-8", "C.utf8"):
        log.warning(
            "PostgreSQL warehouse database uses LC_COLLATE %r: text order (string_agg, row_number over "
            "names) may differ from DuckDB's code-point order; create it with LC_COLLATE 'C'", collate
        )


class PostgresBackend(Backend):
    kind = "postgres"
    dbt_target = "postgres"

    @property
    def dsn(self) -> str:
        return self.settings.pg_dsn

    def _ensure(self) -> None:
        dsn = self.dsn
        if dsn in _ready:
            return
        with _ready_lock:
            if dsn in _ready:
                return
            ensure_database(dsn)
            con = PgConnection(dsn, application_name="sector_datasets bootstrap")
            try:
                _bootstrap(con)
            finally:
                con.close()
            _ready.add(dsn)

    @contextmanager
    def connect_writer(self, holder: str = "") -> Iterator[PgConnection]:
        self._ensure()
        con = PgConnection(self.dsn, application_name=f"sector_datasets {holder}")
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def connect_reader(self) -> Iterator[PgConnection]:
        con = PgConnection(self.dsn, read_only=True, application_name="sector_datasets reader")
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def build_lock(self, holder: str = "") -> Iterator[None]:
        """A session advisory lock held (by its own connection) for the whole dbt build."""
        self._ensure()
        timeout_s = self.settings.pg_build_lock_timeout_s
        con = PgConnection(self.dsn, application_name=f"sector_datasets lock: {holder}")
        try:
            deadline = time.monotonic() + timeout_s
            announced = False
            while not con.execute("SELECT pg_try_advisory_lock(?)", [BUILD_LOCK]).fetchone()[0]:
                if not announced:
                    log.info("%s waits for another sector's dbt build on the PostgreSQL warehouse", holder)
                    announced = True
                if time.monotonic() > deadline:
                    raise WarehouseBusy(
                        f"{holder}: another dbt build held the PostgreSQL warehouse's build lock for more "
                        f"than {timeout_s:.0f}s ({PG_BUILD_LOCK_TIMEOUT_ENV})"
                    )
                time.sleep(0.5)
            yield
        finally:
            con.close()  # ends the session, which releases the lock

    def read_lock(self, holder: str = ""):
        # Readers and writers of PostgreSQL never block each other's snapshot: no lock needed.
        return nullcontext()

    def dbt_env(self) -> dict[str, str]:
        parts = dsn_parts(self.dsn)
        return {
            "SECTOR_DATASETS_DBT_TARGET": self.dbt_target,
            "SECTOR_DATASETS_PG_HOST": parts["host"],
            "SECTOR_DATASETS_PG_PORT": parts["port"],
            "SECTOR_DATASETS_PG_USER": parts["user"],
            "SECTOR_DATASETS_PG_DBNAME": parts["dbname"],
            # dbt scrubs DBT_ENV_SECRET_* values from its logs.
            "DBT_ENV_SECRET_SECTOR_DATASETS_PG_PASSWORD": parts["password"],
        }

    def gate_target(self) -> str:
        return self.dsn

    def describe(self) -> str:
        return f"PostgreSQL {redact_dsn(self.dsn)}"

    def exists(self) -> bool:
        import psycopg2

        try:
            psycopg2.connect(self.dsn, connect_timeout=10).close()
            return True
        except psycopg2.OperationalError:
            return False
