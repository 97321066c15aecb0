"""One agreement's extraction → the quads of its named graph."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from ..extract.actors import Bearer, find_mentions
from ..extract.citations import Citation, Provision, law_table
from ..extract.coverage import Reading, covered_topics
from ..extract.lexicon import ActorEntry, lexicon
from ..extract.model import Clause, Extraction
from ..ingest.document import Document
from ..keys import slug
from ..places import gazetteer
from .terms import (RDF_TYPE, SOFTWARE, BlankNode, Literal, NamedNode, Quad, agreement_graph, agreement_iri, boolean, concept, date, dcterms,
                    decimal, eli, integer, iri, kind_iri, law_iri, non_negative, oa, odrl, org, prov, provision_iri,
                    rdf, rdfs, rpubl, skos, string, text, vg)

Subject = NamedNode | BlankNode
Object = NamedNode | BlankNode | Literal

QUOTE_CONTEXT = 32
#: The classes a clause of each deontic class is typed with: the project's own and ODRL's, so that
#: an integrator without a reasoner finds them either way.
DEONTIC_TYPES = {
    "obligation": (vg.Responsibility, vg.Obligation, odrl.Duty),
    "prohibition": (vg.Responsibility, vg.Prohibition, odrl.Prohibition),
    "recommendation": (vg.Responsibility, vg.Recommendation),
    "permission": (vg.Permission, odrl.Permission),
    "description": (vg.Description,),
}


class AgreementGraph:
    def __init__(self, record: dict[str, Any], doc: Document, extraction: Extraction, reading: Reading | None = None):
        """`reading`: what coverage.passages() gave for this document and extraction, when the
        caller has read it already (the topics the agreement regulates come from it)."""
        self.record = record
        self.reading = reading
        self.key = record["key"]
        self.doc = doc
        self.ex = extraction
        self.graph = agreement_graph(self.key)
        self.agreement = agreement_iri(self.key)
        self.extraction = iri(f"agreement/{self.key}/extraction")   # the prov:Activity every clause comes from
        self.quads: list[Quad] = []
        self.actors: dict[str, NamedNode] = {}

    def add(self, s: Subject, p: NamedNode, o: Object) -> None:
        self.quads.append(Quad(s, p, o, self.graph))

    # --- the agreement, its text and sections --------------------------------------------------

    def build(self) -> list[Quad]:
        a, r = self.agreement, self.record
        self.add(a, RDF_TYPE, vg.Agreement)
        self.add(a, dcterms.identifier, string(self.key))
        self.add(a, dcterms.title, text(r["title"]))
        self.add(a, rdfs.label, text(r["title"]))
        if r.get("county"):
            self.add(a, dcterms.coverage, string(r["county"]))
        for place in gazetteer().covers_of(r):    # the municipalities, districts or county it covers
            self.add(a, dcterms.spatial, concept("place", place))
        if r.get("replaces"):
            self.add(a, dcterms.replaces, agreement_iri(r["replaces"]))
        if r.get("prolongation"):
            self.add(a, vg.prolongation, string(r["prolongation"]))
        for field, prop in (("valid_from", eli.first_date_entry_in_force), ("valid_to", eli.date_no_longer_in_force)):
            if r.get(field):
                self.add(a, prop, date(r[field]))
        if r.get("note"):
            self.add(a, dcterms.description, text(r["note"]))
        source = iri(f"agreement/{self.key}/source")
        body = iri(f"agreement/{self.key}/text")
        self.add(source, RDF_TYPE, vg.SourceFile)
        self.add(source, dcterms.identifier, string(r["file"]))
        self.add(a, prov.wasDerivedFrom, source)
        self.add(a, vg.text, body)
        self.add(body, RDF_TYPE, vg.AgreementText)
        self.add(body, rdf.value, string(self.doc.text))
        self.add(body, dcterms.format, string("text/plain"))
        self.add(body, prov.wasDerivedFrom, source)
        extraction = self.extraction
        self.add(extraction, RDF_TYPE, prov.Activity)
        self.add(extraction, rdfs.label, text(f"Utvinning ur {r['title']}"))
        self.add(extraction, rdfs.label, text(f"Extraction from {r['title']}", "en"))
        self.add(extraction, prov.used, body)
        self.add(extraction, prov.wasAssociatedWith, SOFTWARE)
        self._sections()
        self._parties()
        for clause in self.ex.clauses:
            self._clause(clause)
        for topic in sorted(covered_topics(self.doc, self.ex, reading=self.reading)):
            self.add(a, vg.regulates, concept("topic", topic))
        for citation in self.ex.citations:
            for node in self._citation_nodes(citation):
                self.add(a, vg.cites, node)
        return self.quads

    def section_iri(self, index: int) -> NamedNode:
        return iri(f"agreement/{self.key}/section/{index}")

    def _section_span(self, index: int) -> tuple[int, int]:
        """From the section's heading to the next heading in the text (displaced blocks aside)."""
        section = self.doc.sections[index]
        start = section.start
        following = [s.start for s in self.doc.sections if s.start > start]
        return start, (min(following) - 1 if following else len(self.doc.text))

    def _sections(self) -> None:
        for i, section in enumerate(self.doc.sections):
            s = self.section_iri(i)
            self.add(s, RDF_TYPE, vg.Section)
            self.add(s, vg.heading, string(section.heading))
            self.add(s, rdfs.label, text(section.heading))
            self.add(s, vg.sectionPath, string(self.doc.section_path(i)))
            self.add(s, vg.order, integer(i))
            start, end = self._section_span(i)
            self.add(s, vg.textStart, integer(start))
            self.add(s, vg.textEnd, integer(end))
            self.add(s, dcterms.isPartOf, self.agreement)
            self.add(self.agreement, dcterms.hasPart, s)
            if section.parent is not None:
                self.add(s, dcterms.isPartOf, self.section_iri(section.parent))

    # --- organisations ---------------------------------------------------------------------------

    def _parties(self) -> None:
        for n, name in enumerate(self.record.get("parties", [])):
            mentions = [m for m in find_mentions(name) if m.entry.role in ("principal", "unit", "joint")]
            node = self.principal(mentions[0].entry.principal or mentions[0].entry.id) if mentions and \
                mentions[0].entry.role != "joint" else iri(f"agreement/{self.key}/party/{n}")
            if node.value.endswith(f"/party/{n}"):
                self.add(node, RDF_TYPE, org.Organization)
                self.add(node, rdfs.label, text(name))
                self.add(node, vg.principalKind, kind_iri("other"))
            else:
                self.add(node, skos.altLabel, text(name))
            self.add(self.agreement, vg.party, node)

    def principal(self, pid: str) -> NamedNode:
        """The agreement's municipality, region or both, minted once per agreement."""
        if pid in self.actors:
            return self.actors[pid]
        node = iri(f"org/{self.key}/{pid}")
        self.actors[pid] = node
        if pid == "kommun":
            self._org(node, vg.Municipality, "Kommunen", "The municipality", "kommun")
        elif pid == "region":
            word = self.ex.region_word
            self._org(node, vg.Region, word, "The region" if word == "Regionen" else "The county council", "region")
        else:
            self._org(node, org.OrganizationalCollaboration, "Båda huvudmännen", "Both principals", "kommun+region")
            self.add(node, org.hasMember, self.principal("kommun"))
            self.add(node, org.hasMember, self.principal("region"))
        return node

    def _org(self, node: NamedNode, cls: NamedNode, sv: str, en: str, kind: str) -> None:
        self.add(node, RDF_TYPE, cls)
        self.add(node, RDF_TYPE, org.Organization)
        self.add(node, rdfs.label, text(sv))
        self.add(node, rdfs.label, text(en, "en"))
        self.add(node, vg.principalKind, kind_iri(kind))

    def actor(self, entry: ActorEntry) -> NamedNode:
        entry = self.ex.placed.get(entry.id, entry) if entry.role == "body" else entry   # a body the text places in a principal
        if entry.role in ("principal", "joint", "each"):
            return self.principal("huvudmannen" if entry.role in ("joint", "each") else entry.id)
        if entry.role == "unit":
            node = iri(f"org/{self.key}/unit/{entry.id}")
            if entry.id not in self.actors:
                self.actors[entry.id] = node
                self.add(node, RDF_TYPE, vg.OrganisationalUnit)
                self.add(node, RDF_TYPE, org.OrganizationalUnit)
                self.add(node, rdfs.label, text(entry.sv))
                self.add(node, rdfs.label, text(entry.en, "en"))
                principal = self.principal(cast(str, entry.principal))    # a unit always names its principal
                self.add(node, org.unitOf, principal)
                self.add(principal, org.hasUnit, node)
                self.add(node, vg.principalKind, kind_iri(entry.kind))
            return node
        if entry.scope == "national":
            return actor_iri(entry)  # described once, in the vocabulary graph
        node = iri(f"org/{self.key}/{'role' if entry.role == 'role' else 'body'}/{slug(entry.id)}")
        if entry.id not in self.actors:
            self.actors[entry.id] = node
            self.add(node, RDF_TYPE, vg.CollaborationBody if entry.role == "body" else vg.OtherActor)
            self.add(node, RDF_TYPE, org.Organization)
            self.add(node, rdfs.label, text(entry.sv))
            if entry.en and entry.en != entry.sv:
                self.add(node, rdfs.label, text(entry.en, "en"))
            self.add(node, vg.principalKind, kind_iri(entry.kind))
        return node

    # --- clauses -------------------------------------------------------------------------------

    def clause_iri(self, clause: Clause) -> NamedNode:
        suffix = ""
        if clause.conditions.cost_share is not None and clause.bearer is not None:
            suffix = "-" + slug(clause.bearer.unit.id if clause.bearer.unit else clause.bearer.principal.id)
        return iri(f"agreement/{self.key}/clause/{clause.own_start}-{clause.own_end}{suffix}")

    def _clause(self, clause: Clause) -> None:
        c = self.clause_iri(clause)
        cls = clause.deontic_class
        self.add(c, RDF_TYPE, vg.Clause)
        for type_ in DEONTIC_TYPES[cls]:
            self.add(c, RDF_TYPE, type_)
        self.add(c, vg.agreement, self.agreement)
        self.add(c, prov.wasGeneratedBy, self.extraction)
        if clause.section is not None:
            self.add(c, vg.section, self.section_iri(clause.section))
            self.add(c, prov.wasDerivedFrom, self.section_iri(clause.section))
        self.add(c, vg.statement, text(clause.statement))
        if clause.modality.strength:
            self.add(c, vg.deonticStrength, concept("strength", clause.modality.strength))
        if clause.modality.cue:
            self.add(c, vg.deonticCue, string(clause.modality.cue))
        if clause.intro:
            self.add(c, vg.listIntroduction, text(clause.intro))
        for topic in clause.topics:
            self.add(c, vg.topic, concept("topic", topic))
        for group in clause.target_groups:
            self.add(c, vg.targetGroup, concept("target-group", group))
        for activity in clause.activities:
            self.add(c, vg.activity, concept("activity", activity))
        for situation in clause.conditions.situations:
            self.add(c, vg.situation, concept("situation", situation))
        for citation in clause.citations:
            for node in self._citation_nodes(citation):
                self.add(c, vg.legalBasis, node)
        if clause.curated:
            self.add(c, vg.curated, boolean(True))
        self._evidence(c, clause)
        if clause.bearer is None:   # who it names, when it names nobody as bound by it (a forum, a party)
            for mention in find_mentions(clause.text):
                if mention.entry.role != "staff":   # staff are no party or forum, and have no IRI of their own
                    self.add(c, vg.names, self.actor(mention.entry))
        if cls == "description":
            return
        self.add(c, vg.bearerSource, concept("bearer-source", clause.bearer_source))
        if clause.bearer_section is not None:
            self.add(c, vg.bearerSection, self.section_iri(clause.bearer_section))
        if clause.is_responsibility:
            for kind in clause.duty_kinds:
                self.add(c, vg.dutyKind, concept("duty-kind", kind))
        if clause.bearer is not None:
            self._responsibility(c, clause, clause.bearer)

    def _responsibility(self, c: NamedNode, clause: Clause, bearer: Bearer) -> None:
        self.add(c, vg.bearerKind, kind_iri(bearer.kind))
        self.add(c, vg.bearer, self.actor(bearer.principal))
        if bearer.unit is not None:
            self.add(c, vg.unit, self.actor(bearer.unit))
        if bearer.mode == "each":
            self.add(c, vg.eachForOwnPart, boolean(True))
        generation = NamedNode(c.value + "#generation")     # how, and how surely, its bearer was found
        self.add(c, prov.qualifiedGeneration, generation)
        self.add(generation, RDF_TYPE, prov.Generation)
        self.add(generation, prov.activity, self.extraction)
        self.add(generation, vg.method, concept("extraction-method", bearer.method))
        self.add(generation, vg.confidence, decimal(bearer.confidence))
        cond = clause.conditions
        if cond.min_age is not None:
            self.add(c, vg.minAge, integer(cond.min_age))
        if cond.max_age is not None:
            self.add(c, vg.maxAge, integer(cond.max_age))
        if cond.more_than_days:
            self.add(c, vg.durationMoreThanDays, integer(cond.more_than_days))
        if cond.deadline_days is not None:
            self.add(c, vg.deadlineDays, integer(cond.deadline_days))
        if cond.immediate:
            self.add(c, vg.immediate, boolean(True))
        if cond.default_rule:
            self.add(c, vg.defaultRule, boolean(True))
        if cond.cost_share is not None:
            self.add(c, vg.costShare, decimal(cond.cost_share))
        if cond.text_sv():
            self.add(c, vg.conditionText, text(cond.text_sv()))
        if clause.recipient:
            entry = lexicon().entries.get(clause.recipient)
            if entry is not None:
                self.add(c, vg.recipient, self.actor(entry))

    def _evidence(self, c: NamedNode, clause: Clause) -> None:
        target = NamedNode(c.value + "#evidence")
        quote = NamedNode(c.value + "#quote")
        position = NamedNode(c.value + "#position")
        in_source = NamedNode(c.value + "#in-source")
        source_position = NamedNode(c.value + "#source-position")
        doc = self.doc
        self.add(c, vg.evidence, target)
        self.add(target, RDF_TYPE, oa.SpecificResource)
        self.add(target, oa.hasSource, iri(f"agreement/{self.key}/text"))
        self.add(target, oa.hasSelector, quote)
        self.add(target, oa.hasSelector, position)
        self.add(quote, RDF_TYPE, oa.TextQuoteSelector)
        self.add(quote, oa.exact, string(clause.quote))
        self.add(quote, oa.prefix, string(doc.text[max(0, clause.start - QUOTE_CONTEXT):clause.start]))
        self.add(quote, oa.suffix, string(doc.text[clause.end:clause.end + QUOTE_CONTEXT]))
        self.add(position, RDF_TYPE, oa.TextPositionSelector)
        self.add(position, oa.start, non_negative(clause.start))
        self.add(position, oa.end, non_negative(clause.end))
        # the same words where the source file's text has them (as extracted, before normalisation)
        raw_start, raw_end = doc.raw_span(clause.start, clause.end)
        self.add(target, prov.wasDerivedFrom, in_source)
        self.add(in_source, RDF_TYPE, oa.SpecificResource)
        self.add(in_source, oa.hasSource, iri(f"agreement/{self.key}/source"))
        self.add(in_source, oa.hasSelector, source_position)
        self.add(source_position, RDF_TYPE, oa.TextPositionSelector)
        self.add(source_position, RDF_TYPE, vg.SourcePositionSelector)
        self.add(source_position, oa.start, non_negative(raw_start))
        self.add(source_position, oa.end, non_negative(raw_end))

    # --- law citations ---------------------------------------------------------------------------

    def _citation_nodes(self, citation: Citation) -> list[NamedNode]:
        if not citation.sfs:
            return []
        law = law_iri(citation.series, citation.sfs)
        key = citation.sfs if citation.series == "SFS" else f"{citation.series} {citation.sfs}"
        if key not in law_table():  # cited but not in the law table: described here, as far as known
            self.add(law, RDF_TYPE, vg.Law)
            self.add(law, RDF_TYPE, eli.LegalResource)
            self.add(law, rpubl.fsNummer, string(citation.sfs))
            self.add(law, rdfs.label, text(f"{citation.series} {citation.sfs}"))
        if not citation.provisions:
            return [law]
        nodes = []
        for provision in citation.provisions:
            node = provision_iri(citation.series, citation.sfs, provision.chapter, provision.section)
            describe_provision(self.add, node, law, citation, provision)
            nodes.append(node)
        return nodes


def actor_iri(entry: ActorEntry) -> NamedNode:
    return iri(f"org/{slug(entry.id)}" if entry.role != "individual" else f"role/{slug(entry.id)}")


def describe_provision(add: Callable[[Subject, NamedNode, Object], None], node: NamedNode, law: NamedNode,
                       citation: Citation, provision: Provision) -> None:
    add(node, RDF_TYPE, vg.Provision)
    add(node, RDF_TYPE, eli.LegalResourceSubdivision)
    add(node, eli.is_part_of, law)
    if provision.chapter:
        add(node, rpubl.kapitelnummer, string(provision.chapter))
    add(node, rpubl.paragrafnummer, string(provision.section))
    label = f"{provision.key} {citation.abbr or ''} ({citation.sfs})".replace("  ", " ")
    add(node, rdfs.label, text(label))
