"""Loading ``include/sectors/*.yml``: safe YAML, errors naming file and key, cross-file checks.

Registry files are untrusted input: they are parsed with ``yaml.safe_load`` (no Python tags),
every name that becomes an SQL identifier, a folder or a task id must match ``Identifier``, and
every source URL must use a scheme and host allowed by the policy file ``_policy.yml`` next to
the sector files (files whose name starts with ``_`` are not sectors).
"""

from __future__ import annotations

import difflib
from functools import cached_property
from pathlib import Path

import yaml
from pydantic import ValidationError

from sector_datasets.registry.models import POLICY_FILE, Dataset, Policy, RegistryError, Sector, Source
from sector_datasets.secret_handling import is_secret_name

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
            close = difflib.get_close_matches(dataset_id, self.datasets, n=3, cutoff=0.5)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise RegistryError(
                f"unknown dataset {dataset_id!r}{hint} ({len(self.datasets)} datasets are registered; "
                "`cli summary` lists them)"
            ) from None

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
                for url in src.urls:
                    problem = self.policy.url_problem(url)
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
            for key, items, seen in (("sources", sector.sources, seen_sources), ("datasets", sector.datasets, seen_datasets)):
                for i, item in enumerate(items):
                    if item.id in seen:
                        raise RegistryError(
                            f"{file}: {key}[{i}].id: {key[:-1]} id {item.id!r} is already declared in "
                            f"{self.files[seen[item.id]]}"
                        )
                    seen[item.id] = sector_id
        dbt_tables: dict[str, str] = {}
        for sector_id, sector in self.sectors.items():
            file = self.files[sector_id]
            for i, src in enumerate(sector.sources):
                # A registry's sources are contracts: what they deliver is checked at load, and the
                # dbt sources are generated from dbt_source, so neither may be left out here.
                for key in ("dbt_source", "delivers"):
                    if getattr(src, key) is None:
                        raise RegistryError(f"{file}: sources[{i}].{key}: Field required (source {src.id!r})")
                if src.dbt_source in dbt_tables:
                    raise RegistryError(
                        f"{file}: sources[{i}].dbt_source: {src.dbt_source!r} is already the dbt table of "
                        f"source {dbt_tables[src.dbt_source]!r}"
                    )
                dbt_tables[src.dbt_source] = src.id
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
