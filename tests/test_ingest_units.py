"""Issue 12 item 3: one unit per quote, from the page as a reader sees it — a list item ends where
the writer left an empty paragraph, and a list's introduction is its own unit, neither glued to the
sentence before it nor read as a heading. Each rule on a real fragment of an agreement and on a
synthetic one of the same layout."""
from __future__ import annotations

from vemgorvad.extract.sentences import units_of
from vemgorvad.ingest import Document, normalise
from vemgorvad.ingest.blocks import typed
from vemgorvad.ingest.lines import split_lines

# Stockholm Västerort, "Innehåll för styrgruppens möten": a PDF's text with an empty line after every
# printed line (so an empty line ends no block), bullets of a symbol font before ")"-numbers, and an
# empty paragraph (a line of one space) after the list
STOCKHOLM = ("försäkringskassa. \n\nStyrgruppen träffas fyra gånger per år. Ansvarig för kallelse till dessa möten "
             "sker genom \n\nett rullande schema med ansvar för ett år i taget.  \n\n \n\nInnehåll för styrgruppens "
             "möten; \n\n\uf0b7 1) planering för det nya året med inriktningsmål \n\n\uf0b7 2) kriminalvård och "
             "rättspsykiatrisk öppenvård inbjuds för samverkan och avstämning \n\nmed syfte att gynna det "
             "gemensamma utvecklingsarbetet \n\n\uf0b7 3) representanter från intresse- och brukarorganisationer "
             "inbjuds för informations-, och \n\nkunskapsutbyte \n\n\uf0b7 4) sammanfattning av året som varit med "
             "hantering av synpunkter och klagomål. Nästa \n\nårs ansvarig för kallelse till styrgruppsmöten "
             "bestäms \n\n \n\nArbetsgruppen ska delta i styrgruppen vid inledning av varje möte. \n\n")
SYNTHETIC_LIST = ("Samverkan följs upp. Ansvaret för att kalla till mötena går \n\nmellan parterna ett år i taget.  "
                  "\n\n \n\nVid mötena tas upp: \n\n\u2022 a) läget i samverkan kring den enskilde och de \n\n"
                  "gemensamma rutinerna \n\n\u2022 b) avvikelser som har anmälts under året och hur de \n\n"
                  "har hanterats \n\n \n\nLedningsgruppen ska kalla till ett extra möte vid behov. \n\n")

# Uppsala, "Elevhälsan ska bidra till" (where empty lines stand between a list's items, so an empty
# line ends no block) and 5.3 "Processmål": an introduction without a colon, an empty paragraph, then
# a bullet lost in extraction (the line set in by one space)
UPPSALA_GOALS = ("den ska omfatta medicinska, psykologiska, psykosociala och specialpedagogiska insatser. Tillgång till "
                 "\npersonal med specialpedagogisk kompetens ska finnas för att tillgodose elever med särskilda behov. "
                 "\n \nElevhälsan ska bidra till \n\n hälsofrämjande och förebyggande insatser/förhållningssätt \n\n "
                 "att främja lärande \n\n utveckling och hälsa \n\n att stödja individens utveckling mot "
                 "utbildningens mål. \n \n"
                 "5.3 Processmål \nNedanstående gemensamma processmål är identifierade som särskilt viktiga för att "
                 "nå det övergripande \nmålet. De utgör komplement till det utvecklingsarbete som pågår lokalt hos "
                 "huvudmännen \n \n\n Ledning och styrning av samverkan fortsätter att utvecklas lokalt enligt mål, "
                 "länsgemensam \ninriktning och definition gällande närvård. \n\n Utvecklingsarbetet kring "
                 "hälsofrämjande insatser prioriteras och samordnas mellan huvudmännen \nför att stödja goda "
                 "levnadsvanor och förebygga sjukdom hos personer med psykisk \nfunktionsnedsättning. \n\n")

# Uppsala 11 "Avvikelser": a list's introduction after an empty paragraph, without a colon, over items
# that go on with its sentence in lower case
UPPSALA_DEVIATIONS = (" 11. Avvikelser \nAvvikelsehantering är en viktig del i arbetet med kvalitetssäkring och "
                      "kvalitetsutveckling. Avvikelser \ndokumenteras och hanteras inom respektive organisation enligt "
                      "lokal rutin och ska hanteras skyndsamt. \nOm det visar sig, vid intern utredning av händelsen, "
                      "att avvikelsen kan kopplas till denna överenskommelse, \nså ska ärendegången vara enligt "
                      "avvikelserutin för Samordnad individuell plan. \n \nI avvikelserapporten ska framgå \n\n "
                      "händelseförlopp \n\n konsekvens för den enskilde \n\n koppling till innehåll/avsnitt i "
                      "överenskommelsen.   \n \nAvvikelser ska bidra till förbättringar och är därför självklara "
                      "utgångspunkter vid uppföljningar av denna \növerenskommelse. \n \n\n12. Tvister \n")
