"""A staff member's question → what it asks: agreement, topics, kind of duty, age, situation and the
words to match. Everything it recognises comes from data: data/lexicon/question.json, the topic
and situation cues of data/lexicon/cues.json, and the SKOS labels of the vocabularies."""
from __future__ import annotations

import re
from collections.abc import Collection
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from ...places import AgreementPlaces, Gazetteer, Mention, gazetteer, in_force, proper_names
from ...extract import concepts
from ...extract.actors import find_mentions
from ...extract.citations import find_citations
from ...extract.conditions import find_conditions
from ...extract.lexicon import Cue, alternation, compile_any, compile_raw, lexicon
from ...language import load
from .. import deadline
from .spelling import Correction, Speller
from .text import Vocabulary, content_stems, stem, stopwords, verb_of, words

QUESTION_MAX = 1000
QUESTION_TOPIC_THRESHOLD = 0.5
PARTICLE_REACH = 2               # a verb's particle stands next to it or after its subject or object   # a question is short: one clear cue names its topic


#: A group of a question's words: alternative stems, or a phrase as a tuple of stems; matched when any member is.
Group = frozenset[str | tuple[str, ...]]


@dataclass
class Interpretation:
    question: str
    expanded: str
    agreement: str | None = None
    agreement_named: bool = False
    agreements: list[str] = field(default_factory=list)      # every agreement in scope, the first leading
    place: dict[str, Any] | None = None                                 # the place the question names
    topics: list[str] = field(default_factory=list)          # what the question is about
    topic_scores: dict[str, float] = field(default_factory=dict)
    intents: list[str] = field(default_factory=list)          # kinds of duty asked for
    age: int | None = None                                    # an age the question gives ("en 25-åring")
    age_group: str | None = None                              # a word for a range of ages ("barn"), as said
    age_range: tuple[int, int] | None = None                  # the ages the question concerns
    days: int | None = None
    situations: list[str] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)  # content, as groups of alternative stems
    focus_groups: list[Group] = field(default_factory=list)  # … without the agreements' everyday words
    stems: list[str] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)            # shown in the interpretation
    corrected: dict[str, str] = field(default_factory=dict)   # misspelt → the word used instead
    did_you_mean: list[str] = field(default_factory=list)     # places read from a misspelt name
    unknown: list[str] = field(default_factory=list)          # content words no agreement uses
    recipient: bool = False                                   # "vart gör jag orosanmälan?"
    wants_individual: bool = False                            # "vems samtycke behövs?"
    wants_body: bool = False                                  # "vilket organ beslutade …?"
    asks_who: bool = False                                    # asks who acts: "vem …?", "vilken huvudman …?", or for a
                                                              # body or a person's consent (question.json answer_types)
    target_groups: list[str] = field(default_factory=list)    # target groups the question names
    asks_permission: bool = False                             # "får de …?", "kan vi …?"
    asks_last_step: bool = False                              # "vart hamnar tvisten till slut?" (steps.py)
    compare: bool = False                                     # "hur skiljer sig länen åt …"
    citations: list[str] = field(default_factory=list)        # provisions named, e.g. "2 g § HSL (1982:763)"
    actors: set[str] = field(default_factory=set)             # bodies and units named, as labels (lower-case)

    @property
    def explicit_age(self) -> bool:
        return self.age is not None

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"agreement": self.agreement, "topics": self.topics, "duties": self.intents, "age": self.age,
                "situations": self.situations, "words": self.focus}
        if self.place:
            data["place"] = self.place
        if len(self.agreements) > 1:
            data["agreements"] = self.agreements
        if self.age_group:
            data["age_group"] = self.age_group
        if self.target_groups:
            data["target_groups"] = self.target_groups
        if self.days is not None:
            data["days"] = self.days
        if self.corrected:
            data["corrected"] = self.corrected
        if self.did_you_mean:
            data["did_you_mean"] = "Menade du " + " och ".join(self.did_you_mean) + "?"
        if self.compare:
            data["compare"] = True
        return data


@cache
def _data() -> dict[str, Any]:
    return load("question.json")


@dataclass(frozen=True)
class _Compiled:
    synonyms: list[tuple[re.Pattern[str], str]]
    intents: dict[str, re.Pattern[str]]
    ages: list[re.Pattern[str]]
    age_groups: list[tuple[re.Pattern[str], str, tuple[int, int]]]
    recipient: re.Pattern[str]
    compare: re.Pattern[str]
    stopwords: frozenset[str]
    generic: frozenset[str]
    individual: re.Pattern[str]
    body: re.Pattern[str]
    party: re.Pattern[str]
    permission: re.Pattern[str]
    last_step: re.Pattern[str]
    particles: dict[str, str]          # particle after a verb → the particle as an action noun's first part


