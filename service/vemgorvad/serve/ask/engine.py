"""Answering "vem ansvarar för …?" from the graph.

1. Understand the question (understanding.py): agreement, topics, kind of duty, age, words.
2. Nothing in scope regulates what it is about → `not_covered`, never a guess.
3. Rank the responsibilities in scope by how well their words, topics, duties, situations and
   conditions fit; keep the best candidates.
4. Ask the graph for those candidates with the question's conditions applied (named query
   answer_candidates.rq, bound with VALUES): a responsibility for another age drops out there.
5. Answer with the best, joint statements first when both principals appear at the top.
"""
from __future__ import annotations

import copy
import threading
from collections import OrderedDict
from dataclasses import dataclass, replace

from ...store import GraphStore
from .index import Entry, Index, named
from .understanding import Interpretation, agreement_aliases, interpret

CANDIDATES = 12
ANSWERS = 5
ANSWER_CACHE = 2048
MIN_SCORE = 0.30
MIN_FOCUS = 0.34
CONFIDENT = 0.70   # a match this strong answers even when some of the question's words are not in it
CONSENSUS_SHARE = 0.65   # a joint statement within this share of the best score can lead
CONSENSUS_OWN_FOCUS = 0.5
UNKNOWN_WORD_WEIGHT = 4.0   # a word no agreement uses weighs like the rarest words
AMBIGUITY_BAND = 0.04


@dataclass
class Scored:
    entry: Entry
    score: float
    focus: float        # share of the question's focus words the responsibility or its paragraph has
    own_focus: float    # … that the responsibility's own words have