SYNTHETIC_DEVIATIONS = ("4. Uppföljning \nSamverkan följs upp varje år av ledningsgruppen och resultaten redovisas "
                        "för båda \nhuvudmännens nämnder i en gemensam rapport som ska vara klar före april. \n"
                        "Brister som upptäcks under året rapporteras till ledningsgruppen utan dröjsmål. \n \n"
                        "I rapporten ska anges \n\n vilka insatser som har getts \n\n hur många som fått en SIP \n\n"
                        " väntetider till första besök.   \n \nRapporten är offentlig. \n \n\n5. Tvister \n")


def _units(doc: Document) -> list[str]:
    return [doc.text[u.start:u.end] for u in units_of(doc)]


def _intro_of(doc: Document, item_start: str) -> str:
    block = next(b for b in doc.blocks if b.kind == "item" and item_start in doc.text[b.start:b.end])
    assert block.intro is not None
    intro = doc.blocks[block.intro]
    return doc.text[intro.start:intro.end]


def test_the_fragments_are_wrapped_text():
    """The rules below are those of wrapped text (a PDF's lines): each fragment reads as one."""
    for text in (STOCKHOLM, SYNTHETIC_LIST, UPPSALA_GOALS, UPPSALA_DEVIATIONS, SYNTHETIC_DEVIATIONS):
        assert not typed(split_lines(text))


def test_a_list_item_ends_at_an_empty_paragraph():
    """'4) sammanfattning … bestäms' ends where the writer left an empty paragraph: the sentence after it
    is a unit of its own, not the end of the item."""
    for text, last_item, after in (
            (STOCKHOLM, "4) sammanfattning av året som varit med hantering av synpunkter och klagomål. Nästa års "
                        "ansvarig för kallelse till styrgruppsmöten bestäms",
             "Arbetsgruppen ska delta i styrgruppen vid inledning av varje möte."),
            (SYNTHETIC_LIST, "b) avvikelser som har anmälts under året och hur de har hanterats",
             "Ledningsgruppen ska kalla till ett extra möte vid behov.")):
        units = _units(normalise(text))
        assert last_item in units and after in units


def test_an_empty_paragraph_before_a_capital_starts_a_new_block():
    """Uppsala 5.3: the introduction that has no colon ends at the empty paragraph; the goal after it
    (its bullet lost) is a unit of its own."""
    units = _units(normalise(UPPSALA_GOALS))
    assert "De utgör komplement till det utvecklingsarbete som pågår lokalt hos huvudmännen" in units
    assert ("Ledning och styrning av samverkan fortsätter att utvecklas lokalt enligt mål, länsgemensam inriktning "
            "och definition gällande närvård.") in units


def test_a_sentence_that_goes_on_after_an_empty_line_in_lower_case_is_not_cut():
    """An empty paragraph ends a block only before a line that could start one: a sentence the export
    broke with a line of spaces goes on."""
    text = ("Kommunen ska erbjuda boendestöd till alla som behöver det och regionen ska \n \n"
            "erbjuda behandling. Båda ska samverka kring den enskilde i en gemensam plan \n\n"
            "som följs upp varje år av de två huvudmännen tillsammans med den enskilde \n\n"
            "och dennes närstående. Planen ska vara klar inom en månad från det att behovet \n\n"
            "har uppmärksammats av någon av huvudmännen. \n")
    assert not typed(split_lines(text))
    doc = normalise(text)
    assert ("Kommunen ska erbjuda boendestöd till alla som behöver det och regionen ska erbjuda behandling."
            in _units(doc))


def test_an_introduction_without_a_colon_is_no_heading():
    """'I avvikelserapporten ska framgå' over '• händelseförlopp': a short line without a full stop after
    an empty paragraph, but one that says something and whose items go on with its sentence — the
    list's introduction, its own unit (no heading, not glued to the sentence before it)."""
    for text, intro, item in ((UPPSALA_DEVIATIONS, "I avvikelserapporten ska framgå", "händelseförlopp"),
                              (SYNTHETIC_DEVIATIONS, "I rapporten ska anges", "vilka insatser")):
        doc = normalise(text)
        assert _intro_of(doc, item) == intro
        assert not any(b.kind == "heading" and doc.text[b.start:b.end] == intro for b in doc.blocks)


