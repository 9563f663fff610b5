"""Owner alerts: the message for each kind, which failures mail the owner, and the notifier
sending through the real SMTP provider hook to a local SMTP server (tests/smtp_sink.py) over a
real Airflow connection (``AIRFLOW_CONN_SMTP_DEFAULT``). The run through Airflow is in
tests/e2e/test_gate_failure_through_airflow.py."""

from __future__ import annotations

import pytest

from sector_datasets.orchestration.alerts import (
    AWAITING_APPROVAL, BLOCKED, GATE_FAILED, OwnerAlertNotifier, approval_notifiers, classify_failure,
    failure_alert, owner_alert, scorecard_link,
)
from sector_datasets.registry import load_registry
from sector_datasets.settings import get_settings
from tests.helpers import REGISTRY_DIR
from tests.smtp_sink import SmtpSink

URL = "http://airflow.example/dags/sector_transport/plugin/sector-datasets-dag"


@pytest.mark.parametrize("kind, vi, en", [
    (GATE_FAILED, "Kiểm tra chất lượng không đạt", "Quality gate failed"),
    (BLOCKED, "Việc công bố bị chặn", "Publish blocked"),
    (AWAITING_APPROVAL, "Cần phê duyệt", "Approval needed"),
])
def test_each_kind_says_what_happened_in_both_languages_with_the_link(kind, vi, en):
    subject, html, text = owner_alert(kind, "transport", "transport_airports", "manual__2025-01-01", "boom <x>", URL)
    assert subject == f"[sector-datasets] {vi} / {en}: transport / transport_airports"
    for needle in (vi, en, "transport_airports", "manual__2025-01-01", "Chi tiết / Details: boom <x>",
                   f"Thẻ điểm / Scorecard: {URL}"):
        assert needle in text
    assert f'<a href="{URL}">' in html and "boom &lt;x&gt;" in html and "<x>" not in html
    # A sentence in each language about the served version / what to do, not just a title.
    assert ("phục vụ" in text) and ("served" in text)


def test_the_three_kinds_do_not_share_their_explanations():
    texts = {k: owner_alert(k, "s", "d", "r", None, URL)[2] for k in (GATE_FAILED, BLOCKED, AWAITING_APPROVAL)}
    assert "cli approve" in texts[AWAITING_APPROVAL] and "cli approve" not in texts[GATE_FAILED]
    assert "publish policy" in texts[BLOCKED] and "quality checks" in texts[GATE_FAILED]
    assert "Details" not in texts[BLOCKED]  # no reason given: no empty detail line


def test_a_bilingual_reason_is_given_in_each_language():
    reasons = [{"vi": "12 dòng bị xoá", "en": "12 rows removed"}, {"vi": "chuỗi mới", "en": "new series"}]
    _, html, text = owner_alert(AWAITING_APPROVAL, "trade", "trade_exports", "r1", reasons, URL)
    assert "Lý do: 12 dòng bị xoá chuỗi mới" in text and "Reason: 12 rows removed new series" in text
    assert '<p lang="vi"><b>Lý do:</b> 12 dòng bị xoá chuỗi mới</p>' in html


def test_an_unknown_kind_is_refused_with_its_names():
    with pytest.raises(ValueError, match="'late'.*'transport'.*'transport_airports'.*'r9'"):
        owner_alert("late", "transport", "transport_airports", "r9", "", URL)


def test_which_failures_mail_the_owner():
    from sector_datasets.orchestration.stages import GateFailed

    assert classify_failure("publish__transport_airports", GateFailed("gate failed for …")) == GATE_FAILED
    assert classify_failure("gate", RuntimeError("anything")) == GATE_FAILED
    assert classify_failure("publish__x", RuntimeError("publish blocked by policy: 40% rows gone")) == BLOCKED
    assert classify_failure("publish__x", RuntimeError("Công bố bị chặn")) == BLOCKED

    class PublishBlocked(RuntimeError):
        pass

    assert classify_failure("publish__x", PublishBlocked("too many changes")) == BLOCKED
    assert classify_failure("publish__x", OSError("disk full")) is None  # a platform fault, not the owner's
    assert classify_failure("transform", RuntimeError("blocked")) is None


def test_the_scorecard_link_defaults_to_the_plugin_tab_and_follows_the_settings(monkeypatch):
    monkeypatch.delenv("SECTOR_DATASETS_SCORECARD_URL", raising=False)
    monkeypatch.setenv("AIRFLOW__API__BASE_URL", "https://data.example.gov.vn/airflow/")
    assert scorecard_link(get_settings().scorecard_url, "health") == (
        "https://data.example.gov.vn/airflow/dags/sector_health/plugin/sector-datasets-dag")
    monkeypatch.setenv("SECTOR_DATASETS_SCORECARD_URL", "https://reports.example/{sector}/index.html")
    assert scorecard_link(get_settings().scorecard_url, "health") == "https://reports.example/health/index.html"


