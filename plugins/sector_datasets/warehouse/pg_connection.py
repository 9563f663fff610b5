"""A PostgreSQL connection that speaks the subset of DuckDB's Python API the stages use, and DSNs.

The stages are written against DuckDB's ``con.execute(sql, params).fetchall()`` with ``?``
placeholders; :class:`PgConnection` gives psycopg2 that shape so a stage needs no branch per
warehouse (the SQL that does differ lives in the dialects).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from sector_datasets.secret_handling import redact_dsn


# --------------------------------------------------------------------------------------------
# DSN helpers
# --------------------------------------------------------------------------------------------


def dsn_parts(dsn: str) -> dict[str, str]:
    """host, port, user, password, dbname of a ``postgresql://`` URL (libpq defaults filled in)."""
    parts = urlsplit(dsn)
    if parts.scheme not in ("postgresql", "postgres"):
        raise ValueError(f"not a postgresql:// URL: {redact_dsn(dsn)!r}")
    return {
        "host": unquote(parts.hostname or "127.0.0.1"),
        "port": str(parts.port or 5432),
        "user": unquote(parts.username or "postgres"),
        "password": unquote(parts.password or ""),
        "dbname": unquote(parts.path.lstrip("/") or "postgres"),
    }


def with_dbname(dsn: str, dbname: str) -> str:
    parts = urlsplit(dsn)
    return urlunsplit(parts._replace(path="/" + dbname))


# --------------------------------------------------------------------------------------------
# A DB-API connection that speaks the subset of DuckDB's Python API the stages use
# --------------------------------------------------------------------------------------------


def translate_placeholders(sql: str) -> str:
    """DuckDB-style ``?`` parameters → psycopg2's ``%s`` (and ``%`` → ``%%``), outside quotes."""
    out: list[str] = []
    quote: str | None = None
    i = 0
    while i < len(sql):
        ch = sql[i]
        if ch == "%":
            out.append("%%")
        elif quote:
            out.append(ch)
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
            out.append(ch)
        elif ch == "-" and sql.startswith("--", i):
            end = sql.find("\n", i)
            end = len(sql) if end < 0 else end
            out.append(sql[i:end].replace("%", "%%"))
            i = end
            continue
        elif ch == "?":
            out.append("%s")
        else:
            out.append(ch)
        i += 1
    return "".join(out)


class PgConnection:
    """psycopg2 in autocommit mode behind ``execute(sql, params).fetchone()/.fetchall()``.

    ``BEGIN``/``COMMIT``/``ROLLBACK`` sent as statements open and close transactions, as with
    DuckDB; JSON columns come back as text (as DuckDB returns them).
    """

    dialect_name = "postgres"

    def __init__(self, dsn: str, *, read_only: bool = False, application_name: str = "sector_datasets") -> None:
        import psycopg2
        import psycopg2.extras

        self._conn = psycopg2.connect(dsn, application_name=application_name[:63])
        self._conn.autocommit = True
        psycopg2.extras.register_default_json(self._conn, loads=lambda text: text)
        psycopg2.extras.register_default_jsonb(self._conn, loads=lambda text: text)
        self._cursor = None
        if read_only:
            self.execute("SET default_transaction_read_only = on")

    @property
    def raw(self):
        return self._conn

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgConnection:
        cursor = self._conn.cursor()
        if params is None:
            cursor.execute(sql)
        else:
            cursor.execute(translate_placeholders(sql), tuple(params))
        self._cursor = cursor
        return self

    def fetchone(self):
        return self._cursor.fetchone()

    def fetchall(self):
        return self._cursor.fetchall()

    @property
    def description(self):
        return self._cursor.description if self._cursor is not None else None

    def in_transaction(self) -> bool:
        import psycopg2.extensions as ext

        return self._conn.get_transaction_status() != ext.TRANSACTION_STATUS_IDLE

    def copy_expert(self, sql: str, file) -> None:
        with self._conn.cursor() as cursor:
            cursor.copy_expert(sql, file)

    def close(self) -> None:
        self._conn.close()
