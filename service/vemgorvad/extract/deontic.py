"""The deontic class of a sentence or list item: obligation, prohibition, recommendation,
permission or description — what LegalRuleML calls the deontic specification of a statement and
ODRL models as odrl:Duty, odrl:Prohibition and odrl:Permission, with BCP 14's strengths (MUST,
SHOULD, MAY).

A unit is classified by the modality of its main clause. Cues (modal auxiliaries, responsibility
predicates, impersonal requirements, the prescriptive present of the agreement's own procedure)
come from data/lexicon/deontic.json. A cue inside a subordinate clause — an att-, om-, när- or
för att-clause, a relative clause — does not decide the class: "Socialstyrelsen anger vilka
insatser som huvudmännen ska genomföra" reports, it does not oblige. Several main clauses take the
strongest ("Initiativ till SIP kan tas av den enskilde och den andre huvudmannen är då skyldig att
delta" is an obligation). Markers of description override a cue: reported speech, history,
definitions, negated allocations, and aims (a document or an outcome as the subject of a purpose
verb). A list item without a cue of its own inherits its introduction's class; a bare introduction
is never a responsibility of its own.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from ..language import alternation, compile_any, compile_raw, compile_verbs, load
from .lexicon import lexicon as actor_lexicon

Token = tuple[str, int, int]          # a word (lower case) with its start and end
Spans = Sequence[tuple[int, int]]     # start and end of each actor named, or of each embedded clause

# A colon or hyphen inside a word ("BUP:s", "hälso-") belongs to it; one at its end does not
# ("Kommunen ska:" introducing a list is the modal "ska").
WORD = re.compile(r"[\wåäöÅÄÖéü](?:[\wåäöÅÄÖéü\-]|:(?=[\wåäöÅÄÖéü]))*")
RANK = {"obligation": 4, "prohibition": 4, "recommendation": 3, "permission": 2, "description": 0}
STRENGTH = {"obligation": "must", "prohibition": "must", "recommendation": "should", "permission": "may"}
RESPONSIBILITY = ("obligation", "prohibition", "recommendation")


@dataclass(frozen=True)
class Cue:
    cls: str
    start: int
    end: int
    source: str          # modal | predicate | present | inherited | relative
    embedded: bool = False
    words: str = ""


@dataclass(frozen=True)
class Modality:
    """What a unit does: its class, BCP 14 strength, and the cue that decided it."""
    cls: str                      # obligation | prohibition | recommendation | permission | description
    cue: str = ""                 # the words that decided ("ska", "ansvarar för", "är viktigt att")
    start: int = 0                # the cue's span in the unit's text
    end: int = 0
    reason: str = ""              # which rule decided
    bare_intro: bool = False      # the unit only introduces a list

    @property
    def strength(self) -> str | None:
        return STRENGTH.get(self.cls)

    @property
    def is_responsibility(self) -> bool:
        return self.cls in RESPONSIBILITY


DESCRIPTION = Modality("description", reason="no-cue")


class Lexicon:
    """data/lexicon/deontic.json as the classifier uses it (read through language.load, so entries
    switched off for leave-one-agreement-out are gone here too)."""

    def __init__(self, data: Any):
        self.data = data
        self.modals = {k: v for k, v in data["modals"].items() if not k.startswith("_")}
        self.readings = {k: v.get("reading", "") for k, v in self.modals.items()}
        self.negators = frozenset(data["negators"])
        self.negative_subjects = frozenset(data["negative_subjects"]["words"])
        self.epistemic = frozenset(data["epistemic_after_kan"]["verbs"])
        self.not_verbs = frozenset(data["epistemic_after_kan"]["not_verbs"]["words"])
        entitled = data["entitlement"]
        frame = entitled["frame"].replace("{holders}", alternation(entitled["holders"]))
        self.entitlement = re.compile(rf"(?<![\wåäö])(?:{frame}){entitled['right']}", re.I)
        self.receive = frozenset(w for w in data["receive_after_far"]["words"] if " " not in w)
        self.by_receiving = compile_any(data["obligation_by_receiving"])
        self.predicates = [(cls, compile_any(pats)) for cls, pats in data["predicates"].items()
                           if not cls.startswith("_")]
        self.generic_subject = compile_raw(data["generic_subjects"]["patterns"], r"^\s*", r"(?![\wåäö])")
        present = data["prescriptive_present"]
        self.present_actor = compile_verbs(present["actor"], "active")
        self.present_procedure = compile_raw([compile_verbs(present["procedure"], "passive").pattern,
                                              compile_verbs(present["procedure_intransitive"], "active").pattern])
        self.referral = compile_verbs(present["referral"])
        d = data["descriptive"]
        self.reported = compile_any(d["reported"])
        self.law_requires = re.compile(rf"(?<![\wåäöé])(?:{alternation(d['law_subjects'])})(?:\s+\S+){{0,10}}?\s+"
                                       rf"(?:{alternation(d['law_requires'])})(?![\wåäöé])", re.I)
        self.history = compile_any(d["history"])
        self.consequence = compile_any(d["consequence"])
        self.agreement_duty = compile_any(d["agreement_duty"])
        self.negated = compile_any(d["negated_allocation"])
        self.existence = compile_any(d["existence"])
        self.aim_predicates = compile_any(d["aim_predicates"])
        self.aim_openers = compile_any(d["aim_openers"])
        self.definition = compile_any(d["definition"])
        self.aim_subjects = compile_any(data["aim_subjects"]["words"])
        self.capability = frozenset(data["capability"]["words"])
        self.generic_pronouns = frozenset(data["generic_pronoun"]["words"])
        subs = data["subordinators"]
        self.subordinators = sorted(subs["words"], key=lambda w: -len(w.split()))
        self.subordinator_index: dict[str, list[tuple[str, ...]]] = {}
        for sub in self.subordinators:     # first word → the subordinators it starts, longest first
            self.subordinator_index.setdefault(sub.split()[0], []).append(tuple(sub.split()))
        self.relative = frozenset(subs["relative"])
        self.first_only = frozenset(subs["first_only"])
        self.adverb_after = frozenset(subs["adverb_after"])
        self.preposition_unless = {k: v for k, v in subs["preposition_unless"].items() if not k.startswith("_")}
        self.intro_tail = [re.compile(p, re.I) for p in data["intro_tails"]["patterns"]]
        self.not_duty_intro = compile_any(data["duty_intro"]["not_duty"])
        self.finite_extra = frozenset(data["finite_extra"]["words"])
        self.cost_split = compile_any(data["cost_split"]["patterns"])
        roles = data["section_roles"]
        self.roles = {role: compile_any(words) for role, words in roles.items() if not role.startswith("_")}
        self.allocation = compile_raw(data["allocation_words"], r"\b")
        c = data["clause"]
        self.adverbs = frozenset(c["adverbs"])
        self.infinitive_endings = tuple(c["infinitive_endings"])
        self.passive_infinitive_endings = tuple(c["passive_infinitive_endings"])
        self.relative_words = frozenset(c["relative_heads"])
        # "vilka som ska", and with the question's noun phrase: "vilken aktör inom socialtjänsten som ska"
        self.indirect_question = re.compile(rf"(?<![\wåäö])(?:{alternation([re.escape(w) for w in c['interrogatives']])})"
                                            rf"\s+(?:[\wåäö-]+\s+){{0,3}}?(?:{alternation([re.escape(w) for w in c['ambiguous_relative']])})"
                                            r"\s+(?:[\wåäö]+\s+){0,3}$", re.I)
        self.short_infinitives = frozenset(c["short_infinitives"])
        self.verblike_stop = frozenset(c["not_verbs"])
        self.subject_pronouns = frozenset(c["subject_pronouns"])
        self.present_endings = tuple(c["present_endings"])
        self.definite_endings = tuple(c["definite_endings"])
        self.verb_endings = tuple(c["verb_endings"])
        self.infinitival_openers = frozenset(c["infinitival_openers"])
        self.coordinators = frozenset(c["coordinators"])
        self.contrastive = frozenset(c["contrastive"])
        self.conjunctions = frozenset(c["conjunctions"])
        self.ambiguous_relative = frozenset(c["ambiguous_relative"])
        self.not_relative_after = frozenset(c["not_relative_after"])
        self.not_relative_before = frozenset(c["not_relative_before"])
        self.cleft = list(c["cleft"])
        self.cleft_stative = frozenset(c["cleft_stative"])
        self.forum = re.compile(rf"(?<![\wåäö])(?:{alternation([re.escape(w) for w in c['forum_prepositions']])})"
                                r"\s+(?:[\wåäö]+\s+)?$", re.I)
        self.relative_head = re.compile(rf"(?<![\wåäö])(?:{alternation([re.escape(w) for w in c['relative_heads']])})"
                                        r"\s+(?:[\wåäö]+\s+){0,3}$", re.I)
        self.classifying = re.compile(rf"(?<![\wåäö])(?:{alternation(c['classifying_copula'])}) [^,.]{{0,80}}$", re.I)
        self.intro_rest = re.compile(alternation(c["intro_rest"]), re.I)
        commissive = data["commissive"]
        self.commissive_subjects = frozenset(commissive["subjects"])
        self.commissive_not = frozenset(commissive["not_verbs"]) | self.cleft_stative


@cache
def lexicon() -> Lexicon:
    return Lexicon(load("deontic.json"))


# --- clause structure ------------------------------------------------------------------------

def _tokens(lower: str) -> list[Token]:
    return list(_token_tuple(lower))


@lru_cache(maxsize=256)
def _token_tuple(lower: str) -> tuple[Token, ...]:
    """The words of a unit, read once: classify, embedded_spans and the bearer's search (bearers.py)
    each ask for the same unit's."""
    return tuple((m.group(0), m.start(), m.end()) for m in WORD.finditer(lower))