# Västra Götaland (two columns of about 36 characters): a heading set across the page, wider than the
# column, between a paragraph's full stop and the next paragraph
VASTRA_GOTALAND = ("nagement, vård- och stödsamordning \n\noch ACT är exempel på integrerade \narbetssätt.\n\nMissbruk "
                   "bland barn, ungdomar och \nunga vuxna är ofta komplext och \nsamsjuklighet är vanligt. En avgöran-\n\n"
                   "de framgångsfaktor för denna mål-\ngrupp är att huvudmännens insatser \nsamordnas och att "
                   "behandlingsutbu-\n\ndet utvecklas. Utvecklingsarbetet bör \nomfatta samtliga delar av vården samt "
                   "\nhur denna organiseras. \n\nSamverkan kring berusade och drogpåverkade personer\n\nDet finns behov "
                   "av att utveckla sam-\nverkan på organisations- och individ-\nnivå kring personer med missbruk, \n"
                   "för att tidigt fånga upp, lösa vårdbehov \n\ni samband med tillnyktring och om \nmöjligt i en "
                   "samordnad individuell \nplan ge fortsatt stöd och behandling \nfrån primärvård, specialistvård och "
                   "\n\n")
SYNTHETIC_WIDE = ("Kommunen och regionen ska tillsammans \nansvara för att den enskilde får \nett samordnat stöd "
                  "när flera \n\nverksamheter är inblandade. Stödet \nska utgå från den enskildes egna \nmål och "
                  "önskemål och följas upp \nregelbundet av båda huvudmännen. \n\nSamordnat stöd vid utskrivning "
                  "från slutenvården\n\nNär någon skrivs ut från slutenvår-\nden ska en plan finnas för det \nfortsatta "
                  "stödet i kommunen och \nhos primärvården, som kallar till \n\nett möte före utskrivningen med \n"
                  "den enskilde och dennes närstående \nom den enskilde så önskar det. \n\n")

# Uppsala: a heading its writer broke over two lines (the first ends where the next line's first word
# would have fitted), after an empty paragraph
UPPSALA_HEADING = ("\n hur skola/sysselsättning tillgodoses \n\n individens önskemål. \n \n\nKostnadsfördelning vid "
                   "placering på Hem för vård eller boende (HVB) (vuxna och \nbarn) \nDen samordnade planeringen ska "
                   "ligga till grund för den kostnadsfördelning som upprättas mellan \nhuvudmännen. Huvudregeln är att "
                   "varje huvudman ansvarar för de kostnader som kan knytas till var och \nens ansvar för vård, stöd "
                   "och insatser, oavsett om insatserna utförs av huvudmannen eller om avtal med \nannan part "
                   "upprättats. \n")
SYNTHETIC_HEADING = ("\n vilka insatser som ges \n\n vem som samordnar. \n \n\nAnsvar för hjälpmedel vid vistelse i "
                     "bostad med särskild service (BmSS) (vuxna och \nunga) \nKommunen ansvarar för hjälpmedel i den "
                     "dagliga livsföringen för den som bor i bostad med \nsärskild service. Regionen ansvarar för "
                     "hjälpmedel som ordineras som en del av behandling och \nför förskrivning av hjälpmedel för "
                     "kommunikation, oavsett var personen bor eller vistas under \nbehandlingen. \n")

def test_a_heading_wider_than_its_column_is_not_read_into_the_next_sentence():
    for text, heading, sentence_start in (
            (VASTRA_GOTALAND, "Samverkan kring berusade och drogpåverkade personer", "Det finns behov av att utveckla"),
            (SYNTHETIC_WIDE, "Samordnat stöd vid utskrivning från slutenvården", "När någon skrivs ut")):
        doc = normalise(text)
        assert any(b.kind == "heading" and doc.text[b.start:b.end] == heading for b in doc.blocks)
        assert any(u.startswith(sentence_start) for u in _units(doc))


def test_a_heading_broken_over_two_lines_by_its_writer_is_not_read_into_the_next_sentence():
    for text, heading, sentence in (
            (UPPSALA_HEADING, "Kostnadsfördelning vid placering på Hem för vård eller boende (HVB) (vuxna och barn)",
             "Den samordnade planeringen ska ligga till grund för den kostnadsfördelning som upprättas mellan "
             "huvudmännen."),
            (SYNTHETIC_HEADING, "Ansvar för hjälpmedel vid vistelse i bostad med särskild service (BmSS) (vuxna och "
                                "unga)",
             "Kommunen ansvarar för hjälpmedel i den dagliga livsföringen för den som bor i bostad med särskild "
             "service.")):
        doc = normalise(text)
        assert any(b.kind == "heading" and doc.text[b.start:b.end] == heading for b in doc.blocks)
        assert sentence in _units(doc)
