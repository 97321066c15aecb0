"""Lists and sections over the blocks, with the repairs two-column extraction needs.

When a PDF with two columns is extracted line by line, a list's introducing sentence can land
after the list ("• … • … Viktiga delar i regionens ansvar är att:"), and a heading after its text.
An introducer that no list follows is such a displaced one: it takes the list before it, and
the introducer that had taken that list moves back to the list before *it* — or, when the
list spans a column break, the list is split there.
"""
from __future__ import annotations

import re
from collections.abc import Callable

from .blocks import open_ended
from .document import Block, Document, Section
from .layout import layout

NUMBER_PARTS = re.compile(r"\d+")


def is_intro(doc: Document, block: Block) -> bool:
    """A block that a list continues: it ends with a colon, an introducing word, or unfinished."""
    text = doc.text[block.start:block.end].rstrip()
    return block.kind == "paragraph" and (text.endswith(":") or text.lower().endswith(layout().intro_endings)
                                          or text[-1:] not in ".!?)”\"")


def assign_lists(doc: Document) -> None:
    blocks = doc.blocks
    lists: list[list[int]] = []
    for i, block in enumerate(blocks):
        if block.kind != "item":
            continue
        if i > 0 and blocks[i - 1].kind == "item":
            lists[-1].append(i)
        else:
            lists.append([i])
    claims: dict[int, int] = {}  # list number → intro block index
    for n, items in enumerate(lists):
        before = items[0] - 1
        if before >= 0 and is_intro(doc, blocks[before]):
            claims[n] = before
        elif n > 0 and before >= 1 and blocks[before].kind == "paragraph" and lists[n - 1][-1] == before - 1 \
                and (n - 1) in claims:
            claims[n] = claims[n - 1]  # a list interrupted by one explanatory paragraph
    last_item = {items[-1]: n for n, items in enumerate(lists)}
    for i, block in enumerate(blocks):
        text = doc.text[block.start:block.end].rstrip()
        if not (block.kind in ("paragraph", "heading") and text.endswith(":")):
            continue
        if i + 1 < len(blocks) and blocks[i + 1].kind == "item":
            continue  # followed by its own list
        if i == 0 or (i - 1) not in last_item:
            continue
        n = last_item[i - 1]
        if n not in claims:
            claims[n] = i
            doc.repairs.append(f"introducer after its list: block {i} takes list at block {lists[n][0]}")
            continue
        items = lists[n]
        breaks = [k for k, b in enumerate(items) if k > 0 and blocks[b].after_break and blocks[b].level == 1]
        shiftable = claims[n] - 1 in last_item and last_item[claims[n] - 1] not in claims
        if breaks and not shiftable:
            cut = breaks[-1]
            lists[n:n + 1] = [items[:cut], items[cut:]]
            claims = {(m + 1 if m > n else m): intro for m, intro in claims.items()}
            claims[n + 1] = i
            last_item = {its[-1]: m for m, its in enumerate(lists)}
            doc.repairs.append(f"column break splits list at block {items[cut]}; block {i} introduces the second part")
            continue
        displaced = claims[n]
        claims[n] = i
        earlier = displaced - 1
        if earlier in last_item and last_item[earlier] not in claims:
            claims[last_item[earlier]] = displaced
            doc.repairs.append(f"introducers shifted: block {i} takes list at {items[0]}, block {displaced} "
                               f"takes list at {lists[last_item[earlier]][0]}")
        else:
            doc.repairs.append(f"introducer after its list: block {i} takes list at block {items[0]}")
    for n, items in enumerate(lists):
        for b in items:
            blocks[b].list_id = n
            blocks[b].intro = claims.get(n)
        _nested_intros(doc, items)


def _deeper(outer: Block, inner: Block) -> bool:
    """Whether `inner` is a sub-item of `outer`: a deeper level, or a letter under a number ("1.",
    "3.1") or bullet."""
    return inner.level > outer.level or (_lettered(inner) and not _lettered(outer))


def _lettered(block: Block) -> bool:
    """An item numbered by a letter ("a)", "b."); "3.1" is a number."""
    return bool(block.number) and not re.fullmatch(r"\d{1,2}(?:\.\d{1,2})*", block.number or "")


