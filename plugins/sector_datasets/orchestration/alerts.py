"""Owner alerts: an e-mail to the sector owner when a gate fails, a publish is blocked, or a new
version waits for the owner's approval.

* :func:`owner_alert` builds the message (subject, HTML, plain text) — pure, bilingual
  (Vietnamese first, then English), with a plain-language reason and the scorecard link.
* :class:`OwnerAlertNotifier` is an Airflow notifier (``BaseNotifier``) that sends it through
  the SMTP provider's ``SmtpHook`` to the owner's contact from the registry
  (``sector.owner.contact``). The SMTP connection id, the sender and the scorecard link come
  from :class:`~sector_datasets.settings.Settings` (``SECTOR_DATASETS_ALERT_SMTP_CONN_ID``,
  default ``smtp_default``; ``SECTOR_DATASETS_ALERT_FROM``; ``SECTOR_DATASETS_SCORECARD_URL``).
* :func:`failure_alert` is the ``on_failure_callback`` of the ``publish__*`` tasks, which carry
  each dataset's gate verdict (the kind is read from the failing task and its exception); :func:`approval_notifiers` is
  the list the approval (HITL) task passes as ``notifiers=``.

Why not ``SmtpNotifier`` itself: it Jinja-renders subject and body (a gate message quoting a
value with ``{{`` would break the mail) and re-raises send errors; inside a HITL operator a
raising notifier fails the approval task. This notifier never raises: no SMTP connection means
alerts are off (one log line), a failed send is one warning line, and the task's own outcome is
what Airflow records either way.

Import cost: the DAG file imports this module at parse time, so it imports only
``airflow.sdk``'s notifier base; the SMTP hook, settings and redaction load when a mail is sent.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from airflow.sdk import BaseNotifier

GATE_FAILED = "gate_failed"
BLOCKED = "blocked"
AWAITING_APPROVAL = "awaiting_approval"
KINDS = (GATE_FAILED, BLOCKED, AWAITING_APPROVAL)
#: Sender when neither the setting nor the SMTP connection's ``from_email`` extra names one.
DEFAULT_FROM = "sector-datasets@localhost"
# The module's logger (not the notifier's structlog one): inside a task it lands in the task log.
_log = logging.getLogger(__name__)
#: Longest technical detail quoted in a mail; the scorecard and the task log hold the rest.
MAX_DETAIL_CHARS = 2000

# (vi, en) per kind: the headline, what happened to the data, and what the owner can do.
_TEXTS: dict[str, dict[str, tuple[str, str]]] = {
    GATE_FAILED: {
        "title": ("Kiểm tra chất lượng không đạt", "Quality gate failed"),
        "what": (
            "Phiên bản mới của bộ dữ liệu không đạt kiểm tra chất lượng nên không được công bố. "
            "Phiên bản đang phục vụ người dùng vẫn giữ nguyên.",
            "The new version of the dataset failed its quality checks and was not published. "
            "The version users are served is unchanged.",
        ),
        "todo": (
            "Xem thẻ điểm để biết kiểm tra nào không đạt, sửa dữ liệu nguồn rồi chạy lại.",
            "Open the scorecard to see which checks failed, fix the source data and run again.",
        ),
    },
    BLOCKED: {
        "title": ("Việc công bố bị chặn", "Publish blocked"),
        "what": (
            "Phiên bản mới thay đổi quá nhiều so với phiên bản đang phục vụ, vượt quá giới hạn "
            "của chính sách công bố, nên không được công bố. Phiên bản đang phục vụ vẫn giữ nguyên.",
            "The new version changes too much compared with the version being served — beyond "
            "what the publish policy allows — so it was not published. The served version is unchanged.",
        ),
        "todo": (
            "Xem thay đổi trên thẻ điểm. Nếu dữ liệu nguồn sai, hãy sửa rồi chạy lại; nếu thay đổi "
            "là đúng, hãy liên hệ nhóm nền tảng dữ liệu để điều chỉnh chính sách công bố.",
            "Review the changes on the scorecard. If the source data is wrong, fix it and run again; "
            "if the change is genuine, ask the data platform team to adjust the publish policy.",
        ),
    },
    AWAITING_APPROVAL: {
        "title": ("Cần phê duyệt", "Approval needed"),
        "what": (
            "Phiên bản mới đã được tạo nhưng chưa được phục vụ người dùng: các thay đổi của nó "
            "cần chủ sở hữu dữ liệu phê duyệt theo chính sách công bố.",
            "A new version has been built but is not served yet: its changes need the data "
            "owner's approval under the publish policy.",
        ),
        "todo": (
            "Xem thay đổi trên thẻ điểm, rồi phê duyệt hoặc từ chối trong Airflow (mục "
            "\"Required actions\") hoặc bằng lệnh cli approve / cli reject.",
            "Review the changes on the scorecard, then approve or reject in Airflow (\"Required "
            "actions\") or with cli approve / cli reject.",
        ),
    },
}


def _reason_pair(reason: Any) -> tuple[str, str]:
    """(vi, en) of a reason: a ``Reason``/mapping with ``vi``/``en``, a list of those, or plain
    text (a technical message, the same in both languages)."""
    if reason is None:
        return "", ""
    if isinstance(reason, str):
        text = reason.strip()
        return text, text
    if isinstance(reason, Mapping):
        en = str(reason.get("en") or reason.get("vi") or "").strip()
        return str(reason.get("vi") or en).strip(), en
    if hasattr(reason, "en") or hasattr(reason, "vi"):
        return _reason_pair({"vi": getattr(reason, "vi", ""), "en": getattr(reason, "en", "")})
    if isinstance(reason, Sequence):
        pairs = [_reason_pair(r) for r in reason]
        return " ".join(vi for vi, _ in pairs if vi), " ".join(en for _, en in pairs if en)
    text = str(reason).strip()
    return text, text


def _clip(text: str) -> str:
    return text if len(text) <= MAX_DETAIL_CHARS else text[: MAX_DETAIL_CHARS - 1] + "…"


def owner_alert(
    kind: str, sector: str, dataset: str, run_id: str, reason: Any, scorecard_url: str
) -> tuple[str, str, str]:
    """The owner's e-mail for one event: ``(subject, html, text)``, Vietnamese then English.

    ``reason`` is a bilingual ``Reason`` (or ``{"vi", "en"}`` mapping, or a list of them), or a
    plain technical message such as a gate's failure summary, quoted once as the detail.
    """
    if kind not in _TEXTS:
        raise ValueError(f"unknown owner alert kind {kind!r} for sector {sector!r} dataset {dataset!r} "
                         f"run {run_id!r}; expected one of {', '.join(KINDS)}")
    texts = _TEXTS[kind]
    (title_vi, title_en), (what_vi, what_en), (todo_vi, todo_en) = texts["title"], texts["what"], texts["todo"]
    reason_vi, reason_en = (_clip(t) for t in _reason_pair(reason))
    subject = f"[sector-datasets] {title_vi} / {title_en}: {sector} / {dataset}"
    facts = [("Lĩnh vực / Sector", sector), ("Bộ dữ liệu / Dataset", dataset), ("Lần chạy / Run", run_id)]

    if reason_vi == reason_en:  # one technical message: quote it once
        reason_lines = [f"Chi tiết / Details: {reason_en}"] if reason_en else []
    else:
        reason_lines = [f"Lý do: {reason_vi}", f"Reason: {reason_en}"]
    text = "\n".join([
        f"{title_vi} / {title_en}",
        "",
        *[f"{label}: {value}" for label, value in facts],
        "",
        what_vi,
        what_en,
        "",
        *reason_lines,
        *([""] if reason_lines else []),
        todo_vi,
        todo_en,
        "",
        f"Thẻ điểm / Scorecard: {scorecard_url}",
        "",
    ])

    esc = html.escape
    if reason_vi == reason_en:
        reason_html = (f'<p><b>Chi tiết / Details:</b></p><pre style="white-space:pre-wrap">{esc(reason_en)}</pre>'
                       if reason_en else "")
    else:
        reason_html = (f'<p lang="vi"><b>Lý do:</b> {esc(reason_vi)}</p>'
                       f'<p lang="en"><b>Reason:</b> {esc(reason_en)}</p>')
    rows = "".join(f"<tr><th align='left'>{esc(k)}</th><td><code>{esc(v)}</code></td></tr>" for k, v in facts)
    body = (
        "<!doctype html><html><head><meta charset='utf-8'></head><body style='font-family:sans-serif'>"
        f"<h2>{esc(title_vi)} / {esc(title_en)}</h2>"
        f"<table>{rows}</table>"
        f'<p lang="vi">{esc(what_vi)}</p><p lang="en">{esc(what_en)}</p>'
        f"{reason_html}"
        f'<p lang="vi">{esc(todo_vi)}</p><p lang="en">{esc(todo_en)}</p>'
        f'<p><a href="{esc(scorecard_url, quote=True)}">Mở thẻ điểm / Open the scorecard</a>: '
        f"{esc(scorecard_url)}</p>"
        "</body></html>"
    )
    return subject, body, text


def scorecard_link(template: str, sector_id: str) -> str:
    """The setting's scorecard URL with ``{sector}`` / ``{dag_id}`` filled in for one sector."""
    return template.replace("{sector}", sector_id).replace("{dag_id}", f"sector_{sector_id}")


