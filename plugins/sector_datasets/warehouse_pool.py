"""Name of the Airflow pool (one slot) that serialises warehouse writers across DAGs.

Kept apart from ``warehouse`` so that DAG files can import it without importing DuckDB.
"""

WRITER_POOL = "sector_datasets_warehouse"
