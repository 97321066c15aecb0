"""Linked data: every IRI minted under https://w3id.org/vemgorvad/ dereferences through this
service. The path is the IRI after the namespace: /id/… ↔ https://w3id.org/vemgorvad/id/…,
/ontology ↔ …/ontology (with all its #terms), /graph/KEY ↔ the named graph of an agreement,
/dataset ↔ the VoID description of the whole dataset. Browsers get an HTML page (labels, links,
and for clauses and responsibilities the quote with its agreement and section); other clients get
Turtle, N-Triples, JSON-LD or RDF/XML by content negotiation. /download/ serves dumps of the whole
dataset and of each named graph."""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import partial
from typing import Any, NamedTuple

import pyoxigraph
from fastapi import APIRouter, Request
from fastapi import Path as PathParam
from starlette.concurrency import run_in_threadpool
from starlette.responses import RedirectResponse, Response

from ..graph.terms import BASE, GRAPH, ONTOLOGY, PREFIXES
from ..store import EmbeddedStore, GraphStore
from .caches import Key
from .api_error import ApiError
from .sparql import negotiation
from .sparql.description import DATASET, FACTS, facts, graph_key, void_triples
from .sparql.http import with_cors
from .sparql.results import serialise_graph
from .sparql.runtime import SparqlRuntime
from .state import served
from .templating import ENV
from .urls import public_base_url

router = APIRouter(tags=["Länkade data"])
SAFE_PATH = re.compile(r"^[A-Za-z0-9._~!$&'()*+,;=:@/%-]+$")
PAGE_OFFERS = (*negotiation.GRAPH, negotiation.HTML)
DUMP_FORMATS = {"ttl": "TURTLE", "nt": "N_TRIPLES", "nq": "N_QUADS", "trig": "TRIG", "jsonld": "JSON_LD", "rdf": "RDF_XML"}
MEDIA = negotiation.MEDIA_TYPE
LABELS = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://www.w3.org/2000/01/rdf-schema#label",
          "http://purl.org/dc/terms/title")
VG = PREFIXES["vg"]
#: `?format=` is read by hand (`_chosen`, Swedish 400 for others); declared for /openapi.json.
FORMAT_DOC = {"parameters": [{"name": "format", "in": "query", "required": False,
                              "description": "Format i stället för Accept: html, ttl, jsonld, nt, rdf, nq eller trig",
                              "schema": {"type": "string", "enum": ["html", *DUMP_FORMATS]}}]}


def local_path(iri: str) -> str | None:
    """Where an IRI of the project's namespace is served here (None for other IRIs)."""
    if iri.startswith(BASE):
        return "/" + iri[len(BASE):]
    return None


def _valid_iri(iri: str) -> bool:
    try:
        pyoxigraph.NamedNode(iri)
        return True
    except ValueError:     # e.g. a '%' not followed by two hex digits (/id/%25)
        return False


def _term(iri: str) -> str:
    return str(pyoxigraph.NamedNode(iri))


def _parse_triples(ntriples: bytes) -> list[pyoxigraph.Triple]:
    return [q.triple if isinstance(q, pyoxigraph.Quad) else q
            for q in pyoxigraph.parse(ntriples, format=pyoxigraph.RdfFormat.N_TRIPLES)]


def _name(term: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Triple) -> str:
    """The IRI or blank-node id of a subject (a quoted triple, RDF-star, by its text)."""
    return str(term) if isinstance(term, pyoxigraph.Triple) else term.value


def describe(store: GraphStore, iri: str) -> list[pyoxigraph.Triple]:
    """The triples about a resource and its hash-IRI parts (#evidence, #quote, #position)."""
    node, prefix = _term(iri), str(pyoxigraph.Literal(iri + "#"))
    query = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{"
             f" {{ VALUES ?s {{ {node} }} ?s ?p ?o }}"
             f" UNION {{ {node} ?p0 ?s . FILTER(isIRI(?s) && STRSTARTS(STR(?s), {prefix})) ?s ?p ?o }}"
             f" UNION {{ {node} ?p0 ?x . ?x ?p1 ?s . FILTER(isIRI(?x) && STRSTARTS(STR(?x), {prefix})"
             f" && isIRI(?s) && STRSTARTS(STR(?s), {prefix})) ?s ?p ?o }} }}")
    return _parse_triples(store.construct(query))


#: describe_ontology() of the served store, computed once (SparqlRuntime.memo).
ONTOLOGY_TRIPLES: Key[list[pyoxigraph.Triple]] = Key("ontology-triples")