#: (the actor lexicon, this lexicon, their finite verbs with the modals): made once per pair of lexicons.
_FINITE: list[tuple[object, Lexicon, frozenset[str]]] = []


def finite_words() -> frozenset[str]:
    """The finite verbs (the actor lexicon's, this lexicon's extra ones) and the modals: what
    embedded_spans takes as a clause's finite verb."""
    actors, lex = actor_lexicon(), lexicon()
    last = next(iter(_FINITE[-1:]), None)
    if last is not None and last[0] is actors and last[1] is lex:
        return last[2]
    finite = actors.finite_verb_set | frozenset(lex.modals) | lex.finite_extra
    _FINITE[:] = [(actors, lex, finite)]
    return finite


def _segments(lower: str) -> list[tuple[int, int]]:
    """Comma-, semicolon-, colon- and dash-delimited stretches: the outer limits of a clause. The
    comma of an enumeration ("hur lagar, förordningar och föreskrifter ska tillämpas": one word,
    then a coordinator) joins nouns of one clause and is no limit."""
    spans, start = [], 0
    enumeration = _enumeration_comma()
    for m in re.finditer(r"[,;:()–]|\s-\s|\.\s", lower):
        if m.group(0) == "," and enumeration.match(lower, m.end()):
            continue
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(lower)))
    return [(s, e) for s, e in spans if lower[s:e].strip()]


