"""sector_datasets.secret_handling: reading, registering and redacting secrets (SYNTHETIC values)."""

from __future__ import annotations

import logging
from urllib.parse import quote, quote_plus

import pytest

from sector_datasets.registry import Policy
from sector_datasets.secret_handling import (
    REDACTED,
    RedactingFilter,
    install_log_redaction,
    is_secret_name,
    read_secret,
    redact_dsn,
    redact_params,
    redact_text,
    redact_url,
    register_secret,
)

# Registered secrets stay registered for the process: these values occur nowhere else.
REGISTERED = "SYNTHETIC+redaction/value=7e3a"


@pytest.fixture(scope="module", autouse=True)
def registered():
    register_secret(REGISTERED)


@pytest.mark.parametrize("form", [REGISTERED, quote_plus(REGISTERED), quote(REGISTERED, safe="")])
def test_a_registered_value_is_redacted_from_text_in_every_encoding(form):
    assert redact_text(f"GET http://h/p?x=1&q={form} failed: {form}") == f"GET http://h/p?x=1&q={REDACTED} failed: {REDACTED}"


def test_a_registered_value_is_redacted_from_urls_and_params_whatever_the_name():
    url = f"https://api.example.org/data?format=csv&region={quote_plus(REGISTERED)}"
    assert redact_url(url) == f"https://api.example.org/data?format=csv&region={REDACTED}"
    assert redact_params({"format": "csv", "region": REGISTERED}) == {"format": "csv", "region": REDACTED}


def test_a_short_value_is_never_registered():
    register_secret("abc")  # would redact ordinary text
    assert redact_text("abc def") == "abc def"


def test_secret_named_values_are_redacted_without_registration():
    assert redact_url("https://u:SYNTHETIC-pw@h.example/p?api_key=k1234&page=2") == f"https://u:{REDACTED}@h.example/p?api_key={REDACTED}&page=2"
    assert redact_text("url=https://h/p?access_token=t0k3n&page=2 x") == f"url=https://h/p?access_token={REDACTED}&page=2 x"
    assert redact_text("sig%3Dabcdef") == "sig%3Dabcdef"  # not a secret-looking name
    assert redact_text("signature%3Dabcdef") == f"signature%3D{REDACTED}"


@pytest.mark.parametrize("name", ["api_key", "apiKey", "X-Api-Key", "subscription-key", "access_token", "client_secret",
                                  "password", "X-Signature", "Authorization", "Cookie", "credentials"])
def test_secret_looking_names(name):
    assert is_secret_name(name)


@pytest.mark.parametrize("name", ["format", "page", "per_page", "date", "country", "sig", "indicator"])
def test_ordinary_names(name):
    assert not is_secret_name(name)


def test_the_registry_refuses_what_the_pattern_calls_a_secret():
    policy = Policy(allowed_url_schemes=["https"], allowed_hosts=["api.example.org"])
    assert policy.url_problem("https://api.example.org/x?format=csv") is None
    assert "secret" in policy.url_problem("https://api.example.org/x?subscription-key=1")


def test_dsn_redaction():
    assert redact_dsn("postgresql://u:pw@h:5432/db") == f"postgresql://u:{REDACTED}@h:5432/db"
    assert redact_dsn("postgresql://u:p%40ss@h/db?sslmode=require") == f"postgresql://u:{REDACTED}@h/db?sslmode=require"
    assert redact_dsn("postgresql://postgres@127.0.0.1:5432/sector_datasets") == "postgresql://postgres@127.0.0.1:5432/sector_datasets"


def test_read_secret_from_the_environment(monkeypatch):
    monkeypatch.setenv("SYNTHETIC_SECRET_VAR", "SYNTHETIC-value-1")
    assert read_secret("SYNTHETIC_SECRET_VAR") == "SYNTHETIC-value-1"
    monkeypatch.setenv("SYNTHETIC_SECRET_VAR", "")
    assert read_secret("SYNTHETIC_SECRET_VAR") is None  # empty is not set
    monkeypatch.delenv("SYNTHETIC_SECRET_VAR")
    assert read_secret("SYNTHETIC_SECRET_VAR") is None


def test_log_records_of_a_foreign_logger_are_redacted(caplog):
    name = "tests.secret_handling.foreign"
    install_log_redaction(name)
    install_log_redaction(name)
    foreign = logging.getLogger(name)
    assert sum(isinstance(f, RedactingFilter) for f in foreign.filters) == 1
    with caplog.at_level(logging.DEBUG, logger=name):
        foreign.debug('"GET /p?api_key=%s&q=%s HTTP/1.1" 200', "k-1234", quote_plus(REGISTERED))
    assert caplog.messages == [f'"GET /p?api_key={REDACTED}&q={REDACTED} HTTP/1.1" 200']


def test_urllib3_request_lines_are_redacted_once_the_http_client_is_loaded():
    import sector_datasets.extract.http_client  # noqa: F401  (installs the filter)

    assert any(isinstance(f, RedactingFilter) for f in logging.getLogger("urllib3.connectionpool").filters)
