"""The web page in a real browser: Debian's chromium, headless, driven by Playwright against the real
service started on a free loopback port with the built graph.

No browser is ever downloaded: Playwright launches the system chromium by path. Without chromium the
tests skip locally and FAIL in CI (CI=true), so they never pass silently there. Every request the page
makes is checked to stay on the service's own origin.
"""
from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from browser import ROOT, _get_json

UPPSALA_MEMORY = "Vem förskriver hjälpmedel för minnet till en 15-åring i Uppsala län?"
SIP = "Vem ska kalla till SIP?"


def _ask_by_keyboard(pg, question: str):
    field = pg.get_by_label("Din fråga")
    field.fill(question)
    field.press("Enter")


def _cards(pg):
    return pg.locator("#svar article.card")


def _api(pg, path: str, **params):
    return _get_json(f"{pg.base}{path}?{urllib.parse.urlencode(params)}")


def test_question_shows_the_responsible_principal_and_the_marked_quote(page):
    page.goto(page.base + "/")
    _ask_by_keyboard(page, UPPSALA_MEMORY)
    best = page.locator("#svar article.card-best")
    best.wait_for()

    expected = _api(page, "/api/ask", q=UPPSALA_MEMORY)
    assert expected["status"] == "answered"
    top = expected["answers"][0]
    assert top["principal"]["kind"] == "region"  # 15 years old: the region, under the 21-year limit

    assert best.locator(".who").inner_text() == top["principal"]["label"]
    assert best.locator(".badge").first.inner_text() == "Region"
    mark = best.locator("blockquote mark")
    assert mark.inner_text().split() == top["quote"].split()
    assert "kognit" in mark.inner_text()   # kognition / kognitivt stöd: aids for the memory
    assert top["conditions"] and top["conditions"] in best.locator(".facts").inner_text()
    assert "Villkor" in best.locator(".facts").inner_text()
    group = page.locator("#svar section.agreement-group", has=page.locator("article.card-best"))
    assert group.locator(".badge.county").inner_text() == "Uppsala län"
    assert _cards(page).count() == len(expected["answers"])

    # shareable: the question is in the address, and the result was announced
    query = urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)
    assert query["q"] == [UPPSALA_MEMORY]
    page.wait_for_function("() => document.getElementById('svar-status').textContent.includes(' svar.')")
    assert "landstinget" in page.locator("#svar-status").text_content().lower()


def test_quote_is_shown_highlighted_within_its_section(page):
    page.goto(page.base + "/?" + urllib.parse.urlencode({"q": UPPSALA_MEMORY}))
    best = page.locator("#svar article.card-best")
    toggle = best.locator("button.context-toggle")
    assert toggle.inner_text() == "Visa i sitt sammanhang"
    toggle.click()
    passage = best.locator(".passage")
    passage.locator("mark").wait_for()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert toggle.inner_text() == "Dölj sammanhanget"

    top = _api(page, "/api/ask", q=UPPSALA_MEMORY)["answers"][0]
    context = _api(page, "/api/passage", responsibility=top["responsibility"])
    text = passage.inner_text()
    marked = passage.locator("mark").inner_text()
    assert marked.split() == context["text"][context["quote_start"]:context["quote_end"]].split()
    assert marked.split() == top["quote"].split()
    assert len(text) > len(marked) + 100, "the section around the quote is shown, not only the quote"
    heading = (context["section"] or "").split(" > ")[-1]
    assert heading and heading.split()[-1] in text, "the quote's own section is shown"

    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
    assert best.locator(".context").is_hidden()


def test_a_misspelt_county_is_corrected_shown_and_used(page):
    """Issue 13 item 4 on the real service: "Västmnland" is read as Västmanlands län, the page says
    "Menade du Västmanland?" and shows the place, and every answer comes from that county's agreement."""
    question = "Vem betalar HVB-placering i Västmnland?"
    expected = _api(page, "/api/ask", q=question)
    assert expected["interpretation"]["place"]["label"] == "Västmanlands län"
    page.goto(page.base + "/")
    _ask_by_keyboard(page, question)
    _cards(page).first.wait_for()
    summary = page.locator("#svar-sammanfattning").inner_text()
    assert "Menade du Västmanland?" in summary and "plats: Västmanlands län" in summary
    assert {_cards(page).nth(i).get_attribute("data-agreement") for i in range(_cards(page).count())} == {"vastmanland"}
    assert page.locator("#svar section.agreement-group .badge.county").all_inner_texts() == ["Västmanlands län"]


