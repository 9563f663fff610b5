"""The platform's own tables: their DDL lives here and nowhere else.

The warehouse backends call :func:`create_platform_tables` when they open a writer connection
(DuckDB: on every writer open, PostgreSQL: once per DSN and process under an advisory lock), so
every stage can take these tables for granted. The DDL is the subset of SQL that DuckDB and
PostgreSQL both accept.

* ``meta.loads`` — one row per raw table replaced from a landing (load.raw);
* ``meta.publications`` — one row per version ever published, kept after the version is pruned
  (publish);
* ``meta.current`` — per dataset, the version ``curated.<dataset>`` serves and whether an operator
  pinned it (publish, ``cli rollback``/``unpin``);
* ``meta.run_decisions`` — one row per sector run: fingerprint, inputs, unchanged?, reason
  (recovery);
* ``meta.dataset_state`` — per dataset, the fingerprint its served version was last confirmed at
  (recovery);
* ``quality.validation_results`` — one row per gate result of a dataset in a run (gate.verdicts);
* ``quality.diffs`` — one row per dataset and run: what the gated version changes against the
  served one (review.diff), kept as the version's release note;
* ``meta.approvals`` — one row per version the publish policy did not let through on its own:
  awaiting, approved, rejected (who, why, when) or blocked (review, ``cli approve``/``reject``).
"""

from __future__ import annotations

from typing import Any

# Every schema the stages write to; dbt makes its own staging/intermediate schemas.
SCHEMAS = ("raw", "audit", "curated", "meta", "quality")

PLATFORM_TABLES: dict[str, str] = {
    "meta.loads": """(
        source_id VARCHAR, run_id VARCHAR, landing_sha256 VARCHAR, rows BIGINT, loaded_at TIMESTAMP)""",
    "meta.publications": """(
        dataset_id VARCHAR, sector_id VARCHAR, version INTEGER, row_count BIGINT,
        checksum VARCHAR, run_id VARCHAR, published_at TIMESTAMP, table_name VARCHAR)""",
    "meta.current": """(
        dataset_id VARCHAR PRIMARY KEY, sector_id VARCHAR, version INTEGER, pinned BOOLEAN,
        reason VARCHAR, updated_at TIMESTAMP, updated_by VARCHAR)""",
    "meta.run_decisions": """(
        sector_id VARCHAR, run_id VARCHAR, fingerprint VARCHAR, code_fingerprint VARCHAR,
        inputs JSON, unchanged BOOLEAN, reason VARCHAR, since_run VARCHAR, datasets JSON,
        decided_at TIMESTAMP)""",
    "meta.dataset_state": """(
        dataset_id VARCHAR PRIMARY KEY, sector_id VARCHAR, status VARCHAR, fingerprint VARCHAR,
        run_id VARCHAR, version INTEGER, updated_at TIMESTAMP)""",
    "quality.validation_results": """(
        dataset_id VARCHAR, sector_id VARCHAR, run_id VARCHAR, suite VARCHAR, success BOOLEAN,
        evaluated INTEGER, failed INTEGER, row_count BIGINT, validated_at TIMESTAMP, result JSON)""",
    "quality.diffs": """(
        dataset_id VARCHAR, sector_id VARCHAR, run_id VARCHAR, from_version INTEGER, to_version INTEGER,
        action VARCHAR, summary JSON, policy JSON, computed_at TIMESTAMP)""",
    "meta.approvals": """(
        dataset_id VARCHAR, sector_id VARCHAR, run_id VARCHAR, version INTEGER, status VARCHAR,
        policy JSON, requested_at TIMESTAMP, decided_by VARCHAR, reason VARCHAR, decided_at TIMESTAMP)""",
}


def create_platform_tables(con: Any) -> None:
    """Create the standard schemas and every platform table that does not exist yet.

    Idempotent and cheap when everything exists (measured on DuckDB: ≈4 ms on a full warehouse of
    159 tables, against 35–85 ms to open the file), so the DuckDB backend runs it on each writer
    open: a warehouse file deleted and made again in the same process gets its tables without a
    cache to invalidate.
    """
    for schema in SCHEMAS:
        con.execute(f"CREATE SCHEMA IF NOT EXISTS {schema}")
    for table, columns in PLATFORM_TABLES.items():
        con.execute(f"CREATE TABLE IF NOT EXISTS {table} {columns}")