_BLOCKED_WORDS = re.compile(r"\bblock(ed|s)?\b|chặn", re.IGNORECASE)


def classify_failure(task_id: str, exception: BaseException | str | None) -> str | None:
    """Which alert a failed task means: ``publish__*`` failing because its dataset did not pass
    its gate (``GateFailed``, from the sector's ``gate`` task) → gate_failed; failing because the
    policy blocked it (an exception type or message saying blocked / chặn) → blocked; any other
    failure (a crash of the platform, not a data decision) → None, no owner mail. A failed
    ``gate*`` task → gate_failed."""
    from sector_datasets.orchestration.stages import GateFailed  # at failure time, not at DAG parse

    stage = task_id.partition("__")[0]
    if stage == "gate":
        return GATE_FAILED
    if stage == "publish" and exception is not None:
        if isinstance(exception, GateFailed):
            return GATE_FAILED
        text = f"{type(exception).__name__} {exception}" if isinstance(exception, BaseException) else str(exception)
        if "Blocked" in text or _BLOCKED_WORDS.search(text):
            return BLOCKED
    return None


def send_owner_mail(to: str, subject: str, html_content: str) -> bool:
    """Send one mail through the configured SMTP connection; False (and one log line) when alerts
    are off because no such connection exists. Send errors propagate to the caller."""
    from airflow.providers.smtp.hooks.smtp import SmtpHook

    from sector_datasets.settings import get_settings

    settings = get_settings()
    conn_id = settings.alert_smtp_conn_id
    try:
        SmtpHook.get_connection(conn_id)
    except Exception as exc:  # AirflowNotFoundException, or the task SDK's "connection not found" error
        _log.info(
            "owner alerts are off: no SMTP connection %r (%s); not mailing %s", conn_id, type(exc).__name__, to
        )
        return False
    with SmtpHook(smtp_conn_id=conn_id) as hook:
        hook.send_email_smtp(
            to=to, subject=subject, html_content=html_content,
            from_email=settings.alert_from_email or hook.from_email or DEFAULT_FROM,
        )
    return True


