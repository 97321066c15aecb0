"""The gap check's peer statistics — what the agreements in the graph regulate, how each words it,
and each one's text fingerprint — made by the build, not by the service.

`vemgorvad build` computes each agreement's part in the worker that runs its pipeline (and caches it
with the agreement: an unchanged agreement is not asked again), over that agreement's graph and the
vocabulary only, with the same named queries the service would run over the whole graph
(coverage, model_wording, agreement_texts); the build then merges the parts into one small file,
peers.json, in the build folder. The service reads that file at start: with 300 agreements it is a
few hundred kilobytes read in milliseconds, where the queries over the whole graph read every
agreement's text. A store that is not a build folder (a remote SPARQL store) still gets its peers
from the queries."""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import pyoxigraph

from .query_files import load
from .store import GraphStore
from .store.embedded import EmbeddedStore

PEERS_FILE = "peers.json"
FORMAT = 1
TOPIC = pyoxigraph.NamedNode("https://w3id.org/vemgorvad/ontology#Topic")
RDF_TYPE = pyoxigraph.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")


@dataclass
class Peers:
    """What the agreements in the graph regulate: topic → keys; and each one's text fingerprint."""
    topics: dict[str, set[str]]
    labels: dict[str, str]
    fingerprints: dict[str, str] = field(default_factory=dict)
    models: dict[str, list[dict[str, Any]]] = field(default_factory=dict)   # topic → peers' wording of it

    @property
    def keys(self) -> set[str]:
        return set(self.fingerprints) or {k for ks in self.topics.values() for k in ks}


def fingerprint(text: str) -> str:
    """An agreement's text, whitespace aside: the gap check tells a draft that is a peer itself."""
    return hashlib.sha256(re.sub(r"\s+", " ", text).strip().encode("utf-8")).hexdigest()


def peers_from(store: GraphStore) -> Peers:
    """The peers of the graph `store` serves: from the build's peers.json when the store is a build
    folder that has one, else from the named queries."""
    build_dir = getattr(store, "build_dir", None)
    if build_dir is not None and (Path(build_dir) / PEERS_FILE).is_file():
        return read(Path(build_dir) / PEERS_FILE)
    return queried(store)


def queried(store: GraphStore) -> Peers:
    """The peers, asked of the graph with the named queries."""
    topics: dict[str, set[str]] = {}
    labels: dict[str, str] = {}
    for row in store.values(load("coverage").text):       # ?topic and ?label are bound in every row
        topic = cast(str, row["topic"])
        labels[topic] = cast(str, row["label"])
        topics[topic] = set((row.get("keys") or "").split())
    prints = {cast(str, row["key"]): fingerprint(cast(str, row["text"]))
              for row in store.values(load("agreement_texts").text)}
    return Peers(topics, labels, prints, model_wording(store))


def model_wording(store: GraphStore) -> dict[str, list[dict[str, str]]]:
    """Topic → how the agreements that regulate it word it: each agreement's most confident
    responsibility on the topic, verbatim, with its section (the report's model wording)."""
    models: dict[str, dict[str, dict[str, str]]] = {}
    for row in store.values(load("model_wording").text):   # ?topic, ?key and ?quote are bound in every row
        key = cast(str, row["key"])
        per_agreement = models.setdefault(cast(str, row["topic"]), {})
        if key not in per_agreement:  # rows come most confident first
            per_agreement[key] = {"agreement": key, "title": row.get("title") or key,
                                  "section": row.get("sectionPath") or "", "quote": cast(str, row["quote"])}
    return {topic: list(by_key.values()) for topic, by_key in models.items()}


def _store(quads: Iterable[pyoxigraph.Quad]) -> EmbeddedStore:
    store = pyoxigraph.Store()
    store.extend(quads)
    return EmbeddedStore(store)


def labels(topics: Iterable[pyoxigraph.Quad]) -> dict[str, str]:
    """Topic key → its Swedish label, from the vocabulary's topics (the build's parent, once)."""
    return queried(_store(topics)).labels


def topic_quads(vocabulary: Iterable[pyoxigraph.Quad]) -> list[pyoxigraph.Quad]:
    """What the peer queries read of the vocabulary graph: the topics (their type, key and labels)."""
    quads = list(vocabulary)
    topics = {q.subject for q in quads if q.predicate == RDF_TYPE and q.object == TOPIC}
    return [q for q in quads if q.subject in topics]


def agreement_part(key: str, graph: Iterable[pyoxigraph.Quad], topics: Iterable[pyoxigraph.Quad]) -> dict[str, Any]:
    """One agreement's part of the peer statistics, from its own graph and the vocabulary's topics
    (topic_quads; in the build's worker for that agreement, about 0.1 s for the largest seed): its
    fingerprint, the topics it regulates and its wording of each. JSON-ready; cached with the agreement."""
    found = queried(_store([*topics, *graph]))
    return {"key": key, "fingerprint": found.fingerprints.get(key, ""),
            "topics": sorted(t for t, keys in found.topics.items() if key in keys),
            "models": {topic: {k: v for k, v in rows[0].items() if k != "agreement"}
                       for topic, rows in sorted(found.models.items()) if rows and rows[0]["agreement"] == key}}


def merged(parts: Iterable[dict[str, Any]], topic_labels: dict[str, str]) -> dict[str, Any]:
    """The build's peers.json: every agreement's part, by key, and the topics' labels."""
    return {"format": FORMAT, "labels": dict(sorted(topic_labels.items())),
            "agreements": {p["key"]: {k: v for k, v in p.items() if k != "key"} for p in sorted(parts, key=lambda p: p["key"])}}


def write(path: Path, parts: Iterable[dict[str, Any]], topic_labels: dict[str, str]) -> None:
    path.write_text(json.dumps(merged(parts, topic_labels), ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


def from_json(data: dict[str, Any]) -> Peers:
    """Peers from the merged statistics — what `queried` gives for the same graph."""
    agreements: dict[str, dict[str, Any]] = data["agreements"]
    topics: dict[str, set[str]] = {t: set() for t in data["labels"]}
    models: dict[str, list[dict[str, str]]] = {}
    for key in sorted(agreements):
        part = agreements[key]
        for topic in part["topics"]:
            topics.setdefault(topic, set()).add(key)
        for topic, model in part["models"].items():
            models.setdefault(topic, []).append({"agreement": key, **model})
    prints = {key: part["fingerprint"] for key, part in agreements.items() if part["fingerprint"]}
    return Peers(topics, dict(data["labels"]), prints, dict(sorted(models.items())))


def read(path: Path) -> Peers:
    return from_json(json.loads(path.read_text(encoding="utf-8")))
