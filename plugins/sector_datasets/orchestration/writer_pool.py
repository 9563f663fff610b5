"""Name and size of the Airflow pool that every warehouse-writing task runs in.

With DuckDB (one writing process per file) the pool has one slot and serialises writers across
DAGs; with PostgreSQL it only caps how many writers run at once (``SECTOR_DATASETS_PG_WRITER_SLOTS``,
default 16), and dbt builds take turns through an advisory lock (see ``backends.postgres``).
Kept apart from ``warehouse`` so that DAG files can import it without importing DuckDB.
"""

from sector_datasets.settings import get_settings

WRITER_POOL = "sector_datasets_warehouse"


def writer_pool(warehouse_kind: str) -> tuple[int, str]:
    """(slots, description) of :data:`WRITER_POOL` for a warehouse kind (``duckdb`` | ``postgres``)."""
    if warehouse_kind == "postgres":
        slots = get_settings().pg_writer_slots
        return slots, f"PostgreSQL warehouse: up to {slots} concurrent writers"
    return 1, "DuckDB warehouse: one writer at a time"
