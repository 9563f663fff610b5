"""Every ``SECTOR_DATASETS_*`` variable is read in ``settings.py``, and read the way it always was.

The scan parses each module of the runtime package and looks for reads of the environment
(``os.environ.get``/``[...]``/``setdefault``/``pop``, ``os.getenv``, ``... in os.environ``) whose
name is, or starts with, ``SECTOR_DATASETS_`` — written literally, as an f-string, or through a
module constant (also one imported from another module of the package).
"""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from sector_datasets.settings import REPO_ROOT, Settings, get_settings

PACKAGE = REPO_ROOT / "plugins" / "sector_datasets"
PREFIX = "SECTOR_DATASETS_"
# (module path relative to the package, variable) -> why it may read the variable itself.
ALLOWED = {
    ("transform/dbt_runner.py", "SECTOR_DATASETS_DBT_TARGET"):
        "dbt's profile variable as dbt sees it during an invocation, not a platform setting",
}
READER_METHODS = {"get", "setdefault", "pop"}


def _module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = rel.parts[:-1] if rel.name == "__init__" else rel.parts
    return ".".join(parts)


def _constants(tree: ast.Module) -> dict[str, str]:
    """Module-level ``NAME = "..."`` string constants."""
    found: dict[str, str] = {}
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Constant):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if isinstance(target, ast.Name) and isinstance(node.value.value, str):
                    found[target.id] = node.value.value
    return found


def env_reads(source: str, package_constants: dict[str, dict[str, str]] | None = None) -> list[tuple[int, str]]:
    """(line, variable or prefix) of every read of a ``SECTOR_DATASETS_*`` variable in ``source``."""
    tree = ast.parse(source)
    names = _constants(tree)
    environ_names = {"environ"} if any(
        isinstance(n, ast.ImportFrom) and n.module == "os" and any(a.name == "environ" for a in n.names)
        for n in ast.walk(tree)
    ) else set()
    getenv_names = {"getenv"} if any(
        isinstance(n, ast.ImportFrom) and n.module == "os" and any(a.name == "getenv" for a in n.names)
        for n in ast.walk(tree)
    ) else set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and package_constants:
            for alias in node.names:
                value = package_constants.get(node.module, {}).get(alias.name)
                if value is not None:
                    names[alias.asname or alias.name] = value

    def value_of(expr: ast.AST) -> str | None:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return expr.value
        if isinstance(expr, ast.Name):
            return names.get(expr.id)
        if isinstance(expr, ast.JoinedStr) and expr.values:
            return value_of(expr.values[0])
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.Add):
            return value_of(expr.left)
        return None

    def is_environ(expr: ast.AST) -> bool:
        return (isinstance(expr, ast.Attribute) and expr.attr == "environ"
                and isinstance(expr.value, ast.Name) and expr.value.id == "os") or (
            isinstance(expr, ast.Name) and expr.id in environ_names)

    def is_getenv(expr: ast.AST) -> bool:
        return (isinstance(expr, ast.Attribute) and expr.attr == "getenv"
                and isinstance(expr.value, ast.Name) and expr.value.id == "os") or (
            isinstance(expr, ast.Name) and expr.id in getenv_names)

    reads: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        key: ast.AST | None = None
        if isinstance(node, ast.Call) and node.args:
            func = node.func
            if is_getenv(func) or (isinstance(func, ast.Attribute) and func.attr in READER_METHODS and is_environ(func.value)):
                key = node.args[0]
        elif isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load) and is_environ(node.value):
            key = node.slice
        elif isinstance(node, ast.Compare) and any(isinstance(op, (ast.In, ast.NotIn)) for op in node.ops) \
                and any(is_environ(c) for c in node.comparators):
            key = node.left
        value = value_of(key) if key is not None else None
        if value is not None and value.startswith(PREFIX):
            reads.append((node.lineno, value))
    return sorted(reads)


def package_reads() -> dict[str, list[tuple[int, str]]]:
    """Reads per module path (relative to the package), constants resolved across the package."""
    sources = {path: path.read_text(encoding="utf-8") for path in sorted(PACKAGE.rglob("*.py"))}
    constants = {_module_name(path): _constants(ast.parse(text)) for path, text in sources.items()}
    return {
        path.relative_to(PACKAGE).as_posix(): reads
        for path, text in sources.items()
        if (reads := env_reads(text, constants))
    }


def test_only_settings_reads_sector_datasets_variables():
    stray = [
        f"{module}:{line}: reads {var}"
        for module, reads in package_reads().items()
        if module != "settings.py"
        for line, var in reads
        if (module, var) not in ALLOWED
    ]
    assert not stray, "read these in settings.py and take them from Settings:\n" + "\n".join(stray)


def test_the_scan_sees_the_reads_that_are_there():
    reads = package_reads()
    in_settings = {var for _, var in reads["settings.py"]}
    # Literally and through a module constant (WAREHOUSE_KIND_ENV).
    assert {"SECTOR_DATASETS_SOURCE_MODE", "SECTOR_DATASETS_KEEP_VERSIONS", "SECTOR_DATASETS_WAREHOUSE_KIND",
            "SECTOR_DATASETS_CELERY_PRELOAD", "SECTOR_DATASETS_FORCE_RUN"} <= in_settings
    for module, var in ALLOWED:
        assert var in {v for _, v in reads.get(module, [])}, f"{module} no longer reads {var}: drop it from ALLOWED"