class AskEngine:
    """Answers for one store. The graph only changes with a new store (a rebuild and reload makes
    a new engine), so an answer once computed stays right: the last ANSWER_CACHE answers are kept."""

    def __init__(self, store: GraphStore):
        self.store = store
        self.index = Index(store)
        self.aliases = agreement_aliases([{"key": k, **v} for k, v in self.index.agreements.items()])
        self.answer_query = named("answer_candidates")
        self._answers: OrderedDict[tuple[str, str | None], dict] = OrderedDict()
        self._lock = threading.Lock()

    # --- public ----------------------------------------------------------------------------------

    def agreement_keys(self) -> list[str]:
        return sorted(self.index.agreements)

    def ask(self, question: str, agreement: str | None = None) -> dict:
        """The answer as the API gives it; a copy, so a caller may change it."""
        key = (question, agreement)
        with self._lock:
            cached = self._answers.get(key)
            if cached is not None:
                self._answers.move_to_end(key)
        if cached is None:
            cached = self._ask(question, agreement)
            with self._lock:
                self._answers[key] = cached
                while len(self._answers) > ANSWER_CACHE:
                    self._answers.popitem(last=False)
        return copy.deepcopy(cached)

    def _ask(self, question: str, agreement: str | None = None) -> dict:
        interp = interpret(question, self.index.vocab, self.aliases, agreement)
        body = {"question": question, "status": "not_covered", "interpretation": interp.as_json(), "answers": [],
                "sparql": None}
        if interp.compare and interp.topics and not agreement and not interp.agreement_named:
            comparison = self.compare(interp.topics[0])
            body["status"] = "answered"
            body["comparison"] = comparison["agreements"]
            body["answers"] = [a for row in comparison["agreements"] for a in row["answers"][:1]]
            body["sparql"] = comparison["sparql"]
            return body
        scope = [interp.agreement] if interp.agreement else self.agreement_keys()
        regulated = set().union(*(self.index.regulates.get(k, set()) for k in scope))
        if interp.topics and not (set(interp.topics) & regulated):
            body["reason"] = "Inget i överenskommelsen reglerar det frågan gäller."
            return body
        ranked = self._rank(interp, scope)
        if not ranked or ranked[0].score < MIN_SCORE or (ranked[0].focus < MIN_FOCUS and ranked[0].score < CONFIDENT
                                                         and not self._cites(ranked[0], interp)):
            body["reason"] = "Inget ansvar i överenskommelsen passar frågan tillräckligt väl."
            return body
        query = self._sparql([s.entry.iri for s in ranked], interp)
        _, rows = self.store.select(query)
        allowed = {row["r"].value: row for row in rows}
        kept = [s for s in ranked if s.entry.iri in allowed]
        if not kept:
            body["reason"] = "Inget ansvar gäller för de villkor frågan anger."
            body["sparql"] = query
            return body
        kept = self._consensus(kept, interp)
        body["sparql"] = query
        body["answers"] = [self._answer(s, allowed[s.entry.iri], interp) for s in kept[:ANSWERS]]
        body["status"] = "answered"
        alternatives = self._alternatives(kept)
        if alternatives:
            body["status"] = "ambiguous"
            body["alternatives"] = alternatives
        return body

    def compare(self, topic: str) -> dict:
        # bound at the start of the WHERE group (#values): a VALUES clause after ORDER BY, though SPARQL 1.1,
        # fails on Virtuoso
        query = named("compare_topic").replace("#values", f'VALUES ?topic {{ "{_escape(topic)}" }}', 1)
        _, rows = self.store.select(query)
        per: dict[str, dict] = {}
        for row in rows:
            key = row["agreement"].value
            item = per.setdefault(key, {"agreement": self._agreement(key), "regulated": False, "answers": []})
            item["regulated"] = item["regulated"] or row.get("regulated") is not None
            if row.get("r") is not None and len(item["answers"]) < 3:
                item["answers"].append({
                    "principal": {"label": row["bearerLabel"].value, "kind": row["kind"].value},
                    "unit": {"label": row["unitLabel"].value} if row.get("unitLabel") else None,
                    "statement": row["statement"].value,
                    "conditions": row["conditionText"].value if row.get("conditionText") else "",
                    "agreement": self._agreement(key),
                    "section": row["sectionPath"].value if row.get("sectionPath") else "",
                    "quote": row["quote"].value,
                    "responsibility": row["r"].value,
                })
        agreements = []
        for key in self.agreement_keys():
            item = per.get(key, {"agreement": self._agreement(key), "regulated": False, "answers": []})
            item["status"] = "reglerat" if item["answers"] or item["regulated"] else "inte reglerat"
            agreements.append(item)
        return {"topic": topic, "label": self.index.topic_labels.get(topic, topic), "agreements": agreements,
                "sparql": query}

    # --- ranking ---------------------------------------------------------------------------------

    def _rank(self, interp: Interpretation, scope: list[str]) -> list[Scored]:
        vocab = self.index.vocab
        weighted = [(g, max(vocab.idf(s) for m in g for s in (m if isinstance(m, tuple) else (m,))))
                    for g in interp.groups]
        focus = [(g, w) for g, w in weighted if g in interp.focus_groups]
        unknown = UNKNOWN_WORD_WEIGHT * len(interp.unknown)
        total = sum(w for _, w in weighted) + unknown
        focus_total = sum(w for _, w in focus) + unknown
        scored = []
        for entry in self.index.entries:
            if entry.agreement not in scope:
                continue
            score = self._score(entry, interp, weighted, total)
            if score is None:
                continue
            covered = sum(w for g, w in focus if _hit(g, entry.own) or _hit(g, entry.context))
            own = sum(w for g, w in focus if _hit(g, entry.own))
            scored.append(Scored(entry, score, covered / focus_total if focus_total else 1.0,
                                 own / focus_total if focus_total else 1.0))
        scored.sort(key=lambda s: (-s.score, s.entry.agreement, s.entry.start))
        return scored[:CANDIDATES]

    @staticmethod
    def _cites(scored: Scored, interp: Interpretation) -> bool:
        """The question names a provision the responsibility rests on: a precise match."""
        return any(c in scored.entry.legal_basis for c in interp.citations)

    @staticmethod
    def _score(entry: Entry, interp: Interpretation, weighted, total: float) -> float | None:
        own = sum(w for g, w in weighted if _hit(g, entry.own))
        context = sum(w for g, w in weighted if not _hit(g, entry.own) and _hit(g, entry.context))
        score = (own + 0.35 * context) / total if total else 0.0
        if interp.topics:
            if interp.topics[0] in entry.topics:
                score += 0.25
            elif set(interp.topics) & entry.topics:
                score += 0.12
            if set(interp.topics) & entry.section_topics:
                score += 0.15  # the section is about it: the agreement's own place for the rule
        if interp.citations and any(c in entry.legal_basis for c in interp.citations):
            score += 0.3
        if interp.wants_individual and entry.bearer_role == "individual":
            score += 0.25
        if interp.wants_body and entry.bearer_role == "body":
            score += 0.25
        if interp.intents and set(interp.intents) & entry.duties:
            score += 0.2
        if interp.situations and set(interp.situations) & entry.situations:
            score += 0.1
        if interp.age is not None and (entry.min_age is not None or entry.max_age is not None):
            if (entry.min_age is None or entry.min_age <= interp.age) and \
                    (entry.max_age is None or interp.age <= entry.max_age):
                score += 0.15 if interp.explicit_age else 0.0
            else:
                return None
        if interp.days is not None and entry.more_than_days is not None:
            if interp.days > entry.more_than_days:
                score += 0.1
            else:
                return None
        if interp.recipient and entry.recipient:
            score += 0.1
        if interp.actors and entry.bearer_label.lower() in interp.actors:
            score += 0.2  # the question is about this body ("hur ofta träffas styrgruppen")
        return score * (0.75 + 0.25 * entry.confidence)

    @staticmethod
    def _consensus(ranked: list[Scored], interp: Interpretation) -> list[Scored]:
        """When the municipality and the region both appear at the top and a statement of both
        principals, in its own words, answers the same question, that joint statement comes
        first: the agreement says both are responsible."""
        top = ranked[0].entry
        if interp.explicit_age and (top.min_age is not None or top.max_age is not None):
            return ranked  # the best answer is the one for this age; a general joint rule must not displace it
        best = ranked[0].score
        band = [s for s in ranked if s.score >= best * CONSENSUS_SHARE]
        kinds = {s.entry.kind for s in band}
        joint = [s for s in band if s.entry.kind == "kommun+region" and s.own_focus >= CONSENSUS_OWN_FOCUS
                 and (not interp.topics or interp.topics[0] in s.entry.topics)]
        if {"kommun", "region"} <= kinds and joint and ranked[0].entry.kind != "kommun+region":
            first = joint[0]
            promoted = replace(first, score=best)  # ranked first, so scored as the best
            return [promoted] + [s for s in ranked if s is not first]
        return ranked

    def _alternatives(self, ranked: list[Scored]) -> list[dict]:
        """Close runners-up about another topic with another answer make the question ambiguous."""
        if len(ranked) < 2:
            return []
        top = ranked[0]
        alternatives = []
        for other in ranked[1:4]:
            if top.score - other.score > AMBIGUITY_BAND:
                break
            if other.entry.kind != top.entry.kind and not (other.entry.own_topics & top.entry.own_topics):
                topic = sorted(other.entry.own_topics)[0] if other.entry.own_topics else None
                alternatives.append({"topic": topic, "label": self.index.topic_labels.get(topic, topic),
                                     "principal": {"label": other.entry.bearer_label, "kind": other.entry.kind},
                                     "responsibility": other.entry.iri})
        return alternatives

    # --- the graph's answer ----------------------------------------------------------------------

    def _sparql(self, iris: list[str], interp: Interpretation) -> str:
        age = str(int(interp.age)) if interp.age is not None else "UNDEF"
        days = str(int(interp.days)) if interp.days is not None else "UNDEF"
        rows = " ".join(f"(<{_iri(i)}> {age} {days})" for i in iris)
        return self.answer_query.replace("#values", f"VALUES (?r ?age ?days) {{ {rows} }}", 1)

    def _agreement(self, key: str) -> dict:
        record = self.index.agreements.get(key, {})
        return {"key": key, "title": record.get("title", key), "id": record.get("a")}

    def _answer(self, scored: Scored, row: dict, interp: Interpretation) -> dict:
        e = scored.entry
        principal = {"id": e.bearer, "label": e.bearer_label, "kind": e.kind}
        unit = {"id": e.unit, "label": e.unit_label} if e.unit else None
        if interp.recipient and e.recipient:
            principal = {"id": e.recipient, "label": e.recipient_label, "kind": e.recipient_kind}
            unit = None
        return {
            "principal": principal,
            "unit": unit,
            "statement": e.statement,
            "conditions": e.condition_text,
            "agreement": self._agreement(e.agreement),
            "section": e.section,
            "quote": e.quote,
            "responsibility": e.iri,
            "score": round(min(1.0, scored.score / 1.6), 3),
            "quote_start": e.start,
            "quote_end": e.end,
            "legal_basis": e.legal_basis,
        }


def _hit(group: frozenset, stems) -> bool:
    """A group is matched when any alternative is: a stem, or a phrase whose stems all occur."""
    return any(all(s in stems for s in member) if isinstance(member, tuple) else member in stems
               for member in group)


def _iri(value: str) -> str:
    if any(ch in value for ch in '<>"{}|^`\\ \n'):
        raise ValueError(f"not an IRI: {value!r}")
    return value


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


__all__ = ["AskEngine"]
