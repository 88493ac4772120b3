"""The import graph, drawn from the code: no circles, and the lower layers never reach up.

Every ``import`` counts -- at module level, inside functions (a lazy import is still an
arrow) and under ``TYPE_CHECKING`` -- resolved to the package's own modules (a stub such as
``_iread.pyi`` stands for its compiled module).  A circle is a strongly connected component
of more than one module.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import lingyun

PACKAGE = Path(lingyun.__file__).resolve().parent

#: Circles that other work in progress removes (issue 16, "Layers that only point down"):
#: this list may only shrink -- a new circle fails, and so does one that is gone but listed.
KNOWN_CIRCLES: set[frozenset[str]] = {
    # Client.batch reaches up into bulk.runner (being moved down into the client core)
    frozenset({"lingyun.client", "lingyun.bulk.runner"}),
    # the engines package and its modules import each other (being untangled in service/)
    frozenset({"lingyun.service.engines", "lingyun.service.engines.pool",
               "lingyun.service.engines.rapidocr", "lingyun.service.engines.templates",
               "lingyun.service.imageio"}),
}

#: The bottom of the stack: what a result is made of.  These never import the layers built
#: on them, not even lazily inside a function.
FOUNDATION = ("lingyun.errors", "lingyun.taskconfig", "lingyun.signing", "lingyun.digits",
              "lingyun.markers", "lingyun.protocol", "lingyun.fields", "lingyun.results",
              "lingyun.iread", "lingyun.doctypes", "lingyun.hookspecs", "lingyun.types",
              "lingyun._iread")
UPPER = ("lingyun.exports", "lingyun.bulk", "lingyun.service", "lingyun.cli",
         "lingyun.geometry", "lingyun.client", "lingyun.async_client", "lingyun.transports")


def _modules() -> dict[str, tuple[Path, bool]]:
    found = {}
    for path in [*PACKAGE.rglob("*.py"), *PACKAGE.rglob("*.pyi")]:
        parts = ["lingyun", *path.relative_to(PACKAGE).with_suffix("").parts]
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


MODULES = _modules()


def _resolve(name: str) -> str | None:
    while name not in MODULES:
        if "." not in name:
            return None
        name = name.rsplit(".", 1)[0]
    return name


def _imports(module: str, path: Path, is_package: bool) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if (target := _resolve(alias.name)) is not None:
                    yield target
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".") if is_package else module.split(".")[:-1]
                base = base[: len(base) - node.level + 1]
                name = ".".join([*base, *([node.module] if node.module else [])])
            else:
                name = node.module or ""
            for alias in node.names:
                full = f"{name}.{alias.name}"
                target = full if full in MODULES else _resolve(name)
                if target is not None:
                    yield target


GRAPH = {m: set(_imports(m, path, pkg)) - {m} for m, (path, pkg) in MODULES.items()}


def circles(graph: dict[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.add(frozenset(component))
    return found


def test_the_circle_finder_finds_circles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert circles(graph) == {frozenset("abc")}


def test_the_graph_sees_lazy_and_type_only_imports() -> None:
    assert "lingyun.iread" in GRAPH["lingyun.results.text"]  # imported inside a function
    assert "lingyun.doctypes" in GRAPH["lingyun.hookspecs"]  # under TYPE_CHECKING
    assert "lingyun._iread" in GRAPH["lingyun.iread._native"]  # the stub stands for the .so


def test_no_import_circles_beyond_the_known_ones() -> None:
    found = circles(GRAPH)
    assert found - KNOWN_CIRCLES == set(), "new import circle(s)"
    assert KNOWN_CIRCLES - found == set(), "a known circle is gone: remove it from the list"


def test_the_foundation_never_imports_the_layers_above() -> None:
    upward = sorted(f"{m} -> {t}" for m, targets in GRAPH.items() if m.startswith(FOUNDATION)
                    for t in targets if t.startswith(UPPER))
    assert upward == []
