"""Habits of the test suite, checked (issue 11 item 6): every HTTP call a test makes over the
network has an explicit timeout (httpx's 5 s default failed a test on a busy machine, and urllib
and SPARQLWrapper wait forever by default)."""
from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
#: Calls that open a connection and take `timeout=`: httpx's functions and clients, urllib's urlopen.
HTTPX_CALLS = {"get", "post", "put", "patch", "delete", "options", "head", "request", "stream",
               "Client", "AsyncClient"}


def _sources() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if "w3c-protocol" not in p.parts and "vendor" not in p.parts)


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_name(node.value)}.{node.attr}"
    return ""


def untimed_calls(tree: ast.AST) -> list[tuple[int, str]]:
    """(line, call) of every network call in a module without an explicit timeout. A SPARQLWrapper
    counts as timed when the function that makes it also calls setTimeout on it."""
    found = []
    for func in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef))]:
        body_nodes = list(ast.walk(func)) if func is not tree else [
            n for top in tree.body if not isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef)
            for n in ast.walk(top)]
        sets_timeout = any(isinstance(n, ast.Call) and _name(n.func).endswith(".setTimeout") for n in body_nodes)
        for node in body_nodes:
            if not isinstance(node, ast.Call):
                continue
            name = _name(node.func)
            keywords = {k.arg for k in node.keywords}
            network = ((name.startswith("httpx.") and name.split(".", 1)[1] in HTTPX_CALLS)
                       or name.endswith("urlopen"))
            if network and "timeout" not in keywords:
                found.append((node.lineno, name))
            if name.endswith("SPARQLWrapper") and not sets_timeout:
                found.append((node.lineno, name))
    return sorted(set(found))


def test_every_http_call_in_the_tests_has_an_explicit_timeout():
    missing = [f"{path.relative_to(TESTS)}:{line} {call}"
               for path in _sources() for line, call in untimed_calls(ast.parse(path.read_text(encoding="utf-8")))]
    assert missing == []


def test_the_timeout_check_finds_what_it_should():
    tree = ast.parse(
        "import httpx, urllib.request\n"
        "def a():\n    httpx.get('u')\n    httpx.get('u', timeout=5)\n"
        "    urllib.request.urlopen('u')\n    with httpx.Client(base_url='u') as c:\n        c.get('/')\n"
        "def b():\n    w = SPARQLWrapper('u')\n"
        "def c():\n    w = SPARQLWrapper('u')\n    w.setTimeout(30)\n")
    assert untimed_calls(tree) == [(3, "httpx.get"), (5, "urllib.request.urlopen"), (6, "httpx.Client"),
                                   (9, "SPARQLWrapper")]
