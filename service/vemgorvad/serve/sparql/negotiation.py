"""Content negotiation with q-values (RFC 9110 §12.5.1): the most specific matching range gives a
media type its quality, the highest quality wins, ties go to the server's order of preference,
q=0 refuses. Each result kind has its own table; the first entry is the default (also for */*)."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    media_type: str       # what the Content-Type of the response says
    name: str             # pyoxigraph format name (QueryResultsFormat / RdfFormat attribute)
    extension: str


SOLUTIONS = (
    Format("application/sparql-results+json", "JSON", "srj"),
    Format("application/sparql-results+xml", "XML", "srx"),
    Format("text/csv", "CSV", "csv"),
    Format("text/tab-separated-values", "TSV", "tsv"),
    Format("application/json", "JSON", "json"),
    Format("application/xml", "XML", "xml"),
    Format("text/xml", "XML", "xml"),
)
BOOLEAN = tuple(f for f in SOLUTIONS)
GRAPH = (
    Format("text/turtle", "TURTLE", "ttl"),
    Format("application/n-triples", "N_TRIPLES", "nt"),
    Format("application/ld+json", "JSON_LD", "jsonld"),
    Format("application/rdf+xml", "RDF_XML", "rdf"),
    Format("application/n-quads", "N_QUADS", "nq"),
    Format("application/trig", "TRIG", "trig"),
    Format("application/x-turtle", "TURTLE", "ttl"),
    Format("text/n3", "TURTLE", "ttl"),
    Format("application/json", "JSON_LD", "jsonld"),
    Format("text/plain", "N_TRIPLES", "nt"),
)
DATASET = (
    Format("application/n-quads", "N_QUADS", "nq"),
    Format("application/trig", "TRIG", "trig"),
)
HTML = Format("text/html", "HTML", "html")


def parse_accept(header: str | None) -> list[tuple[str, str, float]]:
    """[(type, subtype, q)] of an Accept header; a missing or empty header accepts everything."""
    if not header or not header.strip():
        return [("*", "*", 1.0)]
    ranges = []
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


def quality(media_type: str, ranges) -> float:
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


def choose(ranges, offers) -> Format | None:
    """The acceptable offer of highest quality, or None (→ 406)."""
    chosen, chosen_q = None, 0.0
    for offer in offers:
        q = quality(offer.media_type, ranges)
        if q > chosen_q:
            chosen, chosen_q = offer, q
    return chosen


def wants_html(ranges) -> bool:
    """A browser: text/html acceptable and at least as good as anything RDF or SPARQL offers."""
    html = quality("text/html", ranges)
    if html <= 0:
        return False
    explicit = [q for kind, sub, q in ranges if (kind, sub) == ("text", "html")]
    if not explicit:
        return False
    others = max(quality(f.media_type, ranges) for f in SOLUTIONS + GRAPH if f.media_type not in ("text/plain", "application/xml", "text/xml"))
    return html >= others
