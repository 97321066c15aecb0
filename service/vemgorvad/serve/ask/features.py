"""What a question and one provision have in common, as numbers: the features the ranking model
(model.py) weighs. Every feature is general — how much of the question's wording the provision,
its paragraph and its heading carry (BM25 and idf-weighted coverage), whether it is about the
question's topic, kind of duty, target group, situation and conditions, what kind of statement it
is — never a word or a question of its own.

The candidates are chosen by index before any is scored: the provisions of the agreements in
scope with the best BM25 over their own words or their context, and those about the question's
topic or citing the provision it names."""
from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
from wordfreq import zipf_frequency

from .. import deadline
from .expansion import expand
from .index import DESCRIPTION, PERMISSION, RECOMMENDATION, Entry, Index
from .text import stem
from .understanding import Group, Interpretation

CANDIDATES_BY_TEXT = 40

NAMES = (
    "bm25_own",          # BM25 over the provision's own words, relative to the best in scope
    "bm25_context",      # … over its paragraph and section heading
    "bm25_heading",      # … over its section heading (with the headings above it)
    "bm25_section",      # the best own-words BM25 of any provision in the same section
    "cover_own",         # idf-weighted share of the question's focus words in the provision
    "cover_context",     # … in the provision or its context
    "topic_first",       # the provision is about the question's main topic
    "topic_other",       # … about another topic of the question
    "topic_section",     # its section is about a topic of the question
    "duty",              # its kind of duty is the one asked for (pays, calls, decides, …)
    "target_group",      # it names a target group the question names
    "situation",         # it names a situation the question names
    "age",               # it has an age condition, and the question's age satisfies it
    "role",              # its bearer is the kind of actor asked for (a body, a person, a recipient)
    "actor",             # its bearer is the body the question names
    "cites",             # it rests on the provision of law the question names
    "recommendation",    # it is a recommendation ("bör")
    "permission",        # it is a permission ("får", "kan") …
    "permission_asked",  # … and the question asks whether something is allowed
    "description",       # it states no duty of anyone
    "confidence",        # the extraction's confidence in its bearer
    "unregulated",       # the question is about topics its agreement does not regulate (vg:regulates)
    "by_naming",         # it binds no named bearer: its principal is the actor it names (vg:names)
    "key_missing",       # the question's most informative word (by idf, or Zipf for a word no agreement uses) is
                         # in neither the provision nor its context
    "by_parties",        # it binds no named bearer and names no actor: its principal is the agreement's parties together
    "bm25_own_synonyms",  # BM25 of the thesaurus's synonyms of the question's words (expansion.py) over its own
                          # words, relative to the best own-words BM25 of the question's words in scope
    "who_unbound",       # the question asks who acts (Interpretation.asks_who) and the provision binds no named bearer:
                         # its principal is only an actor it names (by_naming) or the parties together (by_parties)
)

#: A question's BM25 over every provision (bm25): own words, context, heading, and the synonyms' over own words.
TextScores = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


@dataclass
class Candidate:
    entry: Entry
    features: np.ndarray
    score: float = 0.0          # the model's linear score
    probability: float = 0.0    # σ(score): how likely this provision answers the question
    confidence: float = 0.0     # the calibrated probability that, given as the answer, it names the right principal


def tokens(interp: Interpretation) -> list[str]:
    """The question's stems as BM25 query terms: every alternative of every group."""
    out: list[str] = []
    for group in interp.groups:
        for member in sorted(group, key=str):   # a fixed order, whatever the hash seed
            out.extend(member if isinstance(member, tuple) else (member,))
    return list(dict.fromkeys(out))


def _hit(group: Group, stems: Collection[str]) -> bool:
    """A group is matched when any alternative is: a stem, or a phrase whose stems all occur."""
    return any(all(s in stems for s in member) if isinstance(member, tuple) else member in stems
               for member in group)


def bm25(index: Index, interp: Interpretation) -> TextScores:
    """BM25 of every provision for the question: own words, context, heading; and of the synonyms of
    its words (synonyms) over own words."""
    query = tokens(interp)
    own, ctx, head = (index.scores(w, query) for w in ("own", "context", "heading"))
    return own, ctx, head, index.weighted_scores("own", synonyms(index, interp, query))