@cache
def _compiled() -> _Compiled:
    data = _data()
    types = data["answer_types"]
    groups = [(compile_any(g["patterns"]), name, (g["min"], g["max"]))
              for name, g in data["age_groups"].items() if not name.startswith("_")]
    return _Compiled(
        synonyms=[(compile_any([pattern]), expansion) for pattern, expansion in data["synonyms"]],
        intents={kind: compile_any(patterns) for kind, patterns in data["intents"].items()},
        ages=[re.compile(rf"(?<![\wåäö])(?:{a['pattern']})(?![\wåäö])", re.I) for a in data["ages"]],
        age_groups=groups, recipient=compile_any(types["recipient"]),
        compare=compile_any(data["compare_questions"]), stopwords=frozenset(data["stopwords"]),
        generic=frozenset(stem(w) for w in data["generic"]), individual=compile_any(types["individual"]),
        body=compile_any(types["body"]), party=compile_any(types["party"]),
        permission=re.compile("|".join(f"(?:{p})" for p in data["permission_questions"]), re.I),
        last_step=compile_any(data["last_step_questions"]),
        particles={k: v for k, v in data["particle_nouns"].items() if not k.startswith("_")})


@dataclass(frozen=True)
class _Phrases:
    days: re.Pattern[str]            # a duration: a number, in digits or in words ("tre veckor"), and its unit
    day_length: dict[str, int]
    numbers: dict[str, int]          # number words (conditions.json, as the extraction reads them)
    object_preposition: re.Pattern[str]
    not_age_after: str


@cache
def _phrases() -> _Phrases:
    data = _data()
    units = [re.escape(u) for u in data["day_units"]]
    numbers = {k: int(v) for k, v in lexicon().conditions["number_words"].items()}
    words = [re.escape(w) for w in sorted(numbers, key=len, reverse=True)]
    return _Phrases(re.compile(rf"\b(\d{{1,3}}|{alternation(words)})\s*({alternation(units)})\b"),
                    dict(lexicon().conditions["units_in_days"]), numbers,
                    compile_raw([re.escape(w) for w in data["object_prepositions"]], r"\b", r"\s+$"),
                    alternation(list(data["not_age_after"])))


@cache
def _group_topics() -> frozenset[str]:
    """Topics a question names only through a group or a party: not what it is about."""
    groups = lexicon().topic_groups
    return groups.target_group_topics | groups.by_bearer




def _meant(corrected: dict[str, Correction], mentions: list[Mention]) -> list[str]:
    """The places the question is read with that a correction made ("Menade du Västmanland?"): a word
    corrected to a place's name, or corrected inside one ("Västmanlnds län" → Västmanlands län). A
    correction no place name holds is no place read, and is not offered as one."""
    meant: list[str] = []
    for fix in corrected.values():
        to = set(words(fix.to))
        for m in mentions:
            if to <= set(words(m.text)):
                meant.append(fix.to if fix.place else m.place.name)
                break
    return list(dict.fromkeys(meant))


def agreement_aliases(agreements: list[dict[str, Any]]) -> list[tuple[re.Pattern[str], str]]:
    """Names each agreement goes by: the data file's aliases, its key and the county of its record."""
    aliases = []
    extra = _data()["agreement_aliases"]
    for record in agreements:
        key = record["key"]
        names = list(extra.get(key, []))
        county = (record.get("county") or "").lower().replace(" län", "")
        if county:
            names.append(re.escape(county) + r"(?:s)?(?: län)?")
        names.append(re.escape(key.replace("-", " ")))
        aliases.append((compile_any(names), key))
    return aliases


