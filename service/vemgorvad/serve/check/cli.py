"""`vemgorvad check FILE [--json] [--format text|json|html|pdf|docx] [--output PATH]`: the gap
report of POST /api/check, locally. Text, JSON and HTML go to standard output unless --output is
given; a PDF or DOCX goes to --output, or to "<file>-granskning.pdf|docx" in the current folder."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ...ingest import IngestError
from ...ingest.readers import MAX_BYTES, SUPPORTED_SUFFIXES
from ...safe_text import for_terminal, json_for_terminal
from ...store import open_store
from . import documents
from .report import Report
from .service import peers_from, run_check
from .view import view

FORMATS = ("text", "json", "html", "pdf", "docx")
BINARY = ("pdf", "docx")


def run_check_command(path: str, as_json: bool, fmt: str, output: str | None = None) -> int:
    file = Path(path)
    path = for_terminal(path)              # a file name's escape characters never reach the terminal
    if not file.is_file():
        print(f"vemgorvad: filen finns inte: {path}", file=sys.stderr)
        return 2
    if file.suffix.lower() not in SUPPORTED_SUFFIXES:
        print(f"vemgorvad: {path}: filtypen {for_terminal(file.suffix) or '(ingen)'} stöds inte; använd .txt, .pdf eller .docx",
              file=sys.stderr)
        return 2
    if file.stat().st_size > MAX_BYTES:
        print(f"vemgorvad: {path}: filen är större än 10 MB", file=sys.stderr)
        return 2
    try:
        report = run_check(file.read_bytes(), file.name, peers_from(open_store()))
    except IngestError as err:
        print(f"vemgorvad: {path}: {err.sv}", file=sys.stderr)
        return 2
    fmt = "json" if as_json else fmt
    if fmt in BINARY:
        target = Path(output) if output else Path.cwd() / documents.download_name(file.name, fmt)
        try:
            target.write_bytes(documents.render(report, fmt, file.name))
        except OSError as err:
            print(f"vemgorvad: {target}: kunde inte skriva rapporten: {err.strerror}", file=sys.stderr)
            return 2
        print(f"vemgorvad: rapporten skrevs till {for_terminal(str(target))}", file=sys.stderr)
        return 0
    if fmt == "json":
        body = json.dumps(report, ensure_ascii=False)
    elif fmt == "html":
        body = documents.render_html(report, file.name)
    else:
        body = text(report)
    if output:
        try:
            Path(output).write_text(body + "\n", encoding="utf-8")
        except OSError as err:
            print(f"vemgorvad: {output}: kunde inte skriva rapporten: {err.strerror}", file=sys.stderr)
            return 2
    else:       # a terminal: escape characters from the document are shown, never acted on
        print(json_for_terminal(body) if fmt == "json" else for_terminal(body))
    return 0


def text(report: Report) -> str:
    """The report as plain text for a terminal: the same groups and order as the documents."""
    v = view(report)
    parties = "; ".join(p["name"] + (f" ({p['kind']})" if p["kind"] else "") for p in v["parties"])
    lines = [f"Granskning: {v['title']}", f"Parter: {parties or 'framgår inte'}",
             f"Gäller: {v['valid_from'] or '?'} – {v['valid_to'] or 'tills vidare / anges inte'}"]
    if v["kind"]:
        lines.append(f"Slag: {v['kind'].get('label', '')}")
        if v["kind"].get("summary"):
            lines.append(v["kind"]["summary"])
    for group in v["groups"]:
        if not group["findings"]:
            continue
        lines += ["", f"{group['heading']} ({len(group['findings'])})"]
        for f in group["findings"]:
            lines.append(f"  – {f.get('message', '')}" + (f" [{f['where']}]" if f["where"] else ""))
    for status in ("missing", "mentioned", "referenced"):
        labels = [t["label"] for t in v["topics"] if t.get("status") == status]
        if labels:
            lines += ["", f"{v['status_labels'][status]}: " + ", ".join(labels)]
    return "\n".join(lines)
