"""The shape of the code, checked: the import graph of the package has no cycle, every import of a
project module stands at the top of its module (none hidden in a function, a conditional or a
try to dodge a cycle), and no arrow points up the pipeline — ingest → extract → graph → validate →
pipeline → build → add, with the serving layer reading what the build published and never
reaching back into it (docs: README "The pipeline, as the folders show it")."""
from __future__ import annotations

import ast
import functools
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "service" / "vemgorvad"

#: Top to bottom: a module may import from its own layer or the layers below it, never above.
LAYERS = [
    {"cli", "commands"},
    {"serve", "add"},
    {"build"},
    {"pipeline", "datastore", "corrections", "buildcache", "peers"},
    {"validate"},
    {"graph"},
    {"extract"},
    {"catalogue", "places"},
    {"ingest", "store"},
    {"atomic", "keys", "language", "paths", "procs", "query_files", "safe_text", "settings", "sortmerge", "wordlist",
     "hunspell", "thesaurus", "__init__"},
]
#: Beside the layers: the service never imports the build side.
FORBIDDEN = {"serve": {"build", "add", "cli", "commands"}}


def _modules() -> dict[str, tuple[Path, list[str]]]:
    """Dotted name → (file, the package it lives in)."""
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
            package = parts
        else:
            package = parts[:-1]
        found[".".join(parts)] = (path, package)
    return found


MODULES = _modules()


def _targets(node: ast.Import | ast.ImportFrom, package: list[str]) -> list[str]:
    """The project modules an import statement loads (a `from x import name` of a submodule counts
    as importing the submodule)."""
    names = []
    if isinstance(node, ast.ImportFrom):
        if node.level:
            base = package[:len(package) - node.level + 1]
            module = ".".join(base + ([node.module] if node.module else []))
        else:
            module = node.module or ""
        for alias in node.names:
            submodule = f"{module}.{alias.name}"
            names.append(submodule if submodule in MODULES else module)
    else:
        names = [alias.name for alias in node.names]
    return [n for n in names if n in MODULES or n.startswith("vemgorvad.")]


def _packages_run(importer: str, targets: list[str]) -> set[str]:
    """The packages whose __init__ importing `targets` runs first ("from ..observability.flags import …"
    runs observability/__init__.py), but not the importer's own packages: they are being imported already."""
    own = {".".join(importer.split(".")[:i]) for i in range(1, importer.count(".") + 2)}
    return {package for target in targets for i in range(1, target.count(".") + 1)
            if (package := ".".join(target.split(".")[:i])) in MODULES and package not in own}


@functools.cache
def _imports() -> tuple[dict[str, set[str]], list[str]]:
    """The import graph, and every import of a project module not at the top of its module (parsed once
    for the three tests that read it)."""
    graph: dict[str, set[str]] = {name: set() for name in MODULES}
    hidden = []
    for name, (path, package) in MODULES.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        top = {id(node) for node in tree.body}
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Import, ast.ImportFrom)):
                continue
            targets = _targets(node, package)
            graph[name].update(t for t in targets if t in MODULES and t != name)
            graph[name].update(_packages_run(name, targets))
            if targets and id(node) not in top:
                hidden.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} imports {', '.join(targets)}")
    return graph, hidden


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), and self-imports."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
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
    return found


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _layer(part: str) -> int:
    return next(n for n, layer in enumerate(LAYERS) if part in layer)


def test_every_module_has_a_layer():
    parts = {_part(m) for m in MODULES}
    unplaced = sorted(p for p in parts if not any(p in layer for layer in LAYERS))
    assert not unplaced, f"place these in LAYERS: {unplaced}"


def test_no_import_cycles():
    graph, _ = _imports()
    assert _cycles(graph) == []


def test_no_hidden_imports_of_project_modules():
    _, hidden = _imports()
    assert hidden == []