def test_switching_county_changes_the_answers_agreement_and_back_restores_it(page):
    page.goto(page.base + "/")
    _ask_by_keyboard(page, SIP)
    _cards(page).first.wait_for()
    unscoped = {_cards(page).nth(i).get_attribute("data-agreement") for i in range(_cards(page).count())}
    assert len(unscoped) > 1, "without a county the answers come from several agreements"

    select = page.get_by_label("Län och överenskommelse")
    for key, county in (("uppsala", "Uppsala län"), ("vastmanland", "Västmanlands län")):
        select.select_option(key)
        page.wait_for_function(
            "key => { const c = [...document.querySelectorAll('#svar article.card')];"
            " return c.length > 0 && c.every(e => e.dataset.agreement === key); }", arg=key)
        cards = _cards(page)
        assert page.locator("#svar section.agreement-group .badge.county").all_inner_texts() == [county]
        assert urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)["agreement"] == [key]
        expected = _api(page, "/api/ask", q=SIP, agreement=key)
        assert cards.count() == len(expected["answers"])
        assert cards.first.locator(".who").inner_text() == expected["answers"][0]["principal"]["label"]

    page.go_back()
    page.wait_for_function(
        "() => { const c = [...document.querySelectorAll('#svar article.card')];"
        " return c.length > 0 && c.every(e => e.dataset.agreement === 'uppsala'); }")
    assert select.input_value() == "uppsala"
    assert page.get_by_label("Din fråga").input_value() == SIP


def test_comparison_shows_every_agreement_and_what_is_not_regulated(page):
    page.goto(page.base + "/")
    page.get_by_role("link", name="Jämför län").click()
    page.get_by_label("Område", exact=True).select_option(label="Tandvård")
    page.get_by_role("button", name="Jämför", exact=True).click()
    entries = page.locator("#jamfor-resultat tr.cmp")
    entries.first.wait_for()

    agreements = _get_json(page.base + "/api/agreements")
    expected = _api(page, "/api/compare", topic="tandvard")
    assert entries.count() == len(agreements) == len(expected["agreements"]) == 5
    shown = {entries.nth(i).get_attribute("data-agreement") for i in range(entries.count())}
    assert shown == {a["key"] for a in agreements}
    for item in expected["agreements"]:
        row = page.locator(f"#jamfor-resultat tr.cmp[data-agreement='{item['agreement']['key']}']")
        assert item["county"] in row.locator("th").inner_text()
        if item["answers"]:
            top = item["answers"][0]
            assert row.locator("td .who").first.inner_text() == (item["cases"][0] if item.get("cases") else top)["principal"]["label"]
            assert row.locator("blockquote mark").first.inner_text().split() == top["quote"].split()
        else:
            assert "Inte reglerat" in row.inner_text()
    # the same engine as "Fråga": each row is what asking the same question in that agreement gives
    assert expected["question"] == "Vem ansvarar för tandvård?"
    for item in expected["agreements"]:
        asked = _api(page, "/api/ask", q=expected["question"], agreement=item["agreement"]["key"])
        assert [a["responsibility"] for a in asked["answers"][:3]] == [a["responsibility"] for a in item["answers"]]
    assert page.locator("#jamfor-resultat tr.cmp-no").count() >= 1
    assert page.locator("#jamfor-resultat tr.cmp-yes").count() >= 1
    assert urllib.parse.parse_qs(urllib.parse.urlparse(page.url).query)["topic"] == ["tandvard"]
    assert "av 5 överenskommelser" in page.locator("#jamfor-resultat .summary").inner_text()


def test_unregulated_question_says_so_clearly(page):
    question = "Vem ansvarar för tandvård i Sörmland?"
    expected = _api(page, "/api/ask", q=question)
    assert expected["status"] == "not_covered"
    page.goto(page.base + "/")
    page.get_by_role("button", name=question).click()
    notice = page.locator("#svar [data-status='not_covered']")
    notice.wait_for()
    assert notice.get_by_role("heading").inner_text() == "Inte reglerat i överenskommelsen"
    assert expected["reason"] in notice.inner_text()
    assert "Södermanlands län" in notice.inner_text()
    assert _cards(page).count() == 0
    # from there, one step to how the other counties regulate it
    notice.get_by_role("button", name="Jämför länen: Tandvård").click()
    page.locator("#jamfor-resultat tr.cmp").first.wait_for()
    assert page.locator("#jamfor-resultat tr.cmp").count() == 5
    assert page.get_by_label("Område", exact=True).input_value() == "tandvard"


