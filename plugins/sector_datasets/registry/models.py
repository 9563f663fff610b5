"""The registry's typed model: sectors, sources, datasets, usage scenarios and the URL policy.

Pydantic models, frozen and strict (unknown keys are errors), so that a validation error names
the key path a sector owner must fix. Loading files and cross-file checks live in ``loader``.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Annotated, Literal
from urllib.parse import parse_qsl, urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sector_datasets.registry.contract import Column, Promise, PublishPolicy, SourceContract
from sector_datasets.secret_handling import is_secret_name

# SQL- and path-safe: used as table names, folder names and Airflow task ids.
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{1,62}$")]
# Names of environment variables that hold a secret (API key, token) for a source.
EnvVarName = Annotated[str, Field(pattern=r"^[A-Z][A-Z0-9_]{1,127}$")]
# HTTP header names (RFC 9110 token) and query parameter names filled from the environment.
HeaderName = Annotated[str, Field(pattern=r"^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,64}$")]
ParamName = Annotated[str, Field(pattern=r"^[A-Za-z0-9_.\-\[\]]{1,64}$")]
Frequency = Literal["daily", "weekly", "monthly", "quarterly", "yearly", "irregular", "static"]

FREQUENCY_DAYS: dict[str, int | None] = {
    "daily": 1,
    "weekly": 7,
    "monthly": 31,
    "quarterly": 92,
    "yearly": 366,
    "irregular": None,
    "static": None,
}


class RegistryError(ValueError):
    """A registry file is missing, unreadable or invalid; the message names file and key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Bilingual(_Strict):
    vi: str = Field(min_length=1)
    en: str = Field(min_length=1)


class Keywords(_Strict):
    """Search words for a dataset, in both languages (the DCAT catalog's ``dcat:keyword``)."""

    vi: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    en: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)


class Owner(_Strict):
    organisation: Bilingual
    contact: str = Field(min_length=3)


class CsvOptions(_Strict):
    encoding: Literal["utf-8", "utf-8-sig", "cp1252", "latin-1", "cp1258"] = "utf-8-sig"
    delimiter: str = Field(default=",", min_length=1, max_length=1)
    header: bool = True
    # Column names for headerless files (OpenFlights .dat); required when header is false.
    columns: list[str] | None = None
    # Lines before the header (World Bank bulk CSV has a 4-line preamble).
    skip_rows: int = Field(default=0, ge=0)


_SNAPSHOT_HELP = "must be a relative path inside the snapshot directory"
_URL_PATTERN = r"^https?://[^\s/]+/\S*$"


def _check_snapshot(value: str) -> str:
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise ValueError(f"{_SNAPSHOT_HELP}, got {value!r}")
    return value


class Release(_Strict):
    """One file of a source that is published once per period: a yearly CSV, a monthly workbook.

    Each release is fetched and landed as one page; the loader stacks them into one raw table with
    a ``release`` column (the key) and the release's ``constants``. For a workbook the release names
    the sheet and the cells to read, because statistical offices rename sheets, move the label
    column and change the header rows from one release to the next.
    """

    key: str = Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z._-]{0,39}$")
    url: str = Field(pattern=_URL_PATTERN)
    snapshot: str
    # xlsx: the sheet's exact name (default: the first sheet).
    sheet: str | None = None
    # xlsx: text the rows above the table must contain (the table's title), so that a renamed,
    # reordered or copied sheet stops the load instead of loading another table.
    title_contains: str | None = None
    # xlsx: the cells to read, e.g. "B4:H60"; the first header_rows rows of it are the header.
    cells: str | None = Field(default=None, pattern=r"^[A-Z]{1,3}[0-9]+:[A-Z]{1,3}[0-9]+$")
    header_rows: int = Field(default=1, ge=0, le=10)
    # Names for the columns, left to right, instead of the header text (which changes wording
    # every release: "Ước tính tháng 12 năm 2016"). Length must match the range's width.
    columns: list[str] | None = None
    # Values added as columns to every row of this release (the unit it is published in, its year).
    constants: dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,62}$")], str] = Field(default_factory=dict)

    @field_validator("snapshot")
    @classmethod
    def _relative_snapshot(cls, value: str) -> str:
        return _check_snapshot(value)


