"""A seed as the PDF and the DOCX a policy writer would upload gives the same report as its text:
the same status for every topic and the same finding codes.

The PDF is made with fpdf2 and a Unicode TTF (DejaVu Sans, Debian fonts-dejavu-core, which
`make test` installs); the DOCX with python-docx, numbered headings as Heading styles and bullets
as List Bullet paragraphs. Uppsala is not among the seeds here: its text carries footnotes (small
type at the foot of each printed page in the original), which a flowing rendering of the text
would print as body text — a different document, not the same agreement in another format."""
from __future__ import annotations

import pytest

from checkutil import (
    assert_report_shape,
    codes,
    is_verbatim,
    quotes_of,
    seed_text,
    statuses,
    to_docx,
    to_pdf,
)

# whole agreements rendered to PDF and DOCX and checked: `make test`, not the inner loop
pytestmark = pytest.mark.slow

FORMAT_SEEDS = ("stockholm-vasterort", "vastmanland")


@pytest.fixture(scope="module")
def text_reports(client) -> dict[str, dict]:
    reports = {}
    for key in FORMAT_SEEDS:
        response = client.post("/api/check", files={"file": (f"{key}.txt", seed_text(key).encode(), "text/plain")})
        assert response.status_code == 200, response.text
        reports[key] = response.json()
    return reports


def upload(client, name: str, data: bytes, mime: str) -> dict:
    response = client.post("/api/check", files={"file": (name, data, mime)})
    assert response.status_code == 200, response.text
    report = response.json()
    assert_report_shape(report)
    return report


@pytest.mark.parametrize("key", FORMAT_SEEDS)
def test_pdf_gives_the_same_report_as_the_text(client, text_reports, font, key):
    report = upload(client, f"{key}.pdf", to_pdf(seed_text(key), font), "application/pdf")
    expected = text_reports[key]
    assert statuses(report) == statuses(expected)
    assert codes(report) == codes(expected)
    assert report["agreement"]["valid_from"] == expected["agreement"]["valid_from"]
    assert all(is_verbatim(q, seed_text(key)) for q in quotes_of(report))


@pytest.mark.parametrize("key", FORMAT_SEEDS)
def test_docx_gives_the_same_report_as_the_text(client, text_reports, key):
    report = upload(client, f"{key}.docx", to_docx(seed_text(key)),
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    expected = text_reports[key]
    assert statuses(report) == statuses(expected)
    assert codes(report) == codes(expected)
    assert report["agreement"]["valid_from"] == expected["agreement"]["valid_from"]
    assert all(is_verbatim(q, seed_text(key)) for q in quotes_of(report))


def test_docx_headings_and_bullets_become_sections_and_items():
    """The rendering the tests rely on is what the DOCX reader sees: Heading styles as headings,
    List Bullet paragraphs as items under their introducing sentence."""
    from vemgorvad.ingest import ingest_bytes
    text = ("1. Kommunens ansvar\nKommunen ansvarar för att:\n• erbjuda boendestöd\n• erbjuda sysselsättning\n"
            "2. Tvister\nTvister löses av ansvariga chefer.\n")
    doc = ingest_bytes(to_docx(text), "avtal.docx")
    assert [s.heading for s in doc.sections] == ["1. Kommunens ansvar", "2. Tvister"]
    items = [doc.text[b.start:b.end] for b in doc.blocks if b.kind == "item"]
    assert items == ["• erbjuda boendestöd", "• erbjuda sysselsättning"]
