"""The gap report as a standalone Swedish HTML page (`vemgorvad check FILE --format html`).
Every value from the upload is escaped; the page loads nothing from the network, and its own
Content-Security-Policy allows no script at all (only its inline style), so even a value that
slipped through escaping could not run."""
from __future__ import annotations

from html import escape

POLICY = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'"
SEVERITY = {"violation": ("Brister mot lagen", "Lagkrav"), "warning": ("Att se över", "Rekommendation"),
            "info": ("Att känna till", "Information")}
STYLE = """body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem}h2{margin-top:2rem;border-bottom:2px solid #ccc}blockquote{margin:.5rem 0;padding:.5rem 1rem;
border-left:4px solid #0b5394;background:#f3f6fa}.violation{border-left:6px solid #a50000;padding-left:.8rem}
.warning{border-left:6px solid #8a5a00;padding-left:.8rem}.info{border-left:6px solid #555;padding-left:.8rem}
table{border-collapse:collapse;width:100%}td,th{border-bottom:1px solid #ddd;padding:.3rem;text-align:left;vertical-align:top}
.missing{color:#a50000;font-weight:600}.covered{color:#1e6b1e}"""


def render(report: dict, filename: str = "") -> str:
    a = report["agreement"]
    parts = [f"<!doctype html><html lang=\"sv\"><head><meta charset=\"utf-8\"><meta http-equiv=\"Content-Security-Policy\" "
             f"content=\"{POLICY}\"><title>Granskning: {escape(a['title'])}</title>"
             f"<style>{STYLE}</style></head><body>",
             f"<h1>Granskning av {escape(a['title'])}</h1>"]
    if filename:
        parts.append(f"<p>Fil: {escape(filename)}</p>")
    parts.append("<p>Parter: " + (escape(", ".join(a["parties"])) or "<em>anges inte</em>") + "<br>"
                 f"Gäller från: {escape(a['valid_from'] or 'anges inte')} – till: {escape(a['valid_to'] or 'tills vidare / anges inte')}</p>")
    shacl = report["shacl"]
    parts.append(f"<p>SHACL: {'uppfyller kraven' if shacl['conforms'] else 'brister finns'} ({shacl['results']} resultat)</p>")
    for severity, (heading, badge) in SEVERITY.items():
        findings = [f for f in report["findings"] if f["severity"] == severity]
        if not findings:
            continue
        parts.append(f"<h2>{heading} ({len(findings)})</h2>")
        for f in findings:
            parts.append(f"<div class=\"{severity}\"><p><strong>{badge}:</strong> {escape(f['message'])}</p>")
            if f.get("quote"):
                parts.append(f"<blockquote>{escape(f['quote'])}</blockquote>")
            parts.append("</div>")
    parts.append("<h2>Områden</h2><table><thead><tr><th>Område</th><th>Status</th><th>Krav</th><th>Grund</th>"
                 "<th>Belägg</th></tr></thead><tbody>")
    for t in report["topics"]:
        status = "reglerat" if t["status"] == "covered" else "saknas"
        quote = escape(t["evidence"][0]["quote"]) if t["evidence"] else ""
        parts.append(f"<tr><td>{escape(t['label'])}</td><td class=\"{t['status']}\">{status}</td>"
                     f"<td>{'lag' if t['requirement'] == 'law' else 'praxis'}</td><td>{escape(t['basis'])}</td>"
                     f"<td>{quote}</td></tr>")
    parts.append("</tbody></table></body></html>")
    return "".join(parts)