def describe_ontology(store: GraphStore) -> list[pyoxigraph.Triple]:
    prefix = str(pyoxigraph.Literal(ONTOLOGY + "#"))
    query = (f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o . "
             f"FILTER(?s = {_term(ONTOLOGY)} || (isIRI(?s) && STRSTARTS(STR(?s), {prefix}))) }}")
    return _parse_triples(store.construct(query))


def graph_triples(store: GraphStore, graph_iri: str) -> list[pyoxigraph.Triple]:
    if isinstance(store, EmbeddedStore):
        return [q.triple for q in store.store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(graph_iri))]
    return _parse_triples(store.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH {_term(graph_iri)} {{ ?s ?p ?o }} }}"))


def labels(store: GraphStore, wanted: Iterable[str]) -> dict[str, str]:
    iris = sorted({i for i in wanted if i})
    if not iris:
        return {}
    found: dict[str, tuple[int, str]] = {}
    for start in range(0, len(iris), 200):
        chunk = " ".join(_term(i) for i in iris[start:start + 200])
        rows = store.values(f"SELECT ?x ?p ?l WHERE {{ VALUES ?x {{ {chunk} }} VALUES ?p {{ "
                            + " ".join(_term(p) for p in LABELS) + " } ?x ?p ?l }")
        for row in rows:
            x, p, label = row["x"], row["p"], row["l"]
            if x is not None and p is not None and label is not None and LABELS.index(p) < found.get(x, (99, ""))[0]:
                found[x] = (LABELS.index(p), label)
    # Swedish first: the store's values() drops the language, so ask once more for sv labels
    for start in range(0, len(iris), 200):
        chunk = " ".join(_term(i) for i in iris[start:start + 200])
        for row in store.values(f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {chunk} }} ?x {_term(LABELS[0])}|{_term(LABELS[1])}"
                                f" ?l FILTER(lang(?l) = \"sv\") }}"):
            x, label = row["x"], row["l"]
            if x is not None and label is not None:
                found[x] = (-1, label)
    return {k: v[1] for k, v in found.items()}


def _short(iri: str) -> str:
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return iri


class Link(NamedTuple):
    """A link on a page: to this server for the project's IRIs, else to the IRI itself."""
    href: str
    iri: str
    text: str


class Text(NamedTuple):
    """A literal value and its language tag ("" for none)."""
    text: str
    lang: str = ""


Value = Link | Text
Rows = list[tuple[Link, list[Value]]]


def _link(iri: str, names: Mapping[str, str]) -> Link:
    return Link(local_path(iri) or iri, iri, names.get(iri) or _short(iri))


def _value(term: object, names: Mapping[str, str]) -> Value:
    if isinstance(term, pyoxigraph.NamedNode):
        return _link(term.value, names)
    if isinstance(term, pyoxigraph.Literal):
        return Text(term.value, term.language or "")
    return Text(str(term))


def _order(value: Value) -> tuple[int, str, str]:
    return (0, value.href, "") if isinstance(value, Link) else (1, value.text, value.lang)


def _rows(triples: Sequence[pyoxigraph.Triple], subject: str, names: Mapping[str, str]) -> Rows:
    """The properties of a subject but its types, by predicate label, each predicate's values sorted."""
    rows: dict[str, list[Value]] = {}
    for t in triples:
        if _name(t.subject) == subject and t.predicate.value != PREFIXES["rdf"] + "type":
            rows.setdefault(t.predicate.value, []).append(_value(t.object, names))
    return [(_link(p, names), sorted(v, key=_order))
            for p, v in sorted(rows.items(), key=lambda kv: names.get(kv[0], kv[0]))]


def _types(triples: Sequence[pyoxigraph.Triple], subject: str, names: Mapping[str, str]) -> list[Link]:
    kinds = [t.object.value for t in triples if _name(t.subject) == subject
             and t.predicate.value == PREFIXES["rdf"] + "type" and isinstance(t.object, pyoxigraph.NamedNode)]
    return [_link(k, names) for k in sorted(kinds)]


def quote_box(store: GraphStore, iri: str) -> dict[str, Any] | None:
    """A clause's verbatim quote, its agreement and section, and what it does (deontic_box);
    None for a resource without a quote."""
    rows = store.values(
        f"PREFIX vg: <{VG}> PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX dcterms: <http://purl.org/dc/terms/> "
        f"SELECT ?quote ?agreement ?title ?section ?heading ?path WHERE {{ "
        f"{_term(iri)} vg:evidence/oa:hasSelector/oa:exact ?quote . "
        f"OPTIONAL {{ {_term(iri)} vg:agreement ?agreement OPTIONAL {{ ?agreement dcterms:title ?title }} }} "
        f"OPTIONAL {{ {_term(iri)} vg:section ?section OPTIONAL {{ ?section vg:heading ?heading }} "
        f"OPTIONAL {{ ?section vg:sectionPath ?path }} }} }} LIMIT 1")
    if not rows:
        return None
    row = rows[0]
    source = []
    agreement, section = row.get("agreement"), row.get("section")
    if agreement:
        source.append(("Överenskommelse", _link(agreement, {agreement: row.get("title") or agreement})))
    if section:
        heading = " ".join(x for x in (row.get("path"), row.get("heading")) if x) or section
        source.append(("Avsnitt", _link(section, {section: heading})))
    return {"quote": row["quote"], "source": source, "deontic": deontic_box(store, iri)}


