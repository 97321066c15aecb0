"""What an agreement does with each topic: regulates it (`covered`), refers it to another document
(`referenced`), only names it (`mentioned`), or says nothing of it (`missing`) — CONTRACT.md's four
statuses, with the passages that show each. The graph's vg:regulates and the gap check both come
from here.

Every sentence, list item, heading and line of contents is read once:

- **what it is about**: the topics its own words name (the weighted cues of cues.json); a passage
  that names no topic of its own, or only a party's responsibilities, is about what its section's
  heading names ("6. Tvister" — "Frågan lyfts till styrgruppen"), as a reader takes an elliptic
  provision;
- **what it does**, by the deontic class extraction gave it (extract/deontic.py): an obligation,
  prohibition or recommendation regulates; so does a permission with someone to hold it (a rule
  granting a right), a scope provision for a target group ("Överenskommelsen omfattar även …"), the
  statement of the agreement's purpose, parties or period; a passage whose rule is that the matter
  is regulated, described or handled in another document refers (data/lexicon/coverage.json); a
  pointer to another part of the text ("i enlighet med punkterna 4.2 och 4.3"), a heading, a line
  of contents, background, history, a definition or a description only names.

A topic's status is the strongest thing any passage does with it.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cache

from ..ingest.document import Block, Document
from ..language import load
from . import concepts, deontic
from .lexicon import compile_raw, lexicon, phrase
from .metadata import Rules, dates_in, rules, title
from .metadata import unmarked
from .metadata import validity as period_of
from .model import Clause, Extraction
from .parties import Party
from .sentences import units_of

STATUSES = ("covered", "referenced", "mentioned", "missing")
REGULATING = ("obligation", "prohibition", "recommendation")
TARGET_GROUPS = ("malgrupp_psykisk_funktionsnedsattning", "malgrupp_missbruk", "malgrupp_barn_unga", "malgrupp_aldre")
SCOPE_TOPICS = ("samsjuklighet",)   # not a target-group key, but a group of people a scope can bring in
MAX_EVIDENCE = 6
HEADING_THRESHOLD = 0.4   # the weight of a topic's plainest cue word in cues.json


@dataclass
class Passage:
    """A passage of the agreement and what it does with a topic."""
    start: int
    end: int
    quote: str
    section: int | None
    role: str              # regulating | referencing | mentioning
    why: str               # obligation, scope, purpose, … | reference | heading, contents, background, …
    refers_to: str | None = None
    is_responsibility: bool = False
    score: float = 0.0


@dataclass
class TopicStatus:
    topic: str
    status: str
    regulating: list[Passage] = field(default_factory=list)
    referencing: list[Passage] = field(default_factory=list)
    mentioning: list[Passage] = field(default_factory=list)


@dataclass(frozen=True)
class _Language:
    reference: re.Pattern[str]
    document: re.Pattern[str]
    qualifiers: re.Pattern[str]
    own_document: re.Pattern[str]
    cross_reference: re.Pattern[str]
    resident: re.Pattern[str]
    agreement: re.Pattern[str]
    scope_label: re.Pattern[str]
    law_report: re.Pattern[str]
    service_description: re.Pattern[str]
    agreement_part: re.Pattern[str]
    document_topics: re.Pattern[str]
    agenda: re.Pattern[str]
    anaphora: re.Pattern[str]


@cache
def language() -> _Language:
    data = load("coverage.json")
    return _Language(compile_raw(data["reference"], r"(?<![\wåäö])", r"(?![\wåäö])"),
                     compile_raw(data["document"], r"(?<![\wåäö])", r"(?![\wåäö])"),
                     compile_raw(data["other_document_qualifiers"], r"(?<![\wåäö])", r"(?![\wåäö])"),
                     compile_raw(data["own_document"], r"(?<![\wåäö])", r"(?![\wåäö])"),
                     compile_raw(data["cross_reference"], r"(?<![\wåäö])"),
                     compile_raw(data["resident"], r"(?<![\wåäö])", r"(?![\wåäö])"),
                     compile_raw(data["agreement"], r"(?<![\wåäö])", r"(?![\wåäö])"),
                     compile_raw(data["scope_label"], r"^\s*", r"\s*$"),
                     compile_raw(data["law_report"], r"(?<![\wåäö])", r"(?![\wåäö])"),
                     compile_raw(data["service_description"], r"(?<![\wåäö])", r"(?![\wåäö])"),
                     compile_raw(data["agreement"], "", ""),
                     compile_raw(data["document_topics"], "", r"(?![\wåäö])"),
                     compile_raw(data["agenda"], r"(?<![\wåäö])", r"(?![\wåäö])"),
                     compile_raw(data["anaphora"], r"(?<![\wåäö])", r"(?![\wåäö])"))


def own_topics(text: str, threshold: float = concepts.THRESHOLD) -> dict[str, float]:
    """The topics a passage's own words name, with their scores (a resident is no housing)."""
    masked = language().resident.sub(lambda m: " " * len(m.group(0)), text)
    return {t: s for t, s in concepts.scores("topics", masked).items() if s >= threshold}


