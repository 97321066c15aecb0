"""Issue 14 task 1: the gap check's peer statistics (what the agreements in the graph regulate, how
each words it, each one's text fingerprint) are made by the build — each agreement's part in its
pipeline worker, cached with it, merged into the build folder's peers.json — and read by the service,
not computed at its start from queries over the whole graph. The file gives exactly what the named
queries give over the served graph."""
from __future__ import annotations

import json

import pyoxigraph

from vemgorvad.peers import PEERS_FILE, agreement_part, from_json, merged, peers_from, queried, read
from vemgorvad.serve.check.service import CheckService
from vemgorvad.store import EmbeddedStore


def test_the_build_writes_the_peers_the_queries_give_over_the_whole_graph(build_dir, embedded_store):
    from_file = read(build_dir / PEERS_FILE)
    asked = queried(embedded_store)
    assert from_file.topics == asked.topics and from_file.labels == asked.labels
    assert from_file.fingerprints == asked.fingerprints and from_file.models == asked.models
    assert len(from_file.keys) == 5 and len(from_file.labels) >= 35
    assert any(len(keys) == 5 for keys in from_file.topics.values())   # a topic every seed regulates


def test_the_service_reads_the_file_and_a_store_without_one_is_asked(build_dir, embedded_store, monkeypatch):
    data = json.loads((build_dir / PEERS_FILE).read_text(encoding="utf-8"))
    seen = []
    monkeypatch.setattr("vemgorvad.peers.queried", lambda store: seen.append(store) or queried(store))
    assert peers_from(EmbeddedStore(embedded_store.store, build_dir)).topics == from_json(data).topics
    assert seen == []                             # the build folder's file, no query
    no_folder = EmbeddedStore(embedded_store.store)
    assert peers_from(no_folder).fingerprints == from_json(data).fingerprints and seen == [no_folder]


def test_the_check_service_takes_its_peers_from_the_build(build_dir, embedded_store, monkeypatch):
    monkeypatch.setattr("vemgorvad.peers.queried", lambda store: (_ for _ in ()).throw(AssertionError))
    service = CheckService(EmbeddedStore(embedded_store.store, build_dir))
    assert service.peers.keys == {"sormland", "stockholm-vasterort", "uppsala", "vastmanland", "vastra-gotaland"}


def test_an_agreements_part_is_its_own_topics_wording_and_fingerprint():
    """A constructed graph: one agreement regulating one of two topics, with two responsibilities on
    it (the more confident one is the model wording); the other topic gets the label but no key."""
    vg, sk, dc = ("https://w3id.org/vemgorvad/ontology#", "http://www.w3.org/2004/02/skos/core#",
                  "http://purl.org/dc/terms/")
    oa, prov = "http://www.w3.org/ns/oa#", "http://www.w3.org/ns/prov#"
    rdf = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
    n, lit = pyoxigraph.NamedNode, pyoxigraph.Literal
    base = "https://example.org/"
    topics = []
    for key, label in (("tvister", "Tvister"), ("boende", "Boende")):
        t = n(base + key)
        topics += [pyoxigraph.Quad(t, n(rdf + "type"), n(vg + "Topic")),
                   pyoxigraph.Quad(t, n(sk + "notation"), lit(key)),
                   pyoxigraph.Quad(t, n(sk + "prefLabel"), lit(label, language="sv"))]
    a, g = n(base + "a"), n(base + "g")
    graph = [pyoxigraph.Quad(a, n(rdf + "type"), n(vg + "Agreement"), g),
             pyoxigraph.Quad(a, n(dc + "identifier"), lit("exempel"), g),
             pyoxigraph.Quad(a, n(dc + "title"), lit("Exempelavtalet"), g),
             pyoxigraph.Quad(a, n(vg + "regulates"), n(base + "tvister"), g),
             pyoxigraph.Quad(a, n(vg + "text"), n(base + "text"), g),
             pyoxigraph.Quad(n(base + "text"), n(rdf + "value"), lit("Tvister  löses\nlokalt."), g)]
    for i, (quote, confidence) in enumerate((("Tvister löses lokalt.", "0.9"), ("Tvister kan lyftas.", "0.4"))):
        r, sel, ev, gen = (n(f"{base}{part}{i}") for part in ("r", "sel", "ev", "gen"))
        graph += [pyoxigraph.Quad(r, n(rdf + "type"), n(vg + "Responsibility"), g),
                  pyoxigraph.Quad(r, n(vg + "agreement"), a, g), pyoxigraph.Quad(r, n(vg + "topic"), n(base + "tvister"), g),
                  pyoxigraph.Quad(r, n(vg + "evidence"), ev, g), pyoxigraph.Quad(ev, n(oa + "hasSelector"), sel, g),
                  pyoxigraph.Quad(sel, n(oa + "exact"), lit(quote), g),
                  pyoxigraph.Quad(r, n(prov + "qualifiedGeneration"), gen, g),
                  pyoxigraph.Quad(gen, n(vg + "confidence"), lit(confidence, datatype=n("http://www.w3.org/2001/XMLSchema#decimal")), g)]
    part = agreement_part("exempel", graph, topics)
    assert part["topics"] == ["tvister"] and part["fingerprint"]
    assert part["models"] == {"tvister": {"title": "Exempelavtalet", "section": "", "quote": "Tvister löses lokalt."}}
    peers = from_json(merged([part], {"tvister": "Tvister", "boende": "Boende"}))
    assert peers.topics == {"tvister": {"exempel"}, "boende": set()} and peers.keys == {"exempel"}
    assert peers.models["tvister"][0]["agreement"] == "exempel"
