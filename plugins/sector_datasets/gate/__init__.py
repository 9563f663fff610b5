"""Quality gate: validate a built warehouse table with a Great Expectations suite.

Cheap to import (Great Expectations itself is imported only when a validation runs).
"""

from sector_datasets.gate.suites import SuiteError, load_suite
from sector_datasets.gate.outcomes import ExpectationOutcome, GateVerdict
from sector_datasets.gate.validate import GateError, validate_table

__all__ = [
    "ExpectationOutcome",
    "GateError",
    "GateVerdict",
    "SuiteError",
    "load_suite",
    "validate_table",
]