def named_groups(text: str) -> list[str]:
    """The target-group topics a passage names (cues.json "target_groups"): named, a group is
    mentioned or referred elsewhere; only a scope provision regulates it."""
    groups = lexicon().topic_groups.target_groups
    return [groups[g] for g, s in concepts.scores("target_groups", text).items()
            if s >= concepts.THRESHOLD and g in groups]


def heading_topics(heading: str) -> dict[str, float]:
    """The topics a heading names: a heading is its topic's name, so one cue word of it is enough
    ("7. Uppföljning", "Äldre"), where a sentence needs the full threshold. A topic named only by
    words inside another topic's longer phrase is that topic's ("anhörig" in "Barn som anhörig")."""
    found = own_topics(heading, HEADING_THRESHOLD)
    if len(found) < 2:
        return found
    lower = heading.lower()
    spans = {t: [(m.start(), m.end()) for cue in lexicon().cues["topics"][t] for m in [cue.search(lower)] if m]
             for t in found}

    def inside(topic: str) -> bool:
        return bool(spans[topic]) and all(any(a <= x and y <= b and (b - a) > (y - x) for o in found if o != topic
                                              for a, b in spans[o]) for x, y in spans[topic])
    return {t: score for t, score in found.items() if not inside(t)}


def refers_to(text: str) -> str | None:
    """The other document a passage says regulates its matter ("… regleras i Hjälpmedelshandboken"),
    or None: a reference predicate with, after it in the sentence, a document that is not this
    agreement (a plain "avtalet"/"överenskommelsen" is this one unless a qualifier makes it another)."""
    lang = language()
    for match in lang.reference.finditer(text):
        rest = text[match.end():match.end() + 140]
        rest = re.split(r"[.;:](?:\s|$)", rest, maxsplit=1)[0]
        for doc in _documents(rest):
            if lang.own_document.search(rest[max(0, doc.start() - 40):doc.end() + 12]):
                continue
            return rest[doc.start():].strip(" ,")[:120]
    return None


def _documents(rest: str) -> list[re.Match[str]]:
    """The documents named in `rest`, in order: a named or described one, or a plain agreement
    word with a qualifier before it ("den länsgemensamma överenskommelsen")."""
    lang = language()
    found = list(lang.document.finditer(rest))
    found += [m for m in lang.agreement.finditer(rest)
              if lang.qualifiers.search(rest[max(0, m.start() - 30):m.start()])]
    return sorted(found, key=lambda m: m.start())