@cache
def _enumeration_comma() -> re.Pattern[str]:
    """What follows the comma of an enumeration: one word, then a coordinator (clause.coordinators)."""
    return re.compile(rf"\s*[\wåäö-]+\s+(?:{alternation([re.escape(w) for w in lexicon().coordinators])})\s", re.I)


def _verblike(word: str, finite: frozenset[str], prev: str = "") -> bool:
    """A finite verb, or a word that looks like one: an s-passive, -ör, or a present tense in
    -ar/-er/-ir right after a definite noun or a pronoun ("avtalstiden löper", "den behövs")."""
    if word in finite:
        return True
    lex = lexicon()
    if word in lex.verblike_stop or len(word) < 3:
        return False
    if word.endswith(lex.present_endings) and (prev in lex.subject_pronouns
                                               or (len(prev) > 4 and prev.endswith(lex.definite_endings))):
        return True
    return word.endswith(lex.verb_endings)


def embedded_spans(lower: str, finite: frozenset[str]) -> list[tuple[int, int]]:
    """The character spans of subordinate clauses (_embedded_spans), read once per unit: classify
    and the bearer's search (bearers.py) both ask."""
    return list(_embedded_spans(lower, finite, lexicon()))


@lru_cache(maxsize=64)
def _embedded_spans(lower: str, finite: frozenset[str], lex: Lexicon) -> tuple[tuple[int, int], ...]:
    """The character spans of subordinate clauses. A subordinate clause that opens a segment (a
    fronted "När …", "Om …", "För att …") ends where the main clause's finite verb follows its own
    (V2), and a verb right after 'som' inside it is its relative clause's own ("När en person som vårdas
    ska skrivas ut ska …"); a relative clause inside the subject ("Den huvudman som först får kännedom … ska …")
    ends before the main clause's verb; any other runs to the segment's end, or to a coordinated
    modal ("… för att förebygga … och ska vid behov ske …")."""
    modals = frozenset(lex.modals)
    spans = []
    all_toks = _tokens(lower)
    for n_seg, (seg_start, seg_end) in enumerate(_segments(lower)):
        toks = [t for t in all_toks if seg_start <= t[1] < seg_end]
        i = 0
        while i < len(toks):
            word, start, _ = toks[i]
            opener = _subordinator_at(toks, i, lex, at_start=(i == 0),
                                      verb_before=n_seg > 0 or any(t[0] in finite for t in toks[:i]))
            if opener is None:
                i += 1
                continue
            n_words, relative = opener
            fronted = n_seg == 0 and not relative and not any(t[0] in finite for t in toks[:i])
            if word in lex.ambiguous_relative and (_cleft(toks, i, lex) or lex.not_relative_after & {t[0] for t in toks[:i]}
                             or (i + 1 < len(toks) and toks[i + 1][0] in lex.not_relative_before)):
                i += 1     # the cleft "Det är X som …" is the allocation itself; "såväl X som Y" coordinates
                continue
            infinitival = word in lex.infinitival_openers and \
                _infinitive_after([t[0] for t in toks[i + n_words:i + n_words + 3]], lex, stop_at_noun=True) is not None
            j, seen_verb, end = i + n_words, infinitival, seg_end
            while j < len(toks):
                w = toks[j][0]
                prev = toks[j - 1][0]
                if j > i + n_words and _subordinator_at(toks, j, lex, at_start=False) is not None and w not in lex.ambiguous_relative \
                        and not fronted:
                    break      # a nested clause: this one runs to the segment's end
                if w in modals and prev in lex.coordinators and not (fronted or relative):
                    end = toks[j - 1][1]
                    break
                if prev in lex.ambiguous_relative and j > i + n_words and _verblike(w, finite):
                    j += 1     # "När det gäller de insatser som rekommenderas", "Verksamheter som möter individer
                    continue   # som är i behov av …": a nested relative clause's own verb
                if w in finite or w in modals:
                    if seen_verb and (fronted or relative or w in modals) and prev not in lex.conjunctions:
                        end = toks[j][1]
                        break
                    seen_verb = True
                elif _verblike(w, finite, prev) and j > i + n_words:
                    seen_verb = True
                j += 1
            spans.append((start, end))
            if end < seg_end:
                i = next((k for k, t in enumerate(toks) if t[1] >= end), len(toks))
            else:
                break
    return tuple(spans)


