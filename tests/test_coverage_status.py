"""Issue 14 item 1: a topic is `covered` only when a provision regulates it (an obligation,
recommendation or rule, by the deontic class extraction gives it); a passage that refers the matter
to another named document makes it `referenced`; a line of contents, a heading, a pointer to
another part of the text, background or a description only `mentioned`. Run in-process through the
one pipeline (extract/coverage.py), on small synthetic agreements and on reflowed seeds."""
from __future__ import annotations

import re

import pytest

from checkutil import agreement_text, seed_text
from vemgorvad.extract.coverage import cross_reference, refers_to, statuses
from vemgorvad.pipeline import process


def status_of(text: str) -> dict:
    result = process(text.encode("utf-8"), "utkast.txt", "utkast")
    return statuses(result.doc, result.extraction, result.metadata.party_details)


def status(found: dict, topic: str) -> str:
    return found[topic].status if topic in found else "missing"


def test_a_provision_regulates_its_topic():
    found = status_of(agreement_text(extra="\n7. Tandvård\nRegionen ansvarar för att personer i målgruppen "
                                           "får nödvändig tandvård.\n"))
    assert status(found, "tandvard") == "covered"
    assert "nödvändig tandvård" in found["tandvard"].regulating[0].quote


def test_background_only_mentions_a_topic():
    extra = ("\n7. Tandvård\nMånga i målgruppen har stora behov av tandvård och munhälsan är ofta eftersatt. "
             "Tandvård är viktig för hälsan.\n")
    found = status_of(agreement_text(extra=extra))
    assert status(found, "tandvard") == "mentioned"
    assert found["tandvard"].mentioning and not found["tandvard"].regulating


def test_a_line_of_contents_only_mentions_a_topic():
    contents = ("Innehåll\n1. Parter 1\n2. Målgrupp 1\n3. Giltighetstid 2\n4. Samordnad individuell plan 2\n"
                "5. Tandvård 3\n6. Suicidprevention 3\n\n")
    text = agreement_text()
    title_end = text.index("\n\n") + 2
    found = status_of(text[:title_end] + contents + text[title_end:])
    assert status(found, "suicidprevention") == "mentioned"
    assert status(found, "sip") == "covered"  # the contents line does not hide the section itself


def test_a_pointer_to_another_part_of_the_text_only_mentions_a_topic():
    extra = "\n7. Avvikelser\nAvvikelser ska hanteras i enlighet med punkterna 4.2 och 4.3.\n"
    assert cross_reference("i enlighet med punkterna 4.2 och 4.3")
    found = status_of(agreement_text(extra=extra))
    assert status(found, "avvikelser") == "mentioned"
    assert any(p.why == "cross-reference" for p in found["avvikelser"].mentioning)


@pytest.mark.parametrize("sentence,topic,document", [
    ("Kostnadsansvaret för hjälpmedel regleras i den länsgemensamma överenskommelsen om hjälpmedel.",
     "hjalpmedel", "överenskommelsen om hjälpmedel"),
    ("Förskrivning av hjälpmedel sker enligt Hjälpmedelshandboken.", "hjalpmedel", "Hjälpmedelshandboken"),
    ("Kommunernas och regionens insatser för att förebygga suicid förtydligas i en länsgemensam handlingsplan.",
     "suicidprevention", "handlingsplan"),
    ("Kostnaderna för hjälpmedel är reglerade i avtal.", "hjalpmedel", "avtal"),
])
def test_a_reference_to_another_document_is_referenced(sentence, topic, document):
    assert document in (refers_to(sentence) or "")
    found = status_of(agreement_text(extra=f"\n7. Övrigt\n{sentence}\n"))
    assert status(found, topic) == "referenced"
    assert document in found[topic].referencing[0].refers_to


@pytest.mark.parametrize("sentence,topic,document", [
    # Västmanland's "samverkansrutin(er)" and Uppsala's "Samverkansrutiner", "avvikelserutin": a routine
    # named by a compound is a document as a plain "rutin" is
    ("När en person behöver vård enligt LVM finns länsgemensamma samverkansrutiner mellan socialtjänsten "
     "och regionens hälso- och sjukvård.", "lvm", "samverkansrutiner"),
    ("Avvikelser hanteras enligt respektive huvudmans avvikelserutin.", "avvikelser", "avvikelserutin"),
])
def test_a_routine_named_by_a_compound_is_another_document(sentence, topic, document):
    assert document in (refers_to(sentence) or "")
    found = status_of(agreement_text(extra=f"\n7. Övrigt\n{sentence}\n"))
    assert status(found, topic) == "referenced"
    assert refers_to("Parterna arbetar rutinmässigt med att följa upp insatserna.") is None


