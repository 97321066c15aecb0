"""The gap report as a document to download: HTML (Jinja2, autoescaped), PDF (WeasyPrint, from
the very same HTML and its print stylesheet) and DOCX (python-docx). All three render view.py's
arrangement of the report, so they say the same in the same order.

The HTML page loads nothing from the network, and its own Content-Security-Policy allows no
script at all (only its inline style), so even a value that slipped through escaping could not run.
WeasyPrint gets a URL fetcher that allows no protocol: a report never makes the renderer fetch.
"""
from __future__ import annotations

import io
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import docx
import weasyprint
from docx.document import Document as DocxDocument
from docx.enum.text import WD_BREAK
from docx.shared import Pt, RGBColor

from ..templating import ENV
from .view import view

TEMPLATES = Path(__file__).resolve().parent / "templates"
POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
FORMATS = {
    "html": ("text/html; charset=utf-8", ".html"),
    "pdf": ("application/pdf", ".pdf"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", ".docx"),
}
_STYLESHEET = (TEMPLATES / "report.css").read_text(encoding="utf-8")
# Characters XML 1.0 cannot hold (python-docx refuses them): control characters but tab and newline.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
COLOURS = {"law": RGBColor(0xA5, 0, 0), "practice": RGBColor(0x7A, 0x4B, 0), "quality": RGBColor(0x0B, 0x4F, 0x8A),
           "info": RGBColor(0x55, 0x55, 0x55)}


def render_html(report: Mapping[str, Any], filename: str = "") -> str:
    return ENV.get_template("report.html.j2").render(v=view(report, filename), policy=POLICY,
                                                     stylesheet=_STYLESHEET)


def render_pdf(report: Mapping[str, Any], filename: str = "") -> bytes:
    """The HTML report printed to PDF with its print stylesheet (A4, page numbers)."""
    fetcher = weasyprint.URLFetcher(allowed_protocols=())  # no protocol at all: nothing is ever fetched
    pdf: bytes = weasyprint.HTML(string=render_html(report, filename), url_fetcher=fetcher).write_pdf()
    return pdf


def _clean(text: Any) -> str:
    return _NOT_XML.sub("", str(text or ""))


def _quote(document: DocxDocument, text: str, note: str = "") -> None:
    paragraph = document.add_paragraph(style="Quote")
    paragraph.add_run(_clean(text))
    if note:
        paragraph.add_run().add_break(WD_BREAK.LINE)
        run = paragraph.add_run(_clean(note))
        run.italic = True
        run.font.size = Pt(9)


def render_docx(report: Mapping[str, Any], filename: str = "") -> bytes:
    """The report as a Word document: the same sections as the HTML, with Word's own styles
    (Title, Heading 1–2, Quote, List Bullet, a table), so it can be edited and restyled."""
    v = view(report, filename)
    document = docx.Document()
    document.core_properties.title = _clean(f"Granskning av {v['title']}")
    document.core_properties.language = "sv-SE"
    document.add_heading(_clean(f"Granskning av {v['title']}"), level=0)
    facts = document.add_table(rows=0, cols=2)
    rows = [("Fil", v["filename"])] if v["filename"] else []
    parties = "; ".join(p["name"] + (f" ({p['kind']}{', ' + p['role'] if p['role'] else ''})" if p["kind"] else "")
                        for p in v["parties"]) or "framgår inte"
    rows += [("Parter", parties),
             ("Gäller", f"{v['valid_from'] or 'startdag anges inte'} – {v['valid_to'] or 'tills vidare eller anges inte'}")]
    if v["kind"]:
        rows.append(("Slag av överenskommelse", v["kind"].get("label", "") +
                     (f" ({v['kind']['basis']})" if v["kind"].get("basis") else "")))
    for label, value in rows:
        cells = facts.add_row().cells
        cells[0].text, cells[1].text = _clean(label), _clean(value)
        cells[0].paragraphs[0].runs[0].bold = True
    if v["kind"] and v["kind"].get("summary"):
        document.add_paragraph(_clean(v["kind"]["summary"]))
    counts = v["counts"]
    document.add_paragraph(_clean(
        f"{v['law_breaches']} {'brist' if v['law_breaches'] == 1 else 'brister'} mot lagen · {counts['covered']} områden "
        f"regleras · {counts['referenced']} hänvisas · {counts['mentioned']} nämns utan att regleras · "
        f"{counts['missing']} saknas")).runs[0].bold = True
    for group in v["groups"]:
        heading = document.add_heading(_clean(f"{group['heading']} ({len(group['findings'])})"), level=1)
        heading.runs[0].font.color.rgb = COLOURS[group["key"]]
        document.add_paragraph(_clean(group["lead"])).runs[0].italic = True
        if not group["findings"]:
            document.add_paragraph("Inget att anmärka.")
        for f in group["findings"]:
            document.add_paragraph(_clean(f.get("message")), style="List Bullet")
            if f.get("basis"):
                document.add_paragraph(_clean(f"Grund: {f['basis']}"))
            if f.get("quote"):
                _quote(document, f["quote"], f.get("where", ""))
    document.add_heading("Områden", level=1)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ("Område", "Status", "Krav", "Underlag"), strict=True):
        cell.text = text
        cell.paragraphs[0].runs[0].bold = True
    for t in v["topics"]:
        cells = table.add_row().cells
        cells[0].text = _clean(t.get("label"))
        cells[1].text = _clean(t["status_label"])
        cells[2].text = _clean(f"{t['requirement_label']}: {t.get('basis', '')}")
        quotes = [e["quote"] + (f" ({e['where']})" if e["where"] else "") for e in t["evidence"][:1]]
        quotes += [f"Hänvisar: {e['quote']}" for e in t["references"][:1]]
        quotes += [f"Nämns: {e['quote']}" for e in t["mentions"][:1]]
        cells[3].text = _clean("\n".join(quotes))
    if v["models"]:
        document.add_heading("Förslag på formuleringar", level=1)
        document.add_paragraph("Så reglerar andra överenskommelser i tjänsten det som saknas här – citerat ordagrant.")
        for t in v["models"]:
            document.add_heading(_clean(f"{t.get('label')} ({t['status_label'].lower()})"), level=2)
            for m in t["models"]:
                _quote(document, m.get("quote", ""), (m.get("title") or m.get("agreement") or "")
                       + (f", avsnitt {m['section']}" if m.get("section") else ""))
    shacl = v["shacl"]
    document.add_paragraph(_clean(f"SHACL-validering: {'uppfyller kraven' if shacl['conforms'] else 'brister finns'} "
                                  f"({shacl['results']} resultat). Granskningen är ett stöd, inte ett juridiskt utlåtande."))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def render(report: Mapping[str, Any], fmt: str, filename: str = "") -> bytes:
    """The report in `fmt` (html | pdf | docx) as bytes."""
    if fmt == "html":
        return render_html(report, filename).encode("utf-8")
    if fmt == "pdf":
        return render_pdf(report, filename)
    if fmt == "docx":
        return render_docx(report, filename)
    raise ValueError(f"unknown report format {fmt!r}")


def download_name(filename: str, fmt: str) -> str:
    """"utkast.docx" → "utkast-granskning.pdf": a safe ASCII-ish name for Content-Disposition."""
    stem = re.sub(r"[^\w.-]+", "_", Path(filename or "overenskommelse").stem, flags=re.ASCII).strip("._") or "overenskommelse"
    return f"{stem[:80]}-granskning{FORMATS[fmt][1]}"
