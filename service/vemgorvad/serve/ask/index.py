"""The provisions of the graph — every clause the extraction kept, responsibilities and the rest —
read once per graph through named queries, with the words of each ready for ranking: a BM25 index
(bm25s) over each provision's own words, one over its paragraph and section heading, and inverted
indexes by agreement, topic and section so a question is scored against candidates, never against
the whole country."""
from __future__ import annotations

import bisect
import itertools
import math
from collections import defaultdict
from dataclasses import dataclass, fields, replace
from collections.abc import Iterable
from typing import Any, cast

import bm25s
import numpy as np

from ...extract import concepts
from ...extract.actors import find_mentions
from ...store import GraphStore
from ...query_files import load
from ... import thesaurus
from .expansion import Table, table
from .sparql import unconditioned, without_parties
from .text import Splits, Vocabulary, content_stems, stopwords

VG = "https://w3id.org/vemgorvad/ontology#"
# Deontic classes the extraction may give a clause (issue 12), by the local name of the class.
OBLIGATION, RECOMMENDATION, PERMISSION, DESCRIPTION = "obligation", "recommendation", "permission", "description"
_CLASS_NAMES = {"Obligation": OBLIGATION, "Duty": OBLIGATION, "Recommendation": RECOMMENDATION,
                "Permission": PERMISSION, "Possibility": PERMISSION, "Description": DESCRIPTION}


def named(name: str) -> str:
    """The SPARQL of queries/NAME.rq (query_files.py, the one reader of .rq files)."""
    return load(name).text


@dataclass(frozen=True, slots=True)
class Named:
    """An actor a provision names (vg:names): its IRI, principal kind, Swedish label and role. Slots,
    and one object for each distinct actor across the index (_share_values): at N = 300 a `__dict__`
    each and a copy per provision took 10 MB."""
    iri: str
    kind: str
    label: str
    role: str          # the actor lexicon's role: principal | unit | joint | each | body | individual | staff | other


@dataclass(slots=True)
class Entry:
    """One provision: a sentence or list item of an agreement, as the graph holds it. Slots, not a
    `__dict__` each: read back from ask-index.pickle, each instance had a dict of its own, and the
    50 900 provisions at N = 300 took 83 MB (1.6 kB each) where their slots take a quarter of it."""
    iri: str
    agreement: str
    number: int                      # its row in the BM25 indexes
    classes: frozenset[str]          # local names of its vg: classes
    deontic: str                     # obligation | recommendation | permission | description
    kind: str | None                 # the bearer's principal kind; None when no bearer is known
    bearer: str | None
    bearer_label: str | None
    unit: str | None
    unit_label: str | None
    statement: str
    quote: str
    start: int
    end: int
    section_iri: str | None
    section: str
    heading: str
    min_age: int | None
    max_age: int | None
    more_than_days: int | None
    deadline_days: int | None
    default_rule: bool
    cost_share: float | None
    condition_text: str
    confidence: float
    each: bool
    recipient: str | None
    recipient_kind: str | None
    recipient_label: str | None
    topics: frozenset[str] = frozenset()
    own_topics: frozenset[str] = frozenset()
    duties: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    activities: frozenset[str] = frozenset()
    situations: frozenset[str] = frozenset()
    legal_basis: str = ""
    bearer_role: str = ""
    section_topics: frozenset[str] = frozenset()
    paragraph_topics: frozenset[str] = frozenset()   # topics its paragraph (with the lines around it) is about
    own: tuple[str, ...] = ()         # the distinct stems of its own words, in order (read for membership only:
                                      # a Counter each was 21 MB at N = 300, this a third of it)
    context: frozenset[str] = frozenset()
    named: tuple[Named, ...] = ()    # the actors a provision without a bearer names, in the order it names them
    by_naming: bool = False          # its principal is the actor it names, not a bearer the extraction found
    by_parties: bool = False         # it binds no named bearer and names no actor: its principal is the parties together
    kept: bool = False               # the answer query keeps it for a question that gives no condition (kept_by_answer_query)

    @property
    def answerable(self) -> bool:
        """A provision that names who carries it can answer "vem …?"."""
        return self.kind is not None and self.bearer is not None

    @property
    def conditional(self) -> bool:
        return self.min_age is not None or self.max_age is not None or self.more_than_days is not None \
            or self.cost_share is not None