@pytest.mark.parametrize("payload", [
    "<script>window.__pwned = 1; alert('xss')</script>",
    "<img src=x onerror=\"window.__pwned = 1; alert('xss')\">",
    "\"><svg onload=alert(1)> vem betalar HVB?",
])
def test_html_or_script_in_the_question_is_shown_as_text(page, payload):
    page.goto(page.base + "/")
    before = page.evaluate("() => document.querySelectorAll('script, img, svg, iframe').length")
    _ask_by_keyboard(page, payload)
    asked = page.locator("#svar .asked q")
    asked.wait_for()
    assert asked.text_content() == payload
    page.wait_for_timeout(300)  # time for any injected handler to fire
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => document.querySelectorAll('script, img, svg, iframe').length") == before
    assert page.locator("img[src='x']").count() == 0
    assert page.title().startswith(payload)

    # the same from a shared link
    page.goto(page.base + "/?" + urllib.parse.urlencode({"q": payload}))
    asked.wait_for()
    assert asked.text_content() == payload
    assert page.get_by_label("Din fråga").input_value() == payload
    page.wait_for_timeout(300)
    assert page.evaluate("() => window.__pwned") is None
    assert page.evaluate("() => document.querySelectorAll('script, img, svg, iframe').length") == before


def test_data_from_the_api_is_rendered_as_text_and_ambiguity_is_explained(page):
    """An ambiguous answer (served by a stub so the test does not depend on the graph) whose labels
    and quote contain markup: the alternatives are listed and nothing in the data becomes HTML."""
    evil = "<img src=x onerror=\"window.__pwned=1\">"
    answer = {
        "principal": {"id": "https://w3id.org/vemgorvad/id/org/uppsala/region", "label": f"Landstinget {evil}",
                      "kind": "region"},
        "unit": {"id": "https://w3id.org/vemgorvad/id/org/uppsala/unit/bup", "label": "BUP <b>fet</b>"},
        "statement": "Landstinget ansvarar för BUP.", "conditions": "upp till 18 år <i>x</i>",
        "agreement": {"key": "uppsala", "title": "Överenskommelse (Uppsala län)",
                      "id": "https://w3id.org/vemgorvad/id/agreement/uppsala"},
        "section": "6. Ansvar > 6.2 Landstingets ansvar", "quote": f"Landstinget ansvarar {evil} för BUP.",
        "responsibility": "https://w3id.org/vemgorvad/id/agreement/uppsala/clause/1-2", "score": 0.8,
        "quote_start": 1, "quote_end": 2, "legal_basis": "HSL",
    }
    body = {
        "question": "Vem ansvarar för barn?", "status": "ambiguous",
        "interpretation": {"agreement": None, "topics": [], "duties": [], "age": 10, "situations": [], "words": []},
        "answers": [answer],
        "alternatives": [
            {"topic": "ansvar_region", "label": "Regionens ansvar", "principal": {"label": f"Landstinget {evil}", "kind": "region"},
             "responsibility": "https://w3id.org/vemgorvad/id/agreement/uppsala/clause/1-2"},
            {"topic": "ansvar_kommun", "label": "Kommunens ansvar", "principal": {"label": "Kommunen", "kind": "kommun"},
             "responsibility": "https://w3id.org/vemgorvad/id/agreement/stockholm-vasterort/clause/3-4"},
        ],
        "sparql": "SELECT * WHERE { ?s ?p ?o } # </code><script>window.__pwned=1</script>",
    }
    page.route("**/api/ask?*", lambda route: route.fulfill(status=200, content_type="application/json",
                                                           body=json.dumps(body)))
    page.goto(page.base + "/?q=" + urllib.parse.quote("Vem ansvarar för barn?"))
    notice = page.locator("#svar [data-status='ambiguous']")
    notice.wait_for()
    assert notice.get_by_role("heading", name="Frågan kan gälla flera områden").is_visible()
    assert notice.get_by_role("heading", name="Regionens ansvar").is_visible()
    assert notice.get_by_role("heading", name="Kommunens ansvar").is_visible()
    assert "Stockholms län" in notice.inner_text()
    card = page.locator("#svar article.card-best")
    assert card.locator(".who").text_content() == f"Landstinget {evil}"
    assert card.locator("blockquote mark").text_content() == answer["quote"]
    assert "BUP <b>fet</b>" in card.locator(".facts").text_content()
    assert "Lagstöd" in card.locator(".facts").text_content()
    assert card.locator(".facts b, .facts i, img, script").count() == 0
    assert page.locator("#svar img, #svar script").count() == 0
    assert page.locator("#svar details.sparql code").text_content() == body["sparql"]
    assert card.get_by_role("link", name="Visa i grafen").get_attribute("href") == \
        "/id/agreement/uppsala/clause/1-2"
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__pwned") is None