def _cleft(toks: list[Token], i: int, lex: Lexicon) -> bool:
    words = [t[0] for t in toks[:i]]
    return len(words) >= 3 and words[:len(lex.cleft)] == lex.cleft and i <= 10


def _subordinator_at(toks: list[Token], i: int, lex: Lexicon, at_start: bool,
                     verb_before: bool = True) -> tuple[int, bool] | None:
    """The subordinator at toks[i] (its length in words, and whether it is a relative word), or None.
    `verb_before`: a main clause may stand before it (a finite verb earlier in its segment, or an earlier segment)."""
    for words in lex.subordinator_index.get(toks[i][0], ()):
        if len(words) > 1 and [t[0] for t in toks[i:i + len(words)]] != list(words):
            continue
        sub = " ".join(words)
        if sub in lex.first_only and not at_start and (toks[i - 1][0] in lex.adverb_after or not verb_before):
            return None    # "är då skyldig": an adverb; "Avvikelser då …": no main clause before it to subordinate to
        preposition = lex.preposition_unless.get(sub)
        if preposition is not None and not at_start:
            prev = toks[i - 1][0]
            if prev in preposition["not_after"] or not (prev.endswith(tuple(preposition["after_endings"]))
                                                        or prev in preposition["after"]):
                return None    # "beslut om", "överenskommelse om": a preposition
        return len(words), sub in lex.relative
    return None


def _inside(position: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= position < e for s, e in spans)


# --- cues ---------------------------------------------------------------------------------------

def _next_words(toks: list[Token], index: int, n: int = 6) -> list[str]:
    return [t[0] for t in toks[index + 1:index + 1 + n]]


def infinitive_first(words: list[str]) -> str | None:
    """The first of `words` after adverbs and negation when it looks like an infinitive ("tänka" in
    "att [inte] tänka på …"); None when another word comes first."""
    return _infinitive_after(words, lexicon(), stop_at_noun=True)


def _infinitive_after(words: list[str], lex: Lexicon, stop_at_noun: bool = False) -> str | None:
    """The first word after a modal that looks like an infinitive (skipping adverbs, negation, an
    inverted subject's article): what the modal governs."""
    for w in words:
        if w in lex.adverbs or w in lex.negators or w in lex.not_verbs:
            continue
        if (len(w) > 1 and w.endswith(lex.infinitive_endings)) or w in lex.short_infinitives \
                or (w.endswith("s") and w[:-1] in lex.short_infinitives):
            return w       # "bl.a." is no infinitive; "ges", "tas" are the s-passive of one
        if stop_at_noun:
            return None
    return None


def _inverted_passive(lower: str, toks: list[Token], index: int, lex: Lexicon, span: int = 5) -> bool:
    """Verb-second after a fronted phrase puts the subject between the modal and its infinitive:
    "Därför behöver [målgruppens behov] kartläggas". True when a passive infinitive follows the
    modal at toks[index] after at least one word of subject, within `span` words, with no comma
    or clause opener ("att", "som", "för") between — "behöver stöd för att klaras" is a need."""
    for j in range(index + 1, min(index + 1 + span, len(toks))):
        word, start, _ = toks[j]
        if any(ch in lower[toks[j - 1][2]:start] for ch in ",.;:()") or word in lex.infinitival_openers \
                or word in lex.relative_words:
            return False
        if j > index + 1 and word.endswith(lex.passive_infinitive_endings) and len(word) > 4:
            return True
    return False