def synonyms(index: Index, interp: Interpretation, query: list[str]) -> list[tuple[list[str], float]]:
    """The thesaurus's synonyms of the question's focus words and of the words no agreement uses, that
    the agreements use and the question does not say, each word's n weighted 1/√n (expansion.expand)."""
    sources = [m for g in interp.focus_groups for m in sorted(g, key=str) if isinstance(m, str)]
    sources += [stem(w) for w in interp.unknown]
    return expand(sources, set(query), index.synonyms)


def candidates(index: Index, interp: Interpretation, scope: list[str],
               scores: TextScores | None = None,
               by_text: int = CANDIDATES_BY_TEXT) -> list[Candidate]:
    """The provisions worth scoring for this question in these agreements, each with its features
    (BM25 relative to the best in the same agreements). `scores` may be given when the same
    question is scored in several groups of agreements (one per county)."""
    in_scope = np.concatenate([np.asarray(index.by_agreement.get(k, []), dtype=np.int64) for k in scope]) \
        if scope else np.zeros(0, dtype=np.int64)
    if in_scope.size == 0:
        return []
    own_all, ctx_all, head_all, own_syn_all = scores if scores is not None else bm25(index, interp)
    own, ctx, head = own_all[in_scope], ctx_all[in_scope], head_all[in_scope]
    chosen: set[int] = set()
    for ranked in (own, ctx):
        if ranked.size:
            k = min(by_text, ranked.size)
            top = np.argpartition(-ranked, k - 1)[:k]
            chosen.update(int(in_scope[i]) for i in top if ranked[i] > 0)
    wanted_topics = set(interp.topics)
    if wanted_topics:
        by_topic = sorted({n for k in scope for t in wanted_topics             # by (agreement, topic): linear in
                           for n in index.by_agreement_topic.get((k, t), ())})  # the agreements, county by county
        by_topic.sort(key=lambda n: -float(own_all[n] + ctx_all[n]))
        chosen.update(by_topic[:by_text])
    if interp.citations:
        chosen.update(int(n) for n in in_scope
                      if any(c in index.entries[n].legal_basis for c in interp.citations))
    max_own = float(own.max()) if own.size else 0.0
    max_ctx = float(ctx.max()) if ctx.size else 0.0
    max_head = float(head.max()) if head.size else 0.0
    # the synonyms relative to the question's own words' best (the interpolation weight is the model's);
    # to their own best when none of the question's words is in scope
    by_own = max_own or float(own_syn_all[in_scope].max())
    section_best: dict[str, float] = {}
    for n in chosen:
        e = index.entries[n]
        if e.section_iri and e.section_iri not in section_best:
            section_best[e.section_iri] = max(float(own_all[m]) for m in index.by_section[e.section_iri])
    weights = _weights(index, interp)
    total = sum(information(index, interp, weights))
    key = _key(weights, interp)
    out = []
    for n in sorted(chosen):
        deadline.check()
        e = index.entries[n]
        if not conditions_hold(e, interp):
            continue
        f = np.zeros(len(NAMES), dtype=np.float64)
        f[0] = own_all[n] / max_own if max_own else 0.0
        f[1] = ctx_all[n] / max_ctx if max_ctx else 0.0
        f[2] = head_all[n] / max_head if max_head else 0.0
        f[3] = section_best.get(e.section_iri or "", 0.0) / max_own if max_own else 0.0
        f[4], f[5] = _coverage(e, weights, total)
        f[6] = 1.0 if interp.topics and interp.topics[0] in e.topics else 0.0
        f[7] = 1.0 if not f[6] and set(interp.topics) & e.topics else 0.0
        f[8] = 1.0 if set(interp.topics) & e.section_topics else 0.0
        f[9] = 1.0 if set(interp.intents) & e.duties else 0.0
        f[10] = 1.0 if set(interp.target_groups) & e.groups else 0.0
        f[11] = 1.0 if set(interp.situations) & e.situations else 0.0
        f[12] = 1.0 if interp.age_range is not None and (e.min_age is not None or e.max_age is not None) else 0.0
        f[13] = 1.0 if ((interp.wants_individual and e.bearer_role == "individual")
                        or (interp.wants_body and e.bearer_role == "body")
                        or (interp.recipient and e.recipient)) else 0.0
        f[14] = 1.0 if interp.actors and (e.bearer_label or "").lower() in interp.actors else 0.0
        f[15] = 1.0 if interp.citations and any(c in e.legal_basis for c in interp.citations) else 0.0
        f[16] = 1.0 if e.deontic == RECOMMENDATION else 0.0
        f[17] = 1.0 if e.deontic == PERMISSION else 0.0
        f[18] = 1.0 if e.deontic == PERMISSION and interp.asks_permission else 0.0
        f[19] = 1.0 if e.deontic == DESCRIPTION else 0.0
        f[20] = e.confidence if e.answerable and not (e.by_naming or e.by_parties) else 0.0
        f[21] = 1.0 if interp.topics and not (set(interp.topics) & index.regulates.get(e.agreement, set())) else 0.0
        f[22] = 1.0 if e.by_naming else 0.0
        f[23] = 1.0 if key == "unknown" or (isinstance(key, frozenset) and not _hit(key, e.context) and not _hit(key, e.own)) else 0.0
        f[24] = 1.0 if e.by_parties else 0.0
        f[25] = own_syn_all[n] / by_own if by_own else 0.0
        f[26] = 1.0 if interp.asks_who and (e.by_naming or e.by_parties) else 0.0
        out.append(Candidate(e, f))
    return out


