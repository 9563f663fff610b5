"""state.layout on real folders in a tmp dir: names round-trip, run ids never escape their folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from sector_datasets.state import layout

AIRFLOW_RUN = "manual__2025-01-06T10:11:12.123+07:00"


@pytest.mark.parametrize("version", [1, 7, 42, 999, 9999, 10000, 123456])
def test_version_names_round_trip_and_sort_like_versions(version):
    name = layout.version_name(version)
    assert layout.parse_version_name(name) == version
    assert layout.parse_version_table("ds", layout.version_table("ds", version)) == version
    assert layout.version_name(1) == "v0001" and layout.version_table("ds", 3) == "ds__v0003"


@pytest.mark.parametrize("name", ["current", "v1", "v001", "vabcd", ".v0001.tmp-123", "v0001x", "history.json", ""])
def test_other_names_are_not_versions(name):
    assert layout.parse_version_name(name) is None


def test_a_version_table_of_another_dataset_is_not_ours():
    # "ds__v%" as a LIKE pattern also matches "dsx_v0001" ("_" is a wildcard there).
    assert layout.parse_version_table("ds", "dsx_v0001") is None
    assert layout.parse_version_table("ds", "ds__extra__v0001") is None
    assert layout.parse_version_table("ds", "ds__v0002") == 2


def test_exports_tree_on_disk(tmp_path):
    exports = tmp_path / "exports"
    ds_dir = layout.dataset_dir(exports, "transport", "transport_airports")
    for v in (3, 1, 12):
        layout.version_dir(exports, "transport", "transport_airports", v).mkdir(parents=True)
    layout.tmp_sibling(layout.version_dir(exports, "transport", "transport_airports", 13)).mkdir()
    (ds_dir / "not_a_version").mkdir()
    link = layout.current_link(exports, "transport", "transport_airports")
    os.symlink(layout.version_name(12), link)

    assert [v for v, _ in layout.version_dirs(ds_dir)] == [1, 3, 12]
    assert [p.name for p in layout.orphan_version_dirs(ds_dir)] == [f".v0013.tmp-{os.getpid()}"]
    assert layout.current_link_version(link) == 12
    assert layout.all_current_links(exports) == [link]
    assert layout.parquet_file(link.resolve(), "transport_airports") == ds_dir / "v0012" / "transport_airports.parquet"
    assert layout.metadata_file(link) == ds_dir / "current" / "metadata.json"
    assert layout.history_file(exports, "transport", "transport_airports") == ds_dir / "history.json"
    assert layout.catalog_file(exports) == exports / "catalog.duckdb"
    assert layout.current_link_version(ds_dir / "missing") is None


def test_tmp_siblings_are_hidden_next_to_their_target(tmp_path):
    final = tmp_path / "catalog.duckdb"
    tmp = layout.tmp_sibling(final)
    assert tmp.parent == final.parent and tmp.name.startswith(".") and tmp.name.startswith(layout.tmp_prefix(final.name))


@pytest.mark.parametrize(
    "run_id",
    ["..", "../escape", "a/../../b", "/abs", "a..b", "", ".", "...", "x\\y", "run id", "..%2f..", "._.", "~/x",
     AIRFLOW_RUN, "scheduled__2025-01-06T00:00:00+00:00"],
)
def test_a_run_folder_name_never_leaves_its_folder(tmp_path, run_id):
    name = layout.run_folder_name(run_id)
    assert name and ".." not in name and "/" not in name and name not in (".", "..")
    assert layout.run_folder_name(name) == name  # idempotent: a folder name read back maps to itself
    folder = layout.run_dir(tmp_path, "health", run_id)
    folder.mkdir(parents=True)
    assert folder.resolve().parent == (tmp_path / "runs" / "health").resolve()
    assert layout.verdict_file(tmp_path, "health", "health_ds", run_id).parent == tmp_path / "quality" / "health" / "health_ds"


def test_airflow_run_ids_keep_their_folder_names():
    # Existing run/quality/landing folders were named like this by both former sanitizers.
    assert layout.run_folder_name(AIRFLOW_RUN) == "manual__2025-01-06T10_11_12.123_07_00"
    assert layout.run_folder_name("backfill-1_a") == "backfill-1_a"
    assert layout.run_folder_name("scheduled__2026-05-01T00:00:00+00:00") == "scheduled__2026-05-01T00_00_00_00_00"


def test_landing_path_uses_the_same_run_folder_and_refuses_unsafe_ids(tmp_path):
    path = layout.landing_path(tmp_path, "health", AIRFLOW_RUN, "wb_x")
    assert path == tmp_path / "health" / layout.run_folder_name(AIRFLOW_RUN) / "wb_x"
    for bad in ("run id", "a..b", "..", "x/y"):
        with pytest.raises(ValueError, match="run_id"):
            layout.landing_path(tmp_path, "health", bad, "wb_x")


def test_report_pages_link_to_each_other_under_the_reports_root(tmp_path):
    reports = tmp_path / "reports"
    run = layout.run_page(reports, "health", AIRFLOW_RUN)
    validation = layout.validation_page(reports, "health", "health_ds", AIRFLOW_RUN)
    assert run == reports / "health" / "runs" / "manual__2025-01-06T10_11_12.123_07_00.html"
    assert Path(os.path.relpath(validation, run.parent)).as_posix() == (
        "../validations/health_ds/manual__2025-01-06T10_11_12.123_07_00.html"
    )
    assert layout.scorecard_page(reports, "health").relative_to(reports).as_posix() == "health/index.html"
    assert layout.dataset_page(reports, "health", "health_ds") == reports / "health" / "datasets" / "health_ds.html"
