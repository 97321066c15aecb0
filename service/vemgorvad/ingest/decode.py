"""Bytes → text: UTF-8 first, then UTF-16 with a byte-order mark, then the Windows/Latin-1
code pages Swedish documents are still saved in. Binary data is refused, not guessed at."""
from __future__ import annotations

import codecs

from .errors import IngestError

SWEDISH_LETTERS = set("åäöÅÄÖéÉ")


def looks_binary(data: bytes) -> bool:
    """NUL bytes or many C0 control characters mean this is not text."""
    sample = data[:65536]
    if not sample:
        return False
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls / len(sample) > 0.02


def decode(data: bytes) -> str:
    if not data.strip():
        raise IngestError("Filen är tom.", "The file is empty.", 400)
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return _checked(data.decode(codec))
            except UnicodeDecodeError:
                raise IngestError("Texten kunde inte avkodas (trasig UTF-16).",
                                  "The text could not be decoded (broken UTF-16).") from None
    if looks_binary(data):
        raise IngestError("Filen ser ut att vara binärdata, inte text.",
                          "The file looks like binary data, not text.", 415)
    try:
        return _checked(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    text = data.decode("cp1252", errors="replace")
    if "\ufffd" in text:  # bytes cp1252 leaves undefined: Latin-1 maps every byte
        text = data.decode("latin-1")
    return _checked(text)


def _checked(text: str) -> str:
    if not text.strip():
        raise IngestError("Filen innehåller ingen text.", "The file contains no text.", 400)
    letters = sum(1 for ch in text if ch.isalpha())
    if letters < 20 or letters / max(1, len(text.strip())) < 0.3:
        raise IngestError("Filen innehåller för lite läsbar text för att vara en överenskommelse.",
                          "The file holds too little readable text to be an agreement.", 422)
    return text
