"""One Airflow DAG per registered sector, generated from include/sectors/*.yml.

Adding a sector or a dataset is a registry change (+ dbt model + expectation suite), never an
edit here. Parsing reads a handful of small YAML files; no database, network or heavy imports.
"""

from sector_datasets.orchestration.dag_factory import build_all
from sector_datasets.registry import load_registry
from sector_datasets.settings import get_settings

globals().update(build_all(load_registry(get_settings().registry_dir)))