def _nested_intros(doc: Document, items: list[int]) -> None:
    """An item that introduces the items under it ("• Kommunen ska" + "– erbjuda boendestöd",
    "1. Regionen ska" + "a) ansvara för …", "• Huvudmännen ska gemensamt:" + items) is their
    introduction, as a paragraph ending in a colon is a list's."""
    blocks = doc.blocks
    for k, index in enumerate(items[:-1]):
        outer = blocks[index]
        text = doc.text[outer.start:outer.end].rstrip()
        if text[-1:] in ".!?)”\"" or len(text) > 300:
            continue
        following = [blocks[b] for b in items[k + 1:]]
        if _deeper(outer, following[0]):
            run = _while(following, outer, lambda b, o: _deeper(o, b))
        elif outer.intro is None and _continued(doc, outer, following[0]):
            # "• Kommunen ska" + "• erbjuda boendestöd …" set as one level, with nothing before the list
            # that introduces it (a list whose nesting the layout lost): the items that go on in lower
            # case finish the sentence the item began
            run = _while(following, outer, lambda b, o: b.level == o.level and _body(doc, b)[:1].islower())
        elif text.endswith(":"):
            run = _while(following, outer, lambda b, o: b.level == o.level
                         and not doc.text[b.start:b.end].rstrip().endswith(":"))
        else:
            continue
        for block in run:
            block.intro = index


def _body(doc: Document, block: Block) -> str:
    """An item's words, without its bullet or its number."""
    text = doc.text[block.start:block.end].strip()
    return re.sub(r"^(?:[^\w(]+|\d{1,2}[.)]|[a-zåäö]\)|[a-zåäö]\.(?=\s))\s*", "", text) if block.kind == "item" else text


def _continued(doc: Document, outer: Block, inner: Block) -> bool:
    """Whether `inner`, an item of the same level, goes on with the sentence `outer` began: `outer`
    starts a sentence (a capital) and stops where a sentence cannot (open_ended: "ska", "för", "att",
    a comma), and `inner` starts in lower case."""
    head, tail = _body(doc, outer), _body(doc, inner)
    return inner.level == outer.level and head[:1].isupper() and open_ended(head) and tail[:1].islower()


def _while(following: list[Block], outer: Block, keep: Callable[[Block, Block], bool]) -> list[Block]:
    """The items after `outer` up to the first that `keep` refuses."""
    out = []
    for block in following:
        if not keep(block, outer):
            break
        out.append(block)
    return out


def _number_key(number: str) -> tuple[int, ...]:
    return tuple(int(p) for p in NUMBER_PARTS.findall(number))


def assign_sections(doc: Document) -> None:
    blocks = doc.blocks
    sections: list[Section] = []
    current: int | None = None
    last_numbered_level = 0
    last_numbered: Section | None = None
    for i, block in enumerate(blocks):
        if block.kind == "heading":
            heading = doc.text[block.start:block.end].strip()
            if block.number:
                level = block.number.count(".") + 1
                last_numbered_level = level
            else:
                level = last_numbered_level + 1
            block.level = level
            parent = current
            while parent is not None and sections[parent].level >= level:
                parent = sections[parent].parent
            title = re.sub(r"^\d+(?:\.\d+)*\.?\s+", "", heading) if block.number else heading
            section = Section(heading, block.number, level, parent, block.start, heading_block=i, title=title)
            sections.append(section)
            current = len(sections) - 1
            if i > 0 and blocks[i - 1].kind == "paragraph" and i + 1 < len(blocks) and \
                    blocks[i + 1].kind == "heading" and block.number and last_numbered is not None and \
                    _number_key(block.number) < _number_key(last_numbered.number or ""):
                blocks[i - 1].section = current  # a heading with no text of its own, printed after it
                doc.repairs.append(f"heading {heading!r} printed after its text: block {i - 1} moved into it")
            if block.number:
                last_numbered = section
        block.section = current if block.section is None else block.section
    preamble = [b for b in blocks if b.section is None]
    if preamble:
        first = next((i for i, b in enumerate(blocks) if b.kind == "heading"), None)
        headless_first = first is not None and first + 1 < len(blocks) and blocks[first + 1].kind == "heading"
        if first is not None and headless_first:
            for b in preamble:
                b.section = blocks[first].section
        else:
            sections.insert(0, Section("Inledning", None, 1, None, 0, title="Inledning"))
            for s in sections[1:]:
                s.parent = None if s.parent is None else s.parent + 1
            for b in blocks:
                b.section = 0 if b.section is None else b.section + 1
    for index, section in enumerate(sections):
        members = [b for b in blocks if b.section == index]
        if members:
            section.start = min(b.start for b in members)
            section.end = max(b.end for b in members)
    doc.sections = sections