class Source(_Strict):
    id: Identifier
    title: str
    publisher: str
    format: Literal["worldbank_json", "csv", "xlsx", "json"]
    # The live endpoint. In replay mode the same request goes to the local replay server.
    # A source published as several files declares them under ``releases`` instead.
    url: str | None = Field(default=None, pattern=_URL_PATTERN)
    params: dict[str, str] = Field(default_factory=dict)
    # Secrets are never written in the registry: these map a header / query parameter to the
    # environment variable that holds its value (read in live mode only; redacted everywhere).
    headers_from_env: dict[HeaderName, EnvVarName] = Field(default_factory=dict)
    params_from_env: dict[ParamName, EnvVarName] = Field(default_factory=dict)
    paging: Literal["none", "worldbank"] = "none"
    # Where the recorded payload lives, relative to the snapshot directory.
    snapshot: str | None = None
    releases: list[Release] = Field(default_factory=list)
    licence: str
    provenance: str
    update_frequency: Frequency = "yearly"
    csv: CsvOptions = Field(default_factory=CsvOptions)
    # For format "json": dotted path to the list of records inside the document.
    record_path: str | None = None
    known_issues: list[str] = Field(default_factory=list)
    # The dbt source table that reads raw.<id>: "<source name>.<table name>" (the sources yml is
    # generated from this; staging models call source('<source name>', '<table name>')).
    # Both are required of every source in a registry (loader); a bare Source (a fetch in a test)
    # may leave them out.
    dbt_source: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
    # What the payload must deliver, checked at load before dbt (registry.contract).
    delivers: SourceContract | None = None

    @field_validator("snapshot")
    @classmethod
    def _relative_snapshot(cls, value: str | None) -> str | None:
        return None if value is None else _check_snapshot(value)

    @model_validator(mode="after")
    def _headerless_needs_columns(self) -> Source:
        if self.format == "csv" and not self.csv.header and not self.csv.columns:
            raise ValueError("csv.columns is required when csv.header is false")
        return self

    @model_validator(mode="after")
    def _one_file_or_releases(self) -> Source:
        if self.releases:
            if self.url is not None or self.snapshot is not None:
                raise ValueError("declare url and snapshot on each release, not on the source as well")
            if self.paging != "none" or self.format not in ("csv", "xlsx"):
                raise ValueError("releases are for csv and xlsx sources without paging")
            keys = [r.key for r in self.releases]
            if len(set(keys)) != len(keys):
                raise ValueError(f"release keys must be unique, got {keys}")
        elif self.url is None or self.snapshot is None:
            raise ValueError("url and snapshot are required (or a list of releases)")
        if self.format != "xlsx" and any(r.sheet or r.cells or r.title_contains for r in self.releases):
            raise ValueError("sheet, cells and title_contains are for xlsx releases")
        return self

    @property
    def snapshots(self) -> list[str]:
        """Every recorded file of the source, relative to the snapshot directory (first page only
        for a paged API; its later pages sit beside it)."""
        return [r.snapshot for r in self.releases] if self.releases else [str(self.snapshot)]

    @property
    def urls(self) -> list[str]:
        return [r.url for r in self.releases] if self.releases else [str(self.url)]

    @property
    def link(self) -> str:
        """The one URL to cite for the source: its own, or its newest (last declared) release's."""
        return self.urls[-1]

    @property
    def raw_table(self) -> str:
        return self.id

    @property
    def freshness_days(self) -> int | None:
        return FREQUENCY_DAYS[self.update_frequency]


class KAnonymity(_Strict):
    """Small-cell suppression at publish: person counts below ``k`` become NULL."""

    k: int = Field(ge=2, le=1000)
    count_columns: list[Identifier] = Field(min_length=1)
    # A zero count can disclose too ("nobody in this group ..."); set false to publish zeros.
    suppress_zero: bool = True


class PersonalDataTags(_Strict):
    """Personal data in a dataset (Decree 13/2023/ND-CP), and how publish protects it.

    ``pii`` columns are direct identifiers: a published table never holds them in clear; they
    are dropped, or replaced by a salted SHA-256 (``pii_handling: hash``; the salt comes from
    ``SECTOR_DATASETS_PII_SALT`` or the Airflow connection ``sector_datasets_pii_salt``).
    ``quasi`` columns are indirect identifiers, declared for the data dictionary and review.
    """

    pii: list[Identifier] = Field(default_factory=list)
    quasi: list[Identifier] = Field(default_factory=list)
    pii_handling: Literal["drop", "hash"] = "drop"
    k_anonymity: KAnonymity | None = None

    @model_validator(mode="after")
    def _counts_are_not_identifiers(self) -> PersonalDataTags:
        if self.k_anonymity:
            clash = sorted(set(self.k_anonymity.count_columns) & set(self.pii))
            if clash:
                raise ValueError(f"k_anonymity.count_columns are also pii: {', '.join(clash)}")
        return self


