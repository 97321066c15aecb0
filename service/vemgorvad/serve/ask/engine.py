"""Answering "vem ansvarar för …?" from the graph.

1. Read the question (understanding.py): agreement or place, topics, kind of duty, age, words,
   spelling corrected against the agreements' words and a Swedish dictionary.
2. Choose candidates by index (features.py): the provisions in scope whose own words or context
   match best by BM25, and those about the question's topic.
3. Score each with the fitted ranking model (model.py) — BM25, concept, duty, target group,
   situation, condition and statement-kind features combined by weights fitted on the development
   questions — and the best with the calibrated confidence. Below the threshold chosen on the
   development questions the answer is `not_covered`, with what was looked for and the nearest
   passages, never a weak "best answer".
4. Ask the graph for the best responsibilities with the question's conditions applied (named query
   answer_candidates.rq, every value bound with VALUES): the returned `sparql` selects exactly the
   answers given.
5. A rule that depends on a condition the question does not give is shown case by case.
"""
from __future__ import annotations

import copy
import threading
from collections.abc import Iterable
from itertools import pairwise
from dataclasses import dataclass
from typing import Any, cast

import numpy as np

from ...places import agreement_places_from_rows
from ...store import GraphStore
from ..caches import ByteBoundedCache
from . import model as ranking
from . import saved, signals, spelling
from .features import CANDIDATES_BY_TEXT, Candidate, TextScores, bm25, candidates
from .index import Entry, named
from .answers import agreement_ref, answer_json, cases_of, compare_json, nearest_json, summary_of
from .sparql import answer_query, compare_query, without_parties
from .text import WORD
from .understanding import Interpretation, Reader, agreement_aliases
from .steps import last_step_first
from .vote import best_principal_first

ANSWERS = 5
SPARQL_CANDIDATES = 12
ANSWER_CACHE_MB = 32      # answers kept per engine, counted in bytes with their questions
AMBIGUITY_BAND = 0.04
NEAREST = 3
NATIONAL_MIN = 8         # candidates per county, at least, for a question that names no place
COMPARE_PAGE = 50        # agreements per page of a comparison
COMPARE_ANSWERS = 3      # responsibilities shown per agreement


@dataclass
class _Ranked:
    """A question ranked in its scope, before the answer query's conditions are applied."""
    body: dict[str, Any]
    interp: Interpretation
    answerable: list[Candidate]
    confidence: float
    top: list[Candidate]
    groups: dict[str, Candidate | None]
    checked: list[Candidate]        # what the answer query is to check: top, and each group's best