def _int(value: str | None) -> int | None:
    return int(float(value)) if value not in (None, "") else None


def _role(bearer: str | None) -> str:
    """individual for a person's role (id/role/…), body for a collaboration body, else principal."""
    if not bearer:
        return ""
    if "/id/role/" in bearer:
        return "individual"
    if "/body/" in bearer:
        return "body"
    return "principal"


def _in_order(statement: str, values: set[str], mentions: dict[str, list[Any]] | None = None) -> tuple[Named, ...]:
    """The named actors (vg:names, as "iri\tkind\tlabel") in the order the statement names them: each
    mention the actor lexicon finds in it is matched to the graph's actor of the same label (or, for
    the principals, the same kind); actors no mention matches follow, by IRI."""
    actors = []
    for value in sorted(values):
        iri, kind, label = [*value.split("\t"), "", ""][:3]
        actors.append(Named(iri, kind, label, "other"))
    ordered: list[Named] = []
    found = mentions.get(statement) if mentions is not None else None
    if found is None:
        found = find_mentions(statement)
        if mentions is not None:
            mentions[statement] = found
    for mention in found:
        entry = mention.entry
        free = [a for a in actors if a.iri not in {o.iri for o in ordered}]
        match = next((a for a in free if a.label.lower() == entry.sv.lower()), None)
        if match is None and entry.role in ("principal", "joint", "each"):
            match = next((a for a in free if a.kind == entry.kind), None)
        if match is not None:
            ordered.append(replace(match, role=entry.role))
    seen = {o.iri for o in ordered}
    return tuple(ordered + [a for a in actors if a.iri not in seen])


def first_party(named: tuple[Named, ...]) -> Named | None:
    """The party a provision without a bearer is about: the first actor it names that is not a
    person in a role (the individual, a relative, staff), else the first it names."""
    return next((a for a in named if a.role not in ("individual", "staff")), named[0] if named else None)


def last_body(named: tuple[Named, ...]) -> Named | None:
    """The forum a provision sends a matter to: the last collaboration body it names ("… i andra hand
    till den lokala arbetsgruppen och i tredje hand till länsstyrgruppen")."""
    return next((a for a in reversed(named) if a.role == "body"), None)


def _deontic(classes: frozenset[str], has_bearer: bool) -> str:
    for name in classes:
        if name in _CLASS_NAMES:
            return _CLASS_NAMES[name]
    return OBLIGATION if has_bearer else DESCRIPTION


def _topics_of(text: str, known: dict[str, frozenset[str]]) -> frozenset[str]:
    """The topics a heading or paragraph is about by the topic cues (a clear cue, score ≥ 1), once per text."""
    found = known.get(text)
    if found is None:
        found = known[text] = frozenset(t for t, v in concepts.scores("topics", text).items() if v >= 1.0)
    return found


def _rows(store: GraphStore, query: str) -> list[dict[str, Any]]:
    """The rows of a named query (the variables it always binds are never None)."""
    return store.values(named(query))


@dataclass
class Common:
    """What every agreement's part reads of the vocabulary alone: the topics' Swedish labels and the
    labels of the topic, target-group and activity schemes."""
    topic_labels: dict[str, str]
    labels: dict[str, list[tuple[str, str]]]


@dataclass
class Part:
    """One agreement's share of the index: its rows of the named queries (the rows the whole graph
    gives for it), its provisions with the paragraph each stands in, and the stems of its paragraphs
    with no compound parts, the vocabulary's input. None of it depends on the other agreements, so
    the build makes it once per agreement and caches it with the agreement (saved.py); what does —
    compound parts over the whole vocabulary, BM25 — is done when the parts are put together."""
    key: str
    agreement: dict[str, Any] | None
    regulates: set[str]
    text: str | None
    joint: dict[str, Any] | None
    entries: list[Entry]
    paragraphs: list[str]            # the paragraph around each entry (Index._paragraph)
    frequency: dict[str, int]        # stem → paragraphs of this agreement with it (compound parts aside)
    documents: int                   # its paragraphs