DEONTIC_CLASSES = ("Obligation", "Prohibition", "Recommendation", "Permission", "Description")


def deontic_box(store: GraphStore, iri: str) -> dict[str, Any] | None:
    """What a clause does and where its bearer comes from (issue 12 item 6): its deontic class and
    BCP 14 strength, who bears it and whether the clause, its list introduction, its section or its
    context said so; the list introduction itself, shown above the quote as context."""
    classes = " ".join(f"vg:{c}" for c in DEONTIC_CLASSES)
    rows = store.values(
        f"PREFIX vg: <{VG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        f"PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
        f"SELECT ?class ?classLabel ?strength ?source ?intro ?bearer ?section ?heading WHERE {{ "
        f"VALUES ?class {{ {classes} }} {_term(iri)} a ?class . "
        f"OPTIONAL {{ ?class rdfs:label ?classLabel FILTER(lang(?classLabel) = 'sv') }} "
        f"OPTIONAL {{ {_term(iri)} vg:deonticStrength/skos:prefLabel ?strength FILTER(lang(?strength) = 'sv') }} "
        f"OPTIONAL {{ {_term(iri)} vg:bearerSource/skos:prefLabel ?source FILTER(lang(?source) = 'sv') }} "
        f"OPTIONAL {{ {_term(iri)} vg:listIntroduction ?intro }} "
        f"OPTIONAL {{ {_term(iri)} vg:bearer/rdfs:label ?bearer FILTER(lang(?bearer) = 'sv') }} "
        f"OPTIONAL {{ {_term(iri)} vg:bearerSection ?section OPTIONAL {{ ?section vg:heading ?heading }} }} "
        f"}} LIMIT 1")
    if not rows:
        return None
    row = rows[0]
    section, kind = row.get("section"), row.get("class") or ""
    return {"label": (row.get("classLabel") or kind.rsplit("#", 1)[-1]).capitalize(),
            "strength": (row.get("strength") or "").lower(),
            "description": kind.endswith("Description"),
            "bearer": row.get("bearer") or "",
            "source": (row.get("source") or "").lower(),
            "section": _link(section, {section: row.get("heading") or section}) if section else None,
            "intro": row.get("intro") or ""}


def _formats(path: str) -> list[tuple[str, str]]:
    return [(f"{path}?format={ext}", name) for ext, name in
            (("ttl", "Turtle"), ("jsonld", "JSON-LD"), ("nt", "N-Triples"), ("rdf", "RDF/XML"))]


def render_page(store: GraphStore, iri: str, triples: Sequence[pyoxigraph.Triple], template: str = "resource.html.j2",
                title: str | None = None, **extra: Any) -> str:
    """The HTML page of a resource: `template` (resource.html.j2 or one that extends it) filled
    with the resource's labels, types, quote, properties and hash-IRI parts, plus `extra`."""
    subjects = sorted({t.subject.value for t in triples if isinstance(t.subject, pyoxigraph.NamedNode)},
                      key=lambda s: (s != iri, s))
    mentioned = {iri} | {t.predicate.value for t in triples}
    mentioned |= {t.object.value for t in triples if isinstance(t.object, pyoxigraph.NamedNode)}
    names = labels(store, mentioned)
    parts = [{"anchor": subject.split("#", 1)[1] if "#" in subject else subject,
              "heading": names.get(subject) or _short(subject), "iri": subject,
              "types": _types(triples, subject, names), "rows": _rows(triples, subject, names)}
             for subject in subjects if subject != iri]
    path = local_path(iri) or "/"
    alternates = [(MEDIA[f], f"{path}?format={ext}") for ext, f in DUMP_FORMATS.items()
                  if f in ("TURTLE", "JSON_LD", "N_TRIPLES")]
    return ENV.get_template(template).render(
        title=title or names.get(iri) or _short(iri), iri=iri, alternates=alternates,
        page_types=_types(triples, iri, names), clause=quote_box(store, iri),
        rows=_rows(triples, iri, names) if iri in subjects else [], parts=parts, formats=_formats(path), **extra)