def other_agreements(text: str) -> list[tuple[int, int]]:
    """Where a passage names another agreement and what that agreement is about ("länets övriga
    överenskommelser, bland annat om läkemedel, om hemsjukvård och om hjälpmedel",
    "hjälpmedelsöverenskommelsen"): an agreement named by a compound or with a qualifier before it,
    never this one, with the phrases after it that open with "om", "för", "kring" … (coverage.json
    "document_topics"), one after another over commas."""
    lang = language()
    spans = []
    for doc in _documents(text):
        name = doc.group(0)
        if not lang.agreement_part.search(name) or lang.own_document.search(text[max(0, doc.start() - 40):doc.end() + 12]):
            continue
        plain = lang.agreement.match(text, doc.start())
        if plain is not None and not lang.qualifiers.search(text[max(0, doc.start() - 30):doc.start()]):
            continue   # "överenskommelsen om …": this agreement, unless a qualifier makes it another
        end = plain.end() if plain is not None else doc.end()
        at = end
        while (opener := lang.document_topics.match(text, at + len(text[at:]) - len(text[at:].lstrip(" ,\n")))):
            stop = re.search(r"[,.;:!?](?:\s|$)", text[opener.end():])
            at = end = opener.end() + (stop.start() if stop else len(text) - opener.end())
        spans.append((doc.start(), end))
    return spans


def named_in_other_agreements(text: str, own: dict[str, float]) -> set[str]:
    """The topics a passage names only where it names another agreement and what that one is about."""
    spans = other_agreements(text)
    if not spans:
        return set()
    masked = list(text)
    for start, end in spans:
        masked[start:end] = " " * (end - start)
    return set(own) - set(own_topics("".join(masked)))


def points_back(text: str) -> bool:
    """A passage with a demonstrative that points back to the sentence before ("… för dessa
    verksamheter …", "Detta regleras i …") — not "denna överenskommelse", which names this one."""
    lang, lower = language(), text.lower()
    return any(not lang.own_document.match(lower, m.start()) for m in lang.anaphora.finditer(lower))


def cross_reference(text: str) -> bool:
    """A passage whose rule is a pointer to another part of this text."""
    return bool(language().cross_reference.search(text))


def _heading_topics(doc: Document, section: int | None) -> dict[str, float]:
    """The topics the nearest heading that names any names (its own section's, else a parent's)."""
    while section is not None:
        heading = doc.sections[section].title or doc.sections[section].heading
        found = heading_topics(heading)
        if found:
            return found
        section = doc.sections[section].parent
    return {}


#: An agenda item is a matter's name: at most this many words ("Stöd till anhöriga", "Budget för nästa år").
AGENDA_ITEM_WORDS = 10
#: A list introduction this short is a label ("Giltighet:", "Tvister:"), read as its items' heading.
LABEL_CHARS = 60


def _intro(doc: Document, block: Block) -> str:
    """The text of the line that introduces a list item's list ("" for anything else); for a
    sub-item under an item that introduces it, the line that introduces the outer list."""
    seen = set()
    while block.kind == "item" and block.intro is not None and block.intro not in seen:
        seen.add(block.intro)
        intro = doc.blocks[block.intro]
        if intro.kind != "item":
            return doc.text[intro.start:intro.end].strip()
        block = intro
    return ""


def _label(intro: str) -> bool:
    """A list introduction that is a short label ("Giltighet:", "Om parterna inte är överens"),
    which heads its items as a heading would — not a sentence that introduces them."""
    return bool(intro) and len(intro) <= LABEL_CHARS and (intro.endswith(":") or intro[-1:] not in ".!?;,")


def _scope_item(doc: Document, block: Block, intro: str) -> bool:
    """A list item under a line that says whom the agreement covers: "Målgrupp:", "Målgruppen är:",
    "Överenskommelsen omfattar:" — or, with no introduction, under such a heading. Its target
    groups are brought into the agreement, as by a scope sentence ("Målgruppen är personer med …")."""
    if block.kind != "item":
        return block.kind == "paragraph" and (_scope_line(doc.text[block.start:block.end])
                                              or _scope_phrase(doc, block))
    if _scope_line(doc.text[block.start:block.end]):
        return True
    if not intro:   # a question over the list introduces it too ("Vem omfattas?")
        index = doc.blocks.index(block)
        while index > 0 and doc.blocks[index - 1].kind == "item":
            index -= 1
        before = doc.blocks[index - 1] if index > 0 else None
        intro = doc.text[before.start:before.end].strip() if before is not None and before.kind == "paragraph" \
            and doc.text[before.start:before.end].rstrip().endswith("?") else ""
    label = intro or (doc.sections[block.section].heading if block.section is not None else "")
    if phrase("negated_scope", r"\b", r"\b").search(label):
        return False
    return bool(language().scope_label.match(label) or (intro and phrase("scope", r"\b").search(intro)))