def _modal_cues(lower: str, toks: list[Token], lex: Lexicon) -> list[Cue]:
    cues = []
    for i, (word, start, end) in enumerate(toks):
        entry = lex.modals.get(word)
        if entry is None:
            continue
        after = _next_words(toks, i)
        negated = any(w in lex.negators for w in after[:2]) or (len(after) > 2 and after[0] in lex.adverbs
                                                                  and after[1] in lex.negators)
        cls = entry["negated"] if negated else entry["class"]
        reading = lex.readings[word]
        if cls == "permission" and not negated and _negative_subject(toks, i, lex) \
                and _infinitive_after(after, lex) is not None:
            cues.append(Cue("prohibition", start, end, "modal", words=word))   # "Ingen huvudman får avvakta …"
            continue
        if reading == "possibility":
            verb = _infinitive_after(after, lex)
            if verb is None or _epistemic(verb, after, lex):
                cls = "description"
        elif reading == "permission-or-receiving":
            if lex.by_receiving.match(lower, start):
                cls = "obligation"
            elif after and after[0] in lex.receive and not negated:
                continue       # "får en kopia", "får sin vård": receives
            elif not negated and _infinitive_after(after[:3], lex, stop_at_noun=True) is None:
                continue
        elif cls in ("obligation", "recommendation") and _generic_subject(toks, i, lex):
            cls = "description"     # "… måste man beakta individens känslighet": advice to anyone
        if reading == "need" and cls != "description":
            if i > 0 and lex.readings.get(toks[i - 1][0]) == "possibility":
                cls = "description"
            elif not negated and _infinitive_after(after[:3], lex, stop_at_noun=True) is None \
                    and not _inverted_passive(lower, toks, i, lex):
                cls = "description"     # "behöver stöd": a need, not a necessity to act
        cues.append(Cue(cls, start, end, "modal", words=word))
    return cues


def _epistemic(verb: str, after: list[str], lex: Lexicon) -> bool:
    """'kan' + `verb` only says what may be: a stative verb (epistemic_after_kan), alone or with the word
    after it ("kan komma att", "kan bidra till" — but "kan bidra med" offers), or the s-passive of one
    ("kan ses som")."""
    k = after.index(verb)
    pair = " ".join(after[k:k + 2])
    return verb in lex.epistemic or pair in lex.epistemic or (verb.endswith("s") and verb[:-1] in lex.epistemic)


def _generic_subject(toks: list[Token], index: int, lex: Lexicon) -> bool:
    """The modal at toks[index] has the generic pronoun 'man' for its subject, right before it ("man
    ska") or right after it, verb second ("… måste man beakta"): general advice to anyone, not a duty
    the agreement assigns (annotation guideline, section 6, the row on generic 'man')."""
    return (index > 0 and toks[index - 1][0] in lex.generic_pronouns) or \
        (index + 1 < len(toks) and toks[index + 1][0] in lex.generic_pronouns)


def _negative_subject(toks: list[Token], index: int, lex: Lexicon) -> bool:
    """The modal at toks[index] has a negative quantifier for its subject, which opens the unit and stands
    at most three words before it ("Ingen av parterna kan …", "Ingen huvudman får …")."""
    return 0 < index <= 4 and toks[0][0] in lex.negative_subjects


def _predicate_cues(lower: str, lex: Lexicon) -> list[Cue]:
    cues = []
    for cls, pattern in lex.predicates:
        for m in pattern.finditer(lower):
            cues.append(Cue(cls, m.start(), m.end(), "predicate", words=m.group(0)))
    return cues


def _present_cues(lower: str, toks: list[Token], lex: Lexicon) -> list[Cue]:
    cues = [Cue("obligation", m.start(), m.end(), "present", words=m.group(0))
            for m in lex.present_actor.finditer(lower)]
    cues += [Cue("obligation", m.start(), m.end(), "referral", words=m.group(0)) for m in lex.referral.finditer(lower)]
    cues += [Cue("obligation", m.start(), m.end(), "procedure", words=m.group(0))
             for m in lex.present_procedure.finditer(lower)]
    return [c for c in cues if not _governed(c.start, toks, lex)]


def _governed(position: int, toks: list[Token], lex: Lexicon) -> bool:
    """A verb form a modal or the infinitive marker governs ("kan lösas", "att hanteras") is an
    infinitive, not the present: adverbs and negation may stand between, and after a modal an inverted
    pronoun subject. After 'att' a pronoun is the subject of a finite att-clause ("Detta innebär att den
    följs upp årligen"): the infinitive marker never takes a subject before its verb."""
    before = [t[0] for t in toks if t[2] <= position]
    pronoun = False
    for word in reversed(before[-4:]):
        if word in lex.subject_pronouns:
            pronoun = True     # "kan den lyftas": the modal's inverted subject
            continue
        if word in lex.adverbs or word in lex.negators:
            continue     # "kan inte lösas"
        return word in lex.modals or (word == "att" and not pronoun)
    return False


# --- the classifier -------------------------------------------------------------------------------

def section_roles(heading_path: str) -> frozenset[str]:
    """The roles the section's heading path gives: describing, procedure."""
    lex = lexicon()
    return frozenset(role for role, pattern in lex.roles.items() if pattern.search(heading_path or ""))


