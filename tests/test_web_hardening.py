"""Web hardening: security headers on every response, no inline script on any HTML page, no user
input reflected unescaped, and upload/body size limits enforced before a body is read in full."""
from __future__ import annotations

import asyncio
import json
import re
import socket
import time
from html.parser import HTMLParser

import pytest

XSS = '<script>alert("vgd")</script>'
XSS_NAME = '<img src=x onerror=alert(1)>.txt'
AGREEMENT = ("Överenskommelse om samverkan " + XSS + "\n\n"
             "1. Parter\n\nKommunen och regionen är parter. " + XSS + "\n\n"
             "2. Ansvar\n\nKommunen ansvarar för boende och sysselsättning. Regionen ansvarar för "
             "psykiatrisk vård och ska delta i samordnad individuell plan " + XSS + ".\n")


def _responsibility(store) -> str:
    rows = store.values("SELECT ?r WHERE { ?r a <https://w3id.org/vemgorvad/ontology#Responsibility> } LIMIT 1")
    return rows[0]["r"]


def _html_pages(client, store) -> dict[str, object]:
    local = _responsibility(store).removeprefix("https://w3id.org/vemgorvad")
    html = {"Accept": "text/html"}
    return {
        "staff page": client.get("/"),
        "check page": client.get("/granska"),
        "YASGUI": client.get("/sparql", headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}),
        "dataset": client.get("/dataset", headers=html),
        "ontology": client.get("/ontology", headers=html),
        "graph": client.get("/graph/uppsala", headers=html),
        "responsibility": client.get(local, headers=html),
        "missing resource": client.get("/id/agreement/finns-inte", headers=html),
        "missing graph": client.get("/graph/finns-inte", params={"format": "html"}),
    }


