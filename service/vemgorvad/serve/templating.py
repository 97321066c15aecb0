"""The one Jinja2 environment for every HTML page and report the service renders (linked-data
pages, the gap report, the staff pages): autoescaped, so a label, quote or title from an agreement is text on the
page, never markup. Templates live beside the code that fills them (templates/, check/templates/, web/pages/)."""
from __future__ import annotations

from pathlib import Path

import jinja2

SERVE = Path(__file__).resolve().parent
DIRECTORIES = (SERVE / "templates", SERVE / "check" / "templates", SERVE / "web" / "pages")

ENV = jinja2.Environment(loader=jinja2.FileSystemLoader(DIRECTORIES), autoescape=True, trim_blocks=True,
                         lstrip_blocks=True)
