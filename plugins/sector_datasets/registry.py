"""The sector registry: ``include/sectors/*.yml`` loaded and validated into typed objects.

The registry says *what* each sector extracts and publishes; nothing else in the code base
hard-codes a sector, a source or a dataset. Validation errors name the file and the key path
so a sector owner can fix their YAML without reading Python.

Registry files are untrusted input: they are parsed with ``yaml.safe_load`` (no Python tags),
every name that becomes an SQL identifier, a folder or a task id must match ``Identifier``, and
every source URL must use a scheme and host allowed by the policy file ``_policy.yml`` next to
the sector files (files whose name starts with ``_`` are not sectors).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path, PurePosixPath
from typing import Annotated, Literal
from urllib.parse import parse_qsl, urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

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


class Source(_Strict):
    id: Identifier
    title: str
    publisher: str
    format: Literal["worldbank_json", "csv", "xlsx", "json"]
    # The live endpoint. In replay mode the same request goes to the local replay server.
    url: str = Field(pattern=r"^https?://[^\s/]+/\S*$")
    params: dict[str, str] = Field(default_factory=dict)
    # Secrets are never written in the registry: these map a header / query parameter to the
    # environment variable that holds its value (read in live mode only; redacted everywhere).
    headers_from_env: dict[HeaderName, EnvVarName] = Field(default_factory=dict)
    params_from_env: dict[ParamName, EnvVarName] = Field(default_factory=dict)
    paging: Literal["none", "worldbank"] = "none"
    # Where the recorded payload lives, relative to the snapshot directory.
    snapshot: str
    licence: str
    provenance: str
    update_frequency: Frequency = "yearly"
    csv: CsvOptions = Field(default_factory=CsvOptions)
    # For format "json": dotted path to the list of records inside the document.
    record_path: str | None = None
    known_issues: list[str] = Field(default_factory=list)

    @field_validator("snapshot")
    @classmethod
    def _relative_snapshot(cls, value: str) -> str:
        path = PurePosixPath(value)
        if path.is_absolute() or ".." in path.parts or not path.parts:
            raise ValueError(f"must be a relative path inside the snapshot directory, got {value!r}")
        return value

    @model_validator(mode="after")
    def _headerless_needs_columns(self) -> Source:
        if self.format == "csv" and not self.csv.header and not self.csv.columns:
            raise ValueError("csv.columns is required when csv.header is false")
        return self

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
    grain: str
    primary_key: list[Identifier] = Field(min_length=1)
    # External sources it is built from, and/or published datasets it combines (cross-sector).
    sources: list[Identifier] = Field(default_factory=list)
    inputs: list[Identifier] = Field(default_factory=list)
    update_frequency: Frequency
    licence: str
    # What the dataset covers and, honestly, what it does not.
    coverage: str
    personal_data: PersonalDataTags = Field(default_factory=PersonalDataTags)
    # dbt mart model and expectation suite; both default to the dataset id.
    model: Identifier | None = None
    suite: Identifier | None = None

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


class Registry:
    """All sectors, with cross-file checks (unique ids, resolvable references, allowed URLs)."""

    def __init__(
        self,
        sectors: dict[str, Sector],
        files: dict[str, Path],
        policy: Policy | None = None,
        policy_file: Path | None = None,
    ):
        self.sectors = sectors
        self.files = files
        self.policy = policy or Policy()
        self.policy_file = policy_file
        self._check_cross_references()
        self._check_policy()

    @cached_property
    def sources(self) -> dict[str, Source]:
        return {src.id: src for sector in self.sectors.values() for src in sector.sources}

    @cached_property
    def datasets(self) -> dict[str, tuple[Sector, Dataset]]:
        return {ds.id: (sector, ds) for sector in self.sectors.values() for ds in sector.datasets}

    def sector(self, sector_id: str) -> Sector:
        try:
            return self.sectors[sector_id]
        except KeyError:
            raise RegistryError(
                f"unknown sector {sector_id!r}; registered: {', '.join(sorted(self.sectors))}"
            ) from None

    def dataset(self, dataset_id: str) -> tuple[Sector, Dataset]:
        try:
            return self.datasets[dataset_id]
        except KeyError:
            raise RegistryError(f"unknown dataset {dataset_id!r}") from None

    def input_datasets(self, sector: Sector) -> list[Dataset]:
        """Published datasets (of other sectors) this sector's datasets combine, in a stable order."""
        ids = sorted({i for ds in sector.datasets for i in ds.inputs})
        return [self.datasets[i][1] for i in ids]

    def run_order(self, sector_ids: list[str] | None = None) -> list[str]:
        """Reference dimensions first, then sectors, then cross-sector marts over their outputs."""
        rank = {"reference": 0, "sector": 1, "cross_sector": 2}
        ids = sector_ids or list(self.sectors)
        return sorted(ids, key=lambda s: (rank[self.sector(s).kind], s))

    def sources_for(self, sector: Sector) -> list[Source]:
        """The sector's own sources followed by the shared ones it reads, in a stable order."""
        return list(sector.sources) + [self.sources[s] for s in sector.reference_sources]

    def _check_policy(self) -> None:
        where = str(self.policy_file) if self.policy_file else "the default policy"
        for sector_id, sector in self.sectors.items():
            for i, src in enumerate(sector.sources):
                problem = self.policy.url_problem(src.url)
                if problem:
                    raise RegistryError(f"{self.files[sector_id]}: sources[{i}].url: {problem} — allowed by {where}")
                secret = sorted(k for k in src.params if is_secret_name(k))
                if secret:
                    raise RegistryError(
                        f"{self.files[sector_id]}: sources[{i}].params.{secret[0]}: a secret must not be written "
                        "in the registry; declare it under params_from_env: {name: ENV_VAR} instead"
                    )

    def _check_cross_references(self) -> None:
        seen_sources: dict[str, str] = {}
        seen_datasets: dict[str, str] = {}
        for sector_id, sector in self.sectors.items():
            file = self.files[sector_id]
            for i, src in enumerate(sector.sources):
                if src.id in seen_sources:
                    raise RegistryError(
                        f"{file}: sources[{i}].id: source id {src.id!r} is already declared in "
                        f"{self.files[seen_sources[src.id]]}"
                    )
                seen_sources[src.id] = sector_id
            for i, ds in enumerate(sector.datasets):
                if ds.id in seen_datasets:
                    raise RegistryError(
                        f"{file}: datasets[{i}].id: dataset id {ds.id!r} is already declared in "
                        f"{self.files[seen_datasets[ds.id]]}"
                    )
                seen_datasets[ds.id] = sector_id
        for sector_id, sector in self.sectors.items():
            file = self.files[sector_id]
            for i, ref in enumerate(sector.reference_sources):
                if ref not in seen_sources:
                    raise RegistryError(f"{file}: reference_sources[{i}]: no source {ref!r} in the registry")
            for i, scenario in enumerate(sector.usage_scenarios):
                for j, ds in enumerate(scenario.datasets):
                    if ds not in seen_datasets:
                        raise RegistryError(
                            f"{file}: usage_scenarios[{i}].datasets[{j}]: no dataset {ds!r} in the registry"
                        )
            readable = {s.id for s in sector.sources} | set(sector.reference_sources)
            for i, ds in enumerate(sector.datasets):
                if not ds.sources and not ds.inputs and sector.kind != "reference":
                    raise RegistryError(f"{file}: datasets[{i}]: a dataset needs sources or inputs")
                if sector.kind == "cross_sector" and ds.sources:
                    raise RegistryError(f"{file}: datasets[{i}].sources: cross-sector datasets read published inputs only")
                for j, inp in enumerate(ds.inputs):
                    if inp not in seen_datasets:
                        raise RegistryError(f"{file}: datasets[{i}].inputs[{j}]: no dataset {inp!r} in the registry")
                for j, src in enumerate(ds.sources):
                    if src not in readable:
                        raise RegistryError(
                            f"{file}: datasets[{i}].sources[{j}]: {src!r} is neither a source of "
                            f"sector {sector_id!r} nor one of its reference_sources"
                        )


