"""Issue 15: the staff page, the gap report and the integrator's page used as people use them, in
Debian's chromium at a desktop (1366×900) and a phone (390×844) size: the answer first, what a
careful reader needs on every card, the interpretation shown honestly, the comparison as a table,
print styles, the SPARQL page, and axe-core (vendored) with no serious or critical violation."""
from __future__ import annotations

import json
import re
from html import unescape
import urllib.parse
import urllib.request

import pytest
from browser import DESKTOP, PHONE, ROOT, _get_json, axe, check_watch, describe, open_page, serious

SIZES = {"desktop": DESKTOP, "phone": PHONE}
UPPSALA_MEMORY = "Vem förskriver hjälpmedel för minnet till en 15-åring i Uppsala län?"
#: questions whose answers come from an expired agreement and rest on repealed law
CAREFUL = ["Vem ansvarar för hemsjukvård i Uppsala?", "Vem ansvarar för orosanmälan om barn?",
           "Vem ansvarar för LSS-insatser i Västra Götaland?"]


@pytest.fixture(params=list(SIZES), ids=list(SIZES))
def sized(request, browser, base_url):
    context, pg = open_page(browser, base_url, SIZES[request.param])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
    pg.size = SIZES[request.param]
    yield pg
    context.close()
    check_watch(pg)


def _api(pg, path: str, **params):
    return _get_json(f"{pg.base}{path}?{urllib.parse.urlencode(params)}")


def _in_viewport(pg, selector: str) -> dict:
    return pg.evaluate("""s => { const r = document.querySelector(s).getBoundingClientRect();
        return { top: r.top, bottom: r.bottom, height: innerHeight, width: innerWidth, scrollWidth: document.documentElement.scrollWidth }; }""",
                       selector)


# ---------------------------------------------------------------- 1. answer first

@pytest.mark.parametrize("how", ["enter", "example"])
def test_after_asking_the_summary_is_focused_and_in_view(sized, how):
    pg = sized
    pg.goto(pg.base + "/")
    pg.locator("#avtal-tabell tbody tr[data-agreement]").first.wait_for()
    if how == "enter":
        field = pg.get_by_label("Din fråga")
        field.fill(UPPSALA_MEMORY)
        field.press("Enter")
    else:
        pg.get_by_role("button", name=UPPSALA_MEMORY).click()
    summary = pg.locator("#svar-sammanfattning")
    summary.wait_for()
    pg.wait_for_function("() => document.activeElement && document.activeElement.id === 'svar-sammanfattning'")
    box = _in_viewport(pg, "#svar-sammanfattning .summary-sentence")
    assert box["top"] >= 0 and box["bottom"] <= box["height"], f"the summary sentence is out of sight: {box}"
    expected = _api(pg, "/api/ask", q=UPPSALA_MEMORY)
    sentence = pg.locator("#svar-sammanfattning .summary-sentence").inner_text()
    if expected.get("summary"):
        assert sentence == expected["summary"]
    else:
        assert expected["answers"][0]["principal"]["label"] in sentence
    # the summary stands above the cards
    first_card = _in_viewport(pg, "#svar article.card")
    assert first_card["top"] > box["bottom"]
    assert box["scrollWidth"] <= box["width"], "nothing is wider than the screen"


def test_changing_the_county_does_not_move_focus_away_from_the_list(page):
    page.goto(page.base + "/?" + urllib.parse.urlencode({"q": "Vem ska kalla till SIP?"}))
    page.locator("#svar article.card").first.wait_for()
    select = page.get_by_label("Län och överenskommelse")
    select.focus()
    select.select_option("uppsala")
    page.wait_for_function("() => [...document.querySelectorAll('#svar article.card')].every(c => c.dataset.agreement === 'uppsala')")
    assert page.evaluate("document.activeElement.id") == "agreement"