# ------------------------------------------------------------------ the notifier, over real SMTP


@pytest.fixture
def sink(monkeypatch):
    server = SmtpSink().start()
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", server.conn_uri())
    for var in ("SECTOR_DATASETS_ALERT_SMTP_CONN_ID", "SECTOR_DATASETS_ALERT_FROM", "SECTOR_DATASETS_SCORECARD_URL",
                "AIRFLOW__API__BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def transport():
    return load_registry(REGISTRY_DIR).sectors["transport"]


def test_a_gate_failure_mails_the_owner(sink, transport):
    notifier = failure_alert(transport, transport.datasets[0])
    from sector_datasets.orchestration.stages import GateFailed

    notifier({"task": type("T", (), {"task_id": f"publish__{transport.datasets[0].id}"})(), "run_id": "manual__r1",
              "exception": GateFailed("gate failed: expect_column_values_to_be_unique(airport_id) password=hunter2")})
    [mail] = sink.received
    assert mail.rcpt_to == [transport.owner.contact]
    assert mail.mail_from == "sector-datasets@localhost"
    msg = mail.message
    assert msg["Subject"] == f"[sector-datasets] Kiểm tra chất lượng không đạt / Quality gate failed: transport / {transport.datasets[0].id}"
    body = mail.html()
    assert "expect_column_values_to_be_unique(airport_id)" in body and "hunter2" not in body  # redacted
    assert "http://localhost:8080/dags/sector_transport/plugin/sector-datasets-dag" in body


def test_a_platform_fault_in_publish_mails_nobody(sink, transport):
    failure_alert(transport, transport.datasets[0])(
        {"task": type("T", (), {"task_id": "publish__x"})(), "run_id": "r", "exception": OSError("disk full")})
    assert sink.received == []


def test_approval_notifiers_mail_the_hitl_body_and_use_the_configured_sender(sink, transport, monkeypatch):
    from airflow.providers.standard.operators.hitl import HITLOperator

    monkeypatch.setenv("SECTOR_DATASETS_ALERT_FROM", "platform@example.gov.vn")
    ds = transport.datasets[0]
    hitl = HITLOperator(task_id=f"approve__{ds.id}", subject="Approve?", options=["Approve", "Reject"],
                        body="12 dòng bị xoá / 12 rows removed")
    [notifier] = approval_notifiers(transport, ds)
    notifier({"task": hitl, "run_id": "scheduled__r2"})
    [mail] = sink.received
    assert mail.mail_from == "platform@example.gov.vn" and mail.rcpt_to == [transport.owner.contact]
    assert "Cần phê duyệt / Approval needed" in mail.message["Subject"]
    assert "12 dòng bị xoá / 12 rows removed" in mail.html() and "scheduled__r2" in mail.html()


def test_without_an_smtp_connection_alerts_are_off_and_nothing_raises(sink, transport, monkeypatch, caplog):
    monkeypatch.setenv("SECTOR_DATASETS_ALERT_SMTP_CONN_ID", "no_such_smtp")
    caplog.set_level("INFO")
    [notifier] = approval_notifiers(transport, "transport_airports")
    notifier({"run_id": "r"})
    assert sink.received == []
    assert "owner alerts are off: no SMTP connection 'no_such_smtp'" in caplog.text


def test_an_unreachable_smtp_server_does_not_raise(transport, monkeypatch, caplog):
    server = SmtpSink().start()
    uri = server.conn_uri()
    server.stop()  # the port is closed now: connection refused
    monkeypatch.setenv("AIRFLOW_CONN_SMTP_DEFAULT", uri)
    notifier = OwnerAlertNotifier("transport", "transport_airports", "x@example.org", kind=BLOCKED, reason="r")
    notifier({"run_id": "r"})  # must not raise: the task's own outcome stands
    assert "could not mail the owner alert for sector 'transport' dataset 'transport_airports'" in caplog.text


def test_the_dag_wires_the_alert_on_the_publish_tasks_only(transport):
    from sector_datasets.orchestration.dag_factory import FailureRecorder, build_sector_dag

    dag = build_sector_dag(transport, load_registry(REGISTRY_DIR))
    for ds in transport.datasets:
        callbacks = dag.get_task(f"publish__{ds.id}").on_failure_callback
        assert isinstance(callbacks[0], FailureRecorder)
        [alert] = [c for c in callbacks if isinstance(c, OwnerAlertNotifier)]
        assert (alert.sector_id, alert.dataset_id, alert.to, alert.kind) == (
            "transport", ds.id, transport.owner.contact, None)
    # The sector's gate and transform tasks fail only when the platform broke: no owner mail.
    for task_id in ("transform", "gate"):
        callbacks = dag.get_task(task_id).on_failure_callback
        callbacks = callbacks if isinstance(callbacks, list) else [callbacks]
        assert any(isinstance(c, FailureRecorder) for c in callbacks)
        assert not any(isinstance(c, OwnerAlertNotifier) for c in callbacks)
