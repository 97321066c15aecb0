"""A staff member's question → what it asks: agreement, topics, kind of duty, age, situation and the
words to match. Everything it recognises comes from data: data/lexicon/question.json, the topic
and situation cues of data/lexicon/cues.json, and the SKOS labels of the vocabularies."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

import rdflib
from rdflib.namespace import SKOS

from ... import paths
from ...extract import concepts
from ...extract.actors import find_mentions
from ...extract.citations import find_citations
from ...extract.lexicon import alternation, compile_any, compile_raw, lexicon
from ...language import load
from .text import Vocabulary, content_stems, stem, words

QUESTION_MAX = 1000
QUESTION_TOPIC_THRESHOLD = 0.5   # a question is short: one clear cue names its topic


@dataclass
class Interpretation:
    question: str
    expanded: str
    agreement: str | None = None
    agreement_named: bool = False
    topics: list[str] = field(default_factory=list)          # what the question is about
    topic_scores: dict[str, float] = field(default_factory=dict)
    intents: list[str] = field(default_factory=list)          # kinds of duty asked for
    age: int | None = None
    days: int | None = None
    situations: list[str] = field(default_factory=list)
    groups: list[frozenset[str]] = field(default_factory=list)  # content, as groups of alternative stems
    focus_groups: list[frozenset[str]] = field(default_factory=list)  # … without the agreements' everyday words
    stems: list[str] = field(default_factory=list)
    focus: list[str] = field(default_factory=list)            # shown in the interpretation
    corrected: dict[str, str] = field(default_factory=dict)   # misspelt → known stem
    unknown: list[str] = field(default_factory=list)          # content words no agreement uses
    recipient: bool = False                                   # "vart gör jag orosanmälan?"
    wants_individual: bool = False                            # "vems samtycke behövs?"
    wants_body: bool = False                                  # "vilket organ beslutade …?"
    explicit_age: bool = False                                # "15-åring", not merely "vuxen"
    compare: bool = False                                     # "hur skiljer sig länen åt …"
    citations: list[str] = field(default_factory=list)        # provisions named, e.g. "2 g § HSL (1982:763)"
    actors: set[str] = field(default_factory=set)             # bodies and units named, as labels (lower-case)

    def as_json(self) -> dict:
        data = {"agreement": self.agreement, "topics": self.topics, "duties": self.intents, "age": self.age,
                "situations": self.situations, "words": self.focus}
        if self.days is not None:
            data["days"] = self.days
        if self.corrected:
            data["corrected"] = self.corrected
        if self.compare:
            data["compare"] = True
        return data


@cache
def _data() -> dict:
    return load("question.json")


@cache
def _compiled():
    data = _data()
    synonyms = [(compile_any([pattern]), expansion) for pattern, expansion in data["synonyms"]]
    intents = {kind: compile_any(patterns) for kind, patterns in data["intents"].items()}
    ages = [(re.compile(rf"(?<![\wåäö])(?:{a['pattern']})(?![\wåäö])", re.I), a["age"]) for a in data["ages"]]
    types = data["answer_types"]
    return (synonyms, intents, ages, compile_any(types["recipient"]), compile_any(data["compare_questions"]),
            frozenset(data["stopwords"]), frozenset(stem(w) for w in data["generic"]),
            compile_any(types["individual"]), compile_any(data["explicit_age_words"]), compile_any(types["body"]))


@cache
def _skos_alternatives() -> dict[str, list[str]]:
    """Each one-word Swedish label of a topic, activity or target group (ontology/*.ttl) → the
    concept's other labels. Used only for a word no agreement uses: "substitutionsbehandling" is
    then looked for in the agreements' own words, "läkemedelsassisterad behandling"."""
    graph = rdflib.Graph()
    for name in ("topics.ttl", "activities.ttl", "target-groups.ttl"):
        graph.parse(paths.ONTOLOGY / name, format="turtle")
    result: dict[str, list[str]] = {}
    for concept in sorted(set(graph.subjects(SKOS.prefLabel, None))):
        labels = [re.sub(r"\s*\([^)]*\)", "", str(l)).strip().lower()
                  for p in (SKOS.prefLabel, SKOS.altLabel) for l in graph.objects(concept, p) if l.language == "sv"]
        labels = list(dict.fromkeys(l for l in labels if len(l) >= 3))
        for label in labels:
            if " " not in label:
                result.setdefault(label, []).extend(l for l in labels if l != label)
    return result


@cache
def stopwords() -> frozenset[str]:
    return _compiled()[5]


def agreement_aliases(agreements: list[dict]) -> list[tuple[re.Pattern, str]]:
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


@dataclass(frozen=True)
class _Phrases:
    days: re.Pattern[str]
    day_length: dict[str, int]
    object_preposition: re.Pattern[str]


@cache
def _phrases() -> _Phrases:
    data = _data()
    units = [re.escape(u) for u in data["day_units"]]
    return _Phrases(re.compile(rf"(\d{{1,3}})\s*({alternation(units)})"), dict(lexicon().conditions["units_in_days"]),
                    compile_raw([re.escape(w) for w in data["object_prepositions"]], r"\b", r"\s+$"))


@cache
def _group_topics() -> frozenset[str]:
    """Topics a question names only through a group or a party: not what it is about."""
    groups = lexicon().topic_groups
    return groups.target_group_topics | groups.by_bearer


def interpret(question: str, vocab: Vocabulary, aliases: list[tuple[re.Pattern, str]],
              agreement: str | None = None) -> Interpretation:
    synonyms, intents, ages, recipient, compare, stop, generic, individual, explicit_age, body = _compiled()
    phrases = _phrases()
    stop = set(stop)
    lower = question.lower().strip()
    expansions = [expansion.replace("|", " ") for pattern, expansion in synonyms if pattern.search(lower)]
    expanded = lower + " " + " ".join(expansions)
    result = Interpretation(question, expanded)
    if agreement:
        result.agreement = agreement
    else:
        for pattern, key in aliases:
            if pattern.search(lower):
                result.agreement, result.agreement_named = key, True
                break
    result.intents = [kind for kind, pattern in intents.items() if pattern.search(lower)]
    result.recipient = bool(recipient.search(lower))
    result.wants_individual = bool(individual.search(lower))
    result.wants_body = bool(body.search(lower))
    result.compare = bool(compare.search(lower))
    result.age = _age(lower, ages)
    result.explicit_age = result.age is not None and (bool(re.search(r"\d", lower)) or bool(explicit_age.search(lower)))
    result.citations = [f"{p.key} {c.abbr or ''} ({c.sfs})".replace("  ", " ")
                        for c in find_citations(question) for p in c.provisions]
    days = phrases.days.search(lower)
    if days:
        result.days = int(days.group(1)) * phrases.day_length.get(days.group(2), 1)
    mentions = find_mentions(lower)
    result.actors = {m.entry.sv.lower() for m in mentions if m.entry.role == "body"
                     and not phrases.object_preposition.search(lower[:m.start])}
    scores = concepts.scores("topics", expanded)
    result.topic_scores = scores
    result.topics = _subject_first(sorted(
        (t for t, s in scores.items() if s >= QUESTION_TOPIC_THRESHOLD and t not in _group_topics()),
        key=lambda t: -scores[t]))
    result.situations = [key for key, cues in _situation_cues() if any(c.search(expanded) for c in cues)]
    alias_words = set()
    for pattern, _key in aliases:
        for match in pattern.finditer(lower):
            alias_words.update(words(match.group(0)))
    result.groups = _groups(lower, synonyms, vocab, stop | alias_words, result)
    flat = lambda member: " ".join(member) if isinstance(member, tuple) else member  # noqa: E731
    result.stems = list(dict.fromkeys(flat(m) for group in result.groups for m in group))
    result.focus_groups = [g for g in result.groups if not {flat(m) for m in g} <= generic]
    result.focus = [flat(m) for g in result.focus_groups for m in sorted(g, key=flat)][:12]
    return result


def _groups(lower: str, synonyms, vocab: Vocabulary, skip: set[str], result: Interpretation) -> list[frozenset[str]]:
    """The question's content as groups of alternative stems: a group is matched when any of its
    stems is. A colloquial phrase and its expansion form one group ("soc" | "socialtjänst");
    each other content word is a group of its own, a compound split into one group per part."""
    groups: list[frozenset[str]] = []
    covered: list[tuple[int, int]] = []
    for pattern, expansion in synonyms:
        for match in pattern.finditer(lower):
            members = set()
            for phrase in [match.group(0), *expansion.split("|")]:
                stems = tuple(stem(w) for w in words(phrase) if w not in skip)
                if stems and all(s in vocab for s in stems):
                    members.add(stems if len(stems) > 1 else stems[0])
            if members:
                groups.append(frozenset(members))
                covered.append(match.span())
    for match in re.finditer(r"[a-zåäöéü0-9§]+(?:-[a-zåäöéü]+)*", lower):
        if any(a <= match.start() < b for a, b in covered):
            continue
        for w in match.group(0).split("-"):
            if w in skip or len(w) < 2 or w.isdigit():
                continue
            s = stem(w)
            if s in vocab:
                groups.append(frozenset({s}))
                continue
            parts = vocab.split(w)
            if parts:
                groups.extend(frozenset({p}) for p in parts)
                continue
            alternatives = _concept_alternatives(w, vocab, skip)
            if alternatives:
                groups.append(alternatives)
                continue
            near = vocab.nearest(s)
            if near:
                result.corrected[w] = near
                groups.append(frozenset({near}))
            elif len(w) >= 4 and not _near_stopword(w, skip):
                result.unknown.append(w)
    unique: list[frozenset[str]] = []
    for group in groups:
        if group not in unique:
            unique.append(group)
    return unique


def _concept_alternatives(word: str, vocab: Vocabulary, skip: set[str]) -> frozenset | None:
    """The agreements' words for a concept the question names by a label no agreement uses."""
    members = set()
    for phrase in _skos_alternatives().get(word, []):
        stems = tuple(stem(w) for w in words(phrase) if w not in skip)
        if stems and all(s in vocab for s in stems):
            members.add(stems if len(stems) > 1 else stems[0])
    return frozenset(members) or None


def _near_stopword(word: str, stop) -> bool:
    """A misspelt stopword ("landstiget") is still a stopword, not an unknown content word."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein
    return process.extractOne(word, list(stop), scorer=Levenshtein.distance, score_cutoff=1) is not None


def _subject_first(topics: list[str]) -> list[str]:
    """"Vem betalar hjälpmedel": the question is about aids; paying is the kind of duty asked for."""
    duty_topics = _data().get("duty_topics", {})
    subjects = [t for t in topics if t not in duty_topics]
    return subjects + [t for t in topics if t in duty_topics] if subjects else topics


def _age(lower: str, ages) -> int | None:
    for pattern, age in ages:
        match = pattern.search(lower)
        if match:
            if age is None:
                n = int(match.group("n"))
                if 0 <= n <= 120 and not re.search(rf"{match.group('n')}\s*(?:{alternation(_data()['not_age_after'])})",
                                                   lower):
                    return n
                continue
            return age
    return None


@cache
def _situation_cues():
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


__all__ = ["Interpretation", "agreement_aliases", "content_stems", "interpret", "stopwords", "validate_question"]
