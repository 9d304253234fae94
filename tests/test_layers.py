"""The layout's rules, read from the source: no import cycle, no lower layer importing a higher one, and
no import tucked inside a function to hide a cycle.

The layers, lowest first (docs/development.md, "Layout and its rules"):

- core: clock, configuration, text cleaning and the Markdown subset, `drafting.core`. No Flask request,
  no database, nothing above.
- models: the extensions (database, login), the models and their stages, the background queue.
- shared rules: permissions, languages, forms' fields, keyset pages, transactions, connections.
- features: the areas of the site (accounts, positions, documents...), their operations and queries.
- web: each area's views and command-line commands, the app factory, errors, security headers, the
  templates' context.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "drafting"

FEATURES = ("accounts", "api", "documents", "home", "joint_proposals", "milestones", "negotiated_text",
            "notifications", "positions", "reference", "review", "tracker")
LAYERS = ("core", "models", "shared rules", "features", "web")
CORE = ("drafting.core", "drafting.clock", "drafting.config", "drafting.text")
MODELS = ("drafting.extensions", "drafting.models", "drafting.worker")
SHARED = ("drafting.permissions", "drafting.i18n", "drafting.forms", "drafting.pagination", "drafting.transactions",
          "drafting.connections", "drafting.amendments", "drafting.wordfiles")
WEB = ("drafting.web", "drafting.cli", "drafting.errors", "drafting.security", "drafting.views_context")
# Whole-site commands that use several areas, below the web layer.
FEATURE_MODULES = ("drafting.demo", "drafting.demo_positions", "drafting.data_transfer")
# The only modules that may import Flask's `request`, beside the web layer.
REQUEST_READERS = ("drafting.i18n", "drafting.forms", "drafting.transactions")


def _within(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes)


def layer_of(module: str) -> str:
    if module == "drafting" or _within(module, WEB):
        return "web"
    parts = module.split(".")
    if len(parts) > 2 and parts[1] in FEATURES:
        return "web" if parts[2] in ("views", "cli") else "features"
    if len(parts) > 1 and parts[1] in FEATURES or _within(module, FEATURE_MODULES):
        return "features"
    for name, prefixes in (("core", CORE), ("models", MODELS), ("shared rules", SHARED)):
        if _within(module, prefixes):
            return name
    raise AssertionError(f"{module} belongs to no layer: add it to tests/test_layers.py")


def _modules() -> dict[str, Path]:
    modules = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


MODULES = _modules()


def _targets(module: str, path: Path, node: ast.Import | ast.ImportFrom) -> list[str]:
    """The modules of drafting/ that an import statement loads (a package's own modules, not its
    parent packages', whose __init__ only builds the app)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names if alias.name in MODULES]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    if node.level:
        base = package.split(".")[: len(package.split(".")) - node.level + 1]
        source = ".".join(base + ([node.module] if node.module else []))
    else:
        source = node.module or ""
    found = []
    for alias in node.names:
        if f"{source}.{alias.name}" in MODULES:
            found.append(f"{source}.{alias.name}")
        elif source in MODULES:
            found.append(source)
    return found


def _function_imports(tree: ast.Module):
    for function in ast.walk(tree):
        if isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for node in ast.walk(function):
                if isinstance(node, (ast.Import, ast.ImportFrom)):
                    yield node


def _graph() -> dict[str, set[str]]:
    graph = {}
    for module, path in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[module] = {target for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))
                         for target in _targets(module, path, node) if target != module}
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's components of more than one module (iterative: the graph is deep)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    counter = 0
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
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
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    components.append(sorted(component))
    return components


def test_the_graph_sees_imports_of_every_kind():
    graph = _graph()
    # absolute, `from package import module`, and relative imports all resolve
    assert "drafting.extensions" in graph["drafting.models.positions"]
    assert "drafting.positions.workflow" in graph["drafting.views_context"]
    assert "drafting.documents.plan.data" in graph["drafting.documents.annexes.composer"]


