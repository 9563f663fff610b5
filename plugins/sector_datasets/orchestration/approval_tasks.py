"""The owner's approval inside a sector DAG: publish (a branch) ─► approve ─► serve | reject.

``publish__<dataset>`` is a branch task: it follows ``approve__<dataset>`` only when its publish
policy held the new version *and* approvals are decided in Airflow (``SECTOR_DATASETS_APPROVALS``
= ``airflow``); otherwise it skips it, and with it ``serve__``/``reject__``. Making publish the
branch costs no extra task per dataset (a ``short_circuit`` after it would add one); its return
value is the branch, so its record goes to the XCom key ``publication`` and the approval's
subject and body to ``approval_request``.

``approve__<dataset>`` is the standard provider's :class:`HITLBranchOperator` (Airflow 3.3: the task
waits in ``awaiting_input``; the UI's *Required actions* page and the REST
``/api/v2/dags/{dag}/dagRuns/{run}/taskInstances/{task}/{map_index}/hitlDetails`` answer it):
*Approve* → ``serve__``, *Reject* → ``reject__``; no answer within the policy's
``approval_timeout_hours`` takes the default, *Reject*, recorded as ``timed_out``.

Asset events: ``publish__`` and ``serve__`` have the dataset's :class:`AssetAlias` as outlet and add
the dataset's Asset to it only when a new version became the served one — an unchanged, held,
pinned or rejected publish emits no event, so Asset-scheduled DAGs run only for real changes.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from airflow.providers.standard.operators.hitl import HITLBranchOperator
from airflow.sdk import Asset, AssetAlias, Param, get_current_context

from sector_datasets.orchestration.alerts import approval_notifiers
from sector_datasets.registry import Dataset, Sector

APPROVE, REJECT = "Approve", "Reject"
PUBLICATION_KEY, REQUEST_KEY, RESPONSE_KEY = "publication", "approval_request", "response"


def asset_named(dataset_id: str) -> Asset:
    """The Airflow Asset downstream DAGs schedule on; one per published dataset."""
    return Asset(name=f"curated.{dataset_id}", uri=f"sector-datasets://curated/{dataset_id}", group="sector-datasets")


def alias_for(dataset_id: str) -> AssetAlias:
    """The outlet of publish__/serve__: the Asset is added to it only when a new version is served."""
    return AssetAlias(name=f"served.{dataset_id}", group="sector-datasets")


def newly_served(record: dict) -> bool:
    """Whether this publish (or approval) made a new version the served one."""
    return bool(record.get("new_version")) and not record.get("held") and record.get("served_version") == record.get("version")


def announce_served(dataset_id: str) -> None:
    """The Asset event of a version that just became the served one (through the task's alias)."""
    get_current_context()["outlet_events"][alias_for(dataset_id)].add(asset_named(dataset_id))


def after_publish(sector_id: str, dataset_id: str, record: dict) -> str | None:
    """Inside ``publish__``: push the record, emit the Asset event, choose the branch."""
    from sector_datasets.review.candidate import approval_request
    from sector_datasets.settings import get_settings

    ti = get_current_context()["ti"]
    ti.xcom_push(key=PUBLICATION_KEY, value=record)
    if newly_served(record):
        announce_served(dataset_id)
    if not record.get("held"):  # also an unchanged rerun of a version still held: the owner is asked again
        return None
    if get_settings().approvals != "airflow":
        return None  # non-interactive: reported as awaiting approval with the commands to decide
    ti.xcom_push(key=REQUEST_KEY, value=approval_request(sector_id, dataset_id, record))
    return f"approve__{dataset_id}"


class OwnerApproval(HITLBranchOperator):
    """HITLBranchOperator that keeps the response (who, reason, timed out?) for serve__/reject__."""

    def execute_complete(self, context: Any, event: dict[str, Any]) -> Any:
        if "error" not in event:
            user = event.get("responded_by_user") or {}
            context["ti"].xcom_push(key=RESPONSE_KEY, value={
                "by": user.get("name") or user.get("id") or None,
                "chosen": list(event.get("chosen_options") or []),
                "reason": ((event.get("params_input") or {}).get("reason") or "").strip(),
                "timed_out": bool(event.get("timedout")) or not user,
            })
        return super().execute_complete(context, event)


def approval_task(sector: Sector, dataset: Dataset) -> OwnerApproval:
    ds = dataset.id
    pulled = f"ti.xcom_pull(task_ids='publish__{ds}', key='{REQUEST_KEY}')"
    return OwnerApproval(
        task_id=f"approve__{ds}",
        subject="{{ (" + pulled + " or {}).get('subject', '') }}",
        body="{{ (" + pulled + " or {}).get('body', '') }}",
        options=[APPROVE, REJECT],
        options_mapping={APPROVE: f"serve__{ds}", REJECT: f"reject__{ds}"},
        defaults=[REJECT],
        response_timeout=timedelta(hours=dataset.publish_policy.approval_timeout_hours),
        params={"reason": Param("", type="string",
                                description="Why (required to reject) / Lý do (bắt buộc khi từ chối)")},
        # The owner gets a mail (orchestration.alerts) quoting the rendered body: the diff and reasons.
        notifiers=approval_notifiers(sector, dataset),
        retries=0,
    )


def decide_from_response(dataset_id: str, approve: bool) -> dict:
    """Inside ``serve__`` / ``reject__``: apply the HITL response through the CLI's own function."""
    from sector_datasets.orchestration.serving_commands import decide_held
    from sector_datasets.settings import get_settings
    from sector_datasets.state import approvals

    ti = get_current_context()["ti"]
    response = ti.xcom_pull(task_ids=f"approve__{dataset_id}", key=RESPONSE_KEY) or {}
    version = (ti.xcom_pull(task_ids=f"publish__{dataset_id}", key=PUBLICATION_KEY) or {}).get("version")
    by = response.get("by") or ("timeout" if response.get("timed_out") else "airflow")
    if approve:
        decided = decide_held(get_settings(), dataset_id, approvals.APPROVED, by=by,
                              reason=response.get("reason", ""), version=version)
        announce_served(dataset_id)  # the approved version is the served one now
        return decided
    timed_out = response.get("timed_out", False)
    reason = response.get("reason") or ("no decision before the approval timeout / hết hạn phê duyệt" if timed_out
                                        else "rejected in Airflow, no reason given / từ chối, không ghi lý do")
    return decide_held(get_settings(), dataset_id, approvals.TIMED_OUT if timed_out else approvals.REJECTED,
                       by=by, reason=reason, version=version)
