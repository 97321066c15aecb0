"""Browser fixtures shared by the page tests: the real service (`vemgorvad serve`) on a free loopback
port with the built graph — one per test session —, Debian's chromium driven by Playwright (never a
downloaded browser), pages that fail a test when they open a dialog, throw a script error or fetch
from another origin, and axe-core (vendored from npm in tests/vendor/axe-core) run inside a page.

Without chromium the browser tests skip locally and FAIL in CI (CI=true), so they never pass
silently there.
"""
from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

try:                                   # a pytest plugin by its own name (tests/ on sys.path) or as tests.browser
    from subprocs import terminate
except ImportError:
    from tests.subprocs import terminate

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IN_CI = os.environ.get("CI") == "true"
TIMEOUT_MS = 15_000

UPPSALA_MEMORY = "Vem förskriver hjälpmedel för minnet till en 15-åring i Uppsala län?"
SIP = "Vem ska kalla till SIP?"


def _unavailable(reason: str):
    if IN_CI:
        pytest.fail(f"browser tests cannot run in CI: {reason} (run `make browser` to install Debian's chromium)",
                    pytrace=False)
    pytest.skip(reason)


def _chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    return None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.load(response)


@pytest.fixture(scope="session")
def base_url(build_dir, tmp_path_factory):
    """The real service (`vemgorvad serve`) on a free loopback port, on the built graph."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = tmp_path_factory.mktemp("web-service") / "service.log"
    log = open(log_path, "w")
    proc = subprocess.Popen([sys.executable, "-m", "vemgorvad.cli", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"the service did not start: {log_path.read_text()[-2000:]}", pytrace=False)
            try:
                if _get_json(f"{base}/health")["status"] == "ok":
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("the service did not answer /health within 60 s", pytrace=False)
            time.sleep(0.1)
        # warm the question index so the first browser test measures the page, not the index build
        _get_json(f"{base}/api/ask?q={urllib.parse.quote(SIP)}")
        yield base
    finally:
        terminate(proc, 10)
        log.close()


@pytest.fixture(scope="module")
def browser():
    """One chromium per test module: Playwright's sync API keeps an event loop running in the main
    thread while it is open, which breaks later modules that call asyncio.run() or start their own
    Playwright — so it is closed when the module that needed it is done."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as err:  # the test extra is not installed
        _unavailable(f"the Python package playwright is missing ({err})")
    executable = _chromium_path()
    if executable is None:
        _unavailable("Debian's chromium is not installed (neither `chromium` nor `chromium-browser` on PATH)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


class Watch:
    """What the page did that it must not: dialogs, script errors, requests to other origins."""

    def __init__(self):
        self.dialogs: list[str] = []
        self.page_errors: list[str] = []
        self.foreign_requests: list[str] = []


DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}


def open_page(browser, base_url, viewport=None, **options):
    """A new context and page, guarded (see Watch); returns (context, page)."""
    context = browser.new_context(locale="sv-SE", viewport=viewport or DESKTOP, **options)
    context.set_default_timeout(TIMEOUT_MS)
    watch = Watch()

    def guard(route):
        url = route.request.url
        if url.startswith(base_url + "/") or url == base_url:
            route.continue_()
        else:
            watch.foreign_requests.append(url)
            route.abort()

    context.route("**/*", guard)
    pg = context.new_page()

    def on_dialog(dialog):
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    pg.on("dialog", on_dialog)
    pg.on("pageerror", lambda err: watch.page_errors.append(str(err)))
    pg.watch = watch
    pg.base = base_url
    return context, pg


def check_watch(pg) -> None:
    watch = pg.watch
    assert watch.foreign_requests == [], "the page fetched from another origin"
    assert watch.page_errors == [], "script errors on the page"
    assert watch.dialogs == [], "a dialog was opened"




@pytest.fixture
def page(browser, base_url):
    context, pg = open_page(browser, base_url)
    yield pg
    context.close()
    check_watch(pg)


AXE = (Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
#: WCAG 2.1 A and AA, and axe's best practices (landmarks, headings, …)
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]


def axe(pg, context: str = "document") -> list[dict]:
    """axe-core's violations on the page as it is now (evaluated through the DevTools protocol, so
    the page's Content-Security-Policy stays as strict as it is for users)."""
    if not pg.evaluate("() => typeof window.axe === 'object'"):
        pg.evaluate(AXE + "\n;void 0")
    return pg.evaluate("""async ([context, tags]) => {
        const result = await window.axe.run(context === 'document' ? document : document.querySelector(context),
                                            { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
        return result.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({ target: n.target.join(' '), summary: n.failureSummary })) }));
    }""", [context, AXE_TAGS])


def serious(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def describe(violations: list[dict]) -> str:
    return "\n".join(f"{v['impact']}: {v['id']} – {v['help']}: " + "; ".join(n["target"] for n in v["nodes"][:6])
                     for v in violations)
