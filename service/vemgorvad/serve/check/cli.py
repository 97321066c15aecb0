"""`vemgorvad check FILE [--json] [--format html]`: the gap report of POST /api/check, locally."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from ...ingest import IngestError
from ...ingest.readers import MAX_BYTES, SUPPORTED_SUFFIXES
from ...store import open_store
from . import html
from .service import peers_from, run_check


def run_check_command(path: str, as_json: bool, fmt: str) -> int:
    file = Path(path)
    if not file.is_file():
        print(f"vemgorvad: filen finns inte: {path}", file=sys.stderr)
        return 2
    if file.suffix.lower() not in SUPPORTED_SUFFIXES:
        print(f"vemgorvad: {path}: filtypen {file.suffix or '(ingen)'} stöds inte; använd .txt, .pdf eller .docx",
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
    if as_json or fmt == "json":
        print(json.dumps(report, ensure_ascii=False))
    elif fmt == "html":
        print(html.render(report, file.name))
    else:
        print(text(report))
    return 0


def text(report: dict) -> str:
    a = report["agreement"]
    lines = [f"Granskning: {a['title']}", f"Parter: {', '.join(a['parties']) or 'anges inte'}",
             f"Gäller: {a['valid_from'] or '?'} – {a['valid_to'] or 'tills vidare / anges inte'}", ""]
    names = {"violation": "BRIST", "warning": "VARNING", "info": "INFO"}
    for f in report["findings"]:
        lines.append(f"[{names[f['severity']]}] {f['message']}")
    missing = [t["label"] for t in report["topics"] if t["status"] == "missing"]
    lines += ["", "Saknas: " + (", ".join(missing) or "inget")]
    return "\n".join(lines)
