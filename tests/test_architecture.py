"""The house keeps its shape: no import cycles, no oversized modules, imports go one way down.

Static (``ast`` over the files, nothing imported, no services), so it runs in a second and
names the offending modules. docs/architecture.md describes the layers these tests enforce.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

PACKAGE = "sector_datasets"
PACKAGE_DIR = Path(__file__).resolve().parents[1] / "plugins" / PACKAGE

#: Past this a module is nearly always two concerns, and a reader can no longer hold it whole.
MAX_MODULE_LINES = 400

STAGES = ("extract", "load", "transform", "gate", "publish", "report", "recovery", "scenarios")

#: (importing top-level packages, packages they must never import, why). A top-level package is
#: the first name under sector_datasets: ``gate`` for ``sector_datasets.gate.validate``.
FORBIDDEN_IMPORTS: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (
        ("warehouse", "state"),
        (*STAGES, "orchestration", "cli"),
        "the bottom layer serves every stage, so it cannot depend on one",
    ),
    (
        STAGES,
        ("orchestration", "cli"),
        "stages are called by orchestration and the CLI, never the other way round",
    ),
    (
        ("api",),
        ("extract", "load", "transform", "gate", "publish", "review", "recovery", "orchestration", "cli"),
        "the read API reads the published exports only: it never runs or waits on a pipeline stage",
    ),
)


# --------------------------------------------------------------------------- the import graph


def module_files(package_dir: Path = PACKAGE_DIR) -> dict[str, Path]:
    """Dotted module name → file, for every ``.py`` in the package (``__init__`` = the package)."""
    modules = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        modules[".".join(parts)] = path
    return modules


def _known(name: str, modules: dict[str, Path]) -> str | None:
    """The longest prefix of ``name`` that is a module of the package (None: outside it)."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def _imported(module: str, path: Path, modules: dict[str, Path]) -> Iterator[str]:
    """Every package module ``module`` imports, at top level or inside a function."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (target := _known(alias.name, modules)) is not None:
                    yield target
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: ``from . import x`` is relative to the containing package
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            for alias in node.names:
                # ``from pkg import sub`` imports the submodule; ``from mod import name`` the module.
                if f"{source}.{alias.name}" in modules:
                    yield f"{source}.{alias.name}"
                elif (target := _known(source, modules)) is not None:
                    yield target


def import_graph(package_dir: Path = PACKAGE_DIR) -> dict[str, set[str]]:
    """Module → the package modules it imports (self-imports dropped)."""
    modules = module_files(package_dir)
    return {
        module: {t for t in _imported(module, path, modules) if t != module}
        for module, path in modules.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def a_cycle(graph: dict[str, set[str]], component: Iterable[str]) -> list[str]:
    """One concrete import loop through a component, first module repeated at the end."""
    members = set(component)
    start = min(members)
    paths = {start: [start]}
    queue = [start]
    while queue:  # breadth first: the shortest way back to ``start``
        v = queue.pop(0)
        for w in sorted(graph[v] & members):
            if w == start:
                return [*paths[v], start]
            if w not in paths:
                paths[w] = [*paths[v], w]
                queue.append(w)
    raise AssertionError(f"no loop through {start} in {sorted(members)}")


def _short(module: str) -> str:
    return module.removeprefix(f"{PACKAGE}.")


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


# --------------------------------------------------------------------------- the guards


def test_the_package_has_no_import_cycle() -> None:
    graph = import_graph()
    found = [
        f"{' -> '.join(map(_short, a_cycle(graph, c)))}   (component: {', '.join(map(_short, c))})"
        for c in cycles(graph)
    ]
    assert not found, "import cycles inside sector_datasets:\n  " + "\n  ".join(found)


def test_no_module_is_longer_than_the_limit() -> None:
    too_long = {
        str(path.relative_to(PACKAGE_DIR.parent)): n
        for path in sorted(PACKAGE_DIR.rglob("*.py"))
        if (n := len(path.read_bytes().splitlines())) > MAX_MODULE_LINES
    }
    assert not too_long, f"modules over {MAX_MODULE_LINES} lines (split by concern): {too_long}"


def test_imports_only_go_down_the_layers() -> None:
    graph = import_graph()
    broken = [
        f"{_short(importer)} imports {_short(imported)}: {why}"
        for importer, targets in sorted(graph.items())
        for imported in sorted(targets)
        for importers, forbidden, why in FORBIDDEN_IMPORTS
        if _top(importer) in importers and _top(imported) in forbidden
    ]
    assert not broken, "imports against the layering:\n  " + "\n  ".join(broken)


# --------------------------------------------------------------------------- the guards' own specs


def _write(root: Path, files: dict[str, str]) -> Path:
    package = root / PACKAGE
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return package


def test_the_graph_resolves_submodules_packages_relative_and_function_level_imports(tmp_path) -> None:
    package = _write(tmp_path, {
        "__init__.py": "",
        "settings.py": "",
        "warehouse/__init__.py": "from sector_datasets.warehouse.base import Backend\n",
        "warehouse/base.py": "import os\n",
        "warehouse/postgres.py": "def bootstrap():\n    from sector_datasets import load\n",
        "load/__init__.py": "",
        "load/raw.py": "from ..warehouse import base\nimport sector_datasets.settings\n",
        "gate/__init__.py": "",
        "gate/verdicts.py": "from . import validate\nfrom sector_datasets.warehouse import Backend\n",
        "gate/validate.py": "",
    })
    graph = import_graph(package)
    assert graph["sector_datasets.warehouse"] == {"sector_datasets.warehouse.base"}
    assert graph["sector_datasets.warehouse.postgres"] == {"sector_datasets.load"}
    assert graph["sector_datasets.load.raw"] == {"sector_datasets.warehouse.base", "sector_datasets.settings"}
    assert graph["sector_datasets.gate.verdicts"] == {"sector_datasets.gate.validate", "sector_datasets.warehouse"}
    assert cycles(graph) == []


def test_a_cycle_through_an_import_inside_a_function_is_found_and_named() -> None:
    graph = {
        "sector_datasets.warehouse.postgres": {"sector_datasets.load.raw"},
        "sector_datasets.load.raw": {"sector_datasets.warehouse"},
        "sector_datasets.warehouse": {"sector_datasets.warehouse.postgres"},
        "sector_datasets.settings": set(),
    }
    [component] = cycles(graph)
    assert set(component) == set(graph) - {"sector_datasets.settings"}
    assert a_cycle(graph, component) == [
        "sector_datasets.load.raw", "sector_datasets.warehouse", "sector_datasets.warehouse.postgres",
        "sector_datasets.load.raw",
    ]
