"""Personal data protection (Decree 13/2023/ND-CP) at the gate and at publish.

Three safeguards, all driven by the registry's ``personal_data`` block of a dataset:

* **Direct identifiers** (``pii``) never reach a published table in clear. Publish drops them
  (``pii_handling: drop``, the default) or replaces each value by
  ``sha256(salt || value)`` (``pii_handling: hash``: a stable pseudonym that still joins across
  datasets hashed with the same salt). The salt is a secret: ``SECTOR_DATASETS_PII_SALT`` or the
  Airflow connection ``sector_datasets_pii_salt`` (password); it is bound as an SQL parameter and
  never logged, exported or stored. Hashing without a salt is refused, naming the dataset.
* **Small cells** (``k_anonymity: {k, count_columns}``): in an aggregated person-level table a
  count below ``k`` can single out people, so publish sets it to NULL and the dataset's
  ``metadata.json`` says how many cells were withheld per column. (Complementary suppression —
  hiding a second cell so a small one cannot be recovered from a total — is a modelling decision
  and belongs in the dbt mart, as ``education_exam_score_distribution_2021`` does.)
* **Undeclared personal data**: the gate scans every text column that will be published for
  Vietnamese phone numbers, 12-digit citizen identity numbers (CCCD) and e-mail addresses with
  SQL regular expressions inside the warehouse, and fails the dataset naming the column and a masked
  example. Declared ``pii`` columns are exempt from the scan because publish removes them.

Everything here works on a warehouse connection (DuckDB or PostgreSQL, see :mod:`.backends`) and
relation names; the callers (``pipeline.gate``,
``publish``) own the transactions and locks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import duckdb

from sector_datasets.warehouse import dialect_of
from sector_datasets.registry import Dataset
from sector_datasets.warehouse.duckdb_lock import quote_ident

LEGAL_BASIS = "Decree 13/2023/ND-CP on personal data protection"
HASH_ALGORITHM = "sha256(salt || value), hex"
MIN_SALT_LENGTH = 16

# RE2 patterns (DuckDB's regexp engine); group 1 is the match that gets masked.
# Mobile numbers: 0 or +84, a mobile prefix 3/5/7/8/9, eight more digits; the usual 4-3-3 or
# +84 3-3-3 spacing with one space, dot or hyphen between groups is recognised too.
PHONE_VN = r"(?:^|[^0-9+])((?:0|\+84\)?[ .-]?)[35789][0-9]{2}[ .-]?[0-9]{3}[ .-]?[0-9]{3})(?:[^0-9]|$)"
# CCCD: 12 digits, the first three a province code 001-096 (so they start with 0).
CCCD = r"(?:^|[^0-9])(0[0-9]{11})(?:[^0-9]|$)"
EMAIL = r"(?:^|[^A-Za-z0-9._%+-])([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"

PATTERNS: dict[str, str] = {"phone_vn": PHONE_VN, "cccd": CCCD, "email": EMAIL}
KIND_LABELS = {
    "phone_vn": "Vietnamese phone number",
    "cccd": "12-digit citizen identity number (CCCD)",
    "email": "e-mail address",
}
SCAN_EXPECTATION = "expect_column_values_to_not_contain_personal_data"
DECLARED_EXPECTATION = "expect_personal_data_columns_to_be_declared_correctly"
TEXT_TYPES = ("VARCHAR", "JSON")


class PrivacyError(RuntimeError):
    """Publishing would expose personal data (e.g. hashing requested but no salt configured)."""


# --------------------------------------------------------------------------------------------
# Masking
# --------------------------------------------------------------------------------------------


def mask(kind: str, value: str) -> str:
    """Enough of a match to recognise it in the source, not enough to identify anybody."""
    value = value.strip()
    if kind == "email":
        local, _, domain = value.partition("@")
        tld = domain.rsplit(".", 1)[-1] if "." in domain else ""
        return f"{local[:1]}***@***.{tld}" if tld else f"{local[:1]}***@***"
    digits = re.sub(r"[^0-9+]", "", value)
    keep_head = 3 if not digits.startswith("+") else 4
    if len(digits) <= keep_head + 2:
        return "*" * len(digits)
    return digits[:keep_head] + "*" * (len(digits) - keep_head - 2) + digits[-2:]


# --------------------------------------------------------------------------------------------
# Scanning (gate)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Finding:
    column: str
    kind: str
    rows: int
    example: str  # masked

    def describe(self, dataset_id: str) -> str:
        return (
            f"dataset {dataset_id!r} column {self.column!r}: {self.rows} value(s) look like a "
            f"{KIND_LABELS[self.kind]}, e.g. {self.example}"
        )


def columns_of(con: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    """(name, type) of every column of ``relation`` (any table, view or temp table)."""
    return dialect_of(con).columns_of(con, relation)


def text_columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [name for name, dtype in columns_of(con, relation) if dtype.upper() in TEXT_TYPES]


#: A column is scanned over its distinct values (``GROUP BY``, then the patterns on each distinct
#: value once, weighted by its row count) when its estimated number of distinct values is at most
#: this share of the rows; otherwise row by row. At 10^7 rows a categorical column costs ≈0.1 s
#: grouped against ≈1.4 s per regular-expression pass, while grouping an all-distinct column costs
#: more than the pass it saves. Same findings either way (counts are row counts).
DISTINCT_SCAN_MAX_SHARE = 0.1


def any_pattern() -> str:
    """One regular expression that matches exactly where any of :data:`PATTERNS` matches
    (an alternation of self-contained alternatives, so search semantics are unchanged)."""
    return "|".join(f"(?:{pattern})" for pattern in PATTERNS.values())


def _distinct_columns(con, relation: str, columns: list[str], max_share: float) -> set[str]:
    """The columns worth scanning over their distinct values (DuckDB's cheap HyperLogLog
    estimate); none on a backend without one."""
    dialect = dialect_of(con)
    if not columns or max_share <= 0:
        return set()
    estimates = [dialect.approx_distinct_sql(f"CAST({quote_ident(c)} AS VARCHAR)") for c in columns]
    if any(e is None for e in estimates):
        return set()
    row = con.execute(f"SELECT count(*), {', '.join(estimates)} FROM {relation}").fetchone()
    rows = int(row[0] or 0)
    return {c for c, d in zip(columns, row[1:]) if rows and int(d or 0) <= max_share * rows}


def scan_text_columns(
    con: duckdb.DuckDBPyConnection,
    relation: str,
    *,
    exclude: set[str] | frozenset[str] = frozenset(),
    distinct_max_share: float = DISTINCT_SCAN_MAX_SHARE,
) -> tuple[list[str], list[Finding]]:
    """Scan the text columns of ``relation`` (minus ``exclude``) in one SQL query.

    Returns the columns scanned and one finding per (column, kind) that matched at least once:
    its row count and the masked smallest matched text. The query reads each column once and
    runs one combined regular expression (:func:`any_pattern`) on it — over the column's distinct
    values when it has few (:data:`DISTINCT_SCAN_MAX_SHARE`), else on every row; only the rare
    candidates that match it are tested against each pattern and have their match extracted.
    """
    columns = [c for c in text_columns(con, relation) if c not in exclude]
    if not columns:
        return [], []
    dialect = dialect_of(con)
    grouped = _distinct_columns(con, relation, columns, distinct_max_share)
    anyp = any_pattern()
    parts: list[str] = []
    params: list[str] = []
    for i, column in enumerate(columns):
        ref = f"CAST({quote_ident(column)} AS VARCHAR)"
        if column in grouped:
            parts.append(
                f"SELECT {i} AS col, v, n FROM (SELECT {ref} AS v, count(*) AS n FROM {relation} GROUP BY 1) d "
                f"WHERE {dialect.regexp_matches_sql('v')}"
            )
        else:
            parts.append(f"SELECT {i} AS col, {ref} AS v, 1 AS n FROM {relation} WHERE {dialect.regexp_matches_sql(ref)}")
        params.append(anyp)
    matches, extract = dialect.regexp_matches_sql("v"), dialect.regexp_extract_sql("v", 1)
    selects: list[str] = []
    for pattern in PATTERNS.values():
        selects.append(f"sum(n) FILTER (WHERE {matches})")
        selects.append(f"min({extract}) FILTER (WHERE {matches})")
        params.extend([pattern, pattern, pattern])
    rows = con.execute(
        f"WITH candidates AS ({' UNION ALL '.join(parts)}) SELECT col, {', '.join(selects)} FROM candidates GROUP BY col",
        params,
    ).fetchall()
    found = {int(r[0]): r[1:] for r in rows}
    findings = []
    for i, column in enumerate(columns):
        row = found.get(i)
        if row is None:
            continue
        for k, kind in enumerate(PATTERNS):
            count, example = row[2 * k], row[2 * k + 1]
            if count:
                findings.append(Finding(column, kind, int(count), mask(kind, example or "")))
    return columns, findings


def gate_outcomes(
    con: duckdb.DuckDBPyConnection, relation: str, dataset: Dataset
) -> list[dict]:
    """The privacy checks of the gate, as expectation outcomes (``ExpectationOutcome`` dicts).

    One outcome per offending column (naming the kinds found and masked examples), or a single
    passing outcome saying how many text columns were scanned. Declared ``k_anonymity`` count
    columns must exist and be numeric; otherwise publish could not protect them.
    """
    present = dict(columns_of(con, relation))
    outcomes: list[dict] = []
    k = dataset.personal_data.k_anonymity
    if k:
        missing = [c for c in k.count_columns if c not in present]
        not_numeric = [c for c in k.count_columns if c in present and not _is_numeric(present[c])]
        if missing or not_numeric:
            problems = ([f"missing: {', '.join(missing)}"] if missing else []) + (
                [f"not numeric: {', '.join(not_numeric)}"] if not_numeric else []
            )
            outcomes.append(
                _outcome(
                    DECLARED_EXPECTATION,
                    None,
                    success=False,
                    kwargs={"k_anonymity.count_columns": list(k.count_columns)},
                    observed="; ".join(problems),
                )
            )
    scanned, findings = scan_text_columns(con, relation, exclude=set(dataset.personal_data.pii))
    by_column: dict[str, list[Finding]] = {}
    for f in findings:
        by_column.setdefault(f.column, []).append(f)
    for column, found in by_column.items():
        outcomes.append(
            _outcome(
                SCAN_EXPECTATION,
                column,
                success=False,
                kwargs={"column": column, "patterns": [f.kind for f in found]},
                unexpected_count=max(f.rows for f in found),
                examples=[f"{f.kind} {f.example}" for f in found],
                observed={f.kind: f.rows for f in found},
            )
        )
    if not by_column:
        outcomes.append(
            _outcome(
                SCAN_EXPECTATION,
                None,
                success=True,
                kwargs={"patterns": list(PATTERNS)},
                observed={"text_columns_scanned": len(scanned)},
            )
        )
    return outcomes


def _is_numeric(dtype: str) -> bool:
    base = dtype.upper().split("(")[0]
    return base in {
        "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
        "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL", "REAL",
    }


def _outcome(type_: str, column: str | None, *, success: bool, kwargs: dict, observed=None,
             unexpected_count: int | None = None, examples: list[str] | None = None) -> dict:
    return {
        "type": type_,
        "column": column,
        "kwargs": kwargs,
        "success": success,
        "observed_value": observed,
        "unexpected_count": unexpected_count,
        "unexpected_percent": None,
        "partial_unexpected_list": examples or [],
        "exception": None,
    }


# --------------------------------------------------------------------------------------------
# Publishing
# --------------------------------------------------------------------------------------------


@dataclass
class PrivacyReport:
    """What publish did to protect personal data; goes into ``metadata.json`` (no secrets)."""

    pii_columns: list[str] = field(default_factory=list)
    pii_handling: str = "drop"
    dropped_columns: list[str] = field(default_factory=list)
    hashed_columns: list[str] = field(default_factory=list)
    pii_not_in_table: list[str] = field(default_factory=list)
    quasi_identifiers: list[str] = field(default_factory=list)
    k: int | None = None
    suppressed_cells: dict[str, int] = field(default_factory=dict)

    @property
    def applies(self) -> bool:
        return bool(self.pii_columns or self.quasi_identifiers or self.k)

    def metadata_block(self) -> dict:
        """The ``personal_data`` block of ``metadata.json`` (a rendering with the legal basis, not a round-trip)."""
        out: dict = {
            "legal_basis": LEGAL_BASIS,
            "pii_columns": self.pii_columns,
            "pii_handling": self.pii_handling,
            "dropped_columns": self.dropped_columns,
            "hashed_columns": self.hashed_columns,
            "pii_not_in_published_table": self.pii_not_in_table,
            "quasi_identifiers": self.quasi_identifiers,
        }
        if self.hashed_columns:
            out["hash"] = HASH_ALGORITHM + " (the salt is a secret held by the publisher)"
        if self.k is not None:
            out["k_anonymity"] = {
                "k": self.k,
                "suppressed_cells": self.suppressed_cells,
                "suppressed_total": sum(self.suppressed_cells.values()),
                "rule": "person counts below k are published as NULL",
            }
        return out


def publishable_relation(
    con: duckdb.DuckDBPyConnection,
    dataset: Dataset,
    source: str,
    *,
    sector_id: str,
    salt: str | None,
) -> tuple[str, PrivacyReport]:
    """The relation to publish for ``source`` (``audit.<model>``), with personal data protected.

    Without a ``personal_data`` block this is ``source`` itself (no copy). Otherwise a temporary
    table ``publish_<dataset>`` in this connection holds the protected rows. Raises
    :class:`PrivacyError` when hashing is requested for a present column and no salt is set.
    """
    tags = dataset.personal_data
    present = [name for name, _ in columns_of(con, source)]
    report = PrivacyReport(
        pii_columns=list(tags.pii),
        pii_handling=tags.pii_handling,
        quasi_identifiers=list(tags.quasi),
        k=tags.k_anonymity.k if tags.k_anonymity else None,
    )
    pii_present = [c for c in tags.pii if c in present]
    report.pii_not_in_table = [c for c in tags.pii if c not in present]
    if not pii_present and not tags.k_anonymity:
        return source, report

    params: list[object] = []
    if pii_present and tags.pii_handling == "hash":
        if not salt:
            raise PrivacyError(
                f"sector {sector_id!r} dataset {dataset.id!r}: personal_data.pii_handling is 'hash' for "
                f"{', '.join(pii_present)} but no salt is configured: set SECTOR_DATASETS_PII_SALT or the "
                "Airflow connection 'sector_datasets_pii_salt' (password); nothing was published"
            )
        if len(salt) < MIN_SALT_LENGTH:
            raise PrivacyError(
                f"sector {sector_id!r} dataset {dataset.id!r}: the PII salt is shorter than "
                f"{MIN_SALT_LENGTH} characters; use a long random value (e.g. `openssl rand -hex 32`)"
            )

    counts = set(tags.k_anonymity.count_columns) if tags.k_anonymity else set()
    selects: list[str] = []
    for column in present:
        ref = quote_ident(column)
        if column in pii_present:
            if tags.pii_handling == "drop":
                report.dropped_columns.append(column)
                continue
            selects.append(f"{dialect_of(con).sha256_hex_sql(f'CAST(? AS VARCHAR) || CAST({ref} AS VARCHAR)')} AS {ref}")
            params.append(salt)
            report.hashed_columns.append(column)
        elif column in counts:
            k = tags.k_anonymity.k
            low = "" if tags.k_anonymity.suppress_zero else f"{ref} > 0 AND "
            selects.append(f"CASE WHEN {low}{ref} < {int(k)} THEN NULL ELSE {ref} END AS {ref}")
        else:
            selects.append(ref)
    if not selects:
        raise PrivacyError(f"sector {sector_id!r} dataset {dataset.id!r}: no column would be left to publish")

    if tags.k_anonymity:
        k = int(tags.k_anonymity.k)
        present_counts = [c for c in tags.k_anonymity.count_columns if c in present]
        if present_counts:
            low = "" if tags.k_anonymity.suppress_zero else "{c} > 0 AND "
            exprs = [
                f"count(*) FILTER (WHERE {low.format(c=quote_ident(c))}{quote_ident(c)} < {k})" for c in present_counts
            ]
            row = con.execute(f"SELECT {', '.join(exprs)} FROM {source}").fetchone()
            report.suppressed_cells = {c: int(n) for c, n in zip(present_counts, row, strict=True)}

    relation = dialect_of(con).create_temp_table(
        con, f"publish_{dataset.id}", f"SELECT {', '.join(selects)} FROM {source}", params
    )
    return relation, report


def drop_publishable(con: duckdb.DuckDBPyConnection, relation: str) -> None:
    dialect_of(con).drop_temp_table(con, relation)