def is_duty_intro(text: str) -> Modality | None:
    """The class a list introduction passes to its items, or None when it introduces examples,
    contents, goals or a scope rather than duties."""
    lex = lexicon()
    lower = text.lower()
    if lex.not_duty_intro.search(lower) and not lex.allocation.search(lower):
        return None
    cues = [c for c in _modal_cues(lower, _tokens(lower), lex) + _predicate_cues(lower, lex)
            if c.cls in RESPONSIBILITY]
    if lex.negated.search(lower):
        return None
    if cues:
        best = max(cues, key=lambda c: (RANK[c.cls], -c.start))
        return Modality(best.cls, best.words, best.start, best.end, "intro")
    m = lex.allocation.search(lower)
    if m:
        return Modality("obligation", m.group(0), m.start(), m.end(), "intro")
    return None


def bare_tail(text: str) -> int | None:
    """Where a list introduction's dangling end starts ("… ansvarar för att:", "Vid placering ska
    särskilt beskrivas:"), or None."""
    lex = lexicon()
    stripped = text.rstrip()
    if not any(p.search(stripped) for p in lex.intro_tail) and _modal_at_end(stripped.lower(), lex) is None:
        return None
    return len(stripped)


def _bare_infinitive(rest: str, lex: Lexicon) -> bool:
    """Nothing but adverbs, an inverted pronoun and the infinitive follow a modal ("ska särskilt
    beaktas", "ska det framgå" — a particle verb ends in a short infinitive): the items that
    follow are the verb's object."""
    words = [w for w, _, _ in _tokens(rest)]
    return bool(words) and all(w in lex.adverbs or w in lex.subject_pronouns for w in words[:-1]) \
        and (words[-1].endswith(lex.infinitive_endings) or words[-1] in lex.short_infinitives
             or (len(words[-1]) > 4 and words[-1].endswith(tuple(lex.short_infinitives)))) \
        and rest.rstrip(" :").endswith(words[-1])


def _modal_at_end(lower: str, lex: Lexicon) -> int | None:
    """Where the last modal starts when a bare infinitive ends the unit after it, else None."""
    modals = [(start, end) for word, start, end in _tokens(lower) if word in lex.modals]
    if modals and _bare_infinitive(lower[modals[-1][1]:], lex):
        return modals[-1][0]
    return None


def classify(text: str, *, item: bool = False, intro: Modality | None = None, is_intro: bool = False,
             roles: frozenset[str] = frozenset(), actors: tuple[tuple[int, int], ...] = ()) -> Modality:
    """The deontic class of one unit. `intro` is its list introduction's class (is_duty_intro),
    `is_intro` that the unit introduces a list, `roles` its section's roles, `actors` the spans of
    the actors it names (principals, units, bodies), which tell an actor subject from a document
    or an outcome."""
    lex = lexicon()
    lower = text.lower()
    toks = _tokens(lower)
    finite = finite_words()
    embedded = embedded_spans(lower, finite)
    law = lex.law_requires.search(lower) or lex.consequence.match(lower)
    cues = _modal_cues(lower, toks, lex) + _predicate_cues(lower, lex) + _present_cues(lower, toks, lex)
    cues = _resolve_overlaps(cues + _cleft_cue(toks, finite, lex, actors) + _commissive_cues(toks, finite, lex))
    cues = [Cue(c.cls, c.start, c.end, c.source, _inside(c.start, embedded) and not _law_applies(lower, law, c, lex),
                c.words) for c in cues]

    tail_cut = None
    if is_intro and bare_tail(text) is not None:
        tail_cut = _tail_cue_start(lower, cues)
    elif is_intro and not text.rstrip().endswith((".", "!", "?")):
        tail_cut = _verbless_tail(lower, cues, finite, lex)
    if tail_cut is not None:
        cues = [c for c in cues if c.start < tail_cut]

    main = [c for c in cues if not c.embedded and c.cls != "description"]
    main = [c for c in main if c.source != "present" or _has_actor_before(c.start, actors)
            or _inverted_subject(c, actors)] + _after_generic_subject(lower, cues, finite, lex)
    main = [c for c in main if c.source != "procedure" or "procedure" in roles or _forum_after(lower, c.end, actors)]
    overrides = _description_override(lower, main, lex, actors)
    if overrides:
        return Modality("description", reason=overrides, bare_intro=tail_cut is not None)
    if main and all(c.cls == "permission" for c in main) and lex.entitlement.search(lower):
        return Modality("description", reason="entitlement")
    split = lex.cost_split.search(lower)
    if split and not any(RANK[c.cls] >= RANK["obligation"] for c in main) \
            and not any(c.cls == "permission" and c.start < split.start() for c in main):
        return Modality("obligation", split.group(0), split.start(), split.end(), "cost-split")
    if main:
        best = max(main, key=lambda c: (RANK[c.cls], -c.start))
        return Modality(best.cls, best.words, best.start, best.end, best.source)
    relative = [c for c in cues if c.embedded and c.cls in RESPONSIBILITY and c.source in ("modal", "predicate")
                and _relative_clause(lower, c.start, embedded, actors)]
    if relative and not lex.existence.search(lower) and not lex.reported.search(lower):
        best = max(relative, key=lambda c: (RANK[c.cls], -c.start))
        return Modality(best.cls, best.words, best.start, best.end, "relative")
    if item and intro is not None and intro.is_responsibility:
        return Modality(intro.cls, intro.cue, 0, 0, "inherited")
    if tail_cut is not None:
        return Modality("description", reason="bare-introduction", bare_intro=True)
    return DESCRIPTION