def read_parts(store: GraphStore) -> tuple[Common, list[Part]]:
    """Every agreement's part of the index, and the vocabulary's share, read from `store` with the
    named queries (for the whole graph, or in the build for one agreement's graph and the vocabulary)."""
    agreements: dict[str, dict[str, Any]] = {}
    for row in _rows(store, "agreements"):
        parties = [p for p in (row.get("parties") or "").split("|") if p]
        agreements[row["key"]] = {**row, "parties": parties}
    regulates: dict[str, set[str]] = {}
    topic_labels: dict[str, str] = {}
    for row in _rows(store, "coverage"):
        topic_labels[row["topic"]] = row["label"]
        for key in (row.get("keys") or "").split():
            regulates.setdefault(key, set()).add(row["topic"])
    labels: dict[str, list[tuple[str, str]]] = defaultdict(list)   # scheme → (notation, label)
    for row in _rows(store, "concept_labels"):
        labels[row["scheme"]].append((row["notation"], row["label"]))
    texts = {row["key"]: row["text"] for row in _rows(store, "agreement_texts")}
    # An agreement's parties together (both principals): a provision of the agreement that binds no named
    # bearer and names no actor binds them, as any term of a contract binds its parties. Every kind of
    # provision, descriptions too (the `description` feature weighs what kind it is): leave-one-agreement-out
    # on the development questions (tests/eval/crossfit.py) gave principal/citation/abstention 0.575/0.477/0.775
    # without this, 0.631/0.509/0.775 with it, 0.603/0.477/0.700 with the descriptions left unanswerable.
    joint: dict[str, dict[str, Any]] = {row["agreement"]: row for row in _rows(store, "joint_principals")}
    links: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for row in _rows(store, "provision_concepts"):
        links[row["r"]][row["link"]].add(row["value"])
    mentions: dict[str, list[Any]] = {}   # the actors a statement names: found once per statement text
    section_topics: dict[str, frozenset[str]] = {}
    paragraph_topics: dict[str, frozenset[str]] = {}
    entries: dict[str, list[Entry]] = defaultdict(list)
    for row in _rows(store, "provision_index"):
        found = entries[row["agreement"]]
        entry = _entry(row, links.get(row["r"], {}), len(found), joint, mentions)
        entry.section_topics = _topics_of(entry.section, section_topics)
        found.append(entry)
    kept_by_answer_query(store, itertools.chain.from_iterable(entries.values()))
    _share_values(itertools.chain.from_iterable(entries.values()))
    stop = stopwords()
    parts = []
    for key in sorted(set(agreements) | set(texts) | set(entries) | set(regulates) | set(joint)):
        text = texts.get(key)
        lines = _Lines(text or "")
        frequency: dict[str, int] = {}
        documents = 0
        if text is not None:
            for paragraph in text.split("\n"):  # every paragraph of every agreement is a document
                documents += 1
                for s in set(content_stems(paragraph, None, stop)):
                    frequency[s] = frequency.get(s, 0) + 1
        mine = entries.get(key, [])
        paragraphs = [lines.paragraph(e) for e in mine]
        for entry, paragraph in zip(mine, paragraphs, strict=True):
            entry.paragraph_topics = _topics_of(paragraph, paragraph_topics)
        parts.append(Part(key, agreements.get(key), regulates.get(key, set()), text, joint.get(key), mine,
                          paragraphs, frequency, documents))
    return Common(topic_labels, dict(labels)), parts


def kept_by_answer_query(store: GraphStore, entries: Iterable[Entry]) -> None:
    """Each provision's `kept`: whether the answer query, run as the engine runs it (AskEngine._allowed: the
    part for provisions with a bearer or a named actor over every candidate, the parties' part over those
    that bind the parties together), keeps it for a question that gives no condition. Read once with the
    index, in the build from the agreement's own graph and the vocabulary, so a question without an age or a
    duration — a comparison's every row — is answered without a query per agreement; its `sparql` still
    selects exactly its answers (tests/test_ask_kept.py)."""
    template = named("answer_candidates")
    bearers = {row["r"] for row in store.values(unconditioned(without_parties(template)))}
    parties = {row["r"] for row in store.values(unconditioned(named("answer_parties")))}
    for entry in entries:
        entry.kept = entry.iri in bearers or (entry.by_parties and entry.iri in parties)


