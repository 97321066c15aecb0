"""What extraction produces for one agreement."""
from __future__ import annotations

from dataclasses import dataclass, field

from .actors import Bearer
from .citations import Citation
from .conditions import Conditions
from .deontic import DESCRIPTION, Modality
from .lexicon import ActorEntry
from .parties import Party


@dataclass
class Clause:
    """A passage of the agreement that regulates something; a responsibility when it has a bearer."""
    start: int                 # the quote, as offsets into the normalised text
    end: int
    own_start: int             # the clause itself (a quote may add a neighbour for context)
    own_end: int
    block: int
    section: int | None
    unit_kind: str             # sentence | item
    text: str                  # the clause's own words
    quote: str                 # verbatim normalised text of [start, end)
    topics: list[str] = field(default_factory=list)
    topic_scores: dict[str, float] = field(default_factory=dict)
    target_groups: list[str] = field(default_factory=list)
    activities: list[str] = field(default_factory=list)
    conditions: Conditions = field(default_factory=Conditions)
    citations: list[Citation] = field(default_factory=list)
    strength: float = 0.0      # how clearly it states a duty
    normative: bool = False
    scope: bool = False        # states whom the agreement is for
    negated_groups: list[str] = field(default_factory=list)
    bearer: Bearer | None = None
    duty_kinds: list[str] = field(default_factory=list)
    statement: str = ""
    recipient: str | None = None   # "anmäla till socialtjänsten": who receives
    curated: bool = False
    fallback_topic: bool = False   # no cue named a topic; the bearer's kind supplied one
    modality: Modality = DESCRIPTION   # the deontic class and the cue that decided it
    bearer_source: str = "none"    # agent | intro | section | context | none: where the bearer came from
    intro: str = ""                # the list introduction of an item, shown beside the quote
    bearer_section: int | None = None  # the section whose heading gave the bearer

    @property
    def deontic_class(self) -> str:
        return self.modality.cls

    @property
    def is_responsibility(self) -> bool:
        """An obligation (a prohibition included) or a recommendation — with or without a bearer."""
        return self.modality.is_responsibility


@dataclass
class Extraction:
    key: str
    clauses: list[Clause]
    citations: list[Citation]          # every citation in the text and its footnotes
    heading_topics: dict[int, list[str]]  # section index → topics its heading names
    as_of: str | None
    region_word: str = "Regionen"      # what the agreement calls the region: Regionen or Landstinget
    corrections_applied: int = 0
    parties: list[Party] = field(default_factory=list)   # the parties the text states, found once while extracting
    placed: dict[str, ActorEntry] = field(default_factory=dict)   # named bodies the text places in a principal (partof.py)

    @property
    def responsibilities(self) -> list[Clause]:
        return [c for c in self.clauses if c.is_responsibility]