def _scope_line(text: str) -> bool:
    """A line that is a scope label and what it labels, one after the other ("Målgrupp: vuxna med …",
    "• Målgrupp: …"): a one-line section, as a new user writes a draft, says whom the agreement
    covers as the label over a list does."""
    body = text.strip().lstrip("•*-–— \t")
    label, colon, rest = body.partition(":")
    return bool(colon) and bool(rest.strip()) and bool(language().scope_label.match(label + colon))


def _scope_phrase(doc: Document, block: Block) -> bool:
    """A paragraph under a scope heading ("Målgrupp") that is only the name of whom the agreement
    covers — a noun phrase, no finite verb before its first comma or relative clause ("Personer med
    psykisk funktionsnedsättning och personer med missbruk, från 18 år."): the heading's content, as
    an item under the label is; a sentence there ("Målgruppen har ofta …") describes."""
    if block.section is None or not language().scope_label.match(doc.sections[block.section].heading):
        return False
    words = re.findall(r"\w+", doc.text[block.start:block.end].split(",", 1)[0].lower())
    relative = deontic.lexicon().relative
    head = words[:next((i for i, w in enumerate(words) if w in relative), len(words))]
    return not set(head) & deontic.finite_words()


def _title_block(doc: Document) -> int | None:
    """The block that is the document's title, read as a heading whatever the reader made of it:
    a DOCX's Title paragraph and a PDF's large bold line are headings, the same line of a plain
    text a paragraph, and a title names its topics as a heading does."""
    found = title(doc)
    for index, block in enumerate(doc.blocks[:6]):
        if block.kind in ("heading", "paragraph") and doc.text[block.start:block.end].strip() == found:
            return index
    return None


def _narrowed(heading: dict[str, float], text: str, section: int | None,
              last_named: dict[int | None, set[str]]) -> dict[str, float]:
    """Of the topics a heading names, those a passage under it is about: the ones its own words
    name (one cue word is enough, as in a heading); a passage that names none continues the topic
    of the last one in its section that did (an elliptic "Ansvarig är Region X." after "Uppföljningen
    ska göras …"); the first ones of a section are about all of them."""
    named = {t for t in heading_topics(text) if t in heading}
    if named:
        last_named[section] = named
    else:
        named = last_named.get(section, set())
    return {t: s for t, s in heading.items() if t in named} if named else heading


#: What every passage of a text does with each topic it names, in reading order (passages()).
Reading = tuple[tuple[str, Passage], ...]


def statuses(doc: Document, extraction: Extraction, parties: list[Party] | None = None,
             reading: Reading | None = None) -> dict[str, TopicStatus]:
    """Topic → its status and the passages that show it, for every topic any passage names.
    `parties`: the parties the text states (the extraction's when not given). `reading`: what
    passages() gave for this document and extraction, when the caller has it (the pipeline reads
    the passages once for the graph and the gap report)."""
    found: dict[str, TopicStatus] = {}
    for topic, passage in passages(doc, extraction) if reading is None else reading:
        status = found.setdefault(topic, TopicStatus(topic, "missing"))
        getattr(status, passage.role).append(passage)
    _parties(doc, extraction.parties if parties is None else parties, found)
    for status in found.values():
        status.status = ("covered" if status.regulating else "referenced" if status.referencing
                         else "mentioned" if status.mentioning else "missing")
        for part in (status.regulating, status.referencing, status.mentioning):
            part.sort(key=lambda p: (-p.is_responsibility, -p.score, p.start))
    return found


