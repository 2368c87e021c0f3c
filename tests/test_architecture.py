"""The package's layering, read from its imports (``ast``; nothing is imported).

:data:`LAYERS` is the one statement of the layer order (docs/architecture.md explains
it): a tier may import from its own group and from every earlier tier, never from a
later tier nor from another group of its own tier. Every module must be placed, so a
new module is a decision, not an accident. No import cycle between packages either.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scripts" / "paper_archive"

#: Tiers, lowest first; each tier holds groups that must not import one another, and
#: each group its module patterns (``x.*``: a package and everything under it).
LAYERS: tuple[dict[str, tuple[str, ...]], ...] = (
    {
        "base": (
            "paper_archive",
            "paper_archive.errors",
            "paper_archive.jobs",
            "paper_archive.console",
            "paper_archive.project",
            "paper_archive.remembering",
        )
    },
    # text utilities (characters, markup, math) beside files (YAML, atomic writes, cache)
    {"text": ("paper_archive.text.*",), "files": ("paper_archive.files.*",)},
    # the paper record and its rules, beside the site's settings
    {"record": ("paper_archive.record.*",), "settings": ("paper_archive.settings",)},
    # the archive on disk: pages, the docs/ layout, site pages, theme files ...
    {
        "disk": (
            "paper_archive.disk",
            "paper_archive.disk.pages",
            "paper_archive.disk.layout",
            "paper_archive.disk.sitepages",
            "paper_archive.disk.themefiles",
        )
    },
    # ... and the archive as a whole, and its validation
    {"archive": ("paper_archive.disk.archive", "paper_archive.disk.validate")},
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
        (
            "paper_archive.disk.pages",
            "paper_archive.disk.archive",
            "disk imports the later archive",
        ),
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


# -- modules that say what they do, and write HTML in one place ----------------------

HOOKS = PACKAGE.parents[1] / "hooks"
MODULE_NOTES = PACKAGE.parents[1] / "docs" / "modules.md"

#: The longest module docstring, in lines (its quotes included): what a module does and
#: where its design notes are; the notes live in docs/modules.md.
DOCSTRING_LINES = 15

#: The one module that writes HTML in Python (docs/architecture.md, "Where HTML is
#: written"); pages are templates under overrides/.
RENDERER = "paper_archive.site.render"

_TAGS = (
    "a|abbr|article|aside|b|br|button|code|details|div|em|figure|footer|form|h[1-6]|header"
    "|i|img|input|label|li|link|main|meta|nav|ol|p|pre|script|section|small|span|strong"
    "|style|summary|table|td|th|time|tr|ul"
)
_HTML_TAG = re.compile(rf"</?(?:{_TAGS})(?=[\s>/])", re.IGNORECASE)


def sources() -> dict[str, Path]:
    """Every module of the package and every hook, by name (hooks as ``hooks.x``)."""
    found = {module_name(p): p for p in PACKAGE.rglob("*.py")}
    found.update({f"hooks.{p.stem}": p for p in HOOKS.glob("*.py")})
    return found


def docstring_lines(source: str) -> int:
    """How many lines a module's docstring spans (0 without one)."""
    tree = ast.parse(source)
    if not (tree.body and isinstance(tree.body[0], ast.Expr)):
        return 0
    node = tree.body[0]
    if not (isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
        return 0
    return (node.end_lineno or node.lineno) - node.lineno + 1


def html_literals(source: str) -> list[tuple[int, str]]:
    """``(line, text)`` of each string literal that writes an HTML element: docstrings
    and regular expressions (a pattern that reads HTML) are not writing it."""
    tree = ast.parse(source)
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                skip.add(id(first.value))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.args
        ):
            skip.update(id(n) for n in ast.walk(node.args[0]))
    return sorted(
        (node.lineno, node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in skip
        and _HTML_TAG.search(node.value)
    )


def module_note_headings() -> set[str]:
    text = MODULE_NOTES.read_text(encoding="utf-8")
    return {line.lstrip("#").strip().strip("`") for line in text.splitlines() if line[:1] == "#"}


def test_module_docstrings_are_short() -> None:
    """Design notes go to docs/modules.md; a docstring says what the module does."""
    long = {
        name: lines
        for name, path in sources().items()
        if (lines := docstring_lines(path.read_text(encoding="utf-8"))) > DOCSTRING_LINES
    }
    assert long == {}, f"docstrings over {DOCSTRING_LINES} lines: move their notes"


def test_docstrings_point_at_sections_that_exist() -> None:
    """``Design notes: docs/modules.md, `x`.`` names a heading of that page."""
    headings = module_note_headings()
    pointers = {
        name: match[1]
        for name, path in sources().items()
        for match in re.finditer(
            r"docs/modules\.md,\s+`([^`]+)`",
            ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or "",
        )
    }
    assert pointers, "no module points at its notes"
    assert {name: h for name, h in pointers.items() if h not in headings} == {}


def test_html_is_written_by_the_renderer_only() -> None:
    found = {
        name: literals
        for name, path in sources().items()
        if name != RENDERER and (literals := html_literals(path.read_text(encoding="utf-8")))
    }
    assert found == {}
    assert html_literals(sources()[RENDERER].read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("x = f'<p class=\"pa-intro\">{n}</p>'\n", [(1, "</p>"), (1, '<p class="pa-intro">')]),
        ("x = '<li>' + y\n", [(1, "<li>")]),
        ('"""A <p> in a docstring."""\n', []),
        ("import re\nX = re.compile(r'<h1\\b[^>]*>.*?</h1>')\n", []),
        ("X = '<slug>.md'\nY = '<!-- archive:notes -->'\n", []),
    ],
)
def test_the_html_check_finds_markup_in_code(source: str, found: list[tuple[int, str]]) -> None:
    assert html_literals(source) == found