class AskEngine:
    """Answers for one store. The graph only changes with a new store (a rebuild and reload makes
    a new engine), so an answer once computed stays right: recent answers are kept, up to
    ANSWER_CACHE_MB megabytes counted with their questions (least recently used go first)."""

    def __init__(self, store: GraphStore, model: ranking.Model | None = None):
        self.store = store
        self.index, self.index_from_build = saved.for_store(store)   # the build's, else computed now
        self.model = model or ranking.load()
        spelling.warm()
        self.aliases = agreement_aliases([{"key": k, **v} for k, v in self.index.agreements.items()])
        corpus_words, pairs = _vocabulary(self.index.texts.values())
        places = agreement_places_from_rows(store.values(named("agreement_places")))
        self.reader = Reader(self.index.vocab, self.aliases, self.index.labels, corpus_words, places,
                             corpus_pairs=pairs)
        self.answer_query = named("answer_candidates")
        self._bearers_query = without_parties(self.answer_query)
        self._parties_query = named("answer_parties")
        self._compare: dict[str, list[dict[str, Any]]] | None = None
        self._answers = ByteBoundedCache(ANSWER_CACHE_MB)
        self._lock = threading.Lock()

    # --- public ----------------------------------------------------------------------------------

    def agreement_keys(self) -> list[str]:
        return sorted(self.index.agreements)

    def ask(self, question: str, agreement: str | None = None) -> dict[str, Any]:
        """The answer as the API gives it; a copy, so a caller may change it."""
        key = (question, agreement)
        cached = self._answers.get(key)
        if cached is None:
            cached = self._ask(question, agreement)
            self._answers.put(key, cached)
        return copy.deepcopy(cached)

    def interpret(self, question: str, agreement: str | None = None) -> Interpretation:
        return self.reader.interpret(question, agreement)

    def national(self, interp: Interpretation) -> bool:
        """A question that names no agreement and no place is answered county by county."""
        return not interp.agreements and not interp.agreement

    def counties(self) -> dict[str, list[str]]:
        """County → its agreements (an agreement without a county is its own group)."""
        groups: dict[str, list[str]] = {}
        for key in self.agreement_keys():
            groups.setdefault(self.index.agreements[key].get("county") or key, []).append(key)
        return groups

    def ranked(self, interp: Interpretation,
               scores: TextScores | None = None) -> list[Candidate]:
        """Every candidate for the question, scored and ranked best first (answerable or not);
        `scores`: its BM25 (features.bm25) when already computed.
        A national question is scored county by county (BM25 relative to the best in the county,
        a few candidates from each), so every county's best agreement is among them. Otherwise the best
        candidate of the principal the ranking favours, all its candidates counted, comes first (vote.py),
        unless a candidate states the condition the question gives."""
        if self.national(interp):
            groups = list(self.counties().values())
            text_scores = scores if scores is not None else bm25(self.index, interp)
            per = max(NATIONAL_MIN, CANDIDATES_BY_TEXT // max(1, len(groups)))
            found = [c for keys in groups for c in candidates(self.index, interp, keys, text_scores, per)]
            return self._scored(found, interp)
        scope = interp.agreements or [cast(str, interp.agreement)]     # not national: one is named
        scored = self._scored(candidates(self.index, interp, scope, scores), interp)
        return best_principal_first(scored, specific=_states_the_condition(interp, scored))

    def _scored(self, found: list[Candidate], interp: Interpretation) -> list[Candidate]:
        """The candidates scored by the model and ranked, best first, each with its calibrated confidence."""
        if found:
            scores = self.model.scores(np.vstack([c.features for c in found]))
            question = signals.read(self.index, interp)
            for c, score in zip(found, scores, strict=True):
                c.score = float(score)
                c.probability = ranking.sigmoid(c.score)
                c.confidence = self.model.confidence(c.score, c.features, question.of(c.entry))
        found.sort(key=lambda c: (-c.score, c.entry.agreement, c.entry.start))
        return found

    def _unregulated(self, interp: Interpretation, best: Candidate) -> bool:
        """The question is about topics no agreement in scope regulates (vg:regulates), and the best
        provision is not about any of them either — by its own topics, its section's or its paragraph's
        (a list item under "Hem för vård eller boende, HVB, …" is about HVB placements though it names
        none): a word in common, not a rule."""
        if not interp.topics:
            return False
        scope = interp.agreements or ([interp.agreement] if interp.agreement else self.agreement_keys())
        regulated = set().union(*(self.index.regulates.get(k, set()) for k in scope))
        e = best.entry
        return not (set(interp.topics) & regulated) and \
            not (set(interp.topics) & (e.topics | e.section_topics | e.paragraph_topics))

    def _ask(self, question: str, agreement: str | None = None) -> dict[str, Any]:
        ranked = self._rank(question, self.reader.interpret(question, agreement), agreement)
        if isinstance(ranked, dict):
            return ranked
        return self._finish(ranked, self._allowed(ranked.checked, ranked.interp))

    def ask_many(self, question: str, keys: list[str]) -> dict[str, dict[str, Any]]:
        """`ask(question, key)` for each key, worked in one pass: the question read once and its BM25 over
        the index computed once, not once per agreement (a comparison's page; reading it was ~5 ms an
        agreement at N = 300). Each agreement's conditions are still checked by a query of its own: one
        query over the whole page's candidates (400 rows) took 2.5x the time of the 50 small ones in
        Oxigraph. Each answer is the one `ask` gives."""
        out: dict[str, dict[str, Any]] = {}
        missing = []
        for key in keys:
            cached = self._answers.get((question, key))
            if cached is None:
                missing.append(key)
            else:
                out[key] = copy.deepcopy(cached)
        if missing:
            base = self.reader.interpret(question, missing[0])
            scores = bm25(self.index, base)
            pending: dict[str, _Ranked | dict[str, Any]] = {}
            for key in missing:   # the reading depends on the agreement chosen only through these two
                interp = copy.copy(base)
                interp.agreement, interp.agreements = key, [key]
                pending[key] = self._rank(question, interp, key, scores)
            for key, r in pending.items():
                body = r if isinstance(r, dict) else self._finish(r, self._allowed(r.checked, r.interp))
                self._answers.put((question, key), body)
                out[key] = copy.deepcopy(body)
        return {key: out[key] for key in keys}

    def _rank(self, question: str, interp: Interpretation, agreement: str | None,
              scores: TextScores | None = None) -> _Ranked | dict[str, Any]:
        """The question ranked in its scope: what the answer query is to check, or the answer when it
        needs no query (a comparison asked for, nothing confident enough)."""
        body: dict[str, Any] = {"question": question, "status": "not_covered", "interpretation": interp.as_json(), "answers": [],
                "sparql": None}
        if interp.compare and interp.topics and not agreement and not interp.agreement_named:
            comparison = self.compare(interp.topics[0])
            body["status"] = "answered"
            body["comparison"] = comparison["agreements"]
            body["answers"] = [a for row in comparison["agreements"] for a in row["answers"][:1]]
            body["sparql"] = comparison["sparql"]
            return body
        ranked = self.ranked(interp, scores)
        answerable = [c for c in ranked if c.entry.answerable]
        confidence = answerable[0].confidence if answerable else 0.0
        body["confidence"] = round(confidence, 3)
        if answerable and self._unregulated(interp, answerable[0]):
            confidence = 0.0   # CONTRACT: no agreement in scope regulates what the question is about
        if not answerable or confidence < self.model.threshold:
            body["reason"] = self._looked_for(interp, "Inget i överenskommelsen reglerar det frågan gäller")
            body["nearest"] = [nearest_json(c.entry, self._agreement(c.entry.agreement)) for c in ranked[:NEAREST]]
            return body
        # the ranking's best provision decides whether to answer; a question for the last step of an escalation
        # is then answered by the last step of the ladder that provision starts (steps.py)
        answerable = last_step_first(answerable, self.index, interp)
        top = self._county_best(answerable) if self.national(interp) else answerable[:SPARQL_CANDIDATES]
        groups = self._in_force_best(interp, answerable, scores)
        checked = top + [c for c in groups.values() if c is not None and c not in top]
        return _Ranked(body, interp, answerable, confidence, top, groups, checked)

    def _finish(self, r: _Ranked, allowed: set[str]) -> dict[str, Any]:
        """The answer from the ranking and the candidates the answer query keeps (`allowed`)."""
        body, interp, answerable, confidence, groups = r.body, r.interp, r.answerable, r.confidence, r.groups
        query = answer_query(self.answer_query, [c.entry.iri for c in r.top], interp)
        kept = [c for c in r.top if c.entry.iri in allowed]
        if not kept:
            body["reason"] = self._looked_for(interp, "Inget ansvar gäller för de villkor frågan anger")
            body["sparql"] = query
            return body
        if self.national(interp):
            body["counties"] = self._counties_json(kept)
        kept = kept[:ANSWERS]
        body["sparql"] = answer_query(self.answer_query, [c.entry.iri for c in kept], interp)
        shown, floor = [], confidence
        for c in kept:   # scores fall from the best answer's confidence, in the order given
            floor = min(floor, c.confidence)
            shown.append(answer_json(c.entry, self._agreement(c.entry.agreement), interp, floor))
        body["answers"] = shown
        body["status"] = "answered"
        if groups:
            body["in_force"] = self._in_force_json(interp, groups, allowed, list(zip(kept, shown, strict=True)))
        anchor = next((c.entry for c in kept[:3] if c.entry.conditional), kept[0].entry)
        cases = cases_of(anchor, [c.entry for c in answerable], interp)
        if cases:
            body["cases"] = [{**case, "agreement": self._agreement(case["agreement"])} for case in cases]
        body["summary"] = summary_of(kept[0].entry, cases, self.index.agreements.get(kept[0].entry.agreement, {}))
        alternatives = self._alternatives(kept)
        if alternatives:
            body["status"] = "ambiguous"
            body["alternatives"] = alternatives
        return body

    def _in_force_best(self, interp: Interpretation, answerable: list[Candidate],
                       scores: TextScores | None = None) -> dict[str, Candidate | None]:
        """A place in force under several agreements (county-wide and local, places.in_force): the best
        answer of each, or None where none is confident enough — every agreement that applies is shown.
        The agreements the answers are not drawn from (a county's local ones, asked about the county)
        are ranked together in a pass of their own."""
        levels = (interp.place or {}).get("in_force") or {}
        keys = [k for level in ("county", "local") for k in levels.get(level, [])]
        if len(keys) < 2:
            return {}
        scope = set(interp.agreements or [])
        others = [k for k in keys if k not in scope]
        if others:
            answerable = answerable + [c for c in self._scored(candidates(self.index, interp, others, scores), interp)
                                       if c.entry.answerable]
        best: dict[str, Candidate | None] = dict.fromkeys(keys)
        for c in answerable:
            if c.entry.agreement in best and best[c.entry.agreement] is None and c.confidence >= self.model.threshold:
                best[c.entry.agreement] = c
        return best

    def _in_force_json(self, interp: Interpretation, groups: dict[str, Candidate | None], allowed: set[str],
                       shown: list[tuple[Candidate, dict[str, Any]]]) -> list[dict[str, Any]]:
        """Every agreement in force for the place named, county-wide first, with its answers: those of
        `answers` from it, in their order (the principal the ranking favours first, vote.py), and its own best
        where that is confident and not among them, before the first of them it outscores."""
        levels = (interp.place or {}).get("in_force") or {}
        out: list[dict[str, Any]] = []
        for level in ("county", "local"):
            for key in levels.get(level, []):
                answers = [(c.score, a) for c, a in shown if c.entry.agreement == key]   # in the answers' order
                best = groups.get(key)
                if best is not None and best.entry.iri in allowed and all(c is not best for c, _ in shown):
                    at = next((n for n, (score, _) in enumerate(answers) if score < best.score), len(answers))
                    answers.insert(at, (best.score, answer_json(best.entry, self._agreement(key), interp, best.confidence)))
                out.append({"level": level, "agreement": self._agreement(key),
                            "status": "answered" if answers else "not_covered", "answers": [a for _, a in answers]})
        return out

    def _allowed(self, top: list[Candidate], interp: Interpretation) -> set[str]:
        """The candidates the answer query keeps (its conditions applied), read with the index instead of asked
        of the store: with no condition the query keeps exactly the provisions flagged `kept`
        (index.kept_by_answer_query), and a question's age or duration drops exactly those
        `features.conditions_hold` drops (tests/test_ask_conditions.py, over every limit of the graph) — which
        features.candidates already dropped, so every candidate meets the question's conditions. A comparison's
        page asked the store twice per agreement (~65 % of it at N = 300), a question naming one agreement twice;
        `queried` asks it, for the tests that hold the two equal (tests/test_ask_kept.py)."""
        return {c.entry.iri for c in top if c.entry.kept}

    def queried(self, entries: list[Entry], interp: Interpretation) -> set[str]:
        """The provisions of `entries` the answer query keeps for the question's conditions, asked of the store."""
        _, rows = self.store.select(answer_query(self._bearers_query, [e.iri for e in entries], interp))
        allowed = {r.value for row in rows if (r := row["r"]) is not None}
        parties = [e.iri for e in entries if e.by_parties]
        if parties:
            _, rows = self.store.select(answer_query(self._parties_query, parties, interp))
            allowed |= {r.value for row in rows if (r := row["r"]) is not None}
        return allowed

    def _looked_for(self, interp: Interpretation, lead: str) -> str:
        """"inte reglerat" says what was looked for."""
        parts = [self.index.topic_labels.get(t, t).lower() for t in interp.topics[:3]]
        parts += [w for w in interp.focus[:6]]
        what = ", ".join(dict.fromkeys(parts))
        where = ""
        if interp.agreement:
            record = self.index.agreements.get(interp.agreement, {})
            where = f" i {record.get('county') or interp.agreement}"
        return f"{lead}{where}." + (f" Sökte efter: {what}." if what else "")

    def compare(self, topic: str, page: int = 1, per_page: int = COMPARE_PAGE) -> dict[str, Any]:
        """One entry per agreement for a topic, a page at a time, from a view computed once per
        engine for every topic (the graph only changes with a new engine)."""
        view = self._compare_view()
        rows = view.get(topic, [])
        total = len(rows)
        pages = max(1, -(-total // per_page))
        chosen = rows[(page - 1) * per_page: page * per_page]
        return {"topic": topic, "label": self.index.topic_labels.get(topic, topic),
                "agreements": copy.deepcopy(chosen), "page": page, "per_page": per_page, "total": total,
                "pages": pages, "sparql": compare_query(named("compare_topic"), topic)}

    def _compare_view(self) -> dict[str, list[dict[str, Any]]]:
        with self._lock:
            if self._compare is not None:
                return self._compare
        view: dict[str, list[dict[str, Any]]] = {}
        keys = self.agreement_keys()
        for topic in self.index.topic_labels:
            per: dict[str, list[Entry]] = {k: [] for k in keys}
            for n in self.index.by_own_topic.get(topic, ()):
                e = self.index.entries[n]
                if e.answerable and not (e.by_naming or e.by_parties):
                    per[e.agreement].append(e)
            rows = []
            for key in keys:
                best = sorted(per[key], key=lambda e: (-e.confidence, e.iri))[:COMPARE_ANSWERS]
                regulated = bool(best) or topic in self.index.regulates.get(key, set())
                rows.append({"agreement": self._agreement(key), "regulated": regulated,
                             "status": "reglerat" if regulated else "inte reglerat",
                             "answers": [compare_json(e, self._agreement(key)) for e in best]})
            view[topic] = rows
        with self._lock:
            self._compare = view
        return view

    # --- ranking ---------------------------------------------------------------------------------

    def _county_best(self, answerable: list[Candidate]) -> list[Candidate]:
        """A national question: the best answer of each county (so from its best agreement),
        best county first."""
        county_of = {k: county for county, keys in self.counties().items() for k in keys}
        best: dict[str, Candidate] = {}
        for c in answerable:
            best.setdefault(county_of.get(c.entry.agreement, c.entry.agreement), c)
        return sorted(best.values(), key=lambda c: -c.score)

    def _counties_json(self, kept: list[Candidate]) -> list[dict[str, Any]]:
        return [{"county": self.index.agreements.get(c.entry.agreement, {}).get("county"),
                 "agreement": self._agreement(c.entry.agreement),
                 "principal": {"label": c.entry.bearer_label, "kind": c.entry.kind},
                 "responsibility": c.entry.iri, "score": round(c.confidence, 3)} for c in kept]

    def _alternatives(self, ranked: list[Candidate]) -> list[dict[str, Any]]:
        """Close runners-up about another topic with another answer make the question ambiguous."""
        if len(ranked) < 2:
            return []
        top = ranked[0]
        alternatives = []
        for other in ranked[1:4]:
            if top.confidence - other.confidence > AMBIGUITY_BAND:
                break
            if other.entry.kind != top.entry.kind and not (other.entry.own_topics & top.entry.own_topics):
                topic = sorted(other.entry.own_topics)[0] if other.entry.own_topics else None
                alternatives.append({"topic": topic,
                                     "label": self.index.topic_labels.get(topic, topic) if topic is not None else None,
                                     "principal": {"label": other.entry.bearer_label, "kind": other.entry.kind},
                                     "responsibility": other.entry.iri})
        return alternatives

    def _agreement(self, key: str) -> dict[str, Any]:
        return agreement_ref(key, self.index.agreements.get(key, {}))


def _states_the_condition(interp: Interpretation, scored: list[Candidate]) -> bool:
    """An answerable candidate has a condition of the kind the question gives — an age for a question with an
    age or an age group, a duration for one with a duration — and, being a candidate, one the question meets
    (features.conditions_hold dropped the others)."""
    ages = interp.age_range is not None
    days = interp.days is not None
    return any(c.entry.answerable and ((ages and (c.entry.min_age is not None or c.entry.max_age is not None))
                                       or (days and c.entry.more_than_days is not None)) for c in scored)


def _vocabulary(texts: Iterable[str]) -> tuple[set[str], set[str]]:
    """The agreements' words (each part of a hyphenated word too) and their two-word sequences ("kalla
    till", for spelling in context), from one tokenisation of each text."""
    words: set[str] = set()
    pairs: set[str] = set()
    for text in texts:
        tokens = WORD.findall(text.lower())
        words.update(w for token in tokens for w in token.split("-") if w.isalpha())
        pairs.update(f"{a} {b}" for a, b in pairwise(tokens))
    return words, pairs


__all__ = ["AskEngine", "Entry"]