def _share_values(entries: Iterable[Entry]) -> None:
    """Equal strings, frozensets and tuples of the entries made one object (the agreement's key, a
    bearer's IRI and label, a set of topics recur in thousands of provisions), and each named actor
    (Named) too: a part pickles each once and is read back as fewer objects. At N = 300 the build
    reads 301 parts for every `vemgorvad add`: 2.4-3.8 -> 1.2 CPU-s; the server holds fewer objects
    too (the whole index shares them across agreements as well)."""
    seen: dict[Any, Any] = {}
    names = [f.name for f in fields(Entry)]
    for entry in entries:
        for name in names:
            value = getattr(entry, name)
            if name == "named":
                value = tuple(seen.setdefault(actor, actor) for actor in value)
            if isinstance(value, (str, frozenset, tuple)):
                try:
                    setattr(entry, name, seen.setdefault(value, value))
                except TypeError:   # a tuple of something unhashable: kept as it is
                    pass


class Index:
    def __init__(self, store: GraphStore | None = None, *, common: Common | None = None,
                 parts: list[Part] | None = None, splits: Splits | None = None):
        """The index of the graph in `store`, or of the agreements' `parts` (read_parts, each
        agreement's cached with it by the build) with the vocabulary's `common` share: the same
        index for the same graph. `splits` are compound splits known from an earlier index
        (Splits: those of words the vocabulary's changes cannot touch are taken, not computed)."""
        if store is not None:
            common, parts = read_parts(store)
        if common is None or parts is None:
            raise ValueError("an index needs a store, or the parts and the common share")
        parts = sorted(parts, key=lambda p: p.key)
        self.agreements: dict[str, dict[str, Any]] = {p.key: p.agreement for p in parts if p.agreement is not None}
        self.regulates: dict[str, set[str]] = {p.key: set(p.regulates) for p in parts if p.regulates}
        self.topic_labels: dict[str, str] = dict(common.topic_labels)
        self.labels: dict[str, list[tuple[str, str]]] = defaultdict(list, {k: list(v) for k, v in common.labels.items()})
        self.texts = {p.key: p.text for p in parts if p.text is not None}
        self.joint = {p.key: p.joint for p in parts if p.joint is not None}
        self.entries: list[Entry] = []
        paragraphs: list[str] = []
        for part in parts:
            for entry, paragraph in zip(part.entries, part.paragraphs, strict=True):
                entry.number = len(self.entries)
                self.entries.append(entry)
                paragraphs.append(paragraph)
        _share_values(self.entries)       # across the agreements' parts, each shared only in itself
        self.by_iri = {e.iri: e for e in self.entries}
        self.by_agreement: dict[str, list[int]] = defaultdict(list)
        self.by_section: dict[str, list[int]] = defaultdict(list)
        self.by_topic: dict[str, list[int]] = defaultdict(list)       # vg:topic or vg:appliesTo
        self.by_own_topic: dict[str, list[int]] = defaultdict(list)   # vg:topic: what it is about itself
        self.by_agreement_topic: dict[tuple[str, str], list[int]] = defaultdict(list)   # by_topic, per agreement
        for e in self.entries:
            self.by_agreement[e.agreement].append(e.number)
            for topic in e.topics:
                self.by_topic[topic].append(e.number)
                self.by_agreement_topic[(e.agreement, topic)].append(e.number)
            for topic in e.own_topics:
                self.by_own_topic[topic].append(e.number)
            if e.section_iri:
                self.by_section[e.section_iri].append(e.number)
        self.vocab = Vocabulary()
        for part in parts:
            self.vocab.merge(part.frequency, part.documents)
        self.vocab.freeze()
        if splits is not None:
            self.vocab.reuse(splits.valid_for(self.vocab))
        stop = stopwords()
        own_docs, context_docs, heading_docs = [], [], []
        stemmed: dict[str, list[str]] = {}    # a text's stems, once: a list's items share its paragraph, a
                                              # section's provisions its heading (the lists are never changed)
        memo: dict[str, tuple[str, ...]] = {}  # a word's stems, once (content_stems)

        def stems(text: str) -> list[str]:
            found = stemmed.get(text)
            if found is None:
                found = stemmed[text] = content_stems(text, self.vocab, stop, memo)
            return found

        contexts: dict[tuple[str, str], tuple[list[str], frozenset[str]]] = {}
        for entry, paragraph in zip(self.entries, paragraphs, strict=True):
            own = stems(entry.quote)
            entry.own = tuple(dict.fromkeys(own))
            heading = stems(entry.section)
            place = (paragraph, entry.section)
            known = contexts.get(place)
            if known is None:
                words_around = stems(place[0]) + heading
                known = contexts[place] = (words_around, frozenset(words_around))
            context, entry.context = known      # one list and set for the provisions that share them
            own_docs.append(own)
            context_docs.append(context)
            heading_docs.append(heading)
        self.own_bm25 = _bm25(own_docs)
        self.context_bm25 = _bm25(context_docs)
        self.heading_bm25 = _bm25(heading_docs)
        # the thesaurus's synonyms that provisions say (expansion.py): made here, in the build, so the
        # server reads this table with the index and never the thesaurus
        said = set(self.own_bm25.vocab_dict) if self.own_bm25 is not None else set()
        self.synonyms: Table = table(said, thesaurus.synonyms())
        self.vocab.seal()

    def scores(self, which: str, tokens: list[str]) -> np.ndarray:
        """BM25 of every provision for the question's tokens ("own", "context" or "heading")."""
        retriever = {"own": self.own_bm25, "context": self.context_bm25, "heading": self.heading_bm25}[which]
        if not tokens or retriever is None:
            return np.zeros(len(self.entries), dtype=np.float32)
        return cast(np.ndarray, retriever.get_scores(tokens))

    def weighted_scores(self, which: str, expansions: list[tuple[list[str], float]]) -> np.ndarray:
        """BM25 of every provision for weighted groups of query terms (expansion.expand): each group's
        BM25 times its weight, summed."""
        total = np.zeros(len(self.entries), dtype=np.float32)
        for group, weight in expansions:
            total += np.float32(weight) * self.scores(which, group)
        return total


