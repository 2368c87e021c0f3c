"""The package's layering, read from its imports (``ast``; nothing is imported).

:data:`LAYERS` is the one statement of the layer order (docs/architecture.md explains
it): a tier may import from its own group and from every earlier tier, never from a
later tier nor from another group of its own tier. Every module must be placed, so a
new module is a decision, not an accident. No import cycle between packages either.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "paper_archive"

#: Tiers, lowest first; each tier holds groups that must not import one another, and
#: each group its module patterns (``x.*``: a package and everything under it).
LAYERS: tuple[dict[str, tuple[str, ...]], ...] = (
    {
        "core": (
            "paper_archive",
            "paper_archive.errors",
            "paper_archive.jobs",
            "paper_archive.yamlio",
            "paper_archive.textfile",
            "paper_archive.controls",
            "paper_archive.cachefiles",
            "paper_archive.text",
            "paper_archive.sanitize",
            "paper_archive.mathtext",
            "paper_archive.arxiv_id",
            "paper_archive.slugs",
            "paper_archive.model",
            "paper_archive.field_help",
            "paper_archive.console",
            "paper_archive.project",
            "paper_archive.tagging",
            "paper_archive.pages",
            "paper_archive.layout",
            "paper_archive.sitepages",
            "paper_archive.themefiles",
            "paper_archive.mathbounds",
            "paper_archive.accepted",
            "paper_archive.remembering",
        )
    },
    {"archive": ("paper_archive.archive", "paper_archive.validate")},
    {"sources": ("paper_archive.sources.*",)},
    {
        "ingest": ("paper_archive.ingest",),
        "add": ("paper_archive.add",),
        "fetch": ("paper_archive.fetch.*",),
        "site": ("paper_archive.site.*",),
    },
    {"search": ("paper_archive.search.*",)},
    {"serve": ("paper_archive.serve.*",)},
    {"plugin": ("paper_archive.plugin.*",)},
    {"commands": ("paper_archive.commands.*", "paper_archive.cli")},
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path, name: str) -> set[str]:
    """The package's modules ``path`` imports (``from . import x`` counts as ``x``),
    type-only imports included: a type is a dependency too."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                target = ".".join([*base, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            if not target.startswith("paper_archive"):
                continue
            found.add(target)
            found.update(f"{target}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("paper_archive"))
    return found


def module_graph() -> dict[str, set[str]]:
    """Every module of the package and the package modules it imports."""
    paths = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    return {
        name: {dep for dep in imports_of(path, name) if dep in paths and dep != name}
        for name, path in paths.items()
    }


def place(module: str) -> tuple[int, str] | None:
    """(tier, group) of a module, or ``None`` when no pattern names it."""
    for tier, groups in enumerate(LAYERS):
        for group, patterns in groups.items():
            for pattern in patterns:
                prefix = pattern.removesuffix(".*")
                if module == pattern or (
                    pattern.endswith(".*") and (module == prefix or module.startswith(f"{prefix}."))
                ):
                    return tier, group
    return None


def violations(graph: Mapping[str, Iterable[str]]) -> list[str]:
    """Each import that runs against :data:`LAYERS`, as ``a -> b (why)``."""
    out: list[str] = []
    for module in sorted(graph):
        here = place(module)
        if here is None:
            out.append(f"{module}: in no layer; add it to LAYERS")
            continue
        for dep in sorted(graph[module]):
            there = place(dep)
            if there is None or there == here:
                continue
            if there[0] > here[0]:
                out.append(f"{module} -> {dep} ({here[1]} imports the later {there[1]})")
            elif there[0] == here[0]:
                out.append(f"{module} -> {dep} ({here[1]} and {there[1]} sit beside each other)")
    return out


def unit(module: str) -> str:
    """A subpackage, or a top-level module on its own."""
    parts = module.split(".")
    is_package = (PACKAGE.parent.joinpath(*parts) / "__init__.py").is_file()
    return ".".join(parts[:2]) if len(parts) > 2 or is_package else module


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Import cycles (each a path that comes back to its start), by depth-first search."""
    found: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                found.append([*path[path.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt, [*path, nxt])
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found


def package_graph(graph: Mapping[str, Iterable[str]]) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for module, deps in graph.items():
        out.setdefault(unit(module), set()).update(unit(d) for d in deps if unit(d) != unit(module))
    return out


def test_every_module_is_placed_once() -> None:
    graph = module_graph()
    assert "paper_archive.ingest" in graph and "paper_archive.sources.load" in graph
    for module in graph:
        owners = [
            (tier, group)
            for tier, groups in enumerate(LAYERS)
            for group, patterns in groups.items()
            if any(
                module == p or (p.endswith(".*") and (module + ".").startswith(p[:-1]))
                for p in patterns
            )
        ]
        assert len(owners) == 1, f"{module}: placed {len(owners)} times: {owners}"


def test_no_import_runs_against_the_layers() -> None:
    assert violations(module_graph()) == []


def test_no_import_cycle_between_packages_or_modules() -> None:
    graph = module_graph()
    assert cycles(package_graph(graph)) == []
    assert cycles(graph) == []


@pytest.mark.parametrize(
    ("module", "dep", "why"),
    [
        ("paper_archive.sources.store", "paper_archive.ingest", "sources imports the later ingest"),
        ("paper_archive.ingest", "paper_archive.fetch.arxiv", "ingest and fetch sit beside"),
        ("paper_archive.site.collect", "paper_archive.ingest", "site and ingest sit beside"),
        ("paper_archive.pages", "paper_archive.archive", "core imports the later archive"),
    ],
)
def test_the_check_catches_an_import_against_the_layers(module: str, dep: str, why: str) -> None:
    graph = module_graph()
    graph[module] = {*graph[module], dep}
    (found,) = violations(graph)
    assert found.startswith(f"{module} -> {dep}") and why in found


def test_the_check_catches_the_cycle_this_layering_removed() -> None:
    """fetch/store.py imported ingest while ingest imported the fetch parsers."""
    graph = module_graph()
    graph["paper_archive.sources.store"].add("paper_archive.ingest")
    found = cycles(package_graph(graph))
    assert [set(cycle) for cycle in found] == [{"paper_archive.ingest", "paper_archive.sources"}]


def test_the_network_is_not_loaded_by_ingest_or_the_build() -> None:
    """What `papers ingest` and the site import never reaches the HTTP client."""
    graph = module_graph()
    seen: set[str] = set()
    todo = ["paper_archive.ingest", "paper_archive.site.collect", "paper_archive.search.bundle"]
    while todo:
        module = todo.pop()
        if module not in seen:
            seen.add(module)
            todo.extend(graph[module])
    assert not {m for m in seen if m.startswith("paper_archive.fetch")}