class Reader:
    """Reads questions against one graph: its vocabulary, the names its agreements go by, the
    SKOS labels of its concepts (from the store) and the spelling of its words."""

    def __init__(self, vocab: Vocabulary, aliases: list[tuple[re.Pattern[str], str]],
                 labels: dict[str, list[tuple[str, str]]], corpus_words: set[str],
                 places: list[AgreementPlaces], gaz: Gazetteer | None = None, corpus_pairs: AbstractSet[str] = frozenset()):
        self.vocab = vocab
        self.aliases = aliases
        self.places = places
        self.gazetteer = gaz or gazetteer()
        self.alternatives = _label_alternatives(labels)
        c = _compiled()
        known = set(c.stopwords) | {w for pattern, expansion in c.synonyms for w in words(expansion)}
        known |= {w for ws in self.alternatives for w in words(ws)}
        place_names = {n for p in self.gazetteer.places.values() for n in p.names if n.isalpha()}
        everyday = {n for p in self.gazetteer.places.values() if p.word for n in p.names if n.isalpha()}
        self.speller = Speller(corpus_words, place_names, known, everyday, corpus_pairs)

    def _place(self, lower: str, result: Interpretation, proper: set[str]) -> list[Mention]:
        """The agreements in force for the most specific place the question names (a district, a
        municipality, a county): every agreement for a municipality or district, regional and local,
        answers from all of them; for a county alone every agreement of the county too (`in_force`,
        shown grouped), answers from its county-wide ones (the local ones only when it has none).
        A name that is also an everyday word counts when the question writes it as a name ("i Kil").
        Returns the place names found, whose words are not content words."""
        mentions = self.gazetteer.find(lower, proper=proper)
        if not mentions:
            return []
        rank = {"district": 0, "municipality": 1, "county": 2}
        place = min(mentions, key=lambda m: (rank.get(m.place.kind, 3), m.start)).place
        found = in_force(self.places, place.id, gaz=self.gazetteer)
        regional, local = [e.key for e in found.regional], [e.key for e in found.local]
        if not regional and not local:   # none in force today: those that cover the place at all
            covering = [a.key for a in self.places
                        if any(c in self.gazetteer and (self.gazetteer.within(place.id, c) or
                                                       self.gazetteer.within(c, place.id)) for c in a.covers)]
            regional = covering
        keys = regional if (place.kind == "county" and regional) else regional + local
        result.place = {"id": place.id, "kind": place.kind, "label": place.label,
                        "in_force": {"county": regional, "local": local}}
        if keys:
            result.agreement, result.agreements, result.agreement_named = keys[0], keys, True
        return mentions

    def interpret(self, question: str, agreement: str | None = None) -> Interpretation:
        c = _compiled()
        stop = set(c.stopwords)
        original = question.lower().strip()
        proper = proper_names(question)
        lower, corrected, also = self._spell(original, c, proper)
        expansions = [expansion.replace("|", " ") for pattern, expansion in c.synonyms if pattern.search(lower)]
        expanded = lower + " " + " ".join(expansions)
        result = Interpretation(question, expanded)
        result.corrected = {k: v.to for k, v in corrected.items()}
        # a name written as a name and corrected to a place is still written as a name ("i Bodden": Boden)
        proper |= {w for v in corrected.values() if v.place and v.word in proper for w in words(v.to)}
        named_places = self._place(lower, result, proper)
        place_spans = [(m.start, m.end) for m in named_places]
        result.did_you_mean = _meant(corrected, named_places)
        if agreement:
            result.agreement, result.agreements = agreement, [agreement]
        elif not result.agreements:
            for pattern, key in self.aliases:
                if pattern.search(lower):
                    result.agreement, result.agreements, result.agreement_named = key, [key], True
                    break
        result.intents = [kind for kind, pattern in c.intents.items() if pattern.search(lower)]
        result.recipient = bool(c.recipient.search(lower))
        result.wants_individual = bool(c.individual.search(lower))
        result.wants_body = bool(c.body.search(lower))
        result.asks_who = result.wants_body or result.wants_individual or bool(c.party.search(lower))
        result.compare = bool(c.compare.search(lower))
        result.asks_permission = bool(c.permission.search(lower))
        result.asks_last_step = bool(c.last_step.search(lower))
        result.age = _age(lower, c.ages)
        if result.age is not None:
            result.age_range = (result.age, result.age)
        else:
            for pattern, name, span in c.age_groups:
                if pattern.search(lower):
                    result.age_group, result.age_range = name, span
                    break
        result.citations = [f"{p.key} {cit.abbr or ''} ({cit.sfs})".replace("  ", " ")
                            for cit in find_citations(question) for p in cit.provisions]
        phrases = _phrases()
        longer = find_conditions(lower).more_than_days   # "mer än två veckor", read as the extraction reads a rule's
        days = phrases.days.search(lower)
        if longer is not None:
            result.days = longer + 1                      # longer than that: the least whole number of days
        elif days:
            count = days.group(1)
            result.days = (int(count) if count.isdigit() else phrases.numbers[count]) * phrases.day_length.get(days.group(2), 1)
        mentions = find_mentions(lower)
        result.actors = {m.entry.sv.lower() for m in mentions if m.entry.role == "body"
                         and not phrases.object_preposition.search(lower[:m.start])}
        scores = concepts.scores("topics", expanded)
        result.topic_scores = scores
        result.topics = _subject_first(sorted(
            (t for t, v in scores.items() if v >= QUESTION_TOPIC_THRESHOLD and t not in _group_topics()),
            key=lambda t: -scores[t]))
        groups = concepts.scores("target_groups", expanded)
        result.target_groups = sorted((g for g, v in groups.items() if v >= QUESTION_TOPIC_THRESHOLD),
                                      key=lambda g: -groups[g])
        result.situations = [key for key, cues in _situation_cues() if any(cue.search(expanded) for cue in cues)]
        alias_words = set()
        for pattern, _ in self.aliases:
            for match in pattern.finditer(lower):
                alias_words.update(words(match.group(0)))
        for start, end in place_spans:
            alias_words.update(p for w in words(lower[start:end]) for p in [w, *w.split("-")])
        result.groups = self._groups(lower, c.synonyms, stop | alias_words, result, also)

        def flat(member: str | tuple[str, ...]) -> str:
            return " ".join(member) if isinstance(member, tuple) else member

        result.stems = list(dict.fromkeys(flat(m) for group in result.groups for m in group))
        result.focus_groups = [g for g in result.groups if not {flat(m) for m in g} <= c.generic]
        result.focus = [flat(m) for g in result.focus_groups for m in sorted(g, key=flat)][:12]
        return result

    def _spell(self, lower: str, c: _Compiled, proper: set[str]) -> tuple[str, dict[str, Correction], dict[str, str]]:
        """The question with unknown words corrected; the corrections; words looked for beside
        rare dictionary words. Words a synonym, intent or alias reads are left as they are."""
        protected: list[tuple[int, int]] = [(m.start, m.end) for m in self.gazetteer.find(lower, proper=proper)]
        for pattern in [p for p, _ in c.synonyms] + list(c.intents.values()) + [p for p, _ in self.aliases]:
            protected.extend(m.span() for m in pattern.finditer(lower))
        corrected: dict[str, Correction] = {}
        also: dict[str, str] = {}
        pieces, last = [], 0
        tokens = list(re.finditer(r"[a-zåäöéü]+", lower))
        for n, match in enumerate(tokens):
            word = match.group(0)
            if any(a <= match.start() < b for a, b in protected) or stem(word) in self.vocab:
                continue
            context = (tokens[n - 1].group(0) if n else None, tokens[n + 1].group(0) if n + 1 < len(tokens) else None)
            fix = self.speller.correct(word, proper=word in proper, context=context)
            if fix is None:
                continue
            if fix.replaces:
                corrected[word] = fix
                pieces.append(lower[last:match.start()] + fix.to.lower())
                last = match.end()
            else:
                also[word] = fix.to
        pieces.append(lower[last:])
        return "".join(pieces), corrected, also

    def _groups(self, lower: str, synonyms: list[tuple[re.Pattern[str], str]], skip: set[str],
                result: Interpretation, also: dict[str, str]) -> list[Group]:
        """The question's content as groups of alternative stems: a group is matched when any of
        its stems is. A colloquial phrase and its expansion form one group ("soc" | "socialtjänst");
        each other content word is a group of its own, a compound split into one group per part."""
        vocab = self.vocab
        groups: list[Group] = []
        covered: list[tuple[int, int]] = []
        for pattern, expansion in synonyms:
            for match in pattern.finditer(lower):
                members: set[str | tuple[str, ...]] = set()
                for phrase in [match.group(0), *expansion.split("|")]:
                    stems = tuple(stem(w) for w in words(phrase) if w not in skip)
                    if stems and all(s in vocab for s in stems):
                        members.add(stems if len(stems) > 1 else stems[0])
                if members:
                    groups.append(frozenset(members))
                    covered.append(match.span())
        tokens = list(re.finditer(r"[a-zåäöéü0-9§]+(?:-[a-zåäöéü]+)*", lower))
        for n, match in enumerate(tokens):
            if any(a <= match.start() < b for a, b in covered):
                continue
            following = [t.group(0) for t in tokens[n + 1:n + 1 + PARTICLE_REACH]]
            for w in match.group(0).split("-"):
                if w in skip or len(w) < 2 or w.isdigit():
                    continue
                deadline.check()
                s = stem(w)
                if s in vocab:
                    verb = verb_of(s, vocab)
                    noun = _particle_noun(w, s, following, vocab)
                    groups.append(frozenset({s} | ({verb} if verb else set()) | ({noun} if noun else set())))
                    continue
                parts = vocab.split(w)
                if parts:
                    groups.extend(frozenset({p}) for p in parts)
                    continue
                alternatives = self._concept_alternatives(w, skip)
                if alternatives:
                    groups.append(alternatives)
                    continue
                if w in also and stem(also[w]) in vocab:
                    result.corrected.setdefault(w, also[w])
                    groups.append(frozenset({stem(also[w])}))
                elif len(w) >= 4 and not _near_stopword(w, skip):
                    result.unknown.append(w)
        unique: list[Group] = []
        for group in groups:
            if group not in unique:
                unique.append(group)
        return unique

    def _concept_alternatives(self, word: str, skip: set[str]) -> Group | None:
        """The agreements' words for a concept the question names by a label no agreement uses."""
        members = set()
        for phrase in self.alternatives.get(word, []):
            stems = tuple(stem(w) for w in words(phrase) if w not in skip)
            if stems and all(s in self.vocab for s in stems):
                members.add(stems if len(stems) > 1 else stems[0])
        return frozenset(members) or None