def test_items_a_list_introduction_refers_to_other_documents_are_referenced():
    """'Följande frågor regleras i andra överenskommelser …:' over items that only name a matter and
    its document: each item refers its matter there, as a sentence would ('Hjälpmedel regleras i …');
    items under an introduction that refers nowhere only name theirs, and an item with a duty of its
    own still regulates."""
    referring = ("\n7. Andra överenskommelser\nFöljande frågor regleras i andra överenskommelser mellan parterna:\n"
                 "– hjälpmedel: Hjälpmedelsnämndens riktlinjer för förskrivning av hjälpmedel\n"
                 "– tandvård: överenskommelsen om uppsökande verksamhet och nödvändig tandvård\n")
    found = status_of(agreement_text(extra=referring))
    assert status(found, "hjalpmedel") == status(found, "tandvard") == "referenced"
    assert "riktlinjer" in found["hjalpmedel"].referencing[0].refers_to
    naming = ("\n7. Framtida arbete\nArbetsgruppen har under året diskuterat följande frågor:\n"
              "– hjälpmedel och förskrivning\n– tandvård för personer i målgruppen\n")
    found = status_of(agreement_text(extra=naming))
    assert status(found, "hjalpmedel") != "referenced" and status(found, "tandvard") != "referenced"
    duty = ("\n7. Tandvård\nFöljande regleras i andra överenskommelser mellan parterna:\n"
            "– Regionen ansvarar för att personer i målgruppen får nödvändig tandvård.\n")
    assert status(status_of(agreement_text(extra=duty)), "tandvard") == "covered"


def test_this_agreement_is_no_other_document():
    assert refers_to("Tvister hanteras enligt denna överenskommelse.") is None
    assert refers_to("Tvister är reglerade i detta avtal.") is None
    assert refers_to("Parterna följer överenskommelsen.") is None


def test_parties_are_covered_exactly_when_found():
    assert status(status_of(agreement_text()), "parter") == "covered"
    assert status(status_of(agreement_text(parties="")), "parter") != "covered"


NEW_BLOCK = re.compile(r"\d+(?:\.\d+)*\.?\s+\S|[-•*–]\s")


def _reflowed(text: str) -> str:
    """One line per paragraph, no blank lines (as a word processor's plain-text export gives): a
    line continues the one before it when it starts in lower case, or when the one before runs to
    the margin; numbered lines, bullets and short lines (headings) stay lines of their own."""
    out: list[str] = []
    previous = ""
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        if out and not NEW_BLOCK.match(line) and not previous.endswith(":") and (
                line[0].islower() or (len(previous) >= 70 and not NEW_BLOCK.match(previous))):
            out[-1] += " " + line
        else:
            out.append(line)
        previous = line
    return "\n".join(out) + "\n"


@pytest.mark.parametrize("key", ["sormland", "uppsala"])
def test_a_reflowed_agreement_keeps_its_statuses(key):
    original = {t: s.status for t, s in status_of(seed_text(key)).items()}
    reflowed = {t: s.status for t, s in status_of(_reflowed(seed_text(key))).items()}
    differ = sorted(t for t in set(original) | set(reflowed)
                    if original.get(t, "missing") != reflowed.get(t, "missing"))
    assert len(differ) <= 1, differ


# --- a heading that names two topics (issue 14: ablations of validity and carers' support) ---------

def test_a_passage_under_a_two_topic_heading_regulates_the_topic_it_names():
    """Under "Giltighet och uppföljning" a follow-up rule regulates follow-up, not validity; an
    elliptic sentence after it continues its topic."""
    extra = ("\n7. Giltighet och uppföljning\nUppföljningen ska göras årligen i dialog med cheferna. "
             "Ansvarig är Region Exempelland.\n")
    found = status_of(agreement_text(validity="", extra=extra))
    assert status(found, "uppfoljning") == "covered"
    assert status(found, "giltighetstid") != "covered"
    found = status_of(agreement_text(validity="", extra=extra.replace(
        "Uppföljningen ska göras årligen i dialog med cheferna. ", "Överenskommelsen gäller till och med 2099-12-31. ")))
    assert status(found, "giltighetstid") == "covered"


def test_a_topic_named_only_inside_another_topics_phrase_is_not_that_heading_s_topic():
    """"Barn som anhörig" names children as relatives, not support to relatives in general."""
    extra = "\n7. Barn som anhörig\nVerksamheterna bör ta reda på om det finns barn som kan påverkas.\n"
    found = status_of(agreement_text(extra=extra))
    assert status(found, "barn_som_anhoriga") == "covered"
    assert status(found, "anhorigstod") != "covered"


