"""Characters from documents and file names that must not act on a reader's terminal or hide in a
title: C0 and C1 control characters (ESC starts terminal commands; CSI U+009B is one on its own),
DEL, and the bidirectional overrides and isolates that reorder what a reader sees."""
from __future__ import annotations

import re

_INVISIBLE = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
#: control and bidi characters, except newline and tab
UNSAFE = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_INVISIBLE}]")


def strip_controls(text: str) -> str:
    """The text without control or bidi characters (a title, a party's name)."""
    return UNSAFE.sub("", text)


def for_terminal(text: str) -> str:
    """The text with each control or bidi character shown as an escape (\\x1b, \\u202e), never acted on."""
    return UNSAFE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}",
                      text)


def json_for_terminal(text: str) -> str:
    """A JSON text with every control or bidi character written as a \\u escape: the same JSON value,
    safe to print."""
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