def _particle_noun(word: str, s: str, following: list[str], vocab: Vocabulary) -> str | None:
    """The action noun the agreements use for a verb and the particle after it ("följs upp" →
    uppföljning, "skrivs ut" → utskrivning, "söka upp" → uppsök(ande), "köpa in" → inköp): the
    particle as the first part (question.json "particle_nouns") and the verb's stem with -ning, or the
    verb whole. The particle may follow a subject or object ("skrivs patienten ut"): the first particle of
    the next PARTICLE_REACH words. None when none follows or the agreements use no such noun."""
    particles = _compiled().particles
    prefix = next((particles[w] for w in following if w in particles), None)
    if prefix is None:
        return None
    for noun in (prefix + s + "ning", prefix + word):
        found = stem(noun)
        if found in vocab and found != s:
            return found
    return None


def _label_alternatives(labels: dict[str, list[tuple[str, str]]]) -> dict[str, list[str]]:
    """Each one-word Swedish label of a topic, activity or target group (SKOS labels, read from the
    store) → the concept's other labels. Used only for a word no agreement uses:
    "substitutionsbehandling" is then looked for in the agreements' own words, "läkemedelsassisterad
    behandling"."""
    by_concept: dict[tuple[str, str], list[str]] = {}
    for scheme, rows in labels.items():
        for notation, label in rows:
            text = re.sub(r"\s*\([^)]*\)", "", label).strip().lower()
            if len(text) >= 3:
                by_concept.setdefault((scheme, notation), []).append(text)
    result: dict[str, list[str]] = {}
    for names in by_concept.values():
        names = list(dict.fromkeys(names))
        for name in names:
            if " " not in name:
                result.setdefault(name, []).extend(n for n in names if n != name)
    return result