def _query_pairs(query: str) -> list[tuple[str, str]]:
    return parse_qsl(query, keep_blank_values=True)


def _format_loc(loc: tuple) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def load_sector_file(path: Path) -> Sector:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: cannot read registry file: {exc}") from exc
    data = _safe_yaml(path, text)
    try:
        sector = Sector.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(f"{_format_loc(e['loc'])}: {e['msg']}" for e in exc.errors())
        raise RegistryError(f"{path}: {problems}") from None
    if sector.id != path.stem:
        raise RegistryError(f"{path}: id: sector id {sector.id!r} must match the file name {path.stem!r}")
    return sector


# libyaml's safe loader when available: same safe constructor, ~10x faster than pure Python
# (every stage of every task loads the registry).
_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _safe_yaml(path: Path, text: str) -> dict:
    """``yaml.safe_load`` with messages that say why: Python tags are refused, not executed."""
    try:
        data = yaml.load(text, Loader=_SAFE_LOADER)  # noqa: S506 - a SafeLoader (C or Python)
    except yaml.constructor.ConstructorError as exc:
        tag = getattr(exc, "problem", "") or str(exc)
        raise RegistryError(
            f"{path}: not allowed YAML: {tag.strip()} — registry files are loaded with yaml.safe_load; "
            "tags such as !!python/object are refused"
        ) from None
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise RegistryError(f"{path}: (top level): expected a mapping, got {type(data).__name__}")
    return data