def test_cycle_finder_finds_a_cycle():
    assert strongly_connected({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert strongly_connected({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle():
    assert strongly_connected(_graph()) == []


def test_every_module_has_a_layer():
    for module in MODULES:
        assert layer_of(module) in LAYERS


def test_no_layer_imports_a_higher_one():
    wrong = []
    for module, targets in _graph().items():
        for target in targets:
            if LAYERS.index(layer_of(target)) > LAYERS.index(layer_of(module)):
                wrong.append(f"{module} ({layer_of(module)}) imports {target} ({layer_of(target)})")
    assert wrong == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer_of(m) in ("core", "models", "shared rules",
                                                                              "features")))
def test_no_request_below_the_web_layer(module):
    if module in REQUEST_READERS:
        return
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "flask":
            assert "request" not in {alias.name for alias in node.names}, f"{module} reads the request"


def test_imports_inside_functions_say_why():
    """An import inside a function hides what a module depends on (and, often, a cycle). The few that
    must wait (the app factory's parts) carry a `lazy:` comment on the line or just above."""
    hidden = []
    for module, path in MODULES.items():
        lines = path.read_text(encoding="utf-8").splitlines()
        for node in _function_imports(ast.parse("\n".join(lines))):
            above = node.lineno - 2
            while above >= 0 and lines[above].lstrip().startswith(("import ", "from ")):
                above -= 1
            comment = []
            while above >= 0 and lines[above].lstrip().startswith("#"):
                comment.append(lines[above])
                above -= 1
            if "lazy:" not in lines[node.lineno - 1] + "".join(comment):
                hidden.append(f"{module}:{node.lineno}")
    assert hidden == []


def area_of(module: str) -> str | None:
    """The area (feature package) a module below the web floor belongs to; None for the rest. An area's
    views and commands are the web floor, which may use any area, so they stay out of the area graph."""
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in FEATURES and layer_of(module) == "features":
        return parts[1]
    return None


def _area_imports() -> dict[tuple[str, str], list[str]]:
    """Each import from one area into another, by (importer, imported) area."""
    found: dict[tuple[str, str], list[str]] = {}
    for module, targets in _graph().items():
        for target in targets:
            pair = (area_of(module), area_of(target))
            if None not in pair and pair[0] != pair[1]:
                found.setdefault(pair, []).append(f"{module} imports {target}")
    return found


def test_no_cycle_between_areas():
    """The areas form a ladder (negotiated_text below positions, positions below documents and the
    tracker...): two areas never use each other, directly or through others. What two areas both need
    (kinds of amendments, paragraph matching, uptake statuses) lives in drafting.amendments."""
    imports = _area_imports()
    graph: dict[str, set[str]] = {area: set() for area in FEATURES}
    for importer, imported in imports:
        graph[importer].add(imported)
    cycles = []
    for component in strongly_connected(graph):
        members = set(component)
        lines = [line for (a, b), found in sorted(imports.items()) if a in members and b in members
                 for line in found]
        cycles.append(f"areas {', '.join(component)} import each other: " + "; ".join(lines))
    assert cycles == [], "move the shared rule below the areas (drafting/amendments) or use a signal"


def test_the_area_graph_sees_area_imports():
    assert ("tracker", "positions") in _area_imports()
    assert area_of("drafting.positions.views") is None


@pytest.mark.parametrize("package", ("drafting.amendments", "drafting.wordfiles"))
def test_shared_rule_packages_import_no_area(package):
    wrong = [f"{module} imports {target}" for module, targets in _graph().items() if _within(module, (package,))
             for target in targets if area_of(target) or layer_of(target) in ("features", "web")]
    assert wrong == [], f"{package} holds rules shared by the areas: it may not import an area"


def public_modules(area: str) -> tuple[str, ...]:
    """The modules an area names as public: `PUBLIC = (...)` in its __init__.py, read without importing."""
    tree = ast.parse(MODULES[f"drafting.{area}"].read_text(encoding="utf-8"))
    for node in tree.body:
        target = node.targets[0] if isinstance(node, ast.Assign) else getattr(node, "target", None)
        if isinstance(target, ast.Name) and target.id == "PUBLIC" and node.value is not None:
            return tuple(ast.literal_eval(node.value))
    raise AssertionError(f"drafting/{area}/__init__.py declares no PUBLIC tuple of modules")


def test_areas_import_each_other_only_through_public_modules():
    wrong = []
    for module, targets in _graph().items():
        parts = module.split(".")
        if len(parts) < 2 or parts[1] not in FEATURES:
            continue
        for target in targets:
            other = target.split(".")
            if len(other) > 1 and other[1] in FEATURES and other[1] != parts[1]:
                if len(other) < 3 or other[2] not in public_modules(other[1]):
                    wrong.append(f"{module} imports {target}, which drafting/{other[1]}/__init__.py does not "
                                 f"name in PUBLIC")
    assert wrong == []


def test_every_area_declares_its_public_modules():
    for area in FEATURES:
        for name in public_modules(area):
            assert f"drafting.{area}.{name}" in MODULES, f"drafting.{area}.PUBLIC names {name}, which is no module"


SESSION_READS = ("execute", "scalars", "scalar", "get")


def test_views_read_through_queries():
    """A view loads its row with web.loading (`get_or_404`, `find`) and reads the rest through its area's
    queries.py: no view runs a statement of its own."""
    wrong = []
    for module, path in MODULES.items():
        if not module.endswith(".views"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            call = node.func if isinstance(node, ast.Call) else None
            if (isinstance(call, ast.Attribute) and call.attr in SESSION_READS and isinstance(call.value, ast.Attribute)
                    and call.value.attr == "session"):
                wrong.append(f"{module}:{node.lineno} calls session.{call.attr}")
    assert wrong == [], "move the statement to the area's queries.py (or load the row with drafting.web.loading)"