def passages(doc: Document, extraction: Extraction) -> Reading:
    """Every passage that names a topic, with what it does with it (regulating, referencing or
    mentioning), in reading order; the parties are statuses()'s to add."""
    groups = lexicon().topic_groups
    by_bearer = set(groups.by_bearer_kind.values())
    clauses: dict[int, list[Clause]] = {}
    for clause in extraction.clauses:
        clauses.setdefault(clause.own_start, []).append(clause)
    # a clause is quoted by its longest verbatim part (a page number between two halves of a sentence
    # cuts it: Document.verbatim_span), so it starts inside its unit, not always at the unit's start
    starts = sorted(clauses)
    found: list[tuple[str, Passage]] = []

    def add(topic: str, passage: Passage) -> None:
        found.append((topic, passage))

    validity = rules()
    valid_from, valid_to, *_, period_quote = period_of(doc)
    period_quote = period_quote if valid_from or valid_to else None
    last_named: dict[int | None, set[str]] = {}
    opening = _title_block(doc)
    previous: tuple[int, dict[str, float]] = (-1, {})
    for unit in units_of(doc):
        block = doc.blocks[unit.block]
        text = doc.text[unit.start:unit.end]
        heading_like = unit.kind == "heading" or unit.block == opening
        own = heading_topics(text) if heading_like else own_topics(text)
        # the topics of the sentence before in the same paragraph, which a demonstrative points back to
        antecedent = previous[1] if previous[0] == unit.block else {}
        previous = (unit.block, own)
        if heading_like:
            why = "contents" if block.kind == "contents" else "heading"
            for topic, score in own.items():
                add(topic, Passage(unit.start, unit.end, text, block.section, "mentioning", why, score=score))
            continue
        heading = _heading_topics(doc, block.section)
        intro = _intro(doc, block)
        if _label(intro):
            heading = heading_topics(intro) or heading   # "Giltighet:" heads its items as a heading would
        if len(heading) > 1:   # "Giltighet och uppföljning": which of its topics is this passage about?
            heading = _narrowed(heading, text, block.section, last_named)
        inside = starts[bisect_left(starts, unit.start):bisect_left(starts, unit.end)]
        mine = [c for at in inside for c in clauses[at] if not _describes_a_body(c) and not _outsiders_duty(c)]
        if mine and _reports_law(doc, block, unit.start, unit.end, mine):
            mine = []   # "Det ska finnas rutiner för …" in a paragraph on what a regulation prescribes
        about = dict(own)
        if not set(own) - by_bearer:
            for topic, score in heading.items():
                about.setdefault(topic, score * concepts.HEADING_FACTOR)
        for clause in mine:  # a party's responsibilities: from who bears them (extraction says which)
            for topic in clause.topics:
                # a party's duty by its bearer, a target group by a scope ("Målgruppen är personer med …")
                if (topic in by_bearer and clause.is_responsibility) or (clause.scope and topic in TARGET_GROUPS):
                    about.setdefault(topic, 1.0)
        if _scope_item(doc, block, intro) and not phrase("negated_scope", r"\b", r"\b").search(text):
            # the groups an item names, and co-occurring conditions, which name a group of people too
            for topic in named_groups(text) + [t for t in SCOPE_TOPICS if t in own]:
                add(topic, Passage(unit.start, unit.end, text, block.section, "regulating", "scope",
                                   None, False, 1.0))
                about.pop(topic, None)
        # the sentence metadata read the agreement's period from, where no subject says whose period it is
        # ("Gäller från 1 januari 2027 …", "Planen gäller …", dates alone under "Avtalstid")
        own_period = bool(period_quote) and unmarked(period_quote or "") in text and not validity.subject.search(text)
        if own_period:
            about.setdefault("giltighetstid", 1.0)
        group_topics = [t for t in named_groups(text) if t not in about]
        if not about and not group_topics:
            continue
        # a validity statement under a validity heading or label states the period ("Giltighet:" —
        # "Överenskommelsen gäller från 2027-01-01 …")
        period = {"giltighetstid": about["giltighetstid"]} if "giltighetstid" in about else {}
        role, why, target = _role(text, mine, {**own, **period}, validity)
        if role == "mentioning" and own_period:
            role, why, target = "regulating", "validity", {"giltighetstid"}
        if role == "regulating" and _on_an_agenda(block, intro, text):
            role, why, target = "mentioning", "agenda", None
        other = refers_to(text)
        if other is None and role != "regulating":
            other = _listed_reference(text, intro)
        responsibility = any(c.is_responsibility for c in mine)
        if other is not None and points_back(text):
            # "Ansvaret och kostnadsfördelningen för dessa verksamheter är reglerade i avtal." after a
            # sentence on the joint housing: the matters pointed back to are referred there too
            for topic, score in antecedent.items():
                if topic not in about and topic not in group_topics and topic not in by_bearer:
                    add(topic, Passage(unit.start, unit.end, text, block.section, "referencing", "reference",
                                       other, responsibility, score * concepts.HEADING_FACTOR))
        for topic in group_topics:  # a target group named outside a scope provision
            group_role = "referencing" if other is not None else "mentioning"
            add(topic, Passage(unit.start, unit.end, text, block.section, group_role,
                               "reference" if other is not None else why if role == "mentioning" else "description",
                               other, responsibility, 0.5))
        elsewhere = named_in_other_agreements(text, own) if role == "regulating" else set()
        for topic, score in about.items():
            passage_role, passage_why = role, why
            if topic in elsewhere:   # "… ska läsas tillsammans med länets övriga överenskommelser, bland annat om …"
                passage_role, passage_why = "mentioning", "other-agreement"
            elif other is not None and topic not in by_bearer:
                passage_role, passage_why = "referencing", "reference"
            elif role == "regulating" and target is not None and topic not in target:
                passage_role, passage_why = "mentioning", "description"
            elif role == "regulating" and cross_reference(text) and topic not in by_bearer and _only_points(text):
                passage_role, passage_why = "mentioning", "cross-reference"
            add(topic, Passage(unit.start, unit.end, text, block.section, passage_role, passage_why,
                               other if passage_role == "referencing" else None,
                               responsibility, score))
    return tuple(found)