def _entry(row: dict[str, Any], links: dict[str, set[str]], number: int, joints: dict[str, dict[str, Any]],
           mentions: dict[str, list[Any]]) -> Entry:
    classes = frozenset(c.rsplit("#", 1)[-1] for c in (row.get("classes") or "").split() if c.startswith(VG))
    bearer = row.get("bearer")
    kind = row.get("kind") if bearer else None
    named = _in_order(row["statement"], links.get("names", set()), mentions) if not bearer else ()
    entry = Entry(
        iri=row["r"], agreement=row["agreement"], number=number, classes=classes,
        deontic=_deontic(classes, kind is not None), kind=kind, bearer=bearer,
        bearer_label=row.get("bearerLabel"), unit=row.get("unit"), unit_label=row.get("unitLabel"),
        statement=row["statement"], quote=row["quote"], start=int(row["start"]), end=int(row["end"]),
        section_iri=row.get("section"), section=row.get("sectionPath") or "", heading=row.get("heading") or "",
        min_age=_int(row.get("minAge")), max_age=_int(row.get("maxAge")),
        more_than_days=_int(row.get("moreThanDays")), deadline_days=_int(row.get("deadlineDays")),
        default_rule=row.get("defaultRule") == "true",
        cost_share=float(row["costShare"]) if row.get("costShare") else None,
        condition_text=row.get("conditionText") or "", confidence=float(row.get("confidence") or 0.5),
        each=row.get("each") == "true", recipient=row.get("recipient"), recipient_kind=row.get("recipientKind"),
        recipient_label=row.get("recipientLabel"),
        topics=frozenset(links.get("appliesTo", set()) | links.get("topic", set())),
        own_topics=frozenset(links.get("topic", set())), duties=frozenset(links.get("duty", set())),
        groups=frozenset(links.get("group", set())), activities=frozenset(links.get("activity", set())),
        situations=frozenset(links.get("situation", set())),
        legal_basis="; ".join(sorted(links.get("basis", set()))), bearer_role=_role(bearer), named=named)
    party = first_party(named)
    if party is not None:   # no bearer: the provision answers "vem …?" with the party it names
        entry.bearer, entry.kind, entry.bearer_label, entry.by_naming = party.iri, party.kind, party.label, True
        entry.bearer_role = {"body": "body", "individual": "individual"}.get(party.role, "principal")
    elif not bearer and entry.agreement in joints:
        joint = joints[entry.agreement]   # no bearer, no actor named: the parties together (joint_principals.rq)
        entry.bearer, entry.kind, entry.bearer_label = joint["joint"], joint["kind"], joint["label"]
        entry.by_parties, entry.bearer_role = True, "principal"
    return entry