def test_answers_are_grouped_by_agreement_with_a_county_badge(page):
    question = "Vem ska kalla till SIP?"
    expected = _api(page, "/api/ask", q=question)
    page.goto(page.base + "/?" + urllib.parse.urlencode({"q": question}))
    page.locator("#svar article.card").first.wait_for()
    order = list(dict.fromkeys(a["agreement"]["key"] for a in expected["answers"]))
    groups = page.locator("#svar section.agreement-group")
    assert [groups.nth(i).get_attribute("data-agreement") for i in range(groups.count())] == order
    counties = {a["key"]: a["county"] for a in _get_json(page.base + "/api/agreements")}
    for i, key in enumerate(order):
        assert groups.nth(i).locator(".badge.county").inner_text() == counties[key]
        for card in groups.nth(i).locator("article.card").all():
            assert card.get_attribute("data-agreement") == key


# ---------------------------------------------------------------- 2. what a careful reader needs

@pytest.mark.parametrize("question", CAREFUL)
def test_cards_mark_an_expired_agreement_and_a_repealed_law(page, question):
    expected = _api(page, "/api/ask", q=question)
    page.goto(page.base + "/?" + urllib.parse.urlencode({"q": question}))
    page.locator("#svar-sammanfattning").wait_for()
    cards = page.locator("#svar article.card:not(.card-cases)")
    case_iris = {c["responsibility"] for c in expected.get("cases") or []}
    answers = [a for a in expected["answers"] if a["responsibility"] not in case_iris]
    assert cards.count() == len(answers)
    for answer in answers:
        card = page.locator(f"#svar article.card[data-responsibility='{answer['responsibility']}']")
        status = answer["agreement_status"]
        text = card.inner_text()
        if status["status"] == "upphörd":
            assert f"Upphörd {status['valid_to']}" in text
        else:
            assert "Upphörd" not in text
        for law in answer["laws"]:
            if law["repealed"]:
                item = card.locator("li.law-repealed", has_text=law["label"]).first
                assert f"Upphävd {law['repealed_on']}" in item.inner_text()
                if law.get("today"):
                    assert law["today"] in item.inner_text()
        assert card.get_attribute("data-repealed-law") == ("true" if any(l["repealed"] for l in answer["laws"]) else "false")


def test_the_careful_questions_do_reach_expired_agreements_and_repealed_law(page):
    bodies = [_api(page, "/api/ask", q=q) for q in CAREFUL]
    answers = [a for b in bodies for a in b["answers"]]
    assert any(a["agreement_status"]["status"] == "upphörd" for a in answers)
    assert any(law["repealed"] and law.get("today") for a in answers for law in a["laws"])


STUB_ANSWER = {
    "principal": {"id": "https://w3id.org/vemgorvad/id/org/uppsala/region", "label": "Landstinget", "kind": "region"},
    "unit": None, "statement": "Landstinget ansvarar för hjälpmedel.", "conditions": "upp till 21 år",
    "agreement": {"key": "uppsala", "title": "Överenskommelse (Uppsala län)", "id": "https://w3id.org/vemgorvad/id/agreement/uppsala"},
    "section": "10. Ansvar > 10.6 Hjälpmedel", "quote": "Landstinget ansvarar för hjälpmedel upp till 21 år.",
    "responsibility": "https://w3id.org/vemgorvad/id/agreement/uppsala/clause/1-2", "score": 0.9,
    "legal_basis": "3 f § HSL (1982:763)", "page": 14,
    "agreement_status": {"status": "upphörd", "label": "Upphörd 2016-12-31", "valid_from": "2012-11-14",
                         "valid_to": "2016-12-31", "note": "Överenskommelsen har förlängts genom beslut."},
    "laws": [{"id": "https://w3id.org/vemgorvad/id/law/sfs-1982-763/p3f", "label": "3 f § HSL (1982:763)", "repealed": True,
              "repealed_on": "2017-04-01", "replaced_by": "Hälso- och sjukvårdslag (SFS 2017:30)",
              "today": "SFS 2017:30 16 kap. 4 §"}],
    "reference": "Överenskommelse (Uppsala län) [upphörd 2016-12-31], avsnitt 10.6 Hjälpmedel, s. 14: ”Landstinget ansvarar för hjälpmedel upp till 21 år.”",
}