def _listed_reference(text: str, intro: str) -> str | None:
    """The other document an item that regulates nothing itself is referred to by its list's
    introduction ("Följande frågor regleras i andra överenskommelser mellan parterna:" — "hjälpmedel:
    Hjälpmedelsnämndens riktlinjer för förskrivning"): the document the item names, else the one the
    introduction names; None when the introduction refers nowhere."""
    pointed = refers_to(intro) if intro else None
    if pointed is None:
        return None
    lang = language()
    named = [d for d in _documents(text) if not lang.own_document.search(text[max(0, d.start() - 40):d.end() + 12])]
    return text[named[0].start():].strip(" ,")[:120] if named else pointed


def _role(text: str, mine: list[Clause], own: dict[str, float], validity: Rules) -> tuple[str, str, set[str] | None]:
    """What a passage does: (role, why, the only topics it regulates or None for all it is about)."""
    classes = {c.modality.cls for c in mine}
    regulating = classes & set(REGULATING)
    if regulating:
        return "regulating", sorted(regulating)[0], None
    if any(c.modality.cls == "permission" and c.bearer is not None for c in mine):
        return "regulating", "permission", None
    if any(c.scope for c in mine) and not any(c.negated_groups for c in mine):
        targets = {t for t in own if t.startswith("malgrupp_") or t == "samsjuklighet"}
        for c in mine:
            targets |= {t for t in c.topics if t.startswith("malgrupp_")}
        if targets:
            return "regulating", "scope", targets
    reason = next((c.modality.reason for c in mine), "no-cue")
    if reason == "aim" and "syfte_mal" in own:
        return "regulating", "purpose", {"syfte_mal"}
    if "giltighetstid" in own and validity.statement.search(text) and validity.subject.search(text) \
            and not validity.other_document.search(text) and _states_a_period(text, validity):
        return "regulating", "validity", {"giltighetstid"}
    return "mentioning", {"no-cue": "description", "describing-section": "background"}.get(reason, reason), None


