"""A gate task's log is the gate's verdict, not Great Expectations' registration chatter (issue 16)."""

from __future__ import annotations

import logging


def test_great_expectations_logs_only_warnings_once_the_gate_is_imported(caplog):
    import great_expectations  # noqa: F401  (GX configures its loggers at import)

    from sector_datasets.gate import validate  # noqa: F401

    caplog.set_level(logging.INFO)  # as in an Airflow task: the root logger at INFO
    assert logging.getLogger().isEnabledFor(logging.INFO)
    gx = logging.getLogger("great_expectations.datasource.fluent.sql_datasource")
    assert not gx.isEnabledFor(logging.INFO) and gx.isEnabledFor(logging.WARNING)
