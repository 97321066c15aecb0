"""The responsibilities of the graph, read once per graph through the named queries, with the
words of each (its quote, its paragraph, its section) ready for matching."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from ... import paths
from ...extract import concepts
from ...store import GraphStore
from .text import Vocabulary, content_stems
from .understanding import stopwords


def named(name: str) -> str:
    return (paths.QUERIES / f"{name}.rq").read_text(encoding="utf-8")


@dataclass
class Entry:
    iri: str
    agreement: str
    kind: str
    bearer: str
    bearer_label: str
    unit: str | None
    unit_label: str | None
    statement: str
    quote: str
    start: int
    end: int
    section: str
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
    topics: frozenset[str]
    own_topics: frozenset[str]
    duties: frozenset[str]
    groups: frozenset[str]
    situations: frozenset[str]
    legal_basis: str
    bearer_role: str = ""
    section_topics: frozenset[str] = frozenset()
    own: Counter = field(default_factory=Counter)
    context: frozenset[str] = frozenset()


def _int(value) -> int | None:
    return int(float(value)) if value not in (None, "") else None


def _role(bearer: str) -> str:
    """individual for a person's role (id/role/…), body for a collaboration body, else principal."""
    if "/id/role/" in bearer:
        return "individual"
    if "/body/" in bearer:
        return "body"
    return "principal"


def _set(value) -> frozenset[str]:
    return frozenset((value or "").split())


class Index:
    def __init__(self, store: GraphStore):
        self.agreements: dict[str, dict] = {}
        for row in store.values(named("agreements")):
            parties = [p for p in (row.get("parties") or "").split("|") if p]
            self.agreements[row["key"]] = {**row, "parties": parties}
        self.regulates: dict[str, set[str]] = {}
        self.topic_labels: dict[str, str] = {}
        for row in store.values(named("coverage")):
            self.topic_labels[row["topic"]] = row["label"]
            for key in (row.get("keys") or "").split():
                self.regulates.setdefault(key, set()).add(row["topic"])
        self.texts = {row["key"]: row["text"] for row in store.values(named("agreement_texts"))}
        self.entries = [self._entry(row) for row in store.values(named("responsibility_index"))]
        self.vocab = Vocabulary()
        stop = stopwords()
        for text in self.texts.values():  # every paragraph of every agreement is a document
            for paragraph in text.split("\n"):
                self.vocab.add_document(set(content_stems(paragraph, None, stop)))
        self.vocab.freeze()
        for entry in self.entries:
            entry.own = Counter(content_stems(entry.quote, self.vocab, stop))
            entry.section_topics = frozenset(t for t, v in concepts.scores("topics", entry.section).items() if v >= 1.0)
            paragraph = self._paragraph(entry)
            entry.context = frozenset(content_stems(paragraph + " " + entry.section, self.vocab, stop))

    def _entry(self, row: dict) -> Entry:
        return Entry(
            iri=row["r"], agreement=row["agreement"], kind=row["kind"], bearer=row["bearer"],
            bearer_label=row["bearerLabel"], unit=row.get("unit"), unit_label=row.get("unitLabel"),
            statement=row["statement"], quote=row["quote"], start=int(row["start"]), end=int(row["end"]),
            section=row.get("sectionPath") or "", min_age=_int(row.get("minAge")), max_age=_int(row.get("maxAge")),
            more_than_days=_int(row.get("moreThanDays")), deadline_days=_int(row.get("deadlineDays")),
            default_rule=row.get("defaultRule") == "true",
            cost_share=float(row["costShare"]) if row.get("costShare") else None,
            condition_text=row.get("conditionText") or "", confidence=float(row.get("confidence") or 0.5),
            each=row.get("each") == "true", recipient=row.get("recipient"), recipient_kind=row.get("recipientKind"),
            recipient_label=row.get("recipientLabel"), topics=_set(row.get("topics")),
            own_topics=_set(row.get("ownTopics")), duties=_set(row.get("duties")), groups=_set(row.get("groups")),
            situations=_set(row.get("situations")), legal_basis=row.get("legalBasis") or "",
            bearer_role=_role(row["bearer"]))

    def _paragraph(self, entry: Entry) -> str:
        """The line of the normalised text (a paragraph or list item) the quote stands in, with the
        lines around it: a list item is read with its introducing sentence, a sentence with the
        paragraph that explains it."""
        text = self.texts.get(entry.agreement, "")
        lines = text.split("\n")
        offsets, position = [], 0
        for line in lines:
            offsets.append(position)
            position += len(line) + 1
        first = max(0, next((i for i, o in enumerate(offsets) if o > entry.start), len(lines)) - 1)
        last = max(first, next((i for i, o in enumerate(offsets) if o >= entry.end), len(lines)) - 1)
        item = lambda i: lines[i].startswith(("• ", "- "))  # noqa: E731
        if item(first):  # a list item: the whole list, its introducer and what follows it
            while first > 0 and item(first - 1):
                first -= 1
            while last + 1 < len(lines) and item(last + 1):
                last += 1
        return "\n".join(lines[max(0, first - 1):last + 2])