def _states_a_period(text: str, validity: Rules) -> bool:
    """A validity statement gives the period or how it ends: a date, "tills vidare", a prolongation or
    a notice — a sentence that only names the agreement's validity ("Frågor om överenskommelsens
    giltighetstid har diskuterats …", "Med giltighetstid avses …") states none."""
    return bool(dates_in(text) or validity.open_ended.search(text) or validity.prolongation.search(text)
                or validity.notice.search(text))


def _describes_a_body(clause: Clause) -> bool:
    """A present-tense duty in a relative clause on a copula's predicate noun describes what a body
    is ("Habilitering och hjälpmedel i Uppsala län är en specialistverksamhet som ansvarar för
    habiliteringsinsatser"): not a rule of the agreement. A modal there still prescribes ("… är en
    hälso- och sjukvårdsinsats som inte ska frikopplas från …")."""
    m = clause.modality
    if m.reason != "relative" or m.cue.lower() in deontic.lexicon().modals:
        return False
    return bool(language().service_description.search(clause.text[:m.start].lower()))


def _on_an_agenda(block: Block, intro: str, text: str) -> bool:
    """A list item under an introduction that puts matters on a meeting's agenda ("Frågor som ska
    tas upp på nästa möte i styrgruppen:"), the item only a matter's name — short, no finite verb of
    its own: the duty is to raise the matter, the item names it."""
    if block.kind != "item" or not intro or not language().agenda.search(intro.lower()):
        return False
    words = re.findall(r"\w+", text.lower())
    return len(words) <= AGENDA_ITEM_WORDS and not set(words) & deontic.finite_words()


def _outsiders_duty(clause: Clause) -> bool:
    """A duty borne by a body outside the agreement — a national authority, the police, an
    organisation (actors.json "others") — describes that body's remit by law ("Försäkringskassan har
    ett samordningsansvar … och ska samordna aktiviteter …"): the agreement binds only its parties."""
    return clause.bearer is not None and clause.bearer.principal.role == "other"


def _reports_law(doc: Document, block: Block, start: int, end: int, mine: list[Clause]) -> bool:
    """A duty no one bears, in a paragraph that reports what a law or regulation prescribes
    ("… är det lagstadgat att … Det ska finnas rutiner för … Vidare föreskrivs …"): the law's, not
    the agreement's."""
    if any(c.bearer is not None for c in mine):
        return False
    rest = doc.text[block.start:start] + " " + doc.text[end:block.end]
    return bool(language().law_report.search(rest))


def _only_points(text: str) -> bool:
    """The passage's rule is the pointer: nothing but the pointer follows its verb."""
    match = language().cross_reference.search(text)
    return match is not None and len(text[match.end():].strip(" .,;")) < 25


def _parties(doc: Document, parties: list[Party], found: dict[str, TopicStatus]) -> None:
    """The parties the text states regulate `parter` — and only they: it is covered exactly when
    parties are found, never both found and "not identified"."""
    status = found.get("parter")
    if status is not None:
        status.mentioning += status.regulating
        status.regulating = []
    for party in parties:
        section = doc.section_at(party.start)
        passage = Passage(party.start, party.start + len(party.name), party.quote, section, "regulating", "parties")
        found.setdefault("parter", TopicStatus("parter", "missing")).regulating.append(passage)


def covered_topics(doc: Document, extraction: Extraction, parties: list[Party] | None = None,
                   reading: Reading | None = None) -> set[str]:
    return {t for t, s in statuses(doc, extraction, parties, reading).items() if s.status == "covered"}
