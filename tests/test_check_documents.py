"""The gap report as documents (issue 14 item 5): HTML, PDF (WeasyPrint) and DOCX (python-docx) from
`vemgorvad check --format`, `POST /api/check?format=` and `POST /api/check/report`; the same
groups in every format (law breaches apart from peer practice), quotes with where they stand, a
print stylesheet, nothing from the upload ever run or fetched."""
from __future__ import annotations

import io
import re
import subprocess
import sys
from pathlib import Path

import docx
import pdfplumber
import pytest

from checkutil import agreement_text

ROOT = Path(__file__).resolve().parents[1]
HOSTILE = "Det ska säkerställas att <script>alert('x')</script> & <img src=x onerror=alert(1)> visas som text."
TEXT = agreement_text(extra=f"\n7. Information\n{HOSTILE}\n")


@pytest.fixture(scope="module")
def report(client) -> dict:
    response = client.post("/api/check", files={"file": ("utkast.txt", TEXT.encode(), "text/plain")})
    assert response.status_code == 200, response.text
    return response.json()


def pdf_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


def docx_paragraphs(data: bytes) -> list[tuple[str, str]]:
    document = docx.Document(io.BytesIO(data))
    return [(p.style.name, p.text) for p in document.paragraphs]


def test_pdf_from_the_api_has_the_report_in_order(client):
    response = client.post("/api/check?format=pdf", files={"file": ("utkast.txt", TEXT.encode(), "text/plain")},
                           timeout=180)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == 'attachment; filename="utkast-granskning.pdf"'
    assert response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    order = [text.find(h) for h in ("Granskning av", "Brister mot lagen", "Avvikelser från praxis", "Att se över",
                                    "Att känna till", "Områden")]
    assert all(i >= 0 for i in order) and order == sorted(order), order
    assert "sida 1 av" in text                                  # the print stylesheet's page footer
    assert "<script>alert('x')</script>" in re.sub(r"\s+", " ", text)   # the upload's words, as text


def test_docx_has_the_same_sections_with_word_styles(report, client):
    response = client.post("/api/check/report?format=docx&filename=utkast.txt", json=report)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument")
    paragraphs = docx_paragraphs(response.content)
    headings = [text for style, text in paragraphs if style.startswith("Heading")]
    assert [h.split(" (")[0] for h in headings[:5]] == ["Brister mot lagen", "Avvikelser från praxis", "Att se över",
                                                         "Att känna till", "Områden"]
    assert paragraphs[0][0] == "Title" and paragraphs[0][1].startswith("Granskning av")
    assert any(style == "Quote" and HOSTILE in text for style, text in paragraphs)
    document = docx.Document(io.BytesIO(response.content))
    assert len(document.tables[1].rows) == len(report["topics"]) + 1   # one row per topic


def test_html_report_escapes_and_prints(report, client):
    response = client.post("/api/check/report?format=html", json=report)
    assert response.status_code == 200
    page = response.text
    assert "<script>" not in page and "<img" not in page
    assert "&lt;script&gt;" in page
    assert "@media print" in page and "@page" in page
    assert "default-src 'none'" in response.headers["content-security-policy"]


def test_every_law_breach_and_only_those_under_the_law_heading(report, client):
    response = client.post("/api/check/report?format=html", json=report)
    page = response.text
    law = page.split('id="grupp-law"')[1].split("</section>")[0]
    violations = [f for f in report["findings"] if f["severity"] == "violation"]
    assert law.count('class="finding ') == len(violations)
    assert "peer-practice" not in law and "av 5 överenskommelser reglerar" not in law


@pytest.mark.parametrize("body", [b"not json", b"[]", b'{"agreement": {}, "topics": "x", "findings": []}',
                                  b'{"agreement": {"parties": [1]}, "topics": [], "findings": []}'])
def test_a_bad_report_is_a_clear_400(client, body):
    response = client.post("/api/check/report?format=pdf", content=body,
                           headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and response.json()["detail"].strip()


def test_odd_values_in_a_report_render_as_nothing(client, report):
    odd = {**report, "agreement": {**report["agreement"], "title": {"x": 1}, "party_details": ["x", {"name": 5}]},
           "findings": [{"severity": ["violation"], "message": None, "quote": 7, "group": {}}]}
    response = client.post("/api/check/report?format=docx", json=odd)
    assert response.status_code == 200, response.text


def test_unknown_format_is_a_400(client):
    response = client.post("/api/check?format=odt", files={"file": ("a.txt", TEXT.encode(), "text/plain")})
    assert response.status_code == 400 and "format" in response.json()["detail"].lower()


def test_cli_writes_pdf_and_docx(tmp_path, build_dir):
    source = tmp_path / "utkast.txt"
    source.write_text(TEXT, encoding="utf-8")
    for fmt in ("pdf", "docx"):
        target = tmp_path / f"rapport.{fmt}"
        done = subprocess.run([sys.executable, "-m", "vemgorvad.cli", "check", str(source), "--format", fmt,
                               "--output", str(target)], cwd=ROOT, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        data = target.read_bytes()
        assert data.startswith(b"%PDF" if fmt == "pdf" else b"PK\x03\x04")
    assert "Brister mot lagen" in pdf_text((tmp_path / "rapport.pdf").read_bytes())