def test_the_docstring_check_counts_the_quotes() -> None:
    assert docstring_lines('"""One line."""\n') == 1
    assert docstring_lines('"""One.\n\nThree.\n"""\nx = 1\n') == 4
    assert docstring_lines("x = 1\n") == 0


#: Where process-wide state may live: the serve layer and the MkDocs adapter's object.
STATEFUL = ("paper_archive.serve", "paper_archive.plugin")
_MUTABLE_CALLS = {"dict", "list", "set", "defaultdict", "OrderedDict", "Counter", "deque"}


def _mkdocs_imports(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names = (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else []
        )
        out += [f"{path.name}:{node.lineno}" for n in names if n.split(".")[0] == "mkdocs"]
    return out


#: Module-level objects that hold no state, or state that is not the build's, by reason.
ALLOWED_STATE = {
    "remembering.py:PLAIN",  # Plain(): remembers nothing, has no attributes
    "http.py:TIMEOUT",  # httpx.Timeout: an immutable setting
    "tagging.py:global",  # the tagging pool's worker initialiser: one per worker process
    "bundle.py:BOOSTS",  # SearchBoosts(): a frozen dataclass, the default field boosts
}
_MUTATORS = {"append", "add", "clear", "extend", "pop", "popitem", "remove", "setdefault", "update"}


def module_state(path: Path) -> list[str]:
    """Module-level mutable state in ``path``: a ``global`` statement; a module-level
    list, dict or set that the module changes (item assignment, ``del``, ``.update()``,
    ``.clear()``, ``.append()``…): a table only read is a constant; an instance of a
    class (a call to a CamelCase name) held at module level."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = [f"{path.name}:global" for node in ast.walk(tree) if isinstance(node, ast.Global)]
    changed: set[str] = set()
    for node in ast.walk(tree):
        target = None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in _MUTATORS:
                target = node.func.value
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.Delete):
            for t in node.targets if isinstance(node, ast.Assign | ast.Delete) else [node.target]:
                if isinstance(t, ast.Subscript):
                    changed.add(getattr(t.value, "id", ""))
        if isinstance(target, ast.Name):
            changed.add(target.id)
    for node in tree.body:
        if isinstance(node, ast.Assign):
            names, value = [getattr(t, "id", "") for t in node.targets], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            names, value = [getattr(node.target, "id", "")], node.value
        else:
            continue
        container = isinstance(value, ast.List | ast.Dict | ast.Set | ast.ListComp | ast.DictComp)
        call = value.func if isinstance(value, ast.Call) else None
        called = call.attr if isinstance(call, ast.Attribute) else getattr(call, "id", "")
        container |= called in _MUTABLE_CALLS
        instance = called[:1].isupper() and called not in {"TypeVar", "Path"}
        for name in names:
            if (container and name in changed) or instance:
                found.append(f"{path.name}:{name}")
    return [hit for hit in found if hit not in ALLOWED_STATE]


def test_site_and_search_import_nothing_from_mkdocs() -> None:
    for package in ("site", "search"):
        for path in sorted((PACKAGE / package).rglob("*.py")):
            assert _mkdocs_imports(path) == [], path


def test_no_module_level_mutable_state_outside_the_serve_layer() -> None:
    found = [
        hit
        for path in sorted(PACKAGE.rglob("*.py"))
        if not module_name(path).startswith(STATEFUL)
        for hit in module_state(path)
    ]
    assert found == []


def test_the_state_check_catches_a_memo_and_a_global() -> None:
    """Today's memo, ledger and page-text cache, as they were in site/ before."""
    source = (
        "_MEMO: dict[str, int] = {}\nTABLE = {'a': 1}\nPAGE_TEXTS = PageTexts()\n"
        "def f(k):\n    global _mode\n    _MEMO[k] = TABLE[k]\n"
    )
    path = PACKAGE.parent / "_state_probe.py"
    path.write_text(source, encoding="utf-8")
    try:
        assert module_state(path) == [
            "_state_probe.py:global",
            "_state_probe.py:_MEMO",
            "_state_probe.py:PAGE_TEXTS",
        ]
    finally:
        path.unlink()