class OwnerAlertNotifier(BaseNotifier):
    """Mails the sector owner about one dataset. Usable as ``on_failure_callback`` (``kind=None``:
    the kind is classified from the failed task) and in a HITL operator's ``notifiers``.

    ``reason``: text, a ``Reason``, or a callable ``context -> reason``; by default the failed
    task's exception, or for an approval the HITL task's (rendered) ``body``.
    """

    template_fields = ()  # nothing Jinja-rendered: messages may quote data containing braces

    def __init__(
        self, sector_id: str, dataset_id: str, to: str, *, kind: str | None = None,
        reason: Any | Callable[[Mapping[str, Any]], Any] = None,
    ):
        super().__init__()
        if kind is not None and kind not in KINDS:
            raise ValueError(f"unknown owner alert kind {kind!r} for sector {sector_id!r} dataset {dataset_id!r}")
        self.sector_id, self.dataset_id, self.to, self.kind, self.reason = sector_id, dataset_id, to, kind, reason

    def __repr__(self) -> str:
        return f"OwnerAlertNotifier({self.sector_id!r}, {self.dataset_id!r}, kind={self.kind!r})"

    def __call__(self, *args: Any) -> None:
        # BaseNotifier.__call__ re-raises; a HITL operator calls notifiers inside execute(), where
        # that would fail the approval task. An alert is best effort: log one line and go on.
        context = args[0] if len(args) == 1 and isinstance(args[0], Mapping) else {}
        try:
            self.notify(context)
        except Exception as exc:
            _log.warning(
                "could not mail the owner alert for sector %r dataset %r to %s: %s: %s",
                self.sector_id, self.dataset_id, self.to, type(exc).__name__, exc,
            )

    def _reason(self, context: Mapping[str, Any], kind: str) -> Any:
        if callable(self.reason):
            return self.reason(context)
        if self.reason is not None:
            return self.reason
        if kind == AWAITING_APPROVAL:
            return getattr(context.get("task"), "body", None)
        exc = context.get("exception")
        if exc is None:
            return None
        from sector_datasets.secret_handling import redact_text

        return redact_text(f"{type(exc).__name__}: {exc}" if isinstance(exc, BaseException) else str(exc))

    def notify(self, context: Mapping[str, Any]) -> None:
        from sector_datasets.settings import get_settings

        ti = context.get("ti") or context.get("task_instance")
        task_id = getattr(ti, "task_id", None) or getattr(context.get("task"), "task_id", None) or ""
        kind = self.kind or classify_failure(task_id, context.get("exception"))
        if kind is None:
            return
        run_id = str(context.get("run_id") or getattr(ti, "run_id", None) or "?")
        url = scorecard_link(get_settings().scorecard_url, self.sector_id)
        subject, body, _text = owner_alert(kind, self.sector_id, self.dataset_id, run_id,
                                           self._reason(context, kind), url)
        if send_owner_mail(self.to, subject, body):
            _log.info("owner alert %s for sector %r dataset %r run %r mailed to %s",
                          kind, self.sector_id, self.dataset_id, run_id, self.to)


def _ids(sector: Any, dataset: Any) -> tuple[str, str, str]:
    """(sector id, dataset id, owner contact) from registry objects (a dataset may be its id)."""
    return sector.id, getattr(dataset, "id", dataset), sector.owner.contact


def failure_alert(sector: Any, dataset: Any) -> OwnerAlertNotifier:
    """``on_failure_callback`` for a dataset's publish task (kind classified per failure: its gate, its policy)."""
    sector_id, dataset_id, contact = _ids(sector, dataset)
    return OwnerAlertNotifier(sector_id, dataset_id, contact)


def approval_notifiers(sector: Any, dataset: Any, reason: Any = None) -> list[OwnerAlertNotifier]:
    """``notifiers=`` for the dataset's approval (HITL) task: mails the owner that a version waits.

    ``sector``: the registry ``Sector``; ``dataset``: its ``Dataset`` or the dataset id;
    ``reason``: optional text / ``Reason`` / list / ``context -> reason`` (default: the HITL
    task's rendered ``body``).
    """
    sector_id, dataset_id, contact = _ids(sector, dataset)
    return [OwnerAlertNotifier(sector_id, dataset_id, contact, kind=AWAITING_APPROVAL, reason=reason)]