def _cleft_cue(toks: list[Token], finite: frozenset[str], lex: Lexicon, actors: Spans) -> list[Cue]:
    """The cleft "Det är X som beviljar …" with an actor as X puts the act on X: an allocation,
    whatever the verb (a present tense other than a copula or 'har'; a modal after 'som' is its
    own cue)."""
    if [t[0] for t in toks[:len(lex.cleft)]] != lex.cleft:
        return []
    for i in range(len(lex.cleft) + 1, min(len(toks) - 1, 12)):
        if toks[i][0] != "som":
            continue
        if not any(s == toks[len(lex.cleft)][1] and e <= toks[i][1] for s, e in actors):
            return []     # the actor is the focus itself ("Det är ofta personalen som …" describes)
        j = i + 1
        while j < len(toks) - 1 and toks[j][0] in lex.adverbs:
            j += 1
        word, start, end = toks[j]
        present = word in finite or (word not in lex.verblike_stop and word.endswith(lex.present_endings + lex.verb_endings))
        if word in lex.modals or word in lex.cleft_stative or not present:
            return []
        return [Cue("obligation", start, end, "cleft", words=word)]
    return []


def _commissive_cues(toks: list[Token], finite: frozenset[str], lex: Lexicon) -> list[Cue]:
    """The parties' own "vi" with an act in the present ("vi gör en SIP", "… tar vi upp frågan"):
    a commitment (deontic.json "commissive"). The verb stands right after the subject, or right
    before it after a fronted phrase (Swedish puts the verb second); whether the clause is a main
    clause is decided as for every cue (embedded_spans)."""
    cues = []
    for i, (word, _, _) in enumerate(toks):
        if word not in lex.commissive_subjects:
            continue
        after = i + 1
        while after < len(toks) and toks[after][0] in lex.adverbs:
            after += 1
        candidates = ([toks[after]] if after < len(toks) else []) + ([toks[i - 1]] if i > 1 else [])
        for verb, start, end in candidates:
            present = verb in finite or (verb not in lex.verblike_stop
                                         and verb.endswith(lex.present_endings + lex.verb_endings))
            rest = [w for w, s, _ in toks if s > end][:3]
            negated = any(w in lex.negators or w in lex.negative_subjects for w in rest if w not in lex.commissive_subjects)
            if present and not negated and verb not in lex.modals and verb not in lex.commissive_not:
                cues.append(Cue("obligation", start, end, "commissive", words=verb))
                break
    return cues


def _law_applies(lower: str, law: re.Match[str] | None, cue: Cue, lex: Lexicon) -> bool:
    """"Lagstiftningen föreskriver att huvudmännen ska samverka": the law's requirement, applied to
    the parties, is a duty of theirs — the cue right in the law's att-clause counts."""
    if law is None or cue.start < law.end():
        return False
    between = _tokens(lower[law.end():cue.start])
    return not any(_subordinator_at(between, k, lex, at_start=False) for k in range(len(between)))


def _resolve_overlaps(cues: list[Cue]) -> list[Cue]:
    """A predicate that contains a modal ("ska sträva efter", "får i uppdrag") decides for it."""
    predicates = [c for c in cues if c.source != "modal"]
    kept = [c for c in cues if c.source != "modal" or not any(p.start <= c.start < p.end for p in predicates)]
    return kept


def _tail_cue_start(lower: str, cues: list[Cue]) -> int | None:
    """The last cue when nothing but its complementiser follows it ("… och ansvarar för:")."""
    if not cues:
        return 0
    last = max(cues, key=lambda c: c.end)
    rest = lower[last.end:].strip()
    if lexicon().intro_rest.fullmatch(rest) or len(rest) <= 12 or (last.source == "modal" and _bare_infinitive(rest, lexicon())):
        return last.start
    return None


def _verbless_tail(lower: str, cues: list[Cue], finite: frozenset[str], lex: Lexicon) -> int | None:
    """Where a list introduction's last cue starts when only its att and no verb follow it ("Båda
    huvudmännen har ansvar för att i alla situationer" over its items): the att-clause's verb is in each
    item, so the introduction is bare even with an adverbial after att. None when a verb follows."""
    if not cues:
        return None
    last = max(cues, key=lambda c: c.end)
    words = [w for w, _, _ in _tokens(lower[last.end:])]
    if not words or words[0] != "att" or len(words) > 6:
        return None
    rest = words[1:]
    if _infinitive_after(rest, lex) is not None or any(w in finite for w in rest):
        return None
    return last.start


def _forum_after(lower: str, position: int, actors: Spans) -> bool:
    """An actor that handles the matter follows the passive: "löses … av Chefsforum",
    "behandlas i styrgruppen"."""
    forum = lexicon().forum
    return any(position <= start <= position + 50 and forum.search(lower[position:start]) for start, _ in actors)


