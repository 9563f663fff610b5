"""Secrets, once: reading them, masking them in Airflow's logs and redacting them everywhere else.

* :func:`read_secret` — a secret from the environment or, inside an Airflow task, from a
  connection (the PII salt, the PostgreSQL DSN, a source's API key).
* :func:`register_secret` — values read for a source (``headers_from_env``, ``params_from_env``)
  are redacted by value from every URL, message and log record from then on, whatever the
  parameter or header is called.
* :func:`is_secret_name` — the secret-looking-name pattern: the registry rejects literal
  parameters named like a secret, the HTTP client redacts their values.
* :func:`redact_url`, :func:`redact_text`, :func:`redact_params`, :func:`redact_headers`,
  :func:`redact_dsn` and :class:`RedactingFilter` (for loggers we do not own, such as urllib3's).

Named ``secret_handling`` rather than ``secrets``: Airflow's plugin loader imports every ``.py``
under ``plugins/`` that ``.airflowignore`` does not exclude as a *top-level* module named after
the file, so a ``secrets.py`` there would replace the standard library's ``secrets`` in the
scheduler and API server if that ignore file were ever lost or not mounted.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Mapping
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

REDACTED = "***"
MIN_SECRET_LENGTH = 4  # shorter values would redact ordinary text

# Substring match on purpose: providers spell it api_key, apiKey, X-Api-Key, subscription-key, ...
SECRET_NAME_PARTS = ("key", "token", "secret", "passw", "signature", "auth", "cookie", "credential")
_SECRET_NAME = re.compile("|".join(SECRET_NAME_PARTS), re.IGNORECASE)
# name=value pairs inside free text (exception messages quote the request URL verbatim). A
# cookie travels in a header (redacted by name), never as a URL pair, so it is not looked for here.
_SECRET_PAIR = re.compile(
    r"(?P<name>[A-Za-z0-9_.\-]*(?:" + "|".join(p for p in SECRET_NAME_PARTS if p != "cookie") + r")[A-Za-z0-9_.\-]*)"
    r"(?P<sep>=|%3D)(?P<value>[^&\s'\"<>#]+)",
    re.IGNORECASE,
)

# Secret values read for this process (a source's headers_from_env, params_from_env).
_KNOWN_SECRETS: set[str] = set()


# --------------------------------------------------------------------------- reading


def read_secret(env_var: str, conn_id: str | None = None) -> str | None:
    """A secret from the environment or, inside Airflow, from a connection's password.

    Order: the environment variable ``env_var``; then, only when running inside Airflow (the
    ``airflow`` package is already imported: a task, never the CLI or a DAG parse), the
    connection ``conn_id`` (any secrets backend Airflow is configured with, including
    ``AIRFLOW_CONN_<ID>``). A found value is registered with Airflow's log masker. Secrets never
    have defaults and never live in the repository.
    """
    value = os.environ.get(env_var) or None
    if value is None and conn_id and "airflow" in sys.modules:
        try:
            from airflow.sdk import Connection

            value = Connection.get(conn_id).password or None
        except Exception:  # no such connection, or not inside a task: treated as "not set"
            value = None
    if value is not None:
        mask_in_airflow_logs(value)
    return value


def mask_in_airflow_logs(value: str) -> None:
    """Ask Airflow to mask ``value`` in task logs (a no-op outside Airflow)."""
    if "airflow" not in sys.modules or len(value) < MIN_SECRET_LENGTH:
        return
    try:
        from airflow.sdk.log import mask_secret

        mask_secret(value)
    except Exception:  # masking is a second line of defence; our own code never logs secrets
        pass


def register_secret(value: str) -> None:
    """Redact ``value`` from every URL, message and log line this process produces from now on."""
    if value and len(value) >= MIN_SECRET_LENGTH:
        _KNOWN_SECRETS.add(value)


# --------------------------------------------------------------------------- redacting


def is_secret_name(name: str) -> bool:
    """Whether a parameter/header name looks like it carries a secret (``api_key``, ``X-Auth``...)."""
    return bool(_SECRET_NAME.search(name))


def _is_secret(name: str, value: str) -> bool:
    return is_secret_name(name) or value in _KNOWN_SECRETS


def _redact_known(text: str) -> str:
    for secret in sorted(_KNOWN_SECRETS, key=len, reverse=True):
        for form in {secret, quote_plus(secret), quote(secret, safe="")}:
            text = text.replace(form, REDACTED)
    return text


def redact_params(params: Mapping[str, str]) -> dict[str, str]:
    return {k: (REDACTED if _is_secret(k, v) else v) for k, v in params.items()}


def redact_headers(headers: Mapping[str, str]) -> dict[str, str]:
    return {k: (REDACTED if _is_secret(k, v) else v) for k, v in headers.items()}


def redact_url(url: str) -> str:
    """The URL with secret query values and any userinfo password replaced by ``***``."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:{REDACTED}@{host}"
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        query = urlencode([(k, REDACTED if _is_secret(k, v) else v) for k, v in pairs], safe="*")
    return _redact_known(urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment)))


def redact_text(text: str) -> str:
    """Best effort for free text such as exception messages that embed a URL."""
    return _redact_known(_SECRET_PAIR.sub(lambda m: f"{m['name']}{m['sep']}{REDACTED}", text))


def redact_dsn(dsn: str) -> str:
    """A libpq URL with its password (if any) replaced by ``***``; user, host and database kept."""
    parts = urlsplit(dsn)
    if parts.password is None:
        return dsn
    netloc = parts.netloc.replace(f":{parts.password}@", f":{REDACTED}@", 1)
    return urlunsplit(parts._replace(netloc=netloc))


class RedactingFilter(logging.Filter):
    """Redacts secret query values in records of loggers we do not own.

    urllib3 logs every request line (``"GET /path?api_key=... HTTP/1.1" 200``) at DEBUG.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken record is not ours to fix
            return True
        redacted = redact_text(message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def install_log_redaction(logger_name: str) -> None:
    """Add a :class:`RedactingFilter` to the logger ``logger_name`` (once)."""
    third_party = logging.getLogger(logger_name)
    if not any(isinstance(f, RedactingFilter) for f in third_party.filters):
        third_party.addFilter(RedactingFilter())