# --- what the ablated text still says (issue 14 task 3) ------------------------------------------------

def test_a_duty_no_one_bears_in_a_paragraph_that_reports_law_only_mentions_its_topic():
    """'Det ska finnas rutiner för hur avvikelser …' between sentences on what a regulation prescribes
    describes the law; the same sentence in a paragraph of the agreement's own rules regulates."""
    law = ("\n7. Kvalitet\nEtt ledningssystem ska säkerställa att det finns rutiner för samarbete. Det ska finnas "
           "rutiner för hur avvikelser ska rapporteras och åtgärdas. Vidare föreskrivs systematiska utvärderingar.\n")
    own = ("\n7. Kvalitet\nParterna tar fram en gemensam rutin. Det ska finnas rutiner för hur avvikelser ska "
           "rapporteras och åtgärdas.\n")
    assert status(status_of(agreement_text(extra=law)), "avvikelser") == "mentioned"
    assert status(status_of(agreement_text(extra=own)), "avvikelser") == "covered"


@pytest.mark.parametrize("sentence, expected", [
    # what a body is, named with the topic's word: a description
    ("Hjälpmedelscentrum i Exempelland är en specialistverksamhet som ansvarar för rehabilitering av vuxna.",
     "mentioned"),
    # the same shape with a modal prescribes
    ("Förskrivning av hjälpmedel är en hälso- och sjukvårdsinsats som inte ska frikopplas från övrig vård.",
     "covered"),
])
def test_a_body_described_by_what_it_does_does_not_regulate_the_words_of_its_name(sentence, expected):
    found = status_of(agreement_text(extra=f"\n7. Verksamheter\n{sentence}\n"))
    assert status(found, "hjalpmedel") == expected


# --- second protocol (tests/data/gapcheck/PROTOCOL2.md §2): mentions written into ablated agreements

@pytest.mark.parametrize("sentence,topic", [
    ("Överenskommelsen ska läsas tillsammans med länets övriga överenskommelser, bland annat om "
     "läkemedelsförsörjning, om hemsjukvård och om utskrivning från sluten hälso- och sjukvård.",
     "utskrivning_slutenvard"),
    ("Denna överenskommelse ska tillämpas tillsammans med andra avtal om psykiatrisk tvångsvård enligt LPT "
     "och LRV.", "tvangsvard_lpt_lrv"),
])
def test_a_topic_named_only_as_what_another_agreement_is_about_is_not_covered(sentence, topic):
    """The sentence's duty is to read this agreement with others; the topic is theirs."""
    found = status_of(agreement_text(extra=f"\n7. Andra överenskommelser\n{sentence}\n"))
    assert status(found, topic) in ("mentioned", "referenced")
    assert not found[topic].regulating


def test_a_duty_about_a_topic_beside_another_agreement_still_regulates_it():
    sentence = ("Regionen ska erbjuda tandvård enligt tandvårdsförordningen, och länets övriga "
                "överenskommelser om läkemedel gäller.")
    found = status_of(agreement_text(extra=f"\n7. Tandvård\n{sentence}\n"))
    assert status(found, "tandvard") == "covered"


@pytest.mark.parametrize("sentence", [
    "Frågor om överenskommelsens giltighetstid har under flera år diskuterats i länets samverkansgrupper.",
    "Med överenskommelsens giltighetstid avses i denna överenskommelse detsamma som i socialtjänstlagen.",
])
def test_a_sentence_that_names_the_validity_without_stating_a_period_does_not_cover_it(sentence):
    text = agreement_text(validity="", extra=f"\n7. Bakgrund\n{sentence}\n")
    found = status_of(text)
    assert status(found, "giltighetstid") == "mentioned"


@pytest.mark.parametrize("sentence", [
    "Överenskommelsen gäller från och med 2024-01-01 till och med 2099-12-31.",
    "Överenskommelsen gäller tills vidare.",
    "Senast tolv månader innan avtalstiden löper ut har part möjlighet att säga upp avtalet.",
])
def test_a_validity_statement_with_a_period_or_a_notice_covers_the_validity(sentence):
    found = status_of(agreement_text(validity=f"3. Giltighetstid\n{sentence}\n\n"))
    assert status(found, "giltighetstid") == "covered"