def test_the_scan_would_catch_a_new_read():
    constants = {"sector_datasets.settings": {"PG_DSN_ENV": "SECTOR_DATASETS_PG_DSN"}}
    source = textwrap.dedent('''
        import os
        from os import environ, getenv
        from sector_datasets.settings import PG_DSN_ENV as DSN
        LOCAL = "SECTOR_DATASETS_LOCAL"
        a = os.environ.get("SECTOR_DATASETS_A", "1")
        b = os.environ["SECTOR_DATASETS_B"]
        c = os.getenv("SECTOR_DATASETS_C")
        d = environ.get(LOCAL)
        e = getenv(DSN)
        f = "SECTOR_DATASETS_F" in os.environ
        g = os.environ.setdefault(f"SECTOR_DATASETS_{name}", "x")
        h = environ["SECTOR_DATASETS_" + name]
        os.environ["SECTOR_DATASETS_WRITTEN"] = "1"  # a write for a child process is not a read
        i = os.environ.get("HOME")
    ''')
    assert [var for _, var in env_reads(source, constants)] == [
        "SECTOR_DATASETS_A", "SECTOR_DATASETS_B", "SECTOR_DATASETS_C", "SECTOR_DATASETS_LOCAL",
        "SECTOR_DATASETS_PG_DSN", "SECTOR_DATASETS_F", "SECTOR_DATASETS_", "SECTOR_DATASETS_",
    ]


# --------------------------------------------------------------------------- the values read


@pytest.fixture
def clean_env(monkeypatch):
    for var in ("SECTOR_DATASETS_WAREHOUSE", "SECTOR_DATASETS_EXPORTS", "SECTOR_DATASETS_EXPECTATIONS_DIR",
                "SECTOR_DATASETS_READER_WAIT", "SECTOR_DATASETS_PG_WRITER_SLOTS",
                "SECTOR_DATASETS_PG_BUILD_LOCK_TIMEOUT", "SECTOR_DATASETS_CELERY_PRELOAD"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("SECTOR_DATASETS_HOME", "/tmp/sector-datasets-settings-test")
    return monkeypatch


def test_defaults(clean_env):
    s = get_settings()
    assert s.warehouse_path == Path("/tmp/sector-datasets-settings-test/warehouse.duckdb")
    assert s.exports_dir == Path("/tmp/sector-datasets-settings-test/exports")
    assert s.expectations_dir == (REPO_ROOT / "expectations").resolve()
    assert (s.reader_wait_s, s.pg_writer_slots, s.pg_build_lock_timeout_s, s.celery_preload) == (60.0, 16, 3600.0, True)


def test_overrides(clean_env, tmp_path):
    clean_env.setenv("SECTOR_DATASETS_WAREHOUSE", "relative/wh.duckdb")  # taken as given, as it always was
    clean_env.setenv("SECTOR_DATASETS_EXPORTS", str(tmp_path / "x" / ".." / "exports"))
    clean_env.setenv("SECTOR_DATASETS_EXPECTATIONS_DIR", str(tmp_path / "suites"))
    clean_env.setenv("SECTOR_DATASETS_READER_WAIT", "2")
    clean_env.setenv("SECTOR_DATASETS_PG_WRITER_SLOTS", "0")  # at least one slot
    clean_env.setenv("SECTOR_DATASETS_PG_BUILD_LOCK_TIMEOUT", "5.5")
    clean_env.setenv("SECTOR_DATASETS_CELERY_PRELOAD", " Off ")
    s = get_settings()
    assert s.warehouse_path == Path("relative/wh.duckdb")
    assert s.exports_dir == (tmp_path / "exports").resolve()
    assert s.expectations_dir == (tmp_path / "suites").resolve()
    assert (s.reader_wait_s, s.pg_writer_slots, s.pg_build_lock_timeout_s, s.celery_preload) == (2.0, 1, 5.5, False)


@pytest.mark.parametrize("var", ["SECTOR_DATASETS_READER_WAIT", "SECTOR_DATASETS_PG_BUILD_LOCK_TIMEOUT",
                                 "SECTOR_DATASETS_PG_WRITER_SLOTS"])
def test_a_number_that_is_not_one_is_refused(clean_env, var):
    clean_env.setenv(var, "soon")
    with pytest.raises(ValueError, match="'soon'"):
        get_settings()


def test_a_settings_built_by_hand_does_not_read_the_environment(clean_env, tmp_path):
    clean_env.setenv("SECTOR_DATASETS_WAREHOUSE", str(tmp_path / "elsewhere.duckdb"))
    s = Settings(repo_root=tmp_path, registry_dir=tmp_path, snapshot_dir=tmp_path, home=tmp_path / "home",
                 source_mode="replay", replay_url=None, http_timeout_s=1, http_max_attempts=1, http_backoff_s=0)
    assert s.warehouse_path == tmp_path / "home" / "warehouse.duckdb"
