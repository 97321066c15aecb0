"""Helpers for the gap-check tests (POST /api/check, `vemgorvad check`): the seed texts, the
CONTRACT's topic keys and report shape, verbatim-quote comparison, cutting a section out by its
heading, and PDF/DOCX renderings of a text as a policy writer's own files would look."""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
AGREEMENTS = ROOT / "data" / "agreements"
TEST_DATA = Path(__file__).resolve().parent / "data"
SEEDS = ("stockholm-vasterort", "sormland", "vastmanland", "vastra-gotaland", "uppsala")

# CONTRACT.md, "Topic keys"
TOPIC_KEYS = (
    "parter", "malgrupp_psykisk_funktionsnedsattning", "malgrupp_missbruk", "malgrupp_barn_unga",
    "malgrupp_aldre", "syfte_mal", "ansvar_kommun", "ansvar_region", "gemensamt_ansvar", "sip",
    "utskrivning_slutenvard", "tvangsvard_lpt_lrv", "placering_hvb", "kostnadsfordelning", "hjalpmedel",
    "boende", "sysselsattning_arbete", "anhorigstod", "barn_som_anhoriga", "orosanmalan_barn",
    "sekretess_samtycke", "brukarinflytande", "samverkansorganisation", "avvikelser", "tvister",
    "uppfoljning", "giltighetstid", "implementering", "kompetensutveckling", "suicidprevention",
    "samsjuklighet", "tandvard", "lakemedelsassisterad_behandling", "spel_om_pengar", "lvm",
)
SWEDISH = re.compile(r"[åäöÅÄÖ]|\b(?:och|är|inte|för|filen|kunde|som|till|av|att)\b", re.I)


def seed_text(key: str) -> str:
    return (AGREEMENTS / f"{key}.txt").read_text(encoding="utf-8")


def dev_coverage() -> dict:
    """tests/data/dev_coverage.json: a copy of ../shared/eval/dev_coverage.json (topic → covered)."""
    return json.loads((TEST_DATA / "dev_coverage.json").read_text(encoding="utf-8"))


def squash(text: str) -> str:
    """Text compared as CONTRACT allows a quote to differ from the agreement: case, whitespace,
    hyphens at line ends, bullet glyphs and footnote numbers glued to a word do not count."""
    text = (text or "").lower()
    text = re.sub(r"(?<=[a-zåäöé])\d{1,2}(?=[\s.,;:)]|$)", "", text)
    text = re.sub(r"[\u00ad\ue000-\uf8ff\u2022\u25aa\u25cf\u00b7]", "", text)
    return re.sub(r"[\s\-\u2010\u2011]+", "", text)


def is_verbatim(quote: str, source: str) -> bool:
    return bool(squash(quote)) and squash(quote) in squash(source)


# --- a small synthetic agreement: everything the law asks for, on a fictional county --------------

PARTIES = ("1. Parter\n"
           "Denna överenskommelse är ingången mellan Region Exempelland och kommunerna i Exempellands län.\n\n")
GROUPS = ("2. Målgrupp\n"
          "Överenskommelsen omfattar vuxna personer med psykisk funktionsnedsättning och personer med missbruk "
          "eller beroende av alkohol, narkotika eller läkemedel.\n\n")
VALIDITY = ("3. Giltighetstid\n"
            "Överenskommelsen gäller från och med 2024-01-01 till och med 2099-12-31.\n\n")
BODY = ("4. Samordnad individuell plan\n"
        "Kommunen och regionen ansvarar gemensamt för att en samordnad individuell plan upprättas när den "
        "enskilde behöver insatser från båda huvudmännen.\n\n"
        "5. Brukarinflytande\n"
        "Regionen och kommunerna ansvarar för att brukar- och anhörigorganisationer får lämna synpunkter på "
        "överenskommelsen.\n\n"
        "6. Tvister\n"
        "Kommunen och regionen ansvarar för att tvister som inte kan lösas lokalt lyfts till den gemensamma "
        "styrgruppen.\n")
TITLE = "Överenskommelse om samverkan kring personer med psykisk funktionsnedsättning och missbruk\n\n"


def agreement_text(parties: str = PARTIES, groups: str = GROUPS, validity: str = VALIDITY, extra: str = "") -> str:
    return TITLE + parties + groups + validity + BODY + extra


# --- the report's shape (CONTRACT.md, POST /api/check) -------------------------------------------