def test_no_arrow_points_up():
    graph, _ = _imports()
    wrong = []
    for source, targets in graph.items():
        for target in targets:
            a, b = _part(source), _part(target)
            if _layer(b) < _layer(a) or b in FORBIDDEN.get(a, ()):
                wrong.append(f"{source} → {target}")
    assert sorted(wrong) == []


def test_the_checks_can_fail():
    """The checks above see what they must: a made-up cycle and a hidden import are found."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}
    assert _cycles(graph) == [["a", "b", "c"]]
    # importing a submodule runs its package's __init__ first: a cycle through it counts
    serve = "vemgorvad.serve"
    assert _packages_run(f"{serve}.check.service", [f"{serve}.observability.flags"]) == {f"{serve}.observability"}
    assert _packages_run(f"{serve}.observability.metrics", [f"{serve}.observability.flags"]) == set()
    tree = ast.parse("def f():\n    from .build import build\n")
    node = tree.body[0].body[0]
    assert _targets(node, ["vemgorvad"]) == ["vemgorvad.build"]
    assert _targets(ast.parse("import json").body[0], ["vemgorvad"]) == []


def test_every_imported_distribution_is_declared():
    """Each third-party package the code imports comes from a distribution pyproject.toml names
    (the runtime ones for service/, runtime or test ones for tests/): nothing arrives by accident
    as somebody else's dependency."""
    project = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))["project"]

    def names(requirements: list[str]) -> set[str]:
        return {re.split(r"[=<>!~\[; ]", r, maxsplit=1)[0].lower().replace("_", "-") for r in requirements}

    runtime = names(project["dependencies"])
    test = runtime | names(project["optional-dependencies"]["test"])
    providers = importlib.metadata.packages_distributions()
    # the package, and the test helpers imported by their own names (tests/ is on sys.path)
    local = {"vemgorvad", "tests"} | {p.stem for p in (PACKAGE.parents[1] / "tests").glob("*.py")}
    missing = []
    for root, declared in ((PACKAGE, runtime), (PACKAGE.parents[1] / "tests", test)):
        for path in root.rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    tops = [a.name.split(".")[0] for a in node.names]
                elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                    tops = [node.module.split(".")[0]]
                else:
                    continue
                for top in tops:
                    if top in sys.stdlib_module_names or top in local or top == "__future__":
                        continue
                    dists = {d.lower().replace("_", "-") for d in providers.get(top, [top])}
                    if not dists & declared:
                        missing.append(f"{path.name}: {top} ({', '.join(sorted(dists))})")
    assert sorted(set(missing)) == []


def test_the_projects_tests_package_wins_over_an_installed_one():
    """`python -m tests.eval` (make eval, bench, scale, load) imports this project's tests/ even though a
    dependency (spylls 0.1.7) installs a top-level `tests` package into site-packages: tests/ is a
    regular package, and the project root is the first entry of sys.path."""
    root = PACKAGE.parents[1]
    found = subprocess.run([sys.executable, "-c", "import tests, tests.eval; print(tests.__file__)"], cwd=root,
                           capture_output=True, text=True, timeout=60)
    assert found.returncode == 0, found.stderr
    assert Path(found.stdout.strip()) == root / "tests" / "__init__.py"


def test_mypy_is_strict_on_the_whole_package_and_relaxes_nothing():
    """Every module of the package is checked strictly (issue 11 item 6: since 2026-12-04, from a
    list of 69 strict modules): no override may switch a check off for a module of ours; the only
    overrides let libraries that ship no type information be imported."""
    config = tomllib.loads((PACKAGE.parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
    mypy = config["tool"]["mypy"]
    assert mypy.get("strict") is True and mypy["files"] == ["service/vemgorvad"]
    assert not mypy.get("disable_error_code") and not mypy.get("exclude")
    for override in mypy.get("overrides", []):
        assert set(override) == {"module", "ignore_missing_imports"}, override
        assert not any(m == "vemgorvad" or m.startswith("vemgorvad.") for m in override["module"]), override