def load_policy(path: Path) -> Policy:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError(f"{path}: cannot read policy file: {exc}") from exc
    try:
        return Policy.model_validate(_safe_yaml(path, text))
    except ValidationError as exc:
        problems = "; ".join(f"{_format_loc(e['loc'])}: {e['msg']}" for e in exc.errors())
        raise RegistryError(f"{path}: {problems}") from None


# The last registry loaded in this process, by directory and the size + mtime of its files: every
# stage call loads the registry (≈50 ms of YAML + pydantic), ≈250 times in a main job that runs
# every DAG in one interpreter. Its models are frozen, so sharing one instance is safe.
_loaded: dict[Path, tuple[tuple, Registry]] = {}


def _files_state(registry_dir: Path) -> tuple:
    return tuple(
        (p.name, st.st_size, st.st_mtime_ns)
        for p in sorted(registry_dir.glob("*.yml"))
        for st in [p.stat()]
    )


def load_registry(registry_dir: Path) -> Registry:
    """Every ``<sector>.yml`` of ``registry_dir``; ``_policy.yml`` (if present) is the policy.

    Loaded again whenever a file of the directory is added, removed or changed.
    """
    key, state = Path(registry_dir).resolve(), _files_state(registry_dir)
    cached = _loaded.get(key)
    if cached is not None and cached[0] == state:
        return cached[1]
    registry = _load_registry(registry_dir)
    _loaded[key] = (state, registry)
    return registry


def _load_registry(registry_dir: Path) -> Registry:
    files = sorted(p for p in registry_dir.glob("*.yml") if not p.name.startswith("_"))
    if not files:
        raise RegistryError(f"{registry_dir}: no *.yml sector files found")
    sectors: dict[str, Sector] = {}
    paths: dict[str, Path] = {}
    for path in files:
        sector = load_sector_file(path)
        sectors[sector.id] = sector
        paths[sector.id] = path
    policy_path = registry_dir / POLICY_FILE
    policy = load_policy(policy_path) if policy_path.is_file() else None
    return Registry(sectors, paths, policy, policy_path if policy else None)
