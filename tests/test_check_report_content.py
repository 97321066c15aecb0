"""Issue 14 item 5: a report people can use — law breaches apart from peer practice, where in the
upload each finding stands, and model wording from the peer agreements that regulate a missing
topic, quoted verbatim."""
from __future__ import annotations

from checkutil import TOPIC_KEYS, agreement_text, is_verbatim, seed_text
from vemgorvad.peers import Peers
from vemgorvad.serve.check.report import check
from vemgorvad.serve.check.service import peers_from
from vemgorvad.serve.check.view import group_of

LABELS = {t: t for t in TOPIC_KEYS}
MODEL = {"agreement": "a", "title": "Överenskommelse A", "section": "9. Tvister",
         "quote": "Tvister mellan parterna löses i den gemensamma ledningsgruppen."}


def report_of(text: str, peers: Peers) -> dict:
    return check(text.encode("utf-8"), "utkast.txt", peers)


def test_a_missing_topic_shows_how_peers_word_it():
    peers = Peers({"tvister": {"a"}}, LABELS, {"a": "fingerprint-a"}, {"tvister": [MODEL]})
    body = agreement_text().split("6. Tvister")[0]
    rows = {t["topic"]: t for t in report_of(body, peers)["topics"]}
    assert rows["tvister"]["status"] == "missing"
    assert rows["tvister"]["models"] == [MODEL]
    covered = report_of(agreement_text(), peers)
    assert {t["topic"]: t for t in covered["topics"]}["tvister"]["models"] == []  # regulated: no model needed


def test_the_upload_itself_is_no_model_for_itself():
    text = agreement_text()
    from vemgorvad.peers import fingerprint
    peers = Peers({"tvister": {"a"}}, LABELS, {"a": fingerprint(text)}, {"tvister": [MODEL]})
    body_rows = report_of(text.split("6. Tvister")[0], Peers({"tvister": {"a"}}, LABELS, {"a": fingerprint(text)},
                                                            {"tvister": [MODEL]}))["topics"]
    assert next(t for t in body_rows if t["topic"] == "tvister")["models"] == [MODEL]
    assert all(t["models"] == [] for t in report_of(text, peers)["topics"])


def test_the_models_of_the_build_are_verbatim_quotes_of_their_agreements(embedded_store):
    peers = peers_from(embedded_store)
    assert peers.models
    for topic, models in peers.models.items():
        assert len({m["agreement"] for m in models}) == len(models), topic  # one per agreement
        for model in models[:2]:
            assert topic in LABELS and model["quote"].strip()
            assert is_verbatim(model["quote"], seed_text(model["agreement"])), (topic, model)


def test_findings_say_where_they_stand():
    extra = ("\n7. Lagar\nKommunen ska följa 8 a § hälso- och sjukvårdslagen (1982:763) när planen upprättas.\n"
             "\n8. Information\nDet ska säkerställas att den enskilde får information om sina rättigheter.\n")
    report = report_of(agreement_text(extra=extra), Peers({}, LABELS))
    repealed = [f for f in report["findings"] if f["code"] == "repealed-law"]
    assert repealed and all("7. Lagar" in f["section"] for f in repealed)
    unassigned = [f for f in report["findings"] if f["code"] == "duty-without-bearer"]
    assert unassigned and "8. Information" in unassigned[0]["section"]


def test_law_breaches_stand_apart_from_peer_practice():
    peers = Peers({"tandvard": {"a", "b", "c"}}, LABELS, {k: k for k in "abc"})
    report = report_of(agreement_text(groups=""), peers)
    groups = {f["code"]: group_of(f) for f in report["findings"]}
    assert groups["peer-practice"] == "practice"
    law = [f for f in report["findings"] if group_of(f) == "law"]
    assert law and all(f["severity"] == "violation" for f in law)
    assert all(group_of(f) != "law" for f in report["findings"] if f["code"] == "peer-practice")