def assert_report_shape(report: dict) -> None:
    assert set(report) >= {"agreement", "topics", "findings", "shacl"}
    agreement = report["agreement"]
    assert isinstance(agreement["title"], str) and agreement["title"].strip()
    assert isinstance(agreement["parties"], list) and all(isinstance(p, str) and p for p in agreement["parties"])
    for key in ("valid_from", "valid_to"):
        assert agreement[key] is None or re.fullmatch(r"\d{4}-\d\d-\d\d", agreement[key]), agreement[key]

    keys = [t["topic"] for t in report["topics"]]
    assert sorted(keys) == sorted(TOPIC_KEYS), "every CONTRACT topic key, each exactly once"
    for topic in report["topics"]:
        assert set(topic) >= {"topic", "label", "status", "requirement", "basis", "evidence", "peers"}
        assert isinstance(topic["label"], str) and topic["label"].strip()
        assert topic["status"] in ("covered", "referenced", "mentioned", "missing")
        assert topic["requirement"] in ("law", "recommended")
        assert isinstance(topic["basis"], str) and topic["basis"].strip()
        for part in ("evidence", "references", "mentions"):
            assert isinstance(topic.get(part, []), list)
            for item in topic.get(part, []):
                assert set(item) >= {"section", "quote"}
                assert isinstance(item["section"], str) and isinstance(item["quote"], str) and item["quote"].strip()
        # each status shows the passages that give it, and only those
        shown = {"covered": "evidence", "referenced": "references", "mentioned": "mentions"}
        for status, part in shown.items():
            if topic["status"] == status:
                assert topic[part], f"{topic['topic']} is {status} but shows no passage"
            else:
                assert not topic.get(part), f"{topic['topic']} is {topic['status']} but shows {part}"
        for item in topic.get("references", []):
            assert isinstance(item["refers_to"], str) and item["refers_to"].strip()
        peers = topic["peers"]
        assert isinstance(peers["covered"], int) and isinstance(peers["total"], int)
        assert 0 <= peers["covered"] <= peers["total"]

    for finding in report["findings"]:
        assert set(finding) >= {"severity", "code", "message", "quote"}
        assert finding["severity"] in ("violation", "warning", "info")
        assert isinstance(finding["code"], str) and re.fullmatch(r"[a-z]+(?:-[a-z]+)*", finding["code"])
        assert isinstance(finding["message"], str) and SWEDISH.search(finding["message"]), finding["message"]
        assert finding["quote"] is None or (isinstance(finding["quote"], str) and finding["quote"].strip())

    shacl = report["shacl"]
    assert isinstance(shacl["conforms"], bool) and isinstance(shacl["results"], int) and shacl["results"] >= 0


def quotes_of(report: dict) -> list[str]:
    quotes = [e["quote"] for t in report["topics"] for part in ("evidence", "references", "mentions")
              for e in t.get(part, [])]
    return quotes + [f["quote"] for f in report["findings"] if f["quote"]]


def statuses(report: dict) -> dict[str, str]:
    return {t["topic"]: t["status"] for t in report["topics"]}


def codes(report: dict) -> set[str]:
    return {f["code"] for f in report["findings"]}


# --- cutting a section out by its heading ------------------------------------------------------

NUMBERED_TOP_HEADING = re.compile(r"^[ \t]*(\d{1,2})\.[ \t]+([A-ZÅÄÖ][^\n]*)$", re.M)


def without_section(text: str, word: str) -> tuple[str, str]:
    """The text without the first top-level numbered section ("12. Tvister") whose heading
    contains `word`: from its heading to the next top-level heading with a higher number.
    Returns the shortened text and the heading removed."""
    heads = list(NUMBERED_TOP_HEADING.finditer(text))
    for i, head in enumerate(heads):
        if word.lower() in head.group(2).lower():
            number = int(head.group(1))
            following = next((h for h in heads[i + 1:] if int(h.group(1)) > number), None)
            if following is None:
                raise LookupError(f"no heading after {head.group(0).strip()!r}")
            return text[:head.start()] + text[following.start():], head.group(0).strip()
    raise LookupError(f"no numbered heading with {word!r}")


# --- the same agreement as PDF and DOCX --------------------------------------------------------

FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",   # Debian fonts-dejavu-core (make test installs it)
    "/usr/share/fonts/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/TTF/DejaVuSans.ttf",
    "/usr/local/share/fonts/DejaVuSans.ttf",
)
HEADING_LINE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+[A-ZÅÄÖ][^.:;]*$")
BULLET_LINE = re.compile(r"^[•▪●◦·\uf0b7\uf0a7\uf076\uf0d8–-]\s+")


def unicode_font() -> Path | None:
    return next((Path(p) for p in FONT_CANDIDATES if Path(p).is_file()), None)


def to_pdf(text: str, font: Path, encrypt_with: str | None = None) -> bytes:
    """One printed line per line of the text, indented as in the text (a list item lost its
    bullet in the text's own extraction but keeps its indent)."""
    from fpdf import FPDF
    pdf = FPDF(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, 15)
    pdf.add_font("Body", "", str(font))
    pdf.set_font("Body", size=9)
    if encrypt_with is not None:
        pdf.set_encryption(owner_password="ägare", user_password=encrypt_with)
    pdf.add_page()
    for line in text.splitlines():
        if not line.strip():
            pdf.ln(4)
            continue
        indent = len(line) - len(line.lstrip())
        pdf.set_x(15 + 2 * min(indent, 8))
        pdf.multi_cell(0, 4.5, line.strip().replace("\uf0b7", "•"), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def to_docx(text: str) -> bytes:
    """Numbered headings as Heading styles, bulleted lines as List Bullet paragraphs (without the
    glyph, as Word stores them), everything else as ordinary paragraphs."""
    import docx
    document = docx.Document()
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        heading = HEADING_LINE.match(stripped)
        if heading and len(stripped) <= 100:
            document.add_paragraph(stripped, style=f"Heading {min(3, heading.group(1).count('.') + 1)}")
        elif BULLET_LINE.match(stripped):
            document.add_paragraph(BULLET_LINE.sub("", stripped), style="List Bullet")
        else:
            document.add_paragraph(stripped)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