def test_a_duty_of_a_body_outside_the_agreement_does_not_cover_its_topic():
    """Uppsala's work section, its own duties cut (passages2.jsonl): what the employment service and the
    social insurance agency do by law is described, not agreed."""
    extra = ("\n7. Sysselsättning och arbete\nArbetsförmedlingen har ansvar för arbetslivsinriktad rehabilitering "
             "till arbetssökande med psykisk funktionsnedsättning. Försäkringskassan har ett samordningsansvar "
             "och ska samordna aktiviteter för att personen ska kunna komma ut i arbetslivet.\n")
    found = status_of(agreement_text(extra=extra))
    assert status(found, "sysselsattning_arbete") == "mentioned"
    own = status_of(agreement_text(extra=extra + "Kommunen ska erbjuda sysselsättning och stöd till arbete.\n"))
    assert status(own, "sysselsattning_arbete") == "covered"


def test_an_item_on_a_meetings_agenda_does_not_cover_its_topic():
    extra = ("\n7. Styrgruppen\nFrågor som ska tas upp på nästa möte i styrgruppen:\n- Tandvård\n- Budget för nästa år\n")
    assert status(status_of(agreement_text(extra=extra)), "tandvard") == "mentioned"
    duty = "\n7. Tandvård\nKommunen ska:\n- erbjuda tandvårdsintyg till den som har rätt till nödvändig tandvård\n"
    assert status(status_of(agreement_text(extra=duty)), "tandvard") == "covered"



def test_a_contents_list_without_dot_leaders_whose_lines_are_no_headings_is_contents():
    """'3 Giltighet 9' under 'Innehåll' was a numbered heading, and every section after it its child
    (the mention variant contents-plain of Västmanland: the validity covered by the whole agreement).
    A title with its page number under 'Innehåll' is a line of contents whether or not its words come
    back as a heading."""
    contents = "Innehåll\n1 Inledning 2\n2 Suicidprevention 4\n3 Giltighet 9\n\n"
    text = agreement_text(validity="")
    title_end = text.index("\n\n") + 2
    result = process((text[:title_end] + contents + text[title_end:]).encode("utf-8"), "utkast.txt", "utkast")
    doc = result.doc
    kinds = {doc.text[b.start:b.end].strip(): b.kind for b in doc.blocks}
    assert [kinds[line] for line in ("1 Inledning 2", "2 Suicidprevention 4", "3 Giltighet 9")] == ["contents"] * 3
    found = statuses(doc, result.extraction, result.metadata.party_details)
    assert status(found, "suicidprevention") == "mentioned" and status(found, "sip") == "covered"


@pytest.mark.parametrize("sentence", [
    "Huvudregeln är att varje huvudman svarar för de kostnader som kan knytas till dess ansvar för insatserna.",
    "Kommunen och regionen ansvarar för sina egna kostnader vid en placering.",
    "Huvudmännen ska vid varje placering komma överens om fördelningen av kostnaderna.",
])
def test_a_cost_split_said_in_words_covers_the_cost_split(sentence):
    """"fördelning av kostnaderna" is "kostnadsfördelning" in two words, and a principal that answers
    for costs holds the cost responsibility (Sörmland, Uppsala, Västra Götaland)."""
    assert status(status_of(agreement_text()), "kostnadsfordelning") != "covered"
    found = status_of(agreement_text(extra=f"\n7. Placering\n{sentence}\n"))
    assert status(found, "kostnadsfordelning") == "covered"


@pytest.mark.parametrize("pointer, expected", [
    ("Ansvaret och kostnadsfördelningen för dessa verksamheter är reglerade i avtal.", "referenced"),
    ("Ansvaret och kostnadsfördelningen för detta är reglerade i avtal.", "referenced"),
    # no demonstrative: the reference is the cost split's, the housing only named before it
    ("Ansvaret och kostnadsfördelningen för verksamheterna i länet är reglerade i avtal.", "mentioned"),
    # "denna överenskommelse" is this agreement, no pointer back
    ("Kostnadsfördelningen enligt denna överenskommelse är reglerad i avtal.", "mentioned"),
])
def test_a_reference_that_points_back_refers_the_matter_of_the_sentence_before(pointer, expected):
    """Sörmland's joint housing (passages2.jsonl, its rules cut): "I Sörmland finns ett fåtal
    boendeverksamheter som drivs gemensamt av huvudmännen. Ansvaret och kostnadsfördelningen för dessa
    verksamheter är reglerade i avtal." — the demonstrative points back to the housing, which the
    sentence refers to the agreements as it does the cost split."""
    extra = ("\n7. Samarbete\nI länet finns ett fåtal boendeverksamheter som drivs gemensamt av huvudmännen. "
             f"{pointer}\n")
    found = status_of(agreement_text(extra=extra))
    assert status(found, "boende") == expected
    assert status(found, "kostnadsfordelning") in ("referenced", "covered")