def _near_stopword(word: str, stop: Collection[str]) -> bool:
    """A misspelt stopword ("landstiget") is still a stopword, not an unknown content word."""
    return process.extractOne(word, list(stop), scorer=Levenshtein.distance, score_cutoff=1) is not None


def _subject_first(topics: list[str]) -> list[str]:
    """"Vem betalar hjälpmedel": the question is about aids; paying is the kind of duty asked for."""
    duty_topics = _data().get("duty_topics", {})
    subjects = [t for t in topics if t not in duty_topics]
    return subjects + [t for t in topics if t in duty_topics] if subjects else topics


def _age(lower: str, ages: list[re.Pattern[str]]) -> int | None:
    """An age the question states ("en 25-åring", "fyller 19"), never one guessed from a word."""
    for pattern in ages:
        for match in pattern.finditer(lower):
            n = int(match.group("n"))
            if 0 <= n <= 120 and not re.search(rf"{match.group('n')}\s*(?:{_phrases().not_age_after})", lower):
                return n
    return None


@cache
def _situation_cues() -> list[tuple[str, list[Cue]]]:
    return list(lexicon().cues["situations"].items())


def validate_question(q: str | None) -> str:
    """The question, or a Swedish reason it cannot be asked (raised as ValueError)."""
    if q is None or not q.strip():
        raise ValueError("Ställ en fråga: parametern q saknas eller är tom.")
    if len(q) > QUESTION_MAX:
        raise ValueError(f"Frågan är för lång ({len(q)} tecken); högst {QUESTION_MAX} tecken.")
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", q):
        raise ValueError("Frågan innehåller otillåtna styrtecken.")
    return q.strip()


__all__ = ["Interpretation", "Reader", "agreement_aliases", "content_stems", "stopwords", "validate_question"]