def _chosen(request: Request, offers: tuple[negotiation.Format, ...] = PAGE_OFFERS) -> negotiation.Format:
    fmt = request.query_params.get("format")
    if fmt:
        if fmt not in DUMP_FORMATS and fmt != "html":
            raise ApiError(400, f"Okänt format {fmt!r}; välj något av {', '.join(DUMP_FORMATS)} eller html.")
        name = "HTML" if fmt == "html" else DUMP_FORMATS[fmt]
        return negotiation.Format("text/html" if fmt == "html" else MEDIA[name], name, fmt)
    chosen = negotiation.choose(negotiation.parse_accept(request.headers.get("accept")), offers)
    if chosen is None:
        raise ApiError(406, "Inget av formaten i Accept kan levereras. Möjliga: text/html, "
                            + ", ".join(dict.fromkeys(f.media_type for f in offers if f.name != "HTML")) + ".")
    return chosen


def _respond(store: GraphStore, iri: str, triples: Sequence[pyoxigraph.Triple], chosen: negotiation.Format,
             template: str = "resource.html.j2", title: str | None = None, **extra: Any) -> Response:
    headers = with_cors({"Vary": "Accept", "Link": f'<{iri}>; rel="canonical"'})
    if chosen.name == "HTML":
        return Response(render_page(store, iri, triples, template, title, **extra),
                        media_type="text/html; charset=utf-8", headers=headers)
    return Response(serialise_graph(triples, chosen.name), media_type=chosen.media_type, headers=headers)


def _not_found(chosen: negotiation.Format, what: str) -> Response:
    message = f"{what} finns inte i grafen."
    if chosen.name == "HTML":
        page = ENV.get_template("missing.html.j2").render(title="Finns inte", alternates=(), message=message)
        return Response(page, status_code=404, media_type="text/html; charset=utf-8", headers=with_cors())
    raise ApiError(404, message)


@router.get("/id/{path:path}", summary="En resurs i grafen (HTML eller RDF)", openapi_extra=FORMAT_DOC)
async def resource(path: str, request: Request) -> Response:
    chosen = _chosen(request)
    iri = BASE + "id/" + path
    if not SAFE_PATH.match(path) or not _valid_iri(iri):
        raise ApiError(400, "Ogiltig resursadress.")
    store = served(request).store
    triples = await run_in_threadpool(describe, store, iri)
    if not triples:
        return _not_found(chosen, f"Resursen {iri}")
    return await run_in_threadpool(_respond, store, iri, triples, chosen)


@router.get("/ontology", summary="Ontologin och alla dess termer", openapi_extra=FORMAT_DOC)
async def ontology(request: Request) -> Response:
    chosen = _chosen(request)
    rt = served(request).sparql
    triples = await run_in_threadpool(rt.memo, ONTOLOGY_TRIPLES, lambda: describe_ontology(rt.store))
    if not triples:
        return _not_found(chosen, "Ontologin")
    return await run_in_threadpool(_respond, rt.store, ONTOLOGY, triples, chosen)


@router.get("/ontology/{version}", summary="En version av ontologin (owl:versionIRI)", openapi_extra=FORMAT_DOC)
async def ontology_version(version: str, request: Request) -> Response:
    chosen = _chosen(request)
    rt = served(request).sparql
    triples = await run_in_threadpool(rt.memo, ONTOLOGY_TRIPLES, lambda: describe_ontology(rt.store))
    declared = {t.object.value for t in triples if t.predicate.value == PREFIXES["owl"] + "versionIRI"
                and isinstance(t.object, pyoxigraph.NamedNode)}
    if f"{ONTOLOGY}/{version}" not in declared:
        return _not_found(chosen, f"Versionen {version} av ontologin")
    return await run_in_threadpool(_respond, rt.store, ONTOLOGY, triples, chosen)


def _graph_page(info: Mapping[str, Any], key: str, count: int) -> dict[str, Any]:
    """What a graph's page adds: the agreement it holds, its size and its downloads."""
    agreement_iri, agreement_title = info["titles"].get(key, (None, None))
    agreement = _link(agreement_iri, {agreement_iri: agreement_title or key}) if agreement_iri else None
    return {"agreement": agreement, "count": count,
            "downloads": [(ext, f"/download/{key}.{ext}") for ext in DUMP_FORMATS]}


