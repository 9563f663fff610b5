"""The read API checked against its own OpenAPI document by schemathesis, on the real build:
generated requests (valid and invalid) must get documented status codes, content types and
bodies that match the declared schemas, and never a server error."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from sector_datasets.api.app import create_api
from sector_datasets.settings import get_settings

pytestmark = pytest.mark.slow  # needs built_platform


def conformance_failures(app, max_examples: int) -> dict[str, str]:
    """Every operation of ``app``'s OpenAPI document through schemathesis's checks; label → failure."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    failures: dict[str, str] = {}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12, [op.label for op in operations]
    for operation in operations:
        @given(case=operation.as_strategy())
        @settings(max_examples=max_examples, deadline=None, suppress_health_check=list(HealthCheck),
                  derandomize=True, database=None)
        def check(case) -> None:
            case.call_and_validate()

        try:
            check()
        except Exception as exc:  # noqa: BLE001 - collected, reported below with the operation
            failures[operation.label] = f"{type(exc).__name__}: {str(exc)[:1500]}"
    return failures


def test_the_api_conforms_to_its_openapi_document(built_platform):
    s = get_settings()
    failures = conformance_failures(create_api(s.exports_dir, s.reports_dir), max_examples=40)
    assert not failures, "\n\n".join(f"{k}\n{v}" for k, v in failures.items())
