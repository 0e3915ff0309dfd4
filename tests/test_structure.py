"""The shape of the code: no import cycles, modules a reader can take in at once."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "src" / "kerjasama_cli"


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path, modules: set[str]) -> set[str]:
    """Every kerjasama_cli module ``path`` imports, at the top or inside a function
    (a lazy import is still a dependency), leaving out TYPE_CHECKING blocks."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    checking: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            checking.update(id(child) for child in ast.walk(node))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in checking:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found.update(name for name in names if name in modules)
    return found


def _graph() -> dict[str, set[str]]:
    files = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    modules = set(files)
    graph = {name: _imports(path, modules) - {name} for name, path in files.items()}
    # A package's __init__ that re-exports its modules is not a dependency of
    # those modules on each other: importing a.b runs a/__init__ first anyway.
    for name in graph:
        graph[name] = {
            target
            for target in graph[name]
            if not (files[target].name == "__init__.py" and name.startswith(target + "."))
        }
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if state.get(target) == 1:
                return [*stack[stack.index(target) :], target]
            if target not in state and (found := visit(target)):
                return found
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def test_no_module_imports_itself_round_a_circle() -> None:
    cycle = _cycle(_graph())
    assert cycle is None, " -> ".join(cycle or [])


def test_the_core_never_imports_the_cli() -> None:
    for name, targets in _graph().items():
        if not name.startswith(("kerjasama_cli.cli", "kerjasama_cli.__main__")):
            assert not {t for t in targets if t.startswith("kerjasama_cli.cli")}, name


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


# Known to be too long, each with the issue that splits it.
LONG_FOR_NOW: dict[str, str] = {}


def test_modules_stay_small_enough_to_read() -> None:
    # Generated migrations aside, a module past ~500 lines is split by what it holds.
    long = {
        _module_name(path): count
        for path in PACKAGE.rglob("*.py")
        if "migrations" not in path.parts
        and (count := len(path.read_text(encoding="utf-8").splitlines())) > 600
    }
    assert set(long) <= set(LONG_FOR_NOW), long