class _Lines:
    """An agreement's normalised text as lines, with the offset of each."""

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.offsets, position = [], 0
        for line in self.lines:
            self.offsets.append(position)
            position += len(line) + 1

    def paragraph(self, entry: Entry) -> str:
        """The line of the normalised text (a paragraph or list item) the quote stands in, with the
        lines around it: a list item is read with its introducing sentence, a sentence with the
        paragraph that explains it."""
        lines, offsets = self.lines, self.offsets
        if not lines:
            return ""
        first = max(0, bisect.bisect_right(offsets, entry.start) - 1)
        last = max(first, bisect.bisect_left(offsets, entry.end) - 1)

        def item(i: int) -> bool:
            return lines[i].startswith(("• ", "- "))

        if item(first):  # a list item: the whole list, its introducer and what follows it
            while first > 0 and item(first - 1):
                first -= 1
            while last + 1 < len(lines) and item(last + 1):
                last += 1
        return "\n".join(lines[max(0, first - 1):last + 2])


K1, B = 1.2, 0.75      # BM25's term-frequency saturation and length normalisation


def _bm25(docs: list[list[str]]) -> Any:        # a bm25s.BM25 (bm25s ships no types), or None
    """A bm25s retriever over `docs` (an empty document stands as [""], as bm25s wants it), its score
    matrix made with numpy over all documents at once (bm25s_index) rather than by bm25s.BM25.index,
    which loops in Python over every document: at N = 100 that was 1.0 of the merge's 1.8 CPU-s."""
    if not docs:
        return None
    retriever = bm25s.BM25(k1=K1, b=B)
    retriever.scores, retriever.vocab_dict = bm25s_index([d or [""] for d in docs])
    retriever.nonoccurrence_array = None
    retriever.unique_token_ids_set = set(retriever.vocab_dict.values())
    return retriever


def bm25s_index(docs: list[list[str]]) -> tuple[dict[str, Any], dict[str, int]]:
    """The score matrix and vocabulary bm25s.BM25(k1=K1, b=B).index(docs) makes (its default Lucene
    BM25, float32 scores in a CSC matrix of tokens × documents), with the same arithmetic in the same
    order and types, so the same scores to the last bit (tests/test_ask_saved.py compares them):
    idf = log(1 + (N − df + 0.5) / (df + 0.5)) in float64 (math.log, as bm25s), stored as float32;
    tf / (K1 · ((1 − B) + B · dl / avgdl) + tf) in float64; their product stored as float32. Token ids
    are given in order of first use (bm25s numbers them in its set's order); a score does not depend on
    them."""
    flat = list(itertools.chain.from_iterable(docs))
    vocab = {token: n for n, token in enumerate(dict.fromkeys(flat))}
    lengths = np.fromiter(map(len, docs), dtype=np.int64, count=len(docs))
    ids = np.fromiter(map(vocab.__getitem__, flat), dtype=np.int64, count=len(flat))
    pairs, tf = np.unique(np.repeat(np.arange(len(docs), dtype=np.int64), lengths) * len(vocab) + ids,
                          return_counts=True)
    rows, cols = pairs // len(vocab), pairs % len(vocab)
    frequencies = np.bincount(cols, minlength=len(vocab))
    n_docs = len(docs)
    idf = np.array([math.log(1 + (n_docs - df + 0.5) / (df + 0.5)) for df in frequencies.tolist()], dtype=np.float32)
    average = lengths.mean()
    tfc = tf.astype(np.float32) / (K1 * ((1 - B) + B * lengths[rows] / average) + tf.astype(np.float32))
    scores = (idf[cols] * tfc).astype(np.float32)
    order = np.argsort((cols << 32) | rows)
    indptr = np.zeros(len(vocab) + 1, dtype=np.int64)
    np.cumsum(frequencies, out=indptr[1:])
    matrix = {"data": scores[order], "indices": rows.astype(np.int32)[order], "indptr": indptr, "num_docs": n_docs}
    if "" not in vocab:
        vocab[""] = len(vocab)
    return matrix, vocab