def _has_actor_before(position: int, actors: Spans) -> bool:
    return any(e <= position + 2 for s, e in actors)


def _after_generic_subject(lower: str, cues: list[Cue], finite: frozenset[str], lex: Lexicon) -> list[Cue]:
    """A procedure step in the present after a subject that names whoever meets a condition ("Den
    som först ser behovet kallar till SIP"): the relative clause ends at its own verb ("ser"), the
    next finite verb is the main clause's, so its step is a rule for that one."""
    generic = lex.generic_subject.match(lower)
    if generic is None:
        return []
    out = []
    for cue in cues:
        if cue.source != "present" or cue.start <= generic.end():
            continue
        between = [t[0] for t in _tokens(lower[generic.end():cue.start])]
        if any(_verblike(w, finite) or w.endswith(lex.present_endings) for w in between):   # "som" is its subject
            out.append(Cue(cue.cls, cue.start, cue.end, cue.source, False, cue.words))
    return out


def _inverted_subject(cue: Cue, actors: Spans) -> bool:
    """Swedish puts the verb second: after a fronted clause or adverbial the subject follows it
    ("När behovet finns kallar kommunen till SIP", "Varje år följer styrgruppen upp …"). An actor
    right after the present tense, or inside its phrase, is its subject — never at the start of the
    unit, where verb first is a question."""
    return cue.start > 0 and any(cue.start < s <= cue.end + 2 for s, _ in actors)


def _relative_clause(lower: str, position: int, embedded: Spans, actors: Spans) -> bool:
    """A duty in a relative clause counts when the clause hangs on an actor ("LiSA, som ska bereda
    frågan"), sits inside the subject ("De verksamheter som ska ansvara för … deltar …"), or
    classifies with a copula ("… är en insats som inte ska frikopplas …")."""
    lex = lexicon()
    before = lower[:position]
    m = lex.relative_head.search(before)
    if not m or lex.indirect_question.search(before):
        return False    # "avgör vilka som ska kallas": an indirect question, not a relative clause
    head_end = m.start()
    if any(0 <= head_end - e <= 3 for s, e in actors):
        return True
    span = next(((s, e) for s, e in embedded if s <= position < e), None)
    if span is not None and span[1] < len(lower.rstrip(" .")) - 1 and re.match(r"\s*[\wåäö]", lower[span[1]:]):
        return True
    return bool(lex.classifying.search(lower[:head_end + 1]))


def _description_override(lower: str, main: list[Cue], lex: Lexicon, actors: Spans) -> str:
    """Why a unit with a cue still only describes, or ""."""
    opener = lex.aim_openers.search(lower)
    if opener is not None and opener.start() < 40:
        return "aim"
    if lex.definition.search(lower):
        return "definition"
    negation = lex.negated.search(lower)
    if negation and not any(c.cls == "prohibition" for c in main) and not _contrasted(lower, negation.end(), main, lex):
        return "negated-allocation"
    if lex.agreement_duty.search(lower):
        return "agreement-duty"
    history = lex.history.search(lower)
    if history and (history.start() < 30 or not main):
        return "history"
    if not main:
        return ""
    best = max(main, key=lambda c: (RANK[c.cls], -c.start))
    if best.source == "modal" and best.cls in RESPONSIBILITY and _capability(lower, best, lex, actors):
        return "capability"
    if best.source == "modal" and best.cls in RESPONSIBILITY:
        aim = lex.aim_predicates.search(lower, best.end)
        if aim and aim.start() - best.end <= 25 and not _has_actor_before(best.start, actors):
            subject = lex.aim_subjects.search(lower[:best.start])
            if subject or not lower[:best.start].strip():
                return "aim"
    return ""


def _contrasted(lower: str, position: int, main: list[Cue], lex: Lexicon) -> bool:
    """A responsibility of a main clause that a contrastive conjunction ('men') sets against the negated
    allocation before it: "Regionen saknar motsvarande skyldighet men hälso- och sjukvården har ett ansvar
    att förebygga ohälsa" denies one duty and allocates another."""
    for cue in main:
        if cue.cls in RESPONSIBILITY and cue.start > position and \
                any(w in lex.contrastive for w, _, _ in _tokens(lower[position:cue.start])):
            return True
    return False


def _capability(lower: str, cue: Cue, lex: Lexicon, actors: Spans) -> bool:
    """"Personer ska kunna få …", "Strukturen ska kunna underlätta …": the modal governs 'kunna'
    (capability.words) with no actor before it — what shall be possible, an aim, not a duty to act.
    An actor subject keeps the duty ("Kommunen ska kunna erbjuda …")."""
    for word, start, _ in _tokens(lower[cue.end:]):
        if word in lex.adverbs or word in lex.negators:
            continue
        return word in lex.capability and not _has_actor_before(cue.end + start, actors)
    return False
