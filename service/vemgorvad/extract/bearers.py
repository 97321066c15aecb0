"""Who bears a duty, found the way a reader finds it (issue 12 item 2):

1. agent — the grammatical subject of the clause that states the duty ("Kommunen ska …"), the
   agent of a passive ("… ska erbjudas av båda huvudmännen"), a cleft or a possessive, the subject
   of the att-clause an abstract subject is equated with ("Utgångspunkten är att huvudmännen ska …",
   method complement); a pronoun subject refers back (context);
2. intro — an item's list introduction ("Kommunen ansvarar för att:");
3. section — the section's own bearer ("6.1 Kommunens ansvar", "Styrgrupp");
4. context — a definite noun that refers back to the previous responsibility's plan, routine or
   responsibility ("Planen ska upprättas …");
5. none — the duty stays a responsibility with no bearer (a SHACL warning), never a guess.

Objects and recipients are not bearers ("tas upp i länsstyrgruppen", "anmälan till
socialtjänsten"); a collaboration body is a body (kind other) even when its members come from both
principals; staff in general ("personalen", "respektive chefer") belong to the section's party, or
to both.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from ..language import alternation, compile_raw, load
from .actors import Bearer, Mention, _chain, _expand_together, bearer_from, find_subject, in_subject_position
from .deontic import Modality, classify, embedded_spans, finite_words, infinitive_first
from .deontic import lexicon as deontic_lexicon
from .lexicon import lexicon
from .lexicon import words as grammar_words


def _words(words: list[str]) -> str:
    return alternation([re.escape(w) for w in sorted(words, key=len, reverse=True)])


class Grammar:
    """data/lexicon/bearers.json as this module uses it (read through language.load)."""

    def __init__(self, data: Any):
        self.pronouns = frozenset(data["pronouns"])
        permissions = [w for w, m in deontic_lexicon().modals.items() if m["class"] == "permission"]
        self.weak = re.compile(rf"(?<![\wåäö])(?:{_words(permissions)})(?![\wåäö])")
        self.joiner = re.compile(rf"(?:,\s*|\s)(?:{_words(data['clause_joiners'])})\s")
        self.collaboration = compile_raw(data["collaboration_subject"])
        self.impersonal = compile_raw(data["impersonal"], "", r"\s+")
        self.holder = compile_raw(data["holder"])
        self.passive_agent = compile_raw(data["passive_agent"])
        self.forum = compile_raw(data["forum"])
        self.relative_antecedent = compile_raw(data["relative_antecedent"])
        self.fronted_holder = compile_raw(data["fronted_holder"])
        self.adverbial_start = re.compile(rf"^\s*(?:{_words(data['adverbial_start'])})(?![\wåäö])", re.I)
        self.inverted_gap = re.compile(rf"\s*(?:(?:{_words(data['inverted_gap'])})\s+){{0,3}}", re.I)
        self.deponents = frozenset(data["deponents"])
        self.complement_end = compile_raw(data["complement_copula"], "", r"\s*$")     # a predicate that ends "… är att"
        self.controller = re.compile(rf"(?<![\wåäö])(?:{_words(data['controller_prepositions'])})\s+$", re.I)
        self.between_principals = compile_raw(data["between_principals"])
        self.between_named = compile_raw(data["between_named"])
        self.happens_words = frozenset(data["happens"])
        self.happens = re.compile(rf"\s*(?:[\wåäö]+\s+){{0,3}}?(?:{_words(data['happens'])})(?![\wåäö])", re.I)
        self.passive_gap = frozenset(data["passive_gap"])
        self.passive_forms = frozenset(data["passive_forms"])
        self.passive_ending = str(data["passive_ending"])
        self.existence = frozenset(data["existence_verbs"])
        self.genitive_followers = frozenset(data["genitive_followers"])
        self.inclusion = compile_raw(data["inclusion"], r"^\s*", r"(?![\wåäö])")
        self.member = re.compile(rf"\s*(?:{_words(data['member_prepositions'])})\s+", re.I)
        d = data["definite"]
        self.definite = re.compile(rf"^\s*(?:(?:{_words(d['prepositions'])})\s+)?(?:{_words(d['determiners'])})?\s*"
                                   rf"([a-zåäö]{{3,}}(?:{_words(d['endings'])}))\b", re.I)
        self.stem_endings = tuple(d["stem_endings"])
        self.determined = re.compile(rf"^\s*(?:(?:{_words(d['prepositions'])})\s+)?(?:{_words(d['demonstratives'])})\s+"
                                     rf"(?:[a-zåäö]+(?:{_words(d['adjective_endings'])})\s+)?[a-zåäö]{{3,}}(?:{_words(d['endings'])})\b", re.I)
        self.complement = re.compile(rf"\s+(?:{_words(d['complement_prepositions'])})\s+(?:(?:{_words(d['determiners'])})\s+)?"
                                     rf"([a-zåäö]{{3,}}(?:{_words(d['endings'])}))\b", re.I)


@cache
def grammar() -> Grammar:
    return Grammar(load("bearers.json"))


@dataclass(frozen=True)
class Found:
    bearer: Bearer | None
    source: str              # agent | intro | section | context | none


def copy(bearer: Bearer, method: str, confidence: float) -> Bearer:
    return Bearer(bearer.kind, bearer.mode, bearer.principal, bearer.unit, bearer.label, method,
                  min(confidence, bearer.confidence), bearer.mentions, bearer.surface)


def clause_of(text: str, modality: Modality) -> int:
    """Where the clause that states the duty starts: after a coordinating conjunction that follows
    a weaker main clause ("… kan tas av den enskilde och den andre huvudmannen är då skyldig …")."""
    if modality.start <= 0:
        return 0
    before = text[:modality.start].lower()
    g = grammar()
    weak = list(g.weak.finditer(before))
    if not weak:
        return 0
    conj = [m for m in g.joiner.finditer(before) if m.start() > weak[-1].end()]
    return conj[-1].end() if conj else 0


def agent(text: str, mentions: list[Mention], modality: Modality) -> tuple[Bearer | None, str]:
    """The bearer the clause itself names, and how ("subject", "pronoun", "passive-agent", …)."""
    offset = clause_of(text, modality)
    part = text[offset:]
    local = [Mention(m.start - offset, m.end - offset, m.entry, m.surface) for m in mentions
             if m.start >= offset and not _in_parentheses(text, m.start)]
    if modality.reason in ("inherited", "section-item"):
        return None, "none"     # an item without a verb of its own: its introduction names the bearer
    cue = modality.start - offset if modality.end > 0 else None
    subject, method = find_subject(part, local)
    if method in FIXED_FORMS and subject:
        return _bearer(subject, method)
    if cue is not None and cue >= 0:
        subject, method = _around_cue(part, local, cue, modality.end - offset, modality)
        if method == "pronoun":
            return None, "pronoun"
        if subject:
            return _bearer(subject, method)
        if method == "collaboration":
            return _joint(), method
        if method == "unnamed-collaboration":
            return None, method
    else:
        subject, method = find_subject(part, local)
        if method == "pronoun":
            return None, "pronoun"
        if subject and method not in ("forum",):
            return _bearer(subject, method)
    return None, "none"


FORUM_ROLES = ("body", "each")   # who handles a matter "i/inom" it: a body, or each principal for its part
FIXED_FORMS = ("cleft", "possessive", "cost-bearer", "responsible-is", "scope-object")


def _bearer(subject: list[Mention], method: str) -> tuple[Bearer | None, str]:
    bearer = bearer_from(subject, method, 0.9)
    if bearer is not None and bearer.principal is not None and bearer.principal.role == "individual" \
            and method not in ("subject", "passive-agent", "cleft", "inverted", "agent"):
        return None, "none"
    return bearer, method


def _joint() -> Bearer:
    entry = lexicon().entries["huvudmannen"]
    return Bearer("kommun+region", "joint", entry, None, entry.sv, "collaboration", 0.8, [], "")


def _in_parentheses(text: str, position: int) -> bool:
    before = text[:position]
    return before.count("(") > before.count(")")


def _around_cue(text: str, mentions: list[Mention], cue: int, cue_end: int,
                modality: Modality) -> tuple[list[Mention], str]:
    """The subject of the clause whose verb is the cue: before it (straight order), right after
    it (after a fronted adverbial or clause), the agent of a passive after it, the subject of the
    att-clause an impersonal predicate governs, or the holder of "ska finnas hos X". The subject
    of a passive ("Överenskommelsen ska revideras", "… ska denne ges möjlighet") is what the duty
    is about, not who bears it."""
    lower = text.lower()
    g = grammar()
    finite = finite_words()
    embedded = embedded_spans(lower, finite)
    own = next(((s_, e_) for s_, e_ in embedded if s_ <= cue < e_), None)
    if own is not None:     # a cue counted inside an att-clause ("lagen föreskriver att huvudmännen ska …")
        opener = re.match(r"\S+\s+", lower[own[0]:])
        free_start = own[0] + (opener.end() if opener else 0)
        embedded = [sp for sp in embedded if sp != own]
    else:
        free_start = 0
        for s_, e_ in embedded:  # fronted subordinate clauses before the cue
            if s_ <= free_start + 1 and e_ <= cue:
                free_start = e_
    sentence = [m.end() for m in re.finditer(r"[.!?]\s+(?=[A-ZÅÄÖ])", text[:cue])]
    if sentence and sentence[-1] > free_start:   # two sentences in one unit: only the cue's own counts
        free_start = sentence[-1]
    head = lower[free_start:cue]
    usable = [m for m in mentions if not _inside_any(m.start, embedded)]
    # 0. a duty in a relative clause that hangs on an actor ("… till LiSA, som ska bereda frågan")
    antecedent = _relative_antecedent(text, mentions, cue)
    if antecedent is not None:
        return _heads(_chain(antecedent, mentions, text), text, mentions) or [antecedent], "subject"
    # 1. impersonal predicate: only the att-clause's subject ("krävs att huvudmännen möter …")
    if modality.reason == "predicate" and g.impersonal.search(lower[cue:cue_end + 6]):
        if _infinitival(lower, cue_end, mentions):
            # "… är det viktigt att tänka på att individen …": an infinitive clause has no subject of its
            # own — an actor after it is in a clause further down; the infinitive's controller is the
            # subject of a fronted subordinate clause ("När verksamheter möter unga vuxna är det viktigt att …")
            controller = _fronted_subject(text, mentions, embedded, cue)
            if controller:
                return controller, "subject"
            return _between_principals(lower, text, mentions)
        after = [m for m in mentions if cue_end <= m.start <= cue_end + 40 and in_subject_position(text, m, mentions)]
        if after and _present_passive(lower, after[0].end):
            after = []      # "det är viktigt att NSPH lyfts fram": a passive's subject is what the duty is about
        if after:
            return _heads(_chain(after[0], mentions, text), text, mentions), "subject"
        return _between_principals(lower, text, mentions)
    passive = _passive(lower, cue, cue_end)
    # a fronted holder of what must exist ("I berörda verksamheter ska det finnas rutiner"); a forum
    # is no holder: what must be in it is its composition ("I styrgruppen ska det finnas representanter")
    holder = [m for m in usable if free_start <= m.start and m.end <= cue and not lower[m.end:cue].strip()
              and m.entry.role not in ("body", "individual")
              and g.fronted_holder.match(lower[free_start:m.start])]
    if holder and _exists_after(lower, cue_end):
        return _heads(_chain(holder[0], mentions, text), text, mentions) or holder, "passive-agent"
    fronted = bool(g.adverbial_start.match(head)) or not head.strip()
    if modality.reason != "referral" and not passive:
        # 2. straight order: the subject stands before the verb
        if not fronted:
            candidates = [m for m in usable if free_start <= m.start and m.end <= cue
                          and in_subject_position(text, m, mentions)]
            candidates = _heads(candidates, text, mentions)
            if candidates:
                return _expand_together(candidates, mentions, text, cue_end), "subject"
            words = head.split()
            if words and words[0] in g.pronouns and len(words) <= 2:
                return [], "pronoun"
            complement = _complement_subject(text, lower, mentions, cue, cue_end, modality)
            if complement:
                return complement, "complement"
            if g.collaboration.match(head.strip()):
                # the collaboration's parties are its bearers only where the sentence names them
                # ("Samverkan ska ske … mellan huvudmännen"); "Samverkan ska bygga på respekt" names
                # none, and no heading or earlier sentence says whose collaboration it is
                named, method = _between_principals(_masked(lower, embedded), text, usable)
                return named, method if method == "collaboration" else "unnamed-collaboration"
        # 3. inverted order after a fronted adverbial: the subject follows the finite verb
        else:
            # verb-second puts the subject inside a predicate of several words ("Enligt lagen är
            # kommunen skyldig att …", "I dag har regionen ansvaret för …")
            inside = [m for m in usable if cue < m.start and m.end <= cue_end and in_subject_position(text, m, mentions)]
            if inside:
                subject = _heads(_chain(inside[0], mentions, text), text, mentions)
                if subject:
                    return _expand_together(subject, mentions, text, subject[-1].end), "inverted"
            # a pronoun subject inside a predicate of several words ("… har denne ett ansvar att")
            verb = re.match(r"\S+\s+", lower[cue:cue_end])
            if verb:
                within = lower[cue + verb.end():cue_end]
                gap = g.inverted_gap.match(within)
                first = within[gap.end() if gap else 0:].split()[:1]
                if first and first[0] in g.pronouns:
                    return [], "pronoun"
            rest = lower[cue_end:]
            gap = g.inverted_gap.match(rest)
            start = cue_end + (gap.end() if gap else 0)
            after = [m for m in usable if start <= m.start <= start + 2]
            if after:
                subject = _heads(_chain(after[0], mentions, text), text, mentions)
                return _expand_together(subject, mentions, text, subject[-1].end if subject else start), "inverted"
            nxt = lower[start:].split()[:1]
            if nxt and nxt[0] in g.pronouns and not _passive(lower, start, start + len(nxt[0])):
                return [], "pronoun"
    # 4. the agent of a passive, the holder of "finnas hos", a forum that decides
    if modality.reason != "referral":
        for m in usable:
            if m.start < cue_end:
                continue
            window = lower[cue_end:m.start]
            if len(window) > 90:
                break
            if (g.passive_agent.search(window) and _passive_before(lower, cue, m.start)) or g.holder.search(lower[cue:m.start]):
                return _heads(_chain(m, mentions, text), text, mentions), "passive-agent"
            if g.forum.search(lower[cue:m.start]) and m.entry.role in FORUM_ROLES:
                return [m], "forum"
    # 5. what only the two principals can do: collaborate, agree, plan together — in the duty's own clause,
    # not in a clause under it ("… behöver vara långsiktigt för att en god samverkan mellan huvudmännen ska …")
    return _between_principals(_masked(lower, embedded), text, usable)


def _complement_subject(text: str, lower: str, mentions: list[Mention], cue: int, cue_end: int,
                        modality: Modality) -> list[Mention]:
    """The bearer of a duty whose own subject is no actor but an abstract noun that the predicate
    equates with an att-clause ("En av utgångspunkterna … är att huvudmännen ska beakta …"): the
    att-clause's subject; for an infinitival att-clause, its controller named in the predicate ("En
    gemensam utgångspunkt för länets kommuner och Region Västmanland är att utveckla …"). [] when the
    predicate is no copula with an att-clause. (The same after a modal, "Den allmänna hållningen ska
    vara att parterna …", gave the right bearer but moved one development answer off its evidence
    with the ask model fitted on the graph before it: left for a refit, session 12.)"""
    g = grammar()
    if modality.reason != "predicate" or not g.complement_end.search(lower[cue:cue_end]):
        return []
    att_end = cue_end
    gap = g.inverted_gap.match(lower, att_end)
    start = gap.end() if gap else att_end
    after = [m for m in mentions if start <= m.start <= start + 2 and m.entry.role != "individual"
             and in_subject_position(text, m, mentions)]
    if after:
        return _heads(_chain(after[0], mentions, text), text, mentions)
    controller = [m for m in mentions if cue <= m.start and m.end <= att_end and m.entry.role != "individual"
                  and g.controller.search(lower[:m.start])]
    if controller:
        return _heads(_chain(controller[0], mentions, text), text, mentions)
    return []


def _infinitival(lower: str, cue_end: int, mentions: list[Mention]) -> bool:
    """The att-clause an impersonal predicate ends with is an infinitive clause ("viktigt att tänka på …",
    "krävs att samordna …"): its first word (after adverbs) is an infinitive, no actor stands before it
    ("viktigt att parterna …" has a subject)."""
    opener = re.search(r"(?<![\wåäö])([\wåäö]+)\s*$", lower[:cue_end])
    if opener is None or opener.group(1) not in deontic_lexicon().infinitival_openers:
        return False
    first = re.search(r"[\wåäö]+", lower[cue_end:])
    if first is None or any(m.start <= cue_end + first.start() < m.end for m in mentions):
        return False
    return infinitive_first(re.findall(r"[\wåäö]+", lower[cue_end:cue_end + 60])[:3]) is not None


def _fronted_subject(text: str, mentions: list[Mention], embedded: Sequence[tuple[int, int]],
                     cue: int) -> list[Mention]:
    """The actor subject of a subordinate clause that opens the sentence before the cue ("När
    verksamheter möter …, är det viktigt att …"): it controls an infinitive clause with no subject of
    its own. The individual is left out: "när den enskilde behöver …" states a situation."""
    fronted = next(((s, e) for s, e in embedded if s == 0 and e <= cue), None)
    if fronted is None:
        return []
    inside = [m for m in mentions if fronted[0] < m.start < fronted[1] and m.entry.role != "individual"
              and in_subject_position(text, m, mentions)]
    return _heads(_chain(inside[0], mentions, text), text, mentions) if inside else []


def _passive_before(lower: str, cue: int, agent: int) -> bool:
    """A passive verb stands between the cue and "av X" — the cue itself in the present ("Tvister löses … av
    Chefsforum") or an infinitive after it ("ska göras av kommunen", "ska ske … av"): "av" names the agent
    only of a passive; after a copula it is a noun's complement ("ska vara av god kvalitet och bemötandet
    av individen lika bra")."""
    g = grammar()
    words = re.findall(r"[\wåäö]+", lower[cue:agent])
    present = bool(words) and len(words[0]) > 3 and words[0].endswith("s") and words[0] not in g.deponents
    return present or any(w in g.passive_forms or (len(w) > 3 and w.endswith(g.passive_ending))
                          or w in g.happens_words or w[:-1] in g.happens_words for w in words)   # "löses av X", "ske av X"


def _present_passive(lower: str, subject_end: int) -> bool:
    """The finite verb after a subject is an s-passive in the present ("att NSPH lyfts fram", "att
    planen hanteras"): adverbs that may stand between (passive_gap) are skipped; a deponent is active."""
    g = grammar()
    for w in re.findall(r"[\wåäö]+", lower[subject_end:subject_end + 60])[:4]:
        if w in g.passive_gap:
            continue
        return len(w) > 3 and w.endswith("s") and w not in g.deponents
    return False


def _exists_after(lower: str, cue_end: int) -> bool:
    """The cue governs "finnas" within its next three words ("ska det finnas", "ska även finnas")."""
    return any(w in grammar().existence for w in re.findall(r"[\wåäö]+", lower[cue_end:cue_end + 40])[:3])


def _relative_antecedent(text: str, mentions: list[Mention], cue: int) -> Mention | None:
    """The actor a relative clause hangs on when the cue is that clause's verb ("LiSA, som ska
    bereda frågan", "regionen som också ska …"): the last actor before the cue, with only the
    relative "som" (and at most two adverbs) between them. The individual is left out: a clause on
    "den enskilde som ska flytta" describes a situation more often than it assigns a duty."""
    before = [m for m in mentions if m.end <= cue]
    if not before:
        return None
    last = max(before, key=lambda m: m.end)
    if last.entry.role == "individual" or not grammar().relative_antecedent.match(text[last.end:cue].lower()):
        return None
    return last


def _between_principals(lower: str, text: str = "", mentions: list[Mention] | None = None) -> tuple[list[Mention], str]:
    """Collaboration, an agreement or planning "mellan huvudmännen": only the two principals can carry
    it out (the guideline's row on collaboration); "gemensam planering" alone names no one. Collaboration
    "mellan" services the sentence names, of both principals ("bör samverkan ske mellan
    socialtjänsten, vuxenpsykiatrin och habiliteringscentrum"), is theirs together."""
    if grammar().between_principals.search(lower):
        return [], "collaboration"
    named = _between_named(lower, text, mentions or [])
    return (named, "collaboration") if named else ([], "none")


def _between_named(lower: str, text: str, mentions: list[Mention]) -> list[Mention]:
    """The actors a collaboration is "mellan" when they are principals or their services and both
    principals are among them; [] otherwise."""
    for match in grammar().between_named.finditer(lower):
        first = next((m for m in mentions if match.end() <= m.start <= match.end() + 4), None)
        if first is None:
            continue
        chain = _chain(first, mentions, text)
        if all(m.entry.role in ("principal", "unit") for m in chain) and {m.kind for m in chain} >= {"kommun", "region"}:
            return chain
    return []


def prescribes_an_act(text: str, modality: Modality) -> bool:
    """The duty prescribes an act on something ("Överenskommelsen ska revideras", "Samverkan ska
    ske"): not merely an aim, even in a section about aims."""
    lower = text.lower()
    if modality.end <= 0:
        return False
    if grammar().happens.match(lower[modality.end:]) or grammar().collaboration.match(lower[:modality.start].strip()):
        return True     # an act, or how the collaboration itself is to be run
    return _passive(lower, modality.start, modality.end)


def _passive(lower: str, cue: int, cue_end: int) -> bool:
    """The verb the cue governs is an s-passive ("ska revideras", "ska denne ges") or "finnas":
    its subject is the patient (or what must exist), not the bearer."""
    g = grammar()
    words = re.findall(r"[\wåäö]+", lower[cue_end:cue_end + 60])[:4]
    cue_words = re.findall(r"[\wåäö]+", lower[cue:cue_end])
    for w in cue_words[1:] + words:
        if w in g.passive_gap:
            continue
        if w in g.deponents:
            return False
        return w in g.existence or (len(w) > 3 and w.endswith(g.passive_ending)) or w in g.passive_forms
    return False


def _heads(candidates: list[Mention], text: str, mentions: list[Mention]) -> list[Mention]:
    """The mentions that head the subject: a genitive is only a modifier ("den enskildes rätt")
    unless another actor or a coordinated genitive follows ("kommunens medarbetare", "såväl
    kommunens som landstingets medarbetare"); staff in a body are the body ("representanter i
    Chefsforum")."""
    lower = text.lower()
    g = grammar()
    genitive = tuple(grammar_words("genitive_endings"))
    kept = []
    for m in candidates:
        surface = m.surface.lower()
        if surface.endswith(genitive) and not m.entry.id.endswith(genitive) and not m.entry.sv.lower().endswith(genitive):
            nxt = re.match(r"\s*([\wåäö:-]+)", lower[m.end:])
            following = [o for o in mentions if o.start >= m.end and o.start - m.end <= 2]
            if not following and not (nxt and nxt.group(1) in g.genitive_followers):
                continue
        if m.entry.role == "staff":
            body = [o for o in mentions if o.entry.role == "body" and m.end <= o.start <= m.end + 12
                    and g.member.fullmatch(lower[m.end:o.start])]
            if body:
                kept.append(body[0])
                continue
        kept.append(m)
    return kept


def _masked(lower: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with its adverbial and complement clauses ("för att …", "hur …") blanked out, positions
    kept; a relative clause stays ("bör ses som … parter i samverkansprocessen mellan landsting och
    kommun": 'som' is as often a comparison as a relative word)."""
    relative = deontic_lexicon().relative
    for s, e in spans:
        if lower[s:e].split()[:1] and lower[s:e].split()[0] not in relative:
            lower = lower[:s] + " " * (e - s) + lower[e:]
    return lower


def _inside_any(position: int, spans: Iterable[tuple[int, int]]) -> bool:
    return any(s <= position < e for s, e in spans)


def refers_back(text: str, previous_text: str, inverted_at: int | None = None) -> bool:
    """A definite noun subject whose stem the previous unit names ("Planen ska upprättas" after
    "… ska upprätta en samordnad individuell plan"): first in the clause, or — verb second, after a
    fronted adverbial or clause — right after the finite verb at `inverted_at` ("Då placering sker
    akut bör kostnadsfördelningen vara klarlagd" after "… ska parterna bedöma kostnadsfördelningen")."""
    g = grammar()
    m = g.definite.match(text)
    if not m and inverted_at is not None:
        m = g.definite.match(text[inverted_at:])
    if not m:
        return False
    nouns = [m.group(1).lower()]
    complement = g.complement.match(m.string, m.end())
    if complement:      # "Arbetet med planen": the work refers back through the plan
        nouns.append(complement.group(1).lower())
    return any(_named_before(noun, previous_text) for noun in nouns)


def opens_definite(text: str) -> bool:
    """The unit opens with a determiner and a definite noun, perhaps after a preposition and with an
    adjective between ("I den skriftliga kostnadsfördelningen …", "Av denna plan …"): it speaks of
    something the text has just named. A list introduction that does so, right after a duty, is
    about that duty's plan or agreement (clauses.py)."""
    return bool(grammar().determined.match(text))


def _named_before(noun: str, previous_text: str) -> bool:
    """The previous unit names the definite noun's stem."""
    for suffix in grammar().stem_endings:
        if noun.endswith(suffix) and len(noun) - len(suffix) >= 4:
            stem = noun[:-len(suffix)]
            break
    else:
        return False
    return bool(re.search(rf"(?<![\wåäö]){re.escape(stem[:max(4, len(stem) - 1)])}", previous_text.lower()))


def resolve(text: str, mentions: list[Mention], modality: Modality, *, item: bool,
            intro: Bearer | None, section: Bearer | None, previous: Bearer | None,
            previous_text: str, preceding: Iterable[Mention] = (), earlier: Sequence[Mention] = (),
            adjacent: bool = False) -> Found:
    """The bearer of a responsibility by the reader's order; None for permissions' holders too
    (the caller decides what to keep). `preceding`: the actors the sentence right before names,
    whatever it states — a pronoun with no earlier duty to refer to refers to the one actor there
    ("Högsta nivån … är respektive förvaltningschef. … har denne ett ansvar att …"). `earlier`: the
    actors the section named before, nearest last (named_earlier()); `adjacent`: the
    previous responsibility is the unit right before this one."""
    found, method = agent(text, mentions, modality)
    if found is None and method == "none":
        found = _later_clause_agent(text, mentions, modality)
    if found is not None:
        return Found(_staff(found, section), "agent")
    if method == "unnamed-collaboration":
        return Found(None, "none")
    if method == "pronoun" and previous is not None:
        return Found(copy(previous, "pronoun", 0.8), "context")
    if method == "pronoun":
        named = [m for m in preceding if m.entry.role != "individual"]
        antecedent = bearer_from(named, "pronoun", 0.7) if len({m.entry.id for m in named}) == 1 else None
        if antecedent is not None:
            return Found(_staff(antecedent, section), "context")
    if item and intro is not None:
        return Found(copy(intro, "list", 0.85), "intro")
    if section is not None and not _must_exist(text, mentions, section):
        return Found(copy(section, "heading", 0.7), "section")
    if previous is not None and refers_back(text, previous_text, inverted_subject_at(text, modality)):
        return Found(copy(previous, "definite", 0.7), "context")
    if previous is not None and adjacent and grammar().inclusion.match(text):   # "I det ingår att …"
        return Found(copy(previous, "definite", 0.7), "context")
    by_name = named_earlier(text, earlier)
    if by_name is not None:
        return Found(_staff(by_name, section), "context")
    return Found(None, "none")


def named_earlier(text: str, earlier: Sequence[Mention]) -> Bearer | None:
    """A definite noun subject that names an actor the section named before by a longer name: the
    head of its compound ("Grupperna" after "VuS-grupperna", "Nämnden" after "Socialnämnden") or
    the noun its proper name opens with ("Verksamheten" after "Verksamheten Välfärd"); the nearest
    such actor."""
    g = grammar()
    m = g.definite.match(text)
    words = text.split()
    if not m or not words or words[0].lower() != m.group(1).lower():
        return None     # only a bare definite noun opening the clause, as its subject
    noun = m.group(1).lower()
    for mention in reversed(earlier):
        surface = mention.surface.lower()
        if mention.entry.role == "individual" or surface == noun:
            continue
        first = surface.split()[0]
        if first == noun or (len(noun) >= 6 and (first.endswith(noun) or surface.endswith(noun))):
            return bearer_from([mention], "definite", 0.7)
    return None


def _later_clause_agent(text: str, mentions: list[Mention], modality: Modality) -> Bearer | None:
    """The agent of a later main clause joined by a conjunction when the duty's own clause names
    none ("Denna grupps … måste därför uppmärksammas och huvudmännen har ett särskilt ansvar för
    att …"): the unit's agent is the nearest source, before a list introduction or a heading. The
    later clause must state a duty of its own, at least as strong as the first. The individual is none:
    "… och individen ska vara i fokus", "… och patienten ska veta vem hen kan kontakta" state an outcome
    for the person, not who carries out the first clause's duty."""
    if modality.end <= 0:
        return None
    for joiner in grammar().joiner.finditer(text.lower(), modality.end):
        offset = joiner.end()
        tail = text[offset:]
        local = [Mention(m.start - offset, m.end - offset, m.entry, m.surface) for m in mentions if m.start >= offset]
        if not local:
            return None
        later = classify(tail, actors=tuple((m.start, m.end) for m in local if m.entry.role != "individual"))
        if later.cls != modality.cls or later.start < 0:
            continue
        found, _ = agent(tail, local, later)
        if found is not None and not (found.principal is not None and found.principal.role == "individual"):
            return found
    return None


def inverted_subject_at(text: str, modality: Modality) -> int | None:
    """Where the subject stands when a fronted adverbial or clause puts the finite verb (the cue)
    first ("Då placering sker akut bör kostnadsfördelningen …", "Vid behov ska planen …"): right
    after the verb and the adverbs that may follow it; None in straight order."""
    if modality.end <= 0 or modality.start <= 0:
        return None
    g = grammar()
    if not g.adverbial_start.match(text[:modality.start]):
        return None
    gap = g.inverted_gap.match(text[modality.end:])
    return modality.end + (gap.end() if gap else 0)


def _must_exist(text: str, mentions: list[Mention], section: Bearer) -> bool:
    """"På lokal nivå ska en styrgrupp finnas" under the heading "Styrgrupp": the body the section
    is about is what must exist, not who makes it exist — no bearer of its own existence."""
    words = set(re.findall(r"[\wåäö]+", text.lower()))
    return bool(words & grammar().existence) and any(m.entry.id == section.principal.id for m in mentions)


def _staff(bearer: Bearer, section: Bearer | None) -> Bearer:
    """Staff in general ("personalen", "respektive chefer") under one party's section are that
    party's; elsewhere both principals', each for its own part."""
    if bearer.principal is None or bearer.principal.role != "staff":
        return bearer
    if section is not None and section.kind in ("kommun", "region"):
        return Bearer(section.kind, "single", section.principal, section.unit, section.label, bearer.method,
                      bearer.confidence, bearer.mentions, bearer.surface)
    each = lexicon().entries["respektive-huvudman"]
    return Bearer("kommun+region", "each", each, None, each.sv, bearer.method, bearer.confidence,
                  bearer.mentions, bearer.surface)


__all__ = ["Found", "copy", "resolve"]