class Dataset(_Strict):
    id: Identifier
    title: Bilingual
    description: Bilingual
    # Words people search for, from the title and description (the sector name is added to them).
    keywords: Keywords | None = None
    grain: str
    primary_key: list[Identifier] = Field(min_length=1)
    # External sources it is built from, and/or published datasets it combines (cross-sector).
    sources: list[Identifier] = Field(default_factory=list)
    inputs: list[Identifier] = Field(default_factory=list)
    update_frequency: Frequency
    licence: str
    # The contract (registry.contract): every column, and the coverage the dataset promises.
    columns: list[Column] = Field(min_length=1)
    promise: Promise
    # What a new version may change on its own, and what needs the owner's approval.
    publish_policy: PublishPolicy = Field(default_factory=PublishPolicy)
    # What the dataset covers and, honestly, what it does not (notes for people).
    coverage: str
    # The time a snapshot describes when the data has no period column (a 2018 GTFS feed): a
    # year, month or date. The catalog's temporal coverage comes from the data's own periods
    # (period_coverage) when it has them, else from this.
    as_of: Annotated[str, Field(pattern=r"^\d{4}(-\d{2}(-\d{2})?)?$")] | None = None
    personal_data: PersonalDataTags = Field(default_factory=PersonalDataTags)
    # dbt mart model and expectation suite; both default to the dataset id.
    model: Identifier | None = None
    suite: Identifier | None = None

    @model_validator(mode="after")
    def _contract_is_consistent(self) -> Dataset:
        names = [c.name for c in self.columns]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"duplicate column(s): {', '.join(dupes)}")
        by_name = {c.name: c for c in self.columns}
        for what, wanted in (("primary_key", self.primary_key), ("promise", self.promise.columns())):
            unknown = [c for c in wanted if c not in by_name]
            if unknown:
                raise ValueError(f"{what} names column(s) not in columns: {', '.join(unknown)}")
        nullable_key = [c for c in self.primary_key if by_name[c].nullable]
        if nullable_key:
            raise ValueError(f"key column(s) cannot be nullable: {', '.join(nullable_key)}")
        return self

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def model_name(self) -> str:
        return self.model or self.id

    @property
    def suite_name(self) -> str:
        return self.suite or self.id


class ScenarioCheck(_Strict):
    min_rows: int = Field(default=1, ge=1)
    # Columns that must be present and never NULL in the scenario's result.
    not_null: list[str] = Field(default_factory=list)


class UsageScenario(_Strict):
    """A "kịch bản khai thác, sử dụng dữ liệu": a question the published datasets answer.

    Executable: ``include/scenarios/<sector>/<id>.sql`` runs against the curated tables and its
    result is checked; it is also rendered as a dbt exposure so lineage shows its datasets.
    """

    id: Identifier
    title: Bilingual
    question: Bilingual
    datasets: list[Identifier] = Field(min_length=1)
    users: list[str] = Field(min_length=1)
    check: ScenarioCheck = Field(default_factory=ScenarioCheck)


class Sector(_Strict):
    id: Identifier
    # reference: shared dimensions; cross_sector: marts over other sectors' published datasets,
    # refreshed when any of their Airflow Assets is republished.
    kind: Literal["sector", "reference", "cross_sector"] = "sector"
    name: Bilingual
    owner: Owner
    schedule: str | None = "@weekly"
    sources: list[Source] = Field(default_factory=list)
    # Shared sources declared in another registry file (e.g. the province list) that this
    # sector's models read; the sector's DAG extracts and loads them too.
    reference_sources: list[Identifier] = Field(default_factory=list)
    datasets: list[Dataset] = Field(default_factory=list)
    usage_scenarios: list[UsageScenario] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique_ids(self) -> Sector:
        for what, ids in (
            ("source", [s.id for s in self.sources]),
            ("dataset", [d.id for d in self.datasets]),
            ("usage scenario", [u.id for u in self.usage_scenarios]),
        ):
            dupes = sorted({i for i in ids if ids.count(i) > 1})
            if dupes:
                raise ValueError(f"duplicate {what} id(s): {', '.join(dupes)}")
        return self

    @property
    def dag_id(self) -> str:
        return f"sector_{self.id}"


POLICY_FILE = "_policy.yml"
# Used when a registry directory has no _policy.yml (e.g. a test's private registry).
DEFAULT_ALLOWED_SCHEMES = ("https",)
DEFAULT_ALLOWED_HOSTS = ("api.worldbank.org", "raw.githubusercontent.com", "covid19.who.int")


class Policy(_Strict):
    """Registry-wide rules for untrusted config: where sources may be fetched from."""

    allowed_url_schemes: list[Literal["https", "http"]] = Field(default_factory=lambda: list(DEFAULT_ALLOWED_SCHEMES))
    allowed_hosts: list[Annotated[str, Field(pattern=r"^[a-z0-9.-]+(:[0-9]{1,5})?$")]] = Field(
        default_factory=lambda: list(DEFAULT_ALLOWED_HOSTS)
    )

    def url_problem(self, url: str) -> str | None:
        """Why ``url`` is not allowed, or None if it is."""
        parts = urlsplit(url)
        if "@" in parts.netloc:
            return "must not embed credentials (user:password@host); use headers_from_env"
        if any(is_secret_name(k) for k, _ in _query_pairs(parts.query)):
            return "must not carry a secret in its query string; use params_from_env"
        scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
        if scheme not in self.allowed_url_schemes:
            return f"scheme {scheme!r} is not allowed (allowed: {', '.join(self.allowed_url_schemes)})"
        netloc = host if parts.port is None else f"{host}:{parts.port}"
        if host not in self.allowed_hosts and netloc not in self.allowed_hosts:
            return f"host {netloc!r} is not in the allowed hosts ({', '.join(self.allowed_hosts)})"
        return None


def _query_pairs(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query, keep_blank_values=True)