def _weights(index: Index, interp: Interpretation) -> list[tuple[Group, float]]:
    vocab = index.vocab
    focus: list[tuple[Group, float]] = []
    for g in interp.focus_groups:
        stems = [s for m in g for s in (m if isinstance(m, tuple) else (m,))]
        focus.append((g, max(vocab.idf(s) for s in stems) if stems else 0.0))
    return focus


def information(index: Index, interp: Interpretation,
                focus: list[tuple[Group, float]] | None = None) -> tuple[float, float]:
    """How much the question tells, split in two: its focus words the agreements use (each group its best
    idf) and the words no agreement uses (unknown_weight) — together the denominator of the coverage features."""
    focus = _weights(index, interp) if focus is None else focus
    return sum(w for _, w in focus), sum(unknown_weight(w) for w in interp.unknown)


def _key(focus: list[tuple[Group, float]], interp: Interpretation) -> Group | str | None:
    """The question's most informative word: the focus group of the highest idf, or "unknown" when a
    word no agreement uses tells more (a rare word like "parkeringstillstånd" outweighs them all)."""
    best, weight = None, 0.0
    for g, w in focus:
        if w > weight:
            best, weight = g, w
    if any(unknown_weight(w) > weight for w in interp.unknown):
        return "unknown"
    return best


def unknown_weight(word: str) -> float:
    """How much a word no agreement uses tells: a rare Swedish word ("färdtjänst") about as much as
    the rarest words of the agreements, an everyday one ("ordnar") little (7 − its Zipf frequency,
    from wordfreq's Swedish list: ≈ the bits of information of a word that common)."""
    return max(1.0, 7.0 - zipf_frequency(word, "sv"))


def _coverage(e: Entry, focus: list[tuple[Group, float]], total: float) -> tuple[float, float]:
    if not total:
        return 0.0, 0.0
    own = both = 0.0
    for g, w in focus:
        if _hit(g, e.own):
            own += w
            both += w
        elif _hit(g, e.context):
            both += w
    return own / total, both / total


def conditions_hold(e: Entry, interp: Interpretation) -> bool:
    """The same test the answer query applies in SPARQL (answer_candidates.rq; tests/test_ask_conditions.py
    holds them equal): a rule for other ages, or for longer needs, is never a candidate."""
    if interp.age_range is not None:
        lo, hi = interp.age_range
        if (e.max_age is not None and lo > e.max_age) or (e.min_age is not None and e.min_age > hi):
            return False
    return interp.days is None or e.more_than_days is None or interp.days > e.more_than_days


__all__ = ["NAMES", "Candidate", "TextScores", "bm25", "candidates", "conditions_hold", "information", "synonyms", "tokens"]
