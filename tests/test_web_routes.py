"""The web page's HTTP side, without a browser: pages and assets are served with the right types and
security headers, nothing is inline (so a strict Content-Security-Policy holds), nothing comes from
another origin, and the scripts never turn data into HTML."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

WEB = Path(__file__).resolve().parents[1] / "service" / "vemgorvad" / "serve" / "web"
PAGES = ["/", "/granska"]


class _Inventory(HTMLParser):
    """Everything in a page that could run code or style, and every URL it references."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict] = []
        self.script_bodies: list[str] = []
        self.style_blocks = 0
        self.handler_attrs: list[tuple[str, str]] = []
        self.style_attrs: list[str] = []
        self.urls: list[str] = []
        self.labels_for: set[str] = set()
        self.ids: dict[str, str] = {}
        self.controls: list[tuple[str, dict]] = []
        self.html_lang: str | None = None
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.html_lang = a.get("lang")
        if tag == "script":
            self.scripts.append(a)
            self._in_script = True
            self.script_bodies.append("")
        if tag == "style":
            self.style_blocks += 1
        if tag == "label" and a.get("for"):
            self.labels_for.add(a["for"])
        if "id" in a:
            self.ids[a["id"]] = tag
        if tag in ("input", "select", "textarea"):
            self.controls.append((tag, a))
        for name, value in attrs:
            if name.startswith("on"):
                self.handler_attrs.append((tag, name))
            if name == "style":
                self.style_attrs.append(tag)
            if name in ("src", "href", "action", "srcset", "poster", "data") and value:
                self.urls.append(value)

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_bodies[-1] += data


def _inventory(html: str) -> _Inventory:
    parser = _Inventory()
    parser.feed(html)
    return parser


@pytest.mark.parametrize("path", PAGES)
def test_page_is_swedish_html_with_a_strict_csp(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    csp = response.headers["content-security-policy"]
    directives = {d.split()[0]: d.split()[1:] for d in csp.split(";") if d.strip()}
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["default-src"] == ["'none'"]
    assert directives["connect-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp and "'unsafe-eval'" not in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert _inventory(response.text).html_lang == "sv"


@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_inline_script_handler_or_style(client, path):
    page = _inventory(client.get(path).text)
    assert page.scripts, "the page loads its script"
    for attrs, body in zip(page.scripts, page.script_bodies, strict=False):
        assert attrs.get("src", "").startswith("/web/"), attrs
        assert attrs.get("type") == "module"
        assert body.strip() == "", "inline script"
    assert page.handler_attrs == []
    assert page.style_attrs == []
    assert page.style_blocks == 0


@pytest.mark.parametrize("path", PAGES)
def test_page_references_nothing_on_another_origin(client, path):
    page = _inventory(client.get(path).text)
    for url in page.urls:
        assert not re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I), f"external reference {url}"
        assert not url.lower().startswith(("javascript:", "data:")), url


@pytest.mark.parametrize("path", PAGES)
def test_every_form_control_has_a_label(client, path):
    page = _inventory(client.get(path).text)
    assert page.controls
    for tag, attrs in page.controls:
        if attrs.get("type") == "hidden":
            continue
        assert attrs.get("id") in page.labels_for or attrs.get("aria-label"), f"unlabelled {tag} {attrs}"


def test_question_form_has_the_fields_the_page_promises(client):
    html = client.get("/").text
    page = _inventory(html)
    assert page.ids.get("q") == "input" and "q" in page.labels_for
    assert re.search(r'<label for="q">Din fråga</label>', html)
    assert page.ids.get("agreement") == "select"
    assert "Alla överenskommelser" in html
    assert page.ids.get("topic") == "select"
    assert 'aria-live="polite"' in html
    assert len(re.findall(r'class="example"', html)) >= 4


def test_assets_referenced_by_the_pages_are_served_with_their_types(client):
    expected = {".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml"}
    seen = set()
    for path in PAGES:
        for url in _inventory(client.get(path).text).urls:
            if url.startswith("/web/"):
                seen.add(url)
    # the modules the scripts import must be served too
    for js in list(seen):
        if js.endswith(".js"):
            for imported in re.findall(r'from\s+"\./([\w.-]+)"', client.get(js).text):
                seen.add(f"/web/{imported}")
    assert {"/web/app.js", "/web/granska.js", "/web/app.css", "/web/dom.js"} <= seen
    for url in sorted(seen):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith(expected[Path(url).suffix]), url
        assert response.headers["x-content-type-options"] == "nosniff"


def test_assets_revalidate_with_etag(client):
    first = client.get("/web/app.js")
    etag = first.headers["etag"]
    again = client.get("/web/app.js", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert again.content == b""
    changed = client.get("/web/app.js", headers={"If-None-Match": '"something-else"'})
    assert changed.status_code == 200 and changed.content == first.content


def test_unknown_asset_is_a_swedish_json_404(client):
    for path in ("/web/finns-inte.js", "/web/..%2Froutes.py", "/web/routes.py"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "finns inte" in response.json()["detail"]


def test_scripts_never_turn_data_into_html_or_code():
    sources = {p.name: p.read_text(encoding="utf-8") for p in (WEB / "static").glob("*.js")}
    assert {"app.js", "dom.js", "granska.js"} <= set(sources)
    forbidden = re.compile(r"\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\s*\(|new\s+Function\s*\(|"
                           r"createContextualFragment|setTimeout\s*\(\s*['\"`]|DOMParser")
    for name, source in sources.items():
        assert not forbidden.search(source), f"{name}: {forbidden.search(source).group(0)}"
        # only same-origin requests: fetch paths are relative, no absolute URL is ever requested
        for url in re.findall(r"https?://[^\s\"'`)]+", source):
            assert url.startswith("https://w3id.org/vemgorvad"), f"{name} mentions {url}"


def test_stylesheet_loads_nothing_from_elsewhere():
    css = (WEB / "static" / "app.css").read_text(encoding="utf-8")
    assert "@import" not in css
    for url in re.findall(r"url\(([^)]*)\)", css):
        assert not re.match(r"['\"]?(?:[a-z]+:)?//", url.strip()), url
    assert "@font-face" not in css


def test_check_page_has_an_upload_form_for_the_supported_formats(client):
    html = client.get("/granska").text
    page = _inventory(html)
    assert page.ids.get("fil") == "input" and "fil" in page.labels_for
    (attrs,) = [a for tag, a in page.controls if a.get("id") == "fil"]
    assert attrs["type"] == "file" and attrs["name"] == "file"
    assert {".txt", ".pdf", ".docx"} <= set(attrs["accept"].split(","))
    assert 'aria-live="polite"' in html
    assert 'href="/granska"' in client.get("/").text, "the question page links to the check page"