def _stub(pg, body):
    pg.route("**/api/ask?*", lambda route: route.fulfill(status=200, content_type="application/json",
                                                         body=json.dumps(body)))


def test_a_card_shows_status_repeal_page_and_copies_its_reference(sized):
    pg = sized
    municipal = {**STUB_ANSWER, "principal": {"id": "x", "label": "Kommunen", "kind": "kommun"},
                 "conditions": "från 21 år", "responsibility": "https://w3id.org/vemgorvad/id/agreement/uppsala/clause/3-4",
                 "quote": "Kommunen ansvarar för hjälpmedel från 21 år."}
    body = {"question": "Vem ansvarar för hjälpmedel för minnet i Uppsala?", "status": "answered",
            "summary": "I Uppsala län ansvarar landstinget upp till 21 år, kommunen från 21 år.",
            "interpretation": {"agreement": "uppsala", "topics": ["hjalpmedel"], "duties": [], "age": None, "situations": [],
                               "words": ["hjälpmedel"]},
            "answers": [STUB_ANSWER, municipal], "cases": [STUB_ANSWER, municipal], "sparql": None}
    _stub(pg, body)
    pg.goto(pg.base + "/?q=" + urllib.parse.quote(body["question"]))
    card = pg.locator("#svar article.card-cases")
    card.wait_for()
    # the paired rule is one card: a row per case, each with its quote
    assert pg.locator("#svar article.card").count() == 1
    rows = card.locator("table.cases tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).locator("th").inner_text() == "upp till 21 år"
    assert "Kommunen" in rows.nth(1).inner_text()
    assert "Upphörd 2016-12-31" in card.inner_text()
    assert pg.locator("#svar-sammanfattning .summary-sentence").inner_text() == body["summary"]

    # a single answer: status, repealed provision with today's, page, and "Kopiera hänvisning"
    single = {**body, "answers": [STUB_ANSWER], "cases": []}
    pg.unroute("**/api/ask?*")
    _stub(pg, single)
    pg.goto(pg.base + "/?q=" + urllib.parse.quote("Vem ansvarar för hjälpmedel?"))
    card = pg.locator("#svar article.card")
    card.wait_for()
    text = card.inner_text()
    assert "Upphörd 2016-12-31" in text and "förlängts genom beslut" in text
    law = card.locator("li.law-repealed")
    assert "Upphävd 2017-04-01" in law.inner_text() and "I dag: SFS 2017:30 16 kap. 4 §" in law.inner_text()
    assert "Sida" in text and "14" in text
    card.get_by_role("button", name="Kopiera hänvisning").click()
    pg.wait_for_function("() => document.querySelector('#svar .copy-ref').textContent.includes('kopierad')")
    assert pg.evaluate("navigator.clipboard.readText()") == STUB_ANSWER["reference"]


def test_the_reference_can_be_copied_by_hand_without_a_clipboard(page):
    _stub(page, {"question": "Vem?", "status": "answered", "interpretation": {}, "answers": [STUB_ANSWER], "sparql": None})
    page.add_init_script("Object.defineProperty(navigator, 'clipboard', { value: undefined });")
    page.goto(page.base + "/?q=Vem%3F")
    page.locator("#svar article.card").get_by_role("button", name="Kopiera hänvisning").click()
    field = page.get_by_label("Hänvisning – markerad, kopiera med Ctrl+C (⌘C)")
    assert field.input_value() == STUB_ANSWER["reference"]
    assert page.evaluate("document.activeElement.tagName") == "TEXTAREA"


ENKOPING = {"id": "0381", "kind": "municipality", "label": "Enköpings kommun",
            "in_force": {"county": ["uppsala"], "local": ["stockholm-vasterort"]}}
LOCAL = {"key": "stockholm-vasterort", "title": "Lokal överenskommelse för Enköping", "id": None}
LOCAL_STATUS = {"status": "gällande", "label": "Gällande sedan 2020-01-01, tills vidare", "valid_from": "2020-01-01",
                "valid_to": None}


def _grouped_body(cases=False):
    """An answer for a place under a county-wide and a local agreement (issue 16), as /api/ask gives it:
    the county-wide one answers, the local one regulates nothing the question asks."""
    municipal = {**STUB_ANSWER, "principal": {"id": "x", "label": "Kommunen", "kind": "kommun"},
                 "conditions": "från 21 år", "quote": "Kommunen ansvarar för hjälpmedel från 21 år.",
                 "responsibility": "https://w3id.org/vemgorvad/id/agreement/uppsala/clause/3-4"}
    answers = [STUB_ANSWER, municipal]
    body = {"question": "Vem ansvarar för hjälpmedel i Enköpng?", "status": "answered",
            "summary": "I Uppsala län ansvarar landstinget upp till 21 år.",
            "interpretation": {"agreement": "uppsala", "agreements": ["uppsala", "stockholm-vasterort"],
                               "topics": ["hjalpmedel"], "duties": [], "age": None, "situations": [],
                               "words": ["hjälpmedel"], "place": ENKOPING, "corrected": {"enköpng": "Enköping"},
                               "did_you_mean": "Menade du Enköping?"},
            "answers": answers, "sparql": None,
            "in_force": [{"level": "county", "agreement": STUB_ANSWER["agreement"], "status": "answered",
                          "answers": answers, "agreement_status": STUB_ANSWER["agreement_status"],
                          "county": "Uppsala län"},
                         {"level": "local", "agreement": LOCAL, "status": "not_covered", "answers": [],
                          "agreement_status": LOCAL_STATUS, "county": "Uppsala län"}]}
    if cases:
        body["cases"] = answers
    return body


def _grouped(pg, body=None):
    _stub(pg, body or _grouped_body())
    pg.goto(pg.base + "/?q=" + urllib.parse.quote("Vem ansvarar för hjälpmedel i Enköpng?"))
    pg.locator("#svar section.agreement-group").first.wait_for()


def test_a_place_under_several_agreements_shows_each_with_its_validity_and_what_it_leaves_out(sized):
    pg = sized
    body = _grouped_body()
    _grouped(pg, body)
    groups = pg.locator("#svar section.agreement-group")
    assert groups.count() == 2
    assert [groups.nth(i).get_attribute("data-level") for i in range(2)] == ["county", "local"]
    county, local = groups.nth(0), groups.nth(1)
    title = county.locator("h3").inner_text()
    assert "Länsgemensam överenskommelse" in title and STUB_ANSWER["agreement"]["title"] in title
    head = county.locator(".group-status").inner_text()
    assert "Upphörd 2016-12-31" in head and "Uppsala län" in head
    assert "förlängts genom beslut" in county.inner_text()
    cards = county.locator("article.card")
    assert cards.count() == 2
    best = county.locator("article.card-best")      # the best answer of all keeps its mark
    assert best.count() == 1 and best.get_attribute("data-responsibility") == STUB_ANSWER["responsibility"]
    text = best.inner_text()
    assert "Landstinget" in text and "upp till 21 år" in text and "10.6 Hjälpmedel" in text
    assert best.locator("blockquote mark").inner_text() == STUB_ANSWER["quote"]
    # the local agreement: named, local, valid — and says it does not regulate the question
    assert "Lokal överenskommelse" in local.locator("h3").inner_text() and LOCAL["title"] in local.locator("h3").inner_text()
    assert LOCAL_STATUS["label"] in local.inner_text()
    assert local.locator("article.card").count() == 0
    assert local.locator(".group-none").inner_text().startswith(f"Inte reglerat i {LOCAL['title']}")
    assert local.get_attribute("data-status") == "not_covered"
    # the place as read, and the correction of its name
    summary = pg.locator("#svar-sammanfattning").inner_text()
    assert "Menade du Enköping?" in summary and "plats: Enköpings kommun" in summary
    intro = pg.locator("#svar .in-force-intro").inner_text()
    assert intro == "För Enköpings kommun gäller 2 överenskommelser. 1 av dem reglerar det frågan gäller."
    pg.wait_for_function("() => document.getElementById('svar-status').textContent.includes('1 av 2 överenskommelser')")
    assert pg.evaluate("document.documentElement.scrollWidth") <= pg.size["width"], "nothing is wider than the screen"


def test_a_rule_case_by_case_stays_in_its_agreements_group(page):
    _grouped(page, _grouped_body(cases=True))
    county = page.locator("#svar section.agreement-group[data-level='county']")
    county.locator("article.card-cases").wait_for()
    assert county.locator("article.card").count() == 1, "the cases are one card, not repeated as answers"
    assert county.locator("table.cases tbody tr").count() == 2
    assert page.locator("#svar section.agreement-group[data-level='local'] .group-none").count() == 1


def test_nothing_in_any_agreement_in_force_says_where_it_looked(page):
    body = {"question": "Vem ansvarar för färdtjänst i Enköping?", "status": "not_covered", "answers": [], "sparql": None,
            "reason": "Inget i överenskommelsen reglerar det frågan gäller.",
            "interpretation": {"agreement": "uppsala", "agreements": ["uppsala", "stockholm-vasterort"], "topics": [],
                               "duties": [], "age": None, "situations": [], "words": ["färdtjänst"], "place": ENKOPING}}
    _stub(page, body)
    page.goto(page.base + "/?q=" + urllib.parse.quote(body["question"]))
    head = page.locator("#svar-sammanfattning[data-status='not_covered']")
    head.wait_for()
    text = head.inner_text()
    assert "Inte reglerat i överenskommelserna" in text
    assert "Sökt i alla 2 överenskommelser som gäller för Enköpings kommun" in text


# ---------------------------------------------------------------- 3. interpretation shown honestly

def test_interpretation_shows_only_what_was_said_or_corrected(page):
    body = {"question": "Vem hjälper barnen i Västmnland?", "status": "answered", "summary": "Kommunen ansvarar.",
            "interpretation": {"agreement": "vastmanland", "topics": [], "duties": [], "age": 10, "age_group": "barn",
                               "situations": [], "words": ["barn"], "corrected": {"västmnland": "västmanland"},
                               "did_you_mean": "Menade du Västmanland?"},
            "answers": [{**STUB_ANSWER, "agreement": {"key": "vastmanland", "title": "Västmanland", "id": None}}], "sparql": None}
    _stub(page, body)
    page.goto(page.base + "/?q=" + urllib.parse.quote(body["question"]))
    head = page.locator("#svar-sammanfattning")
    head.locator(".did-you-mean").wait_for()
    text = head.inner_text()
    assert "Menade du Västmanland?" in text
    assert "”västmnland” som ”västmanland”" in text
    assert "10 år" not in text, "an age the user never gave is not shown as theirs"
    assert "ålder: ”barn”" in text

    said = {**body, "question": "Vem hjälper en 15-åring?", "interpretation": {**body["interpretation"], "age": 15,
                                                                            "age_group": None, "corrected": {}, "did_you_mean": None}}
    page.unroute("**/api/ask?*")
    _stub(page, said)
    page.goto(page.base + "/?q=" + urllib.parse.quote(said["question"]))
    page.locator("#svar-sammanfattning .interpretation").wait_for()
    assert "ålder: 15 år" in page.locator("#svar-sammanfattning").inner_text()


# ---------------------------------------------------------------- 4. comparison as a table

def test_comparison_is_a_table_on_a_phone_too(sized):
    pg = sized
    pg.goto(pg.base + "/?topic=kostnadsfordelning")
    table = pg.locator("#jamfor-resultat table.cmp-table")
    table.wait_for()
    expected = _api(pg, "/api/compare", topic="kostnadsfordelning")
    assert table.locator("tbody tr").count() == len(expected["agreements"]) == 5
    assert [h.strip() for h in table.locator("thead th").all_text_contents()] == ["Län och överenskommelse", "Vem", "Villkor", "Citat"]
    assert pg.get_by_role("table").count() >= 1
    box = _in_viewport(pg, "#jamfor-resultat table.cmp-table")
    assert box["scrollWidth"] <= box["width"], "the table fits the screen"
    # a row asks the same question in its agreement on "Fråga"
    link = table.locator("tbody tr").first.locator("a.ask-here")
    params = urllib.parse.parse_qs(urllib.parse.urlparse(link.get_attribute("href")).query)
    assert params["q"] == [expected["question"]]


def test_a_comparison_question_gets_the_table(page):
    question = "Hur skiljer sig länen åt när det gäller tvister?"
    page.goto(page.base + "/?" + urllib.parse.urlencode({"q": question}))
    page.locator("#svar table.cmp-table").wait_for()
    expected = _api(page, "/api/compare", q=question)
    assert page.locator("#svar table.cmp-table tbody tr").count() == len(expected["agreements"])


# ---------------------------------------------------------------- 5. print

def test_print_shows_the_answer_without_the_controls(page):
    page.goto(page.base + "/?" + urllib.parse.urlencode({"q": UPPSALA_MEMORY, "topic": "tandvard"}))
    page.locator("#svar article.card").first.wait_for()
    page.locator("#jamfor-resultat table.cmp-table").wait_for()
    page.emulate_media(media="print")
    hidden = page.evaluate("""() => ['#fraga-form', '.examples', 'header.site nav', '#overenskommelser', '#svar .actions']
        .map(s => getComputedStyle(document.querySelector(s)).display)""")
    assert hidden == ["none"] * 5
    assert page.locator("#svar article.card").first.is_visible()
    assert page.evaluate("getComputedStyle(document.querySelector('#jamfor-resultat thead')).display") == "table-header-group"
    assert page.evaluate("getComputedStyle(document.querySelector('#svar article.card')).breakInside") == "avoid"
    pdf = page.pdf(format="A4")
    assert pdf.startswith(b"%PDF")


def test_print_of_the_gap_report_repeats_table_headers(page):
    page.goto(page.base + "/granska")
    page.get_by_label("Fil med överenskommelsen").set_input_files(str(ROOT / "data" / "agreements" / "uppsala.txt"))
    page.get_by_role("button", name="Granska", exact=True).click()
    page.locator("#omraden-tabell").wait_for(timeout=60_000)
    page.emulate_media(media="print")
    assert page.evaluate("getComputedStyle(document.querySelector('#omraden-tabell thead')).display") == "table-header-group"
    assert page.evaluate("getComputedStyle(document.querySelector('#omraden-tabell tbody tr')).breakInside") == "avoid"
    assert page.evaluate("getComputedStyle(document.querySelector('#granska-form')).display") == "none"


# ---------------------------------------------------------------- 6. integrator page

def test_sparql_page_links_iris_here_and_back_to_the_site(page):
    page.goto(page.base + "/sparql")
    page.locator(".yasqe .CodeMirror").wait_for()
    assert page.get_by_role("link", name="vemgörvad").get_attribute("href") == "./"
    assert page.locator("link[rel=icon]").get_attribute("href") == "web/favicon.svg"
    page.locator(".yasqe_queryButton").click()
    link = page.locator(".yasr table a[href*='/id/']").first
    link.wait_for(timeout=60_000)
    href = link.get_attribute("href")
    assert href.startswith(page.base + "/id/"), href
    assert page.locator(".yasr a[href^='https://w3id.org/']").count() == 0
    with urllib.request.urlopen(urllib.request.Request(href, headers={"Accept": "text/html"}), timeout=30) as response:
        assert response.status == 200


def _default_query() -> str:
    html = (ROOT / "service" / "vemgorvad" / "serve" / "static" / "yasgui" / "index.html").read_text(encoding="utf-8")
    return unescape(re.search(r'<pre id="default-query" hidden>(.*?)</pre>', html, re.S).group(1))


def test_the_default_query_returns_one_label_per_row(client):
    response = client.post("/sparql", data={"query": _default_query()}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    rows = response.json()["results"]["bindings"]
    assert rows
    assert all(r["bearer"].get("xml:lang") == "sv" for r in rows)
    responsibilities = [r["responsibility"]["value"] for r in rows]
    assert len(responsibilities) == len(set(responsibilities)), "each responsibility once"


@pytest.mark.parametrize("path", ["/yasgui/yasgui.min.js", "/web/app.js", "/web/app.css", "/download/uppsala.ttl"])
def test_static_files_and_dumps_are_sent_compressed(client, path):
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    packed = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert plain.status_code == packed.status_code == 200
    assert packed.headers["content-encoding"] == "gzip"
    assert "accept-encoding" in packed.headers["vary"].lower()
    assert "content-encoding" not in plain.headers
    assert packed.content == plain.content   # the client undoes the gzip
    with client.stream("GET", path, headers={"Accept-Encoding": "gzip"}) as raw:
        sent = sum(len(chunk) for chunk in raw.iter_raw())
    assert sent < len(plain.content) / 2, f"{sent} bytes sent for {len(plain.content)}"


def test_api_answers_are_not_compressed(client):
    response = client.get("/api/agreements", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in response.headers


# ---------------------------------------------------------------- 7. accessibility (axe-core)

def _granska_report(pg):
    pg.goto(pg.base + "/granska")
    pg.get_by_label("Fil med överenskommelsen").set_input_files(str(ROOT / "data" / "agreements" / "sormland.txt"))
    pg.get_by_role("button", name="Granska", exact=True).click()
    pg.locator("#omraden-tabell").wait_for(timeout=60_000)


def _sparql_with_results(pg):
    pg.goto(pg.base + "/sparql")
    pg.locator(".yasqe_queryButton").click()
    pg.locator(".yasr table tbody tr").first.wait_for(timeout=60_000)


PAGES = {
    "start": lambda pg: (pg.goto(pg.base + "/"), pg.locator("#avtal-tabell tbody tr[data-agreement]").first.wait_for()),
    "answer": lambda pg: (pg.goto(pg.base + "/?" + urllib.parse.urlencode({"q": CAREFUL[0]})),
                          pg.locator("#svar article.card").first.wait_for()),
    "comparison": lambda pg: (pg.goto(pg.base + "/?topic=tandvard"), pg.locator("#jamfor-resultat table").wait_for()),
    "granska-report": _granska_report,
    "linked-data": lambda pg: (pg.goto(pg.base + "/id/agreement/uppsala"), pg.locator("h1").wait_for()),
    "sparql": lambda pg: (pg.goto(pg.base + "/sparql"), pg.locator(".yasqe .CodeMirror").wait_for()),
    "sparql-results": _sparql_with_results,
    "in-force-groups": _grouped,
}


@pytest.mark.parametrize("name", list(PAGES))
def test_no_serious_or_critical_axe_violations(sized, name):
    PAGES[name](sized)
    sized.wait_for_timeout(200)
    found = serious(axe(sized))
    assert not found, f"{name} at {sized.size['width']} px:\n{describe(found)}"


def test_focus_ring_is_not_the_colour_of_an_error(page):
    page.goto(page.base + "/")
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    colour = page.evaluate("getComputedStyle(document.activeElement).outlineColor")
    red, green, blue = (int(x) for x in re.findall(r"\d+", colour)[:3])
    assert not (red > 150 and green < 100 and blue < 100), f"the focus ring is red: {colour}"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