@router.get("/graph/{key}", summary="En namngiven graf (en överenskommelse, eller vokabulären)", openapi_extra=FORMAT_DOC)
async def graph(key: str, request: Request) -> Response:
    chosen = _chosen(request, negotiation.GRAPH + negotiation.DATASET + (negotiation.HTML,))
    rt = served(request).sparql
    iri = GRAPH + key
    counts = rt.store.stats()["graphs"]
    if iri not in counts:
        return _not_found(chosen, f"Grafen {iri}")
    if chosen.name == "HTML":
        info = await run_in_threadpool(rt.memo, FACTS, lambda: facts(rt.store))
        triples = [t for t in void_triples(info, public_base_url(served(request).settings)) if _name(t.subject) == iri]
        return await run_in_threadpool(partial(_respond, rt.store, iri, triples, chosen, "graph.html.j2",
                                               f"Graf: {key}", **_graph_page(info, key, counts[iri])))
    body = await run_in_threadpool(dump, rt, key, chosen.name)
    return Response(body, media_type=chosen.media_type, headers=with_cors({"Vary": "Accept"}))


def dump(rt: SparqlRuntime, key: str | None, format_name: str) -> bytes:
    """Serialised dump of one named graph (key) or of the whole dataset (None), once per store."""
    def compute() -> bytes:
        graphs = sorted(rt.store.stats()["graphs"]) if key is None else [GRAPH + key]
        quads = [pyoxigraph.Quad(t.subject, t.predicate, t.object, pyoxigraph.NamedNode(g))
                 for g in graphs for t in graph_triples(rt.store, g)]
        body: bytes = serialise_graph(quads if format_name in ("N_QUADS", "TRIG") else [q.triple for q in quads],
                                      format_name)
        return body
    return rt.memo(Key[bytes]("dump", (key, format_name)), compute)


@router.get("/download/{name}", summary="Nedladdning av hela datamängden eller en graf")
async def download(request: Request, name: str = PathParam(
        description="dataset.nq, dataset.trig eller NYCKEL.ttl|nt|nq|jsonld|rdf|trig",
        json_schema_extra={"pattern": rf"^[a-z0-9-]+\.({'|'.join(DUMP_FORMATS)})$"})) -> Response:
    rt = served(request).sparql
    stem, _, ext = name.rpartition(".")
    if ext not in DUMP_FORMATS or not stem:
        raise ApiError(404, f"Okänd fil {name!r}. Välj dataset.nq, dataset.trig eller NYCKEL.ttl/.nt/.nq/.jsonld/.rdf/.trig.")
    if stem == "dataset":
        if DUMP_FORMATS[ext] not in ("N_QUADS", "TRIG"):
            raise ApiError(404, "Hela datamängden finns som dataset.nq och dataset.trig (den har flera grafer).")
        key = None
    else:
        key = stem
        if GRAPH + key not in rt.store.stats()["graphs"]:
            raise ApiError(404, f"Det finns ingen graf {key!r}.")
    body = await run_in_threadpool(dump, rt, key, DUMP_FORMATS[ext])
    return Response(body, media_type=MEDIA[DUMP_FORMATS[ext]],
                    headers=with_cors({"Content-Disposition": f'attachment; filename="vemgorvad-{name}"'}))


def _dataset_page(info: Mapping[str, Any]) -> dict[str, Any]:
    """What the dataset's page adds: every named graph with its agreement and size."""
    graphs = []
    for iri, count in sorted(info["stats"]["graphs"].items()):
        key = graph_key(iri)
        title = info["titles"].get(key, (None, None))[1] or ("Ontologi och begreppsscheman" if key == "vocabulary" else key)
        graphs.append({"key": key, "title": title, "count": count})
    return {"total": info["stats"]["triples"], "graphs": graphs}


@router.get("/dataset", summary="VoID-beskrivning av datamängden", openapi_extra=FORMAT_DOC)
async def dataset(request: Request) -> Response:
    chosen = _chosen(request)
    rt = served(request).sparql
    info = await run_in_threadpool(rt.memo, FACTS, lambda: facts(rt.store))
    triples = void_triples(info, public_base_url(served(request).settings))
    if chosen.name == "HTML":
        focus = [t for t in triples if _name(t.subject) == DATASET and t.predicate.value not in
                 (PREFIXES["void"] + "classPartition", PREFIXES["sd"] + "namedGraph", PREFIXES["void"] + "subset",
                  PREFIXES["sd"] + "defaultGraph")]
        return await run_in_threadpool(partial(_respond, rt.store, DATASET, focus, chosen, "dataset.html.j2",
                                               "vemgörvad – datamängden", **_dataset_page(info)))
    return _respond(rt.store, DATASET, triples, chosen)


@router.get("/.well-known/void", include_in_schema=False)
async def well_known_void() -> Response:
    return RedirectResponse("/dataset", status_code=303)
