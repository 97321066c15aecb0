"""Fuzzing the HTTP API from its own OpenAPI schema (/openapi.json) with schemathesis: every
operation, valid and invalid inputs (wrong types, missing and extra parameters, odd bodies).

What must hold for every request:
- no 5xx, except the designed 503 of /sparql when a query passes the time limit;
- every 4xx says what was wrong: JSON with a non-empty `detail` string, or for /sparql (whose
  errors are plain text for SPARQL clients and YASGUI) a non-empty text/plain body;
- nothing answers with a stack trace.

A bounded, deterministic run belongs to the normal suite (VEMGORVAD_FUZZ_EXAMPLES examples per
operation and generation mode, default 12); `make fuzz` runs the same test with many more.
"""
from __future__ import annotations

import json
import os
import re
from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode

# schemathesis over every operation: `make test` and `make fuzz`, not the inner loop
pytestmark = pytest.mark.slow

EXAMPLES = int(os.environ.get("VEMGORVAD_FUZZ_EXAMPLES", "12"))
QUERY_TIMEOUT = 3.0
TEXT_ERRORS = ("/sparql",)          # plain-text errors by design (README: "Errors from /sparql are text/plain")

# application/sparql-query is a text body: send what the schema generates for it as UTF-8 text.
schemathesis.serializer.alias("application/sparql-query", "text/plain")

STATS: Counter = Counter()


@pytest.fixture(scope="module")
def fuzz_app(embedded_store, pytestconfig):
    """The app on the built graph, with a short query time limit so that an expensive generated
    query costs seconds, not the default ten."""
    from vemgorvad.serve.app import create_app
    from vemgorvad.settings import Settings
    app = create_app(embedded_store, Settings(query_timeout=QUERY_TIMEOUT))
    yield app
    app.state.vg.close()
    reporter = pytestconfig.pluginmanager.get_plugin("terminalreporter")
    capture = pytestconfig.pluginmanager.get_plugin("capturemanager")
    if reporter is not None and capture is not None and STATS["requests"]:
        statuses = ", ".join(f"{k[7:]}: {v}" for k, v in sorted(STATS.items()) if k.startswith("status "))
        with capture.global_and_fixture_disabled():
            reporter.write_line(f"\nfuzz: {STATS['requests']} requests over {len(SEEN_OPERATIONS)} "
                                f"operations; 5xx: {STATS['5xx']} (designed 503 timeouts: {STATS['timeouts']}); "
                                f"statuses {statuses}")


@pytest.fixture(scope="module")
def api_schema(fuzz_app):
    return schemathesis.openapi.from_asgi("/openapi.json", fuzz_app)


SEEN_OPERATIONS: set[str] = set()


def asked_for_html(case) -> bool:
    """A browser's request (linked-data pages answer it, errors included, with an HTML page)."""
    accept = " ".join(str(v) for k, v in (case.headers or {}).items() if k.lower() == "accept")
    return (case.query or {}).get("format") == "html" or "text/html" in accept


def problems(path: str, status: int, headers: dict, body: bytes, html: bool = False) -> list[str]:
    """What is wrong with one response (empty when it is acceptable)."""
    found = []
    text = body.decode("utf-8", "replace")
    content_type = (headers.get("content-type") or [""])[0]
    if "Traceback (most recent call last)" in text:
        found.append("a stack trace in the response")
    if status >= 500:
        designed = status == 503 and path in TEXT_ERRORS and "avbröts" in text
        if not designed:
            found.append(f"server error {status}")
    if 400 <= status < 600:
        if path in TEXT_ERRORS and content_type.startswith("text/plain"):
            if not text.strip():
                found.append(f"{status} with an empty text body")
        elif html and content_type.startswith("text/html"):
            message = re.search(r"<main>.*?<p>([^<]+)</p>", text, re.S)
            if not message or not message.group(1).strip():
                found.append(f"{status} HTML page without a message")
        else:
            try:
                detail = json.loads(body).get("detail")
            except (ValueError, AttributeError):
                detail = None
            if not content_type.startswith("application/json") or not isinstance(detail, str) or not detail.strip():
                found.append(f"{status} without a readable JSON detail ({content_type}: {text[:200]!r})")
    return found


def _fuzz(operation, mode) -> None:
    """EXAMPLES generated cases for one operation in one generation mode, each sent and checked."""
    label = f"{operation.method.upper()} {operation.path}"

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(operation.as_strategy(generation_mode=mode))
    def run(case):
        response = case.call()
        STATS["requests"] += 1
        STATS[f"status {response.status_code}"] += 1
        SEEN_OPERATIONS.add(label)
        if response.status_code >= 500:
            STATS["5xx"] += 1
            STATS["timeouts"] += response.status_code == 503 and "avbröts" in response.text
        found = problems(case.path, response.status_code, response.headers, response.content,
                         asked_for_html(case))
        assert not found, f"{label} ({mode.value}): {found}\n{case.as_curl_command()}"

    run()


@pytest.mark.parametrize("mode", list(GenerationMode), ids=lambda m: m.value)
def test_every_operation_survives_generated_input(api_schema, fuzz_app, mode):
    paths = fuzz_app.openapi()["paths"]
    failures = []
    for result in api_schema.get_all_operations():
        operation = result.ok()
        spec = paths[operation.path][operation.method.lower()]
        if mode is GenerationMode.NEGATIVE and not spec.get("parameters") and not spec.get("requestBody"):
            continue                  # no input to get wrong (GET /health); the positive run calls it
        try:
            _fuzz(operation, mode)
        except AssertionError as err:     # every operation is fuzzed; all failures are reported
            failures.append(str(err).splitlines()[0] + "\n" + "\n".join(str(err).splitlines()[1:3]))
    assert not failures, "\n\n".join(failures)


def test_the_fuzzing_reached_every_operation(api_schema, fuzz_app):
    """Runs after the fuzzing (same module, file order): every operation of the schema was called,
    and the response check above can fail (it is not vacuous)."""
    operations = {f"{method.upper()} {path}" for path, ops in fuzz_app.openapi()["paths"].items() for method in ops}
    assert SEEN_OPERATIONS, "the fuzzing test did not run"
    assert operations <= SEEN_OPERATIONS, operations - SEEN_OPERATIONS
    assert problems("/api/ask", 500, {"content-type": ["application/json"]}, b'{"detail": "x"}')
    assert problems("/api/ask", 400, {"content-type": ["application/json"]}, b'{"detail": ""}')
    assert problems("/sparql", 400, {"content-type": ["text/plain"]}, b"  \n")
    assert problems("/sparql", 503, {"content-type": ["text/plain"]}, b"internal")
    assert not problems("/sparql", 503, {"content-type": ["text/plain"]}, "Frågan avbröts".encode())
    assert not problems("/api/ask", 404, {"content-type": ["application/json"]}, b'{"detail": "Finns inte."}')
    page = b"<html><main><h1>Finns inte</h1><p>Grafen finns inte.</p></main></html>"
    assert not problems("/graph/x", 404, {"content-type": ["text/html"]}, page, html=True)
    assert problems("/graph/x", 404, {"content-type": ["text/html"]}, page, html=False)
    assert problems("/graph/x", 404, {"content-type": ["text/html"]}, b"<html><main></main></html>", html=True)
