"""dbt results → which dataset is blocked by what: only its own lineage counts.

The run_results/manifest pieces below have the shape dbt 1.11 writes (trimmed to the keys read).
"""

from sector_datasets.transform.build import BuildResult, parse_run_results

MANIFEST = {
    "nodes": {
        "model.p.stg_routes": {},
        "model.p.stg_stops": {},
        "model.p.stg_airports": {},
        "model.p.bus_stop_points": {},
        "model.p.airports": {},
        "test.p.unique_stg_routes_route_id": {"test_metadata": {"name": "unique"}},
        "test.p.accepted_range_stg_stops_lat": {"test_metadata": {"name": "accepted_range"}},
        "test.p.not_null_stg_airports_iata": {"test_metadata": {"name": "not_null"}},
    },
    "parent_map": {
        "model.p.stg_routes": [],
        "model.p.stg_stops": [],
        "model.p.stg_airports": [],
        "model.p.bus_stop_points": ["model.p.stg_stops", "model.p.stg_routes"],
        "model.p.airports": ["model.p.stg_airports"],
        "test.p.unique_stg_routes_route_id": ["model.p.stg_routes"],
        "test.p.accepted_range_stg_stops_lat": ["model.p.stg_stops"],
        "test.p.not_null_stg_airports_iata": ["model.p.stg_airports"],
    },
}


def results(**statuses: str) -> dict:
    return {
        "elapsed_time": 1.5,
        "results": [
            {"unique_id": uid, "status": status, "message": f"{status} on {uid}"}
            for uid, status in statuses.items()
        ],
    }


def build(**statuses: str) -> BuildResult:
    models = {f"model.p.{m}": "success" for m in ("stg_routes", "stg_stops", "stg_airports", "bus_stop_points", "airports")}
    models.update({k.replace("__", "."): v for k, v in statuses.items()})
    return parse_run_results(results(**models), "transport", "r1", MANIFEST)


def test_a_warned_key_test_blocks_every_model_downstream_of_it():
    result = build(**{"test.p.unique_stg_routes_route_id": "warn"})
    assert result.success  # a warning is not a dbt failure ...
    assert set(result.upstream_key_warnings) == {"stg_routes", "bus_stop_points"}  # ... but blocks its lineage
    (issue,) = result.upstream_key_warnings["bus_stop_points"].items()
    assert issue[0] == "test.p.unique_stg_routes_route_id" and issue[1].startswith("key test warned")
    assert "airports" not in result.upstream_key_warnings and result.upstream_failures == {}


def test_other_warnings_do_not_block():
    result = build(**{"test.p.accepted_range_stg_stops_lat": "warn", "test.p.not_null_stg_airports_iata": "warn"})
    assert result.upstream_key_warnings == {} and result.upstream_failures == {}


def test_a_failure_is_attributed_only_to_its_own_lineage():
    result = build(**{"model.p.stg_airports": "error", "model.p.airports": "skipped"})
    assert not result.success
    assert set(result.upstream_failures) == {"stg_airports", "airports"}
    assert "bus_stop_points" not in result.upstream_failures
    assert set(result.upstream_failures["airports"]) == {"model.p.stg_airports"}


def test_round_trips_through_the_task_payload_and_ignores_extra_keys():
    result = build(**{"test.p.unique_stg_routes_route_id": "warn"})
    payload = {**result.to_dict(), "summary": "5/5 models built"}  # what the transform task returns
    assert BuildResult.from_dict(payload) == result


def test_without_a_manifest_nothing_is_attributed():
    result = parse_run_results(results(**{"model.p.airports": "error"}), "transport", "r1", None)
    assert result.failures == {"model.p.airports": "error on model.p.airports"}
    assert result.upstream_failures == {} and result.upstream_key_warnings == {}
