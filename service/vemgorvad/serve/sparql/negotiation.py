"""Content negotiation with q-values (RFC 9110 §12.5.1): the most specific matching range gives a
media type its quality, the highest quality wins, ties go to the server's order of preference,
q=0 refuses. One table of formats (FORMATS); each result kind offers its rows in the table's order,
the first being the default (also for */*)."""
from __future__ import annotations

from collections.abc import Iterable

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Format:
    media_type: str       # what the Content-Type of the response says
    name: str             # pyoxigraph format name (QueryResultsFormat / RdfFormat attribute)
    extension: str
    kinds: str = field(default="", compare=False)   # what it is offered for: s solutions and booleans, g graphs, d datasets


#: Every format the service writes, in its order of preference (the first of a kind is its default).
FORMATS = (
    Format("application/sparql-results+json", "JSON", "srj", "s"),
    Format("application/sparql-results+xml", "XML", "srx", "s"),
    Format("text/csv", "CSV", "csv", "s"),
    Format("text/tab-separated-values", "TSV", "tsv", "s"),
    Format("application/json", "JSON", "json", "s"),
    Format("application/xml", "XML", "xml", "s"),
    Format("text/xml", "XML", "xml", "s"),
    Format("text/turtle", "TURTLE", "ttl", "g"),
    Format("application/n-triples", "N_TRIPLES", "nt", "g"),
    Format("application/ld+json", "JSON_LD", "jsonld", "g"),
    Format("application/rdf+xml", "RDF_XML", "rdf", "g"),
    Format("application/n-quads", "N_QUADS", "nq", "gd"),
    Format("application/trig", "TRIG", "trig", "gd"),
    Format("application/x-turtle", "TURTLE", "ttl", "g"),
    Format("text/n3", "TURTLE", "ttl", "g"),
    Format("application/json", "JSON_LD", "jsonld", "g"),
    Format("text/plain", "N_TRIPLES", "nt", "g"),
)
SOLUTIONS = tuple(f for f in FORMATS if "s" in f.kinds)
BOOLEAN = SOLUTIONS
GRAPH = tuple(f for f in FORMATS if "g" in f.kinds)
DATASET = tuple(f for f in FORMATS if "d" in f.kinds)
#: The media type each RDF format is written with (its first entry)
MEDIA_TYPE = {f.name: f.media_type for f in reversed(GRAPH + DATASET)}
HTML = Format("text/html", "HTML", "html")
#: the media ranges of an Accept header: (type, subtype, q)
Ranges = list[tuple[str, str, float]]


def parse_accept(header: str | None) -> Ranges:
    """[(type, subtype, q)] of an Accept header; a missing or empty header accepts everything."""
    if not header or not header.strip():
        return [("*", "*", 1.0)]
    ranges: Ranges = []
    for part in header.split(","):
        pieces = [p.strip() for p in part.split(";")]
        media = pieces[0].lower()
        if not media:
            continue
        if media == "*":
            media = "*/*"
        kind, _, sub = media.partition("/")
        q = 1.0
        for param in pieces[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value.strip())))
                except ValueError:
                    q = 0.0
        ranges.append((kind, sub or "*", q))
    return ranges


def quality(media_type: str, ranges: Ranges) -> float:
    kind, _, sub = media_type.partition("/")
    best, best_q = -1, 0.0
    for r_kind, r_sub, q in ranges:
        if r_kind == kind and r_sub == sub:
            specificity = 2
        elif r_kind == kind and r_sub == "*":
            specificity = 1
        elif r_kind == "*" and r_sub == "*":
            specificity = 0
        else:
            continue
        if specificity > best:
            best, best_q = specificity, q
    return best_q if best >= 0 else 0.0


def choose(ranges: Ranges, offers: Iterable[Format]) -> Format | None:
    """The acceptable offer of highest quality, or None (→ 406)."""
    chosen, chosen_q = None, 0.0
    for offer in offers:
        q = quality(offer.media_type, ranges)
        if q > chosen_q:
            chosen, chosen_q = offer, q
    return chosen


def wants_html(ranges: Ranges) -> bool:
    """A browser: text/html acceptable and at least as good as anything RDF or SPARQL offers."""
    html = quality("text/html", ranges)
    if html <= 0:
        return False
    explicit = [q for kind, sub, q in ranges if (kind, sub) == ("text", "html")]
    if not explicit:
        return False
    others = max(quality(f.media_type, ranges) for f in SOLUTIONS + GRAPH if f.media_type not in ("text/plain", "application/xml", "text/xml"))
    return html >= others
