"""Issue 14: the page /granska names every finding code a gap report can give, and only those.

The codes the report can give are read from the code that makes the findings (every "code" of a
finding dict literal in serve/check/report.py) and from the requirements the law states together
(data/requirements.json, whose codes the SHACL results carry); the labels from granska.js."""
from __future__ import annotations

import ast
import re
from pathlib import Path

from checkutil import agreement_text
from vemgorvad.serve.check import report
from vemgorvad.peers import Peers
from vemgorvad.serve.check.report import check
from vemgorvad.validate.completeness import together

ROOT = Path(__file__).resolve().parents[1]
GRANSKA = ROOT / "service" / "vemgorvad" / "serve" / "web" / "static" / "granska.js"


def emitted_codes() -> set[str]:
    """Every code a finding of report.py is made with, and the codes of the together rules."""
    tree = ast.parse(Path(report.__file__).read_text(encoding="utf-8"))
    codes = {value.value for node in ast.walk(tree) if isinstance(node, ast.Dict)
             for key, value in zip(node.keys, node.values, strict=True)
             if isinstance(key, ast.Constant) and key.value == "code" and isinstance(value, ast.Constant)}
    return codes | {rule.code for rule in together()}


def labelled_codes() -> set[str]:
    text = GRANSKA.read_text(encoding="utf-8")
    block = re.search(r"const CODE_LABELS = \{(.*?)\};", text, re.S)
    assert block, "granska.js has no CODE_LABELS"
    return set(re.findall(r'"([a-z-]+)"\s*:', block.group(1)))


def test_every_code_the_report_gives_has_a_label_and_every_label_a_code():
    emitted, labelled = emitted_codes(), labelled_codes()
    assert emitted - labelled == set(), "codes without a label on /granska"
    assert labelled - emitted == set(), "labels for codes the report never gives"


def test_the_codes_read_from_the_report_module_are_those_of_real_reports():
    """The reading of report.py is not empty or stale: reports of drafts give codes from it."""
    emitted = emitted_codes()
    assert {"missing-requirement", "repealed-law", "peer-practice", "duty-without-bearer", "expired"} <= emitted
    text = agreement_text(groups="", validity="3. Giltighetstid\nÖverenskommelsen gäller till och med 2020-12-31.\n\n",
                          extra="7. Lagar\nKommunen ska följa socialtjänstlagen (2001:453). Det ska säkerställas att "
                                "planen följs.\n")
    given = {f["code"] for f in check(text.encode("utf-8"), "utkast.txt", Peers({}, {}))["findings"]}
    assert given and given <= emitted