def test_api_errors_are_shown_with_their_swedish_detail(page):
    page.goto(page.base + "/?" + urllib.parse.urlencode({"q": SIP, "agreement": "finns-inte"}))
    alert = page.locator("#svar [role='alert']")
    alert.wait_for()
    assert "Okänd överenskommelse" in alert.inner_text()
    assert "uppsala" in alert.inner_text()

    # an empty question is caught on the page, with a Swedish message next to the field
    page.goto(page.base + "/")
    field = page.get_by_label("Din fråga")
    field.press("Enter")
    error = page.locator("#q-error")
    assert error.is_visible()
    assert "Skriv en fråga" in error.inner_text()
    assert field.get_attribute("aria-invalid") == "true"
    assert "q=" not in page.url


def test_everything_is_reachable_by_keyboard(page):
    page.goto(page.base + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Hoppa till sökfältet"
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "q"

    # tab from the field to the first example question and run it with Enter
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.classList.contains('example')"):
            break
    assert page.evaluate("() => document.activeElement.dataset.q") == UPPSALA_MEMORY
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "the focused control shows where focus is"
    page.keyboard.press("Enter")
    page.locator("#svar article.card-best").wait_for()

    # the context of the best answer opens from the keyboard
    page.locator("#svar article.card-best").get_by_role("button", name="Visa i sitt sammanhang").focus()
    page.keyboard.press("Enter")
    page.locator("#svar article.card-best .passage mark").wait_for()


def test_agreement_list_shows_every_agreement(page):
    page.goto(page.base + "/")
    rows = page.locator("#avtal-tabell tbody tr[data-agreement]")
    rows.first.wait_for()
    agreements = _get_json(page.base + "/api/agreements")
    assert rows.count() == len(agreements) == 5
    for a in agreements:
        row = page.locator(f"#avtal-tabell tbody tr[data-agreement='{a['key']}']")
        cells = row.locator("td")
        assert a["title"] in row.locator("th").inner_text()
        assert cells.nth(0).inner_text() == a["county"]
        assert cells.nth(2).inner_text() == str(a["responsibilities"])
        if a["valid_from"]:
            assert a["valid_from"] in cells.nth(1).inner_text()
    # choosing one from the list scopes the question to it
    page.locator("#avtal-tabell tr[data-agreement='vastmanland']").get_by_role("button").click()
    assert page.get_by_label("Län och överenskommelse").input_value() == "vastmanland"
    assert page.evaluate("() => document.activeElement.id") == "q"


# ---------------------------------------------------------------- the gap check at /granska

def _check_text(pg, text: str) -> dict:
    """The report the API gives for the same text (posted as text/plain, as CONTRACT allows)."""
    request = urllib.request.Request(f"{pg.base}/api/check", data=text.encode("utf-8"), method="POST",
                                     headers={"Content-Type": "text/plain; charset=utf-8"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def _upload(pg, files):
    pg.goto(pg.base + "/granska")
    pg.get_by_label("Fil med överenskommelsen").set_input_files(files)
    pg.get_by_role("button", name="Granska", exact=True).click()


def test_check_page_shows_the_report_grouped_by_severity_with_quotes_and_topics(page):
    source = ROOT / "data" / "agreements" / "sormland.txt"
    expected = _check_text(page, source.read_text(encoding="utf-8"))
    _upload(page, str(source))
    page.locator("#rapport-rubrik").wait_for()
    assert page.evaluate("() => document.activeElement.id") == "rapport-rubrik", "focus moves to the report"
    assert page.locator("#rapport .file-name").text_content() == "sormland.txt"

    findings = expected["findings"]
    assert {f["severity"] for f in findings} == {"violation", "warning", "info"}
    for severity, section_id, heading in (("violation", "brister", "Brister mot lagen"),
                                          ("warning", "se-over", "Att se över"),
                                          ("info", "kanna-till", "Att känna till")):
        wanted = [f for f in findings if f["severity"] == severity]
        section = page.locator(f"#{section_id}")
        assert section.get_by_role("heading", level=2).inner_text() == f"{heading} ({len(wanted)})"
        cards = section.locator("article.finding")
        assert cards.count() == len(wanted)
        for i, finding in enumerate(wanted):
            card = cards.nth(i)
            assert card.locator(".finding-message").text_content() == finding["message"]
            if finding.get("quote"):
                assert card.locator("blockquote mark").text_content() == finding["quote"]
            if finding.get("basis"):
                assert finding["basis"] in card.locator(".facts").text_content()
            if finding.get("peers"):
                assert f"{finding['peers']['covered']} av {finding['peers']['total']}" in card.inner_text()

    # the law behind a violation and the text it found
    violation = page.locator("#brister article.finding").first
    assert "Grund i lag" in violation.inner_text()

    rows = page.locator("#omraden-tabell tbody tr")
    assert rows.count() == len(expected["topics"])
    missing = [t for t in expected["topics"] if t["status"] == "missing"]
    assert page.locator("#omraden-tabell tbody tr[data-status='missing']").count() == len(missing)
    assert rows.first.get_attribute("data-status") == "missing", "missing topics come first"
    for topic in expected["topics"]:
        row = page.locator(f"#omraden-tabell tbody tr[data-topic='{topic['topic']}']")
        assert row.locator("th").inner_text() == topic["label"]
        assert row.locator(".badge").inner_text() == ("Täckt" if topic["status"] == "covered" else "Saknas")
        if topic["evidence"]:
            assert row.locator("blockquote").text_content() == topic["evidence"][0]["quote"]
    page.wait_for_function("() => document.getElementById('granska-status').textContent.includes('Granskningen är klar')")


def test_check_page_reads_a_docx_upload(page, tmp_path):
    from docx import Document
    document = Document()
    text = (ROOT / "data" / "agreements" / "stockholm-vasterort.txt").read_text(encoding="utf-8")
    for paragraph in text.split("\n"):
        if paragraph.strip():
            document.add_paragraph(paragraph)
    path = tmp_path / "utkast överenskommelse.docx"
    document.save(path)
    _upload(page, str(path))
    page.locator("#rapport-rubrik").wait_for()
    assert page.locator("#rapport .file-name").text_content() == "utkast överenskommelse.docx"
    assert page.locator("#omraden-tabell tbody tr").count() == len(_get_json(page.base + "/api/topics"))
    assert page.locator("#omraden-tabell tbody tr[data-status='covered']").count() > 10


def test_check_page_shows_errors_in_swedish_and_the_file_name_as_text(page):
    evil = "<img src=x onerror=\"window.__pwned=1;alert(1)\">"

    # nothing chosen: said next to the field, nothing sent
    page.goto(page.base + "/granska")
    before = page.evaluate("() => document.querySelectorAll('script, img, svg, iframe').length")
    page.get_by_role("button", name="Granska", exact=True).click()
    assert "Välj en fil" in page.locator("#fil-error").inner_text()
    assert page.get_by_label("Fil med överenskommelsen").get_attribute("aria-invalid") == "true"
    assert page.locator("#rapport").inner_text() == ""

    cases = [
        ({"name": f"{evil}.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n"}, "Filtypen .png stöds inte"),
        ({"name": f"{evil}.txt", "mimeType": "text/plain", "buffer": b""}, "Filen \u00e4r tom"),
        ({"name": "<script>window.__pwned=1</script>.txt", "mimeType": "text/plain", "buffer": b"hej"},
         "för lite läsbar text"),
        ({"name": "trasig.pdf", "mimeType": "application/pdf", "buffer": b"inte en pdf"}, "PDF"),
    ]
    for upload, detail in cases:
        _upload(page, upload)
        alert = page.locator("#rapport [role='alert']")
        alert.wait_for()
        assert detail in alert.inner_text()
        assert page.locator("#rapport .file-name").text_content() == upload["name"]
        page.wait_for_timeout(200)
        assert page.evaluate("() => window.__pwned") is None
        assert page.evaluate("() => document.querySelectorAll('script, img, svg, iframe').length") == before