class _Inline(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.inline_scripts = 0
        self.handlers: list[str] = []
        self.style_blocks = 0
        self.stylesheets: list[str] = []
        self._script_has_src = False
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self._in_script, self._script_has_src = True, bool(a.get("src"))
        if tag == "style":
            self.style_blocks += 1
        if tag == "link" and a.get("rel") == "stylesheet":
            self.stylesheets.append(a["href"])
        self.handlers += [name for name, _ in attrs if name.startswith("on")]

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script and not self._script_has_src and data.strip():
            self.inline_scripts += 1


def _policy(header: str) -> dict[str, list[str]]:
    return {d.split()[0]: d.split()[1:] for d in header.split(";") if d.strip()}


def test_every_html_page_has_a_csp_without_inline_scripts_and_nosniff(client, embedded_store):
    for name, response in _html_pages(client, embedded_store).items():
        assert response.headers["content-type"].startswith("text/html"), name
        assert response.headers["x-content-type-options"] == "nosniff", name
        policy = _policy(response.headers["content-security-policy"])
        scripts = policy.get("script-src", policy.get("default-src"))
        assert scripts in (["'self'"], ["'none'"]), (name, scripts)
        assert policy.get("default-src") == ["'none'"], name
        assert "frame-ancestors" in policy, name
        page = _Inline()
        page.feed(response.text)
        assert page.inline_scripts == 0 and page.handlers == [], name
        if "'unsafe-inline'" not in policy.get("style-src", []):
            assert page.style_blocks == 0, name       # an inline <style> would be blocked: moved to files
        for href in page.stylesheets:
            target = href if href.startswith("/") else "/" + href
            sheet = client.get(target)
            assert sheet.status_code == 200 and sheet.headers["content-type"].startswith("text/css"), (name, href)


def test_linked_data_pages_get_their_style_from_a_file(client, embedded_store):
    page = client.get("/dataset", headers={"Accept": "text/html"})
    assert '<link rel="stylesheet" href="/web/resource.css">' in page.text and "<style" not in page.text
    css = client.get("/web/resource.css")
    assert css.status_code == 200 and "blockquote" in css.text


@pytest.mark.parametrize("path,params,headers", [
    ("/health", None, None), ("/api/ask", {"q": "Vem ansvarar för hjälpmedel?"}, None),
    ("/api/ask", None, None), ("/api/topics", None, None), ("/sparql", {"query": "ASK {}"}, None),
    ("/sparql", {"query": "SELECT"}, None), ("/sparql", None, {"Accept": "text/turtle"}),
    ("/dataset", None, {"Accept": "text/turtle"}), ("/download/uppsala.ttl", None, None),
    ("/web/app.js", None, None), ("/yasgui/sparql-page.js", None, None), ("/openapi.json", None, None),
    ("/finns-inte", None, None), ("/api/queries", None, None),
])
def test_every_response_says_nosniff(client, path, params, headers):
    response = client.get(path, params=params, headers=headers)
    assert response.headers["x-content-type-options"] == "nosniff", (path, response.status_code)


def test_yasgui_page_keeps_its_code_in_files(client):
    page = client.get("/sparql", headers={"Accept": "text/html"})
    assert 'src="yasgui/sparql-page.js"' in page.text and 'href="yasgui/sparql-page.css"' in page.text
    script = client.get("/yasgui/sparql-page.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
    assert "new Yasgui(" in script.text
    assert client.get("/yasgui/sparql-page.css").headers["content-type"].startswith("text/css")


# --- nothing reflected unescaped ---------------------------------------------------------------

def test_a_question_with_a_script_comes_back_only_as_json(client):
    response = client.get("/api/ask", params={"q": "Vem ansvarar för " + XSS + "?"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    assert XSS in response.json()["question"]                         # data, in JSON: fine
    unknown = client.get("/api/ask", params={"q": "Vem ansvarar för boende?", "agreement": XSS})
    assert unknown.status_code == 404 and unknown.headers["content-type"].startswith("application/json")
    compare = client.get("/api/compare", params={"topic": XSS})
    assert compare.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("path", ["/graph/" + XSS, "/ontology/" + XSS, "/id/agreement/" + XSS,
                                  "/download/" + XSS + ".ttl"])
def test_linked_data_errors_escape_what_was_asked_for(client, path):
    for headers in ({"Accept": "text/html"}, {"Accept": "text/turtle"}):
        response = client.get(path, headers=headers)
        assert response.status_code in (400, 404), (path, response.status_code)
        assert "<script>" not in response.text, (path, headers)
        if response.headers["content-type"].startswith("text/html"):
            assert "&lt;script&gt;" in response.text
        else:
            assert response.headers["content-type"].startswith("application/json")
            assert response.json()["detail"]


def test_a_label_with_markup_is_text_on_a_linked_data_page():
    """Labels, quotes, headings and titles come from agreements' text: on a linked-data page they
    are text, never markup (the one template environment autoescapes)."""
    import pyoxigraph

    from vemgorvad.serve.linked_data import describe, render_page
    from vemgorvad.store import EmbeddedStore

    base, vg = "https://w3id.org/vemgorvad/", "https://w3id.org/vemgorvad/ontology#"
    rdfs, oa = "http://www.w3.org/2000/01/rdf-schema#", "http://www.w3.org/ns/oa#"
    clause, agreement = base + "id/agreement/x/clause/1-2", base + "id/agreement/x"
    section, bearer = agreement + "/section/1", base + "id/org/x"
    hostile = pyoxigraph.Literal(XSS, language="sv")
    triples = [
        (clause, rdfs + "label", hostile), (clause, vg + "evidence", pyoxigraph.NamedNode(clause + "#evidence")),
        (clause + "#evidence", rdfs + "label", pyoxigraph.Literal(XSS_NAME)),
        (clause + "#evidence", oa + "hasSelector", pyoxigraph.NamedNode(clause + "#quote")),
        (clause + "#quote", oa + "exact", pyoxigraph.Literal(XSS)),
        (clause, "http://www.w3.org/1999/02/22-rdf-syntax-ns#type", pyoxigraph.NamedNode(vg + "Obligation")),
        (vg + "Obligation", rdfs + "label", hostile), (clause, vg + "listIntroduction", pyoxigraph.Literal(XSS)),
        (clause, vg + "agreement", pyoxigraph.NamedNode(agreement)),
        (agreement, "http://purl.org/dc/terms/title", pyoxigraph.Literal(XSS_NAME)),
        (clause, vg + "section", pyoxigraph.NamedNode(section)), (section, vg + "heading", pyoxigraph.Literal(XSS)),
        (clause, vg + "bearer", pyoxigraph.NamedNode(bearer)), (bearer, rdfs + "label", hostile),
        (clause, vg + "bearerSection", pyoxigraph.NamedNode(section)), (vg + "costShare", rdfs + "label", hostile),
        (clause, vg + "costShare", pyoxigraph.Literal(XSS_NAME, language="sv")),
    ]
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.Quad(pyoxigraph.NamedNode(s), pyoxigraph.NamedNode(p), o) for s, p, o in triples)
    page = render_page(EmbeddedStore(store), clause, describe(EmbeddedStore(store), clause))
    parsed = _Inline()
    parsed.feed(page)
    assert "<script" not in page and "<img" not in page and parsed.inline_scripts == 0 and parsed.handlers == []
    assert page.count("&lt;script&gt;") >= 8 and page.count("&lt;img src=x onerror=alert(1)&gt;") >= 3
    assert "<blockquote>&lt;script&gt;" in page and '<p class="intro">&lt;script&gt;' in page


def test_sparql_errors_are_plain_text_never_html(client):
    for params in ({"query": "SELECT " + XSS}, {"query": "ASK {}", "default-graph-uri": XSS}):
        response = client.get("/sparql", params=params)
        assert response.status_code == 400
        assert response.headers["content-type"].startswith("text/plain")
        assert response.headers["x-content-type-options"] == "nosniff"
    browser = client.get("/sparql", params={"query": XSS}, headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"})
    assert browser.status_code == 200 and XSS not in browser.text      # YASGUI reads ?query= as editor text


def test_an_uploaded_file_name_with_markup_is_never_html(client):
    upload = client.post("/api/check", files={"file": (XSS_NAME, AGREEMENT.encode("utf-8"), "text/plain")})
    assert upload.status_code == 200, upload.text
    assert upload.headers["content-type"].startswith("application/json")
    body = upload.json()
    assert {t["topic"] for t in body["topics"]}
    direct = client.post("/api/check", content=AGREEMENT.encode("utf-8"),
                         headers={"Content-Type": "text/plain", "X-Filename": "<b>avtal</b>.txt"})
    assert direct.status_code == 200 and direct.headers["content-type"].startswith("application/json")
    wrong = client.post("/api/check", files={"file": (XSS + ".exe", b"MZ\x90\x00", "application/octet-stream")})
    assert 400 <= wrong.status_code < 500 and wrong.headers["content-type"].startswith("application/json")
    assert wrong.json()["detail"].strip()


def test_check_html_report_escapes_the_file_name_and_the_text(build_dir, tmp_path, capsys):
    from vemgorvad.serve.check.cli import run_check_command
    path = tmp_path / XSS_NAME
    path.write_text(AGREEMENT, encoding="utf-8")
    assert run_check_command(str(path), False, "html") == 0
    page = capsys.readouterr().out
    assert "<script" not in page and "<img" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;.txt" in page
    assert "&lt;script&gt;" in page                  # the agreement's own words, as text
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy and "script-src" not in policy.group(1) and _policy(policy.group(1))["default-src"] == ["'none'"]


# --- size limits before the body is read -------------------------------------------------------

CHUNK = 64 * 1024
BODY_LIMIT = 256 * 1024
UPLOAD_LIMIT = 1024 * 1024
HUGE = 200 * 1024 * 1024
DECLARED = 50 * 1024 * 1024        # over the limits, under any "read it all anyway" ceiling


@pytest.fixture(scope="module")
def small_limits_app(embedded_store):
    from vemgorvad.serve.app import create_app
    from vemgorvad.settings import Settings
    app = create_app(embedded_store, Settings(max_body=BODY_LIMIT, max_upload=UPLOAD_LIMIT))
    yield app
    app.state.vg.close()


def _stream(app, path: str, content_type: str, declared: int | None) -> tuple[int, dict, bytes, int]:
    """Send a 200 MB body in 64 KB chunks straight into the ASGI app; count what the app reads."""
    consumed = 0
    sent: dict = {"body": b""}
    headers = [(b"content-type", content_type.encode()), (b"host", b"testserver")]
    if declared is not None:
        headers.append((b"content-length", str(declared).encode()))
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST", "scheme": "http",
             "path": path, "raw_path": path.encode(), "query_string": b"", "root_path": "", "headers": headers,
             "client": ("127.0.0.1", 1234), "server": ("testserver", 80)}

    async def receive():
        nonlocal consumed
        if consumed >= HUGE:
            return {"type": "http.request", "body": b"", "more_body": False}
        consumed += CHUNK
        return {"type": "http.request", "body": b"a" * CHUNK, "more_body": True}

    async def send(message):
        if message["type"] == "http.response.start":
            sent["status"] = message["status"]
            sent["headers"] = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        elif message["type"] == "http.response.body":
            sent["body"] += message.get("body", b"")

    asyncio.run(app(scope, receive, send))
    return sent["status"], sent["headers"], sent["body"], consumed


@pytest.mark.parametrize("path,content_type,limit", [
    ("/api/check", "text/plain", UPLOAD_LIMIT),
    ("/api/check", "multipart/form-data; boundary=xyz", UPLOAD_LIMIT),
    ("/sparql", "application/sparql-query", BODY_LIMIT),
    ("/sparql", "application/x-www-form-urlencoded", BODY_LIMIT),
])
def test_an_oversized_streamed_body_is_refused_after_the_limit_not_read_to_the_end(small_limits_app, path,
                                                                                  content_type, limit):
    status, headers, body, consumed = _stream(small_limits_app, path, content_type, declared=None)
    assert status == 413
    assert consumed <= limit + CHUNK, consumed          # stopped right after the limit, of a 200 MB body
    assert headers.get("connection") == "close"
    assert body.strip() and "Traceback" not in body.decode()
    if path == "/sparql":
        assert headers["content-type"].startswith("text/plain") and "för stor" in body.decode()
    else:
        assert "för stor" in json.loads(body)["detail"]


@pytest.mark.parametrize("path,content_type", [("/api/check", "text/plain"), ("/sparql", "application/sparql-query")])
def test_a_declared_oversized_body_is_refused_before_any_of_it_is_read(small_limits_app, path, content_type):
    status, _headers, _, consumed = _stream(small_limits_app, path, content_type, declared=DECLARED)
    assert status == 413 and consumed == 0


def test_a_body_under_the_limit_is_still_read(small_limits_app):
    """The counterpart: the limit is not simply "refuse every body"."""
    from fastapi.testclient import TestClient
    with TestClient(small_limits_app) as c:
        query = "ASK { ?s ?p ?o }" + " " * (BODY_LIMIT - 100)
        ok = c.post("/sparql", content=query.encode(), headers={"Content-Type": "application/sparql-query"})
        assert ok.status_code == 200 and ok.json()["boolean"] is True
        over = c.post("/sparql", content=(query + " " * 200).encode(),
                      headers={"Content-Type": "application/sparql-query"})
        assert over.status_code == 413


@pytest.mark.parametrize("path,content_type", [("/api/check", "text/plain"), ("/sparql", "application/sparql-query")])
def test_over_http_the_413_arrives_before_the_body_is_sent(build_dir, path, content_type):
    """Over a real socket (uvicorn): headers announcing 50 MB with `Expect: 100-continue`, no body
    at all — the server answers 413 and closes, it never asks for the body."""
    from oxigraph_server import shared_service
    service = shared_service("embedded", build_dir, max_body=BODY_LIMIT, max_upload=UPLOAD_LIMIT)
    with socket.create_connection(("127.0.0.1", service.port), timeout=10) as sock:
        sock.sendall((f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: {content_type}\r\n"
                      f"Content-Length: {DECLARED}\r\nExpect: 100-continue\r\n\r\n").encode())
        started, reply = time.monotonic(), b""
        while b"\r\n\r\n" not in reply and time.monotonic() - started < 10:
            part = sock.recv(65536)
            if not part:
                break
            reply += part
    head = reply.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
    assert head.startswith("http/1.1 413"), head
    assert "100 continue" not in head and "connection: close" in head


def test_yasgui_runs_under_its_policy_without_a_single_violation(build_dir):
    """In a real browser (Debian chromium): the page's Content-Security-Policy is enforced, YASGUI
    runs a query, and the browser reports no policy violation at all (nothing inline is blocked)."""
    import shutil
    from urllib.parse import quote

    from playwright.sync_api import sync_playwright

    from oxigraph_server import shared_service
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    assert chromium, "the browser tests need Debian's chromium (make browser)"
    service = shared_service("embedded", build_dir)
    query = "SELECT ?key WHERE { ?a <http://purl.org/dc/terms/identifier> ?key } ORDER BY ?key"
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.add_init_script("window.__violations = []; document.addEventListener('securitypolicyviolation', "
                                 "e => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));")
            response = page.goto(service.url + "/sparql?query=" + quote(query, safe=""))
            assert "script-src 'self'" in response.headers["content-security-policy"]
            page.wait_for_function("window.yasgui && window.yasgui.getTab()")
            page.evaluate("window.yasgui.getTab().query()")
            page.wait_for_selector("text=vastra-gotaland", timeout=20000)
            assert page.evaluate("window.__violations") == []
            # the policy is really enforced: an inline script injected now is blocked and reported
            page.evaluate("(() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1';"
                          " document.body.appendChild(s); })()")
            page.wait_for_function("window.__violations.length > 0", timeout=5000)
            assert page.evaluate("window.__ran") is None
            assert page.evaluate("window.__violations")[0].startswith("script-src")
        finally:
            browser.close()


def _raw_exchange(port: int, head: bytes, timeout: float = 20) -> bytes:
    """Send a request head over a raw socket and read until the server closes (explicit timeouts)."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        sock.sendall(head)
        started, reply = time.monotonic(), b""
        while time.monotonic() - started < timeout:
            part = sock.recv(65536)
            if not part:
                break
            reply += part
            if b"\r\n\r\n" in reply and not reply.lower().startswith(b"http/1.1 431"):
                break       # an accepted request on a kept-alive connection: the head is enough
    return reply


@pytest.mark.parametrize("shape", ["one header", "many headers"])
def test_an_oversized_request_head_gets_a_readable_431_not_a_reset(build_dir, shape):
    """A 1 MB head (one header field or thousands): uvicorn alone answered 400 and closed while the
    client still sent, so the client saw a connection reset; the service answers 431 with a Swedish
    JSON detail, reads and throws away the rest, then closes."""
    from oxigraph_server import shared_service
    service = shared_service("embedded", build_dir)
    if shape == "one header":
        fields = b"X-Big: " + b"a" * 1_000_000 + b"\r\n"
    else:
        fields = b"".join(b"X-F%d: value\r\n" % i for i in range(70_000))
    reply = _raw_exchange(service.port, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n" + fields + b"\r\n")
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.lower().startswith(b"http/1.1 431"), head[:200]
    assert b"application/json" in head.lower() and b"connection: close" in head.lower()
    detail = json.loads(body)["detail"]
    assert "huvudfält" in detail and "för stora" in detail


def test_a_head_under_the_limit_is_served_whether_it_arrives_whole_or_in_parts(build_dir):
    """32 KB of header fields (past h11's own 16 KB) is served; the limit (64 KB) counts the head
    whether it arrived in one read or several, so 70 KB in one field is refused either way."""
    from oxigraph_server import shared_service
    service = shared_service("embedded", build_dir)
    ok = _raw_exchange(service.port, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: " + b"a" * 32_000 + b"\r\n\r\n")
    assert ok.startswith(b"HTTP/1.1 200"), ok[:200]
    over = _raw_exchange(service.port, b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: " + b"a" * 70_000 + b"\r\n\r\n")
    assert over.startswith(b"HTTP/1.1 431"), over[:200]
