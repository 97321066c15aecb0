"""Normalised agreement → clauses and responsibilities.

For every sentence and list item: its deontic class (obligation, prohibition, recommendation,
permission, description — deontic.py), who bears it (bearers.py: the agent, the list
introduction, the section, the context, or nobody), the kind of duty, the conditions, the laws
cited (also through its footnotes), the topics. A clause's quote is exactly its unit.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Any, cast

from ..catalogue import load_catalogue
from ..ingest.document import Document
from ..ingest.layout import layout
from ..language import verb_forms
from . import bearers, concepts, deontic
from .acronyms import defined_bodies
from .actors import Bearer, Mention, bearer_from, document_actors, find_mentions, find_subject
from .citations import find_citations
from .conditions import all_ages, find_conditions
from .duties import duty_kinds
from .lexicon import ActorEntry, alternation, catalogue_bodies, grammar, lexicon, phrase
from .model import Clause, Extraction
from .partof import placed_bodies
from .parties import Party, find_parties, party_kind
from .sentences import Unit, split_sentences, units_of
from .tables import party_only, party_rows

#: Per section (None: before the first): its heading text, the topics it names, the bearer it names, its parent.
Headings = dict[int | None, dict[str, Any]]

#: A list item's own number or letter at its start ("1.", "2)", "a)", "b.")
ITEM_MARKER = re.compile(r"^\s*(?:\d{1,2}|[a-zåäö])[.)](?=\s)")

#: The strength a clause of each deontic class gives an answer's ranking (extract/deontic.py).
STRENGTH_VALUE = {"obligation": 1.0, "prohibition": 1.0, "recommendation": 0.75, "permission": 0.5, "description": 0.0}


@cache
def _shares() -> tuple[re.Pattern[str], dict[str, float]]:
    """A share of a cost, in words ("en tredjedel") or per cent, and what each word share is."""
    g = grammar()
    shares = {s.lower(): float(v) for s, v in g["cost_shares"].items()}
    named = alternation([re.escape(s) for s in shares])
    return re.compile(rf"(?P<share>{named}|\d{{1,3}}\s*(?:{alternation(g['percent'])}))", re.I), shares


@cache
def _item_start_verb() -> re.Pattern[str]:
    """A list item or sentence that starts with a verb ("att samordna …", "Bistå …"), or with its
    present tense, the subject elided as a draft's list under "Regionen" or "Vi i kommunen" has it
    ("• erbjuder boendestöd", "• gör en SIP när …")."""
    present = [form for verb in layout().item_verbs for form in verb_forms(verb, "active")]
    verbs = [re.escape(w) for w in sorted(set(layout().item_verbs) | set(present), key=len, reverse=True)]
    lead = alternation(grammar()["item_lead_words"])
    # an item's own number or letter before a word in lower case ("1. ordnar boendestöd", bullets set as
    # a numbered list) is its marker, as a bullet is; "2. Vuxna med …" starts no verb
    marker = r"(?:\d{1,2}[.)]|[a-zåäö][.)])\s+(?=(?-i:[a-zåäö]))"
    return re.compile(rf"^(?:{marker})?(?:(?:{lead})\s+)?(?:[a-zåäö]+a|{alternation(verbs)})\b", re.I)


def extract(doc: Document, key: str, as_of: str | None = None) -> Extraction:
    """Every sentence and list item: its deontic class (deontic.py), and for obligations,
    recommendations and permissions the party the text gives it to (bearers.py). The parties the
    text states and the bodies it defines are actors wherever it names them."""
    parties = find_parties(doc)
    actors = own_actors(doc, key, parties)
    catalogued = {body["id"] for body in catalogue_bodies()}
    named = [(e, p) for e, p in lexicon().actors if e.role == "body" and e.id in catalogued] + \
        [(e, p) for e, p in actors if e.role == "body"]     # the bodies with a proper name
    with document_actors(actors):
        placed = placed_bodies(doc.text, named)
    with document_actors(actors, placed):
        extraction = _extract(doc, key, as_of)
    extraction.placed = placed
    extraction.parties = parties
    return extraction


def own_actors(doc: Document, key: str = "", parties: list[Party] | None = None) -> list[tuple[ActorEntry, re.Pattern[str]]]:
    """The actors a document names itself: its parties by name ("Västra Götalandsregionen", as the
    principal of their kind) — those the text states and those of its catalogue record — and the
    bodies it defines ("Ledning i samverkan, LiSA"). `parties`: those find_parties gave (found here when not given)."""
    principals = {e.kind: e for e, _ in lexicon().actors if e.role == "principal"}
    named = [(p.name, p.kind) for p in (find_parties(doc) if parties is None else parties) if not p.generic]
    for record in load_catalogue() if key else []:
        if record.key == key:
            named += [(n, party_kind(n)) for n in (p.split(",")[0].strip() for p in record.parties)]
    out = []
    for name, kind in dict.fromkeys(named):
        if kind not in principals or (len(name.split()) < 2 and name.islower()):
            continue
        words = r"\s+".join(re.escape(w) for w in name.split())
        out.append((principals[kind], re.compile(rf"(?<![\wåäöÅÄÖ])(?:{words})s?(?![\wåäöÅÄÖ])", re.I)))
    return out + defined_bodies(doc.text)


def _extract(doc: Document, key: str, as_of: str | None = None) -> Extraction:
    as_of = as_of or document_year(doc.text)
    units = units_of(doc)
    headings = _heading_context(doc)
    intros = _intros(doc)
    intro_blocks = {b.intro for b in doc.blocks if b.intro is not None}
    table_rows = party_rows(doc)
    last_of_block = {u.block: n for n, u in enumerate(units)}
    clauses: list[Clause] = []
    previous: dict[int | None, tuple[Bearer | None, str]] = {}
    last_text: dict[int | None, str] = {}               # the section's last unit
    earlier: dict[int | None, list[Mention]] = {}       # every actor the section named so far
    intro_context: dict[int, Bearer] = {}   # a list introduction's bearer found from its context ("Grupperna ansvarar för att:")
    preceding: dict[int | None, list[Mention]] = {}    # the actors the section's last sentence names
    for n, unit in enumerate(units):
        if unit.kind == "heading":
            continue
        block = doc.blocks[unit.block]
        text = doc.text[unit.start:unit.end]
        section = block.section
        heading_text = headings[section]["text"] if section is not None else ""
        mentions = find_mentions(text)
        actors = tuple((m.start, m.end) for m in mentions if m.entry.role != "individual")
        intro = intros.get(block.intro) if unit.kind == "item" and block.intro is not None else None
        section_bearer = _section_bearer(headings, section)
        is_intro = (unit.block in intro_blocks and last_of_block.get(unit.block) == n) or text.rstrip().endswith(":")
        label = intro.text if intro and len(intro.text) <= 60 and intro.text.endswith(":") else ""
        # an item's own number or letter ("1. När …", "a) …") is its marker, as a bullet is: blanked for
        # the classifier, so a fronted clause after it is still the sentence's first
        reading = ITEM_MARKER.sub(lambda m: " " * len(m.group(0)), text) if unit.kind == "item" else text
        modality = deontic.classify(reading, item=unit.kind == "item", intro=intro.modality if intro else None,
                                    is_intro=is_intro, roles=deontic.section_roles(f"{heading_text} {label}"),
                                    actors=actors)   # a label over a list ("Tvister:") is its items' heading
        if modality.cls == "description" and unit.kind == "item" and intro is None and section_bearer is not None \
                and _item_start_verb().match(text):   # an item of a list under "Kommunens ansvar" with no introduction
            modality = deontic.Modality("obligation", "", 0, 0, "section-item")
        elif modality.cls == "description" and intro is not None and intro.modality is None and intro.bearer is not None \
                and party_only(intro.text) is not None and _item_start_verb().match(text):
            # "• Kommunen" over "– erbjuder boendestöd": an item that only names a party lists its acts
            # under it, as a heading "Kommunens ansvar" does
            modality = deontic.Modality("obligation", "", 0, 0, "party-item")
        row = table_rows.get(unit.block)
        if row is not None:   # a row of a table of party columns: its filled cells allocate its task
            modality = row.modality
        found = bearers.Found(None, "none")
        if row is not None and row.bearer is not None:
            found = bearers.Found(row.bearer, "agent")
        elif modality.cls != "description":
            prev_bearer, prev_text = previous.get(section, (None, ""))
            intro_bearer = (intro.bearer or intro_context.get(cast(int, block.intro))) if intro else None
            found = bearers.resolve(text, mentions, modality, item=unit.kind == "item",
                                    intro=intro_bearer, section=section_bearer,
                                    previous=prev_bearer, previous_text=prev_text,
                                    preceding=preceding.get(section, []), earlier=earlier.get(section, []),
                                    adjacent=bool(prev_text) and last_text.get(section) == prev_text)
            if "describing" in deontic.section_roles(heading_text) and modality.is_responsibility \
                    and (found.source != "agent" or _individual(found.bearer)) \
                    and modality.reason not in ("inherited", "referral") \
                    and not bearers.prescribes_an_act(text, modality):
                modality = deontic.Modality("description", reason="describing-section")
                found = bearers.Found(None, "none")
        own_intro = intros.get(unit.block) if is_intro else None
        if own_intro is not None and own_intro.bearer is None and own_intro.modality is not None \
                and found.source == "none" and modality.bare_intro:   # a bare introduction is no clause of its own
            prev_bearer, prev_text = previous.get(section, (None, ""))
            found = bearers.resolve(text, mentions, own_intro.modality, item=False, intro=None, section=None,
                                    previous=prev_bearer, previous_text=prev_text, preceding=preceding.get(section, []),
                                    earlier=earlier.get(section, []))
            if found.source == "none" and prev_bearer is not None and last_text.get(section) == prev_text \
                    and bearers.opens_definite(text):   # "I den skriftliga kostnadsfördelningen ska det framgå:"
                found = bearers.Found(bearers.copy(prev_bearer, "definite", 0.7), "context")
        if is_intro and found.source == "context" and found.bearer is not None:
            intro_context[unit.block] = found.bearer   # its items inherit what the introduction refers back to
            found = bearers.Found(None, "none") if modality.cls == "description" else found
        if modality.is_responsibility and found.bearer is not None:
            previous[section] = (found.bearer, text)
        elif modality.is_responsibility:
            previous[section] = (previous.get(section, (None, ""))[0], text)
        preceding[section] = mentions
        last_text[section] = text
        earlier.setdefault(section, []).extend(mentions)
        clause = _clause(doc, unit, text, heading_text, section, modality, found, mentions, as_of,
                         intro.text if intro else "", headings)
        if clause is not None:
            clauses.extend(_split_costs(clause, mentions))
    clauses = _merge_continuations(doc, clauses, headings)
    council, region = phrase("county_council_words", r"\b"), phrase("region_words", r"\b", r"\b")
    region_word = "Landstinget" if len(council.findall(doc.text)) > len(region.findall(doc.text)) else "Regionen"
    all_citations = find_citations(doc.text, as_of)
    for footnote in doc.footnotes.values():
        all_citations.extend(find_citations(footnote.text, as_of))
    heading_topics = {i: h["topics"] for i, h in headings.items() if i is not None and h["topics"]}
    return Extraction(key, clauses, all_citations, heading_topics, as_of, region_word)


def _individual(bearer: Bearer | None) -> bool:
    """The individual as a duty's subject: in a purpose or goals section ("Individen ska inte hamna mellan
    huvudmännens olika ansvarsområden" under "Syfte") an outcome for the person, not a duty of theirs
    (the annotation guideline's row on goals and purpose)."""
    return bearer is not None and bearer.principal is not None and bearer.principal.role == "individual"


def _merge_continuations(doc: Document, clauses: list[Clause], headings: Headings) -> list[Clause]:
    """A description that follows a responsibility in the same paragraph elaborates it ("Hälso- och sjukvården ansvarar för medicinska insatser. Individer
    med substansbruk kan behöva … LARO …"): its topics become the responsibility's; its words stay
    its own, so the quote is still the responsibility's sentence. It stays a clause of its own too (a
    description, no bearer): a question about what it says ("Vid utomlänsvård följer Hälso- och sjukvården
    riksavtal …") is answered by citing it, not the sentence before it."""
    merged: list[Clause] = []
    for clause in clauses:
        prev = merged[-1] if merged else None
        if (prev is not None and prev.is_responsibility and clause.deontic_class == "description"
                and clause.unit_kind == "sentence"
                and prev.unit_kind == "sentence" and prev.block == clause.block
                and doc.text[prev.own_end:clause.own_start].strip() == "" and not clause.scope
                and prev.conditions.cost_share is None and not clause.fallback_topic):   # no topic to give: its own passage
            extra = [t for t in clause.topics if t not in prev.topics]  # its topics, not its words
            prev.topics = prev.topics + extra
            if extra and prev.fallback_topic:
                prev.topics, prev.fallback_topic = extra, False
            prev.target_groups = list(dict.fromkeys(prev.target_groups + clause.target_groups))
            prev.activities = list(dict.fromkeys(prev.activities + clause.activities))
        merged.append(clause)
    return merged


def document_year(text: str) -> str | None:
    """The latest plausible year the text names: the date the agreement speaks from."""
    years = [int(y) for y in re.findall(r"(?<![\d:/])((?:19[89]|20[0-4])\d)(?![\d:/])", text)]
    return f"{max(years)}-12-31" if years else None


def _heading_context(doc: Document) -> Headings:
    """Per section: its heading text (with its parents'), the topics the heading names, and the
    bearer when the heading is about one party ("Kommunens ansvar", "Primärvård")."""
    context: Headings = {None: {"text": "", "topics": [], "bearer": None}}
    for i, section in enumerate(doc.sections):
        heading = section.title or section.heading
        mentions = find_mentions(heading)
        if not mentions and len(heading.split()) <= 2:  # "Habilitering", "Primärvård": a unit's name as heading
            for suffix in grammar()["definite_endings"]:
                mentions = [m for m in find_mentions(heading + suffix) if m.entry.role == "unit"]
                if mentions:
                    break
        bearer = None
        if mentions:
            whole = len(mentions) == 1 and len(heading.split()) <= len(mentions[0].surface.split()) + 1
            if phrase("responsibility_words", r"\b").search(heading) or whole:
                bearer = bearer_from(mentions, "heading", 0.7)
        parent = section.parent
        path = heading if parent is None else doc.sections[parent].title + " " + heading
        topics = [t for t, s in concepts.scores("topics", heading).items() if s >= 1.0]
        context[i] = {"text": path, "topics": topics, "bearer": bearer, "parent": parent}
    return context


def _section_bearer(headings: Headings, section: int | None) -> Bearer | None:
    while section is not None:
        bearer: Bearer | None = headings[section]["bearer"]
        if bearer is not None:
            return bearer
        section = headings[section].get("parent")
    return None


@dataclass(frozen=True)
class Intro:
    """A list's introduction: its last sentence, the class it passes to its items, its bearer."""
    text: str
    modality: deontic.Modality | None
    bearer: Bearer | None


def _intros(doc: Document) -> dict[int, Intro]:
    """Each list introduction by block. An item that introduces sub-items ("• Utreda …:" under
    "Kommunens ansvar är att:") passes on what it does not say itself from its own introduction."""
    result: dict[int, Intro] = {}

    def intro_of(index: int) -> Intro:
        if index not in result:
            intro = doc.blocks[index]
            sentences = split_sentences(doc.text[intro.start:intro.end], intro.start)
            start, end = sentences[-1] if sentences else (intro.start, intro.end)
            text = doc.text[start:end]
            if intro.kind == "item":   # the normalised item's marker is no part of what it says
                text = re.sub(r"^[•-]\s+", "", text)
            mentions = find_mentions(text)
            subject, method = find_subject(text, mentions)
            modality = deontic.is_duty_intro(text)
            bearer = bearer_from(subject, method, 0.85) if subject else None
            if bearer is None and (party := party_only(text)) is not None:
                bearer = bearer_from([party], "list", 0.85)   # "• Kommunen" over the acts it lists
            if intro.kind == "item" and intro.intro is not None and intro.intro != index:
                outer = intro_of(intro.intro)   # a paragraph, or an item one level up
                modality, bearer = modality or outer.modality, bearer or outer.bearer
            result[index] = Intro(text, modality, bearer)
        return result[index]

    for block in doc.blocks:
        if block.intro is not None:
            intro_of(block.intro)
    return result


def _clause(doc: Document, unit: Unit, text: str, heading: str, section: int | None, modality: deontic.Modality,
            found: bearers.Found, mentions: list[Mention], as_of: str | None, intro_text: str,
            headings: Headings) -> Clause | None:
    """The clause of one unit: its quote is exactly the unit (one sentence or one list item), its
    list introduction kept beside it as context."""
    bearer = found.bearer
    citations = find_citations(text, as_of)
    for footnote in doc.footnotes_in(unit.start, unit.end):
        citations.extend(find_citations(footnote.text, as_of))
    topic_scores = concepts.scores("topics", text, heading)
    topics = [t for t, s in topic_scores.items() if s >= concepts.THRESHOLD]
    topics += [t for t, s in concepts.scores("topics", heading).items() if s >= concepts.THRESHOLD and t not in topics]
    scope = bool(phrase("scope", r"\b").search(text))
    groups = concepts.concepts("target_groups", text, heading if scope else "",
                               lexicon().scope_group_threshold if scope else concepts.THRESHOLD)
    negated = []
    if scope:
        topics.extend(_scope_topics(text, groups))
        if phrase("negated_scope", r"\b", r"\b").search(text):
            negated = [g for g in groups]
            topics = [t for t in topics if t not in lexicon().topic_groups.target_group_topics]
    if bearer is not None and modality.is_responsibility:
        topics.extend(_bearer_topics(bearer, text, f"{heading} {intro_text}"))   # "Kommunen ansvarar för:" + items
    topics = list(dict.fromkeys(topics))
    fallback = False
    if modality.cls == "description" and not topics and not any(m.entry.role != "individual" for m in mentions):
        return None     # says nothing of a topic and names nobody: no passage an answer could cite
    if not topics:
        # every clause needs a topic; this one is a guess coverage ignores. A description that names an
        # actor ("Habiliteringen erbjuder råd, stöd och behandling …", "Arbetsgruppen består av …") is kept:
        # it answers "vem …?" with the actor it names, though it obliges nobody
        fallback = True
        best = max(topic_scores, key=topic_scores.__getitem__, default=None)
        kinds = lexicon().topic_groups
        kind = bearer.kind if bearer is not None else "kommun+region"
        topics = [best] if best else [kinds.by_bearer_kind.get(kind, kinds.collaboration)]
    strength = STRENGTH_VALUE[modality.cls]
    # the clause is read whole, but quoted only where it stands in the original as it is: a sentence that
    # normalising joined across a URL line, a footnote or a page number is quoted by its longest unbroken part
    start, end = doc.verbatim_span(unit.start, unit.end)
    clause = Clause(
        start=start, end=end, own_start=start, own_end=end, block=unit.block, section=section,
        unit_kind=unit.kind, text=text, quote=doc.text[start:end], topics=topics,
        topic_scores=topic_scores, target_groups=groups,
        activities=concepts.concepts("activities", text), conditions=find_conditions(text),
        citations=citations, strength=strength, normative=modality.is_responsibility,
        scope=scope, negated_groups=negated, bearer=bearer,
        duty_kinds=duty_kinds(text) if modality.is_responsibility else [],
        fallback_topic=fallback, modality=modality, bearer_source=found.source if bearer is not None else "none",
        intro=intro_text,
        bearer_section=_bearer_section(headings, section) if found.source == "section" else None,
    )
    recipient = phrase("recipient", r"\b").search(text)
    if recipient:
        after = [m for m in mentions if m.start >= recipient.end() - 1]
        if after:
            clause.recipient = after[0].entry.id
    clause.statement = _statement(clause)
    return clause


def _bearer_section(headings: Headings, section: int | None) -> int | None:
    """The section (this one or one above it) whose heading gave the bearer."""
    while section is not None:
        if headings[section]["bearer"] is not None:
            return section
        section = headings[section].get("parent")
    return None


def _scope_topics(text: str, groups: list[str]) -> list[str]:
    """The target-group topics a scope sentence shows. "All ages" covers the young too, and a
    scope for adults only does not cover them."""
    lower = text.lower()
    g, named = lexicon().topic_groups, set(groups)
    if all_ages().search(lower):
        named.add(g.young)
    if phrase("adults_only", r"\b", r"\b").search(lower):
        named.discard(g.young)
    return list(dict.fromkeys(topic for group, topic in g.target_groups.items() if group in named))


def _bearer_topics(bearer: Bearer, text: str, heading: str) -> list[str]:
    """A responsibility that says "ansvar"/"uppdrag" (or stands under such a heading) is evidence
    that the agreement states that party's responsibilities."""
    groups = lexicon().topic_groups
    if bearer.principal is not None and bearer.principal.role == "body":
        return [groups.collaboration]  # a collaboration body's duties describe the collaboration structure
    words = phrase("responsibility_words", r"\b")
    if not (words.search(text) or words.search(heading)) or bearer.kind not in groups.by_bearer_kind:
        return []
    return [groups.by_bearer_kind[bearer.kind]]


def _split_costs(clause: Clause, mentions: list[Mention]) -> list[Clause]:
    """"landstinget betalar en tredjedel och kommunen två tredjedelar": one rule for each party. An
    optional split ("… kan huvudmännen dela på kostnaden utifrån en schablon där …") is a permission
    for each party with its share, as the guideline reads it: no duty, but the answer to who pays what."""
    paying = clause.duty_kinds if clause.is_responsibility else duty_kinds(clause.text) \
        if clause.deontic_class == "permission" else []
    if "pay" not in paying:
        return [clause]
    text = clause.text
    shares = []
    pattern, values = _shares()
    for match in pattern.finditer(text):
        before = [m for m in mentions if m.end <= match.start() and match.start() - m.end <= 30
                  and m.entry.role in ("principal", "unit")]
        if before:
            share_text = match.group("share").lower()
            value = values.get(share_text)
            if value is None:
                value = int(re.findall(r"\d+", share_text)[0]) / 100
            shares.append((before[-1], value))
    if len(shares) < 2:
        return [clause]
    split = []
    for mention, value in shares:
        part = Clause(**clause.__dict__)
        part.bearer = bearer_from([mention], "cost-share", clause.bearer.confidence if clause.bearer else 0.9)
        part.bearer_source = "agent"
        part.conditions = find_conditions(text)
        part.conditions.cost_share = round(value, 4)
        part.duty_kinds = ["pay"] if clause.is_responsibility else []
        part.statement = _statement(part)
        split.append(part)
    return split


def _statement(clause: Clause) -> str:
    """A short Swedish paraphrase: the bearer and what the clause says."""
    text = re.sub(r"\s+", " ", clause.text).strip()
    if len(text) > 220:
        text = text[:217].rsplit(" ", 1)[0] + " …"
    if clause.bearer is None:
        return text
    label = clause.bearer.unit.sv if clause.bearer.unit else clause.bearer.label
    if clause.unit_kind == "item":
        first = text[:1].lower() + text[1:] if text[:2] != text[:2].upper() else text
        return f"{label}: {first}"
    if clause.conditions.cost_share is not None:
        named = {round(v, 4): s for s, v in _shares()[1].items()}
        share = named.get(clause.conditions.cost_share, f"{round(clause.conditions.cost_share * 100)} %")
        verb = "kan stå för" if clause.deontic_class == "permission" else "betalar"   # an optional split
        return f"{label} {verb} {share} ({text})"
    return text
