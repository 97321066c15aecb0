"""The gap-check evaluation material (tests/data/gapcheck/, issue 14) stays sound: every passage is a
verbatim substring of its agreement, splits are the seeded hash of the ids, every ablation cuts what
it must and keeps the other cases' passages, every layout variant keeps every passage, and the
drafts' and other agreements' gold quotes their text. Reading all PDFs back is left to
`python -m tests.eval.gapcheck_variants --check` (about a minute); here one PDF is read back."""
from __future__ import annotations

from tests.eval import gapcheck_variants as g


def test_cases_statuses_and_documents_are_consistent():
    cases = g.load_cases()
    assert len(cases) >= 30
    assert {c["agreement"] for c in cases} == {p.stem for p in g.AGREEMENTS.glob("*.txt")}
    assert g.check_cases(cases) == []
    assert g.check_statuses(g.read_jsonl(g.STATUSES)) == []
    assert g.check_documents(pdf=False) == []


def test_every_variant_keeps_the_passages_it_must():
    assert g.check_variants(g.load_cases(), pdf=False) == []


def test_split_is_fixed_by_the_id_and_holds_out_about_half():
    ids = [c["id"] for c in g.load_cases()] + g.variant_ids(g.load_cases())
    held = sum(g.split_of(i) == "heldout" for i in ids)
    assert 0.35 < held / len(ids) < 0.65
    assert g.split_of("uppsala:tvister") == g.split_of("uppsala:tvister")


def test_a_cut_list_item_takes_its_bullet_and_leaves_no_gap():
    text = "Kommunen ansvarar för:\n\n\uf0b7 boende,\n\n\uf0b7 hjälpmedel,\n\n\uf0b7 sysselsättning.\n\nNästa stycke."
    case = {"id": "x:y", "regulating": [{"text": "hjälpmedel,"}]}
    assert g.ablate(text, case) == "Kommunen ansvarar för:\n\n\uf0b7 boende,\n\n\uf0b7 sysselsättning.\n\nNästa stycke."


def test_a_cut_sentence_inside_a_paragraph_leaves_the_rest_of_the_line():
    text = "Första meningen. Andra meningen ska bort. Tredje\n\nmeningen stannar."
    case = {"id": "x:y", "regulating": [{"text": "Andra meningen ska bort."}]}
    assert g.ablate(text, case) == "Första meningen. Tredje\n\nmeningen stannar."


def test_rename_region_handles_inflections_compounds_and_leaves_addresses():
    text = ("Landstinget och kommunerna; landstingets ansvar; Sveriges kommuner och landsting; "
            "landstingsstyrelsen; landstings- och kommunpolitiker; Landstingets Sörmlands hemsida "
            "http://www.landstingetsormland.se/x")
    assert g.rename_region(text) == (
        "Regionen och kommunerna; regionens ansvar; Sveriges kommuner och regioner; "
        "regionstyrelsen; regions- och kommunpolitiker; Region Sörmlands hemsida "
        "http://www.landstingetsormland.se/x")


def test_reflow_changes_only_whitespace_and_keeps_headings_and_items_apart():
    text = ("3. Ansvar \n\nKommunen ansvarar för att \n\n\u2022 erbjuda boende \n\n\u2022 erbjuda stöd till \n\n"
            "anhöriga. \n \n\nTvister löses lokalt. Om det inte \n\ngår lyfts frågan.")
    flow = g.reflow(text)
    assert g.squash(flow) == g.squash(text)
    assert flow.splitlines() == ["3. Ansvar", "Kommunen ansvarar för att", "\u2022 erbjuda boende",
                                 "\u2022 erbjuda stöd till anhöriga.", "Tvister löses lokalt. Om det inte går lyfts frågan."]


def test_renderings_are_deterministic_and_the_pdf_reads_back():
    text = (g.DRAFTS / "punktlista.txt").read_text(encoding="utf-8")
    assert g.to_docx(text, "t") == g.to_docx(text, "t")
    pdf = g.to_pdf(text, "t")
    assert pdf == g.to_pdf(text, "t")
    back = g.squeeze(g.unlist(g.pdf_text(pdf)))
    for line in text.splitlines():
        assert g.squeeze(g.unlist(line)) in back
    styles = [p.style.name for p in g.docx.Document(g.io.BytesIO(g.to_docx(text, "t"))).paragraphs]
    assert styles.count("List Bullet") >= 20
