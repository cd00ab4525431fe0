"""Resolving a spec for one delegation: figures as callouts and sentences show them, source
markers for sentences, and each delegation's own quotes and sections."""

from __future__ import annotations

import re

import pytest

from briefgen.compose import iter_paragraphs
from briefgen.document import Document, Paragraph
from tests.support import MINIMAL_TEXT, Resolve, replace_once

FIGURES = """stats:
  - id: displaced
    value: 270000000
    format: compact
    qualifier: more than
    label: people displaced
    source: report
  - id: budget
    value: 4250000
    format: compact
    decimals: 2
    unit: {en: "€", fr: ""}
    suffix: {fr: " d’euros"}
    label: budget
    source: report
    featured: false
sources:
  - id: report
    title: Annual report
    publisher: Agency
    date: 2025-01-01
    url: https://example.org/report
  - id: treaty
    title: Convention
    publisher: United Nations
    date: 2024-01-01
    url: https://example.org/treaty
"""



def with_summary(summary: str, extra: str = "") -> str:
    return replace_once(MINIMAL_TEXT, "summary: Landmines still block the way home for many "
                        "families. We ask donors to fund clearance.",
                        f"summary: {summary}") + FIGURES + extra


def paragraph_texts(document: Document) -> list[str]:
    return ["".join(span.text for span in paragraph.spans)
            for paragraph in [*iter_paragraphs(document.body), *iter_paragraphs(document.footer)]]


def summary_paragraph(document: Document) -> Paragraph:
    return next(paragraph for paragraph in iter_paragraphs(document.body)
                if paragraph.origin == "summary")


def summary_words(document: Document) -> str:
    """The summary as read, without its source markers (the layout may set a marker after
    the punctuation that follows a figure)."""
    return "".join(span.text for span in summary_paragraph(document).spans
                   if not span.superscript)


def summary_markers(document: Document) -> list[tuple[str, str]]:
    """Each source marker of the summary with the words before it."""
    spans = summary_paragraph(document).spans
    return [("".join(before.text for before in spans[:index] if not before.superscript),
             span.text) for index, span in enumerate(spans) if span.superscript]


def test_a_sentence_has_its_own_words_and_the_callout_its_prefix(resolve: Resolve) -> None:
    """"over [@displaced]" printed "over more than 270 million"; the prefix belongs to the
    callout, and [@+id] asks for it in a sentence."""
    _, document = resolve(with_summary("Over [@displaced] people, [@+displaced] of them."))
    assert ("Over 270\u00a0million people, more\u00a0than 270\u00a0million of them."
            in summary_words(document))
    assert [marker for _, marker in summary_markers(document)] == ["1", "1"]
    assert any(text.replace("\u00a0", " ").startswith("more than 270 million")
               for text in paragraph_texts(document))  # the callout


def test_a_unit_is_printed_in_sentences_too(resolve: Resolve) -> None:
    _, document = resolve(with_summary("A budget of [@budget] so far."))
    assert "A budget of €4.25\u00a0million so far." in summary_words(document)


def test_a_unit_and_suffix_follow_the_language(resolve: Resolve) -> None:
    text = with_summary("A budget of [@budget] so far.",
                        "audiences:\n  - id: ch\n    name: Suisse\n    language: fr\n")
    view, _ = resolve(text, 0)
    # The number keeps its word; the unit's words may go to the next line.
    assert view.stat_values["budget"][0] == "4,25\u00a0millions d’euros"


def test_a_source_is_cited_by_its_marker_and_numbered_in_reading_order(resolve: Resolve
                                                                         ) -> None:
    """[^treaty] comes before the first figure's source in the summary, so it is note 1."""
    _, document = resolve(with_summary("States must clear mined land within ten years[^treaty]; "
                                       "[@displaced] people wait."))
    markers = summary_markers(document)
    assert [marker for _, marker in markers] == ["1", "2"]
    assert re.search(r"within ten years\W?$", markers[0][0]), markers
    notes = {paragraph.number: "".join(span.text for span in paragraph.spans)
             for paragraph in iter_paragraphs(document.footer) if paragraph.style == "note"}
    assert sorted(notes) == ["1", "2"]
    assert "Convention" in notes["1"] and "Annual report" in notes["2"]


AUDIENCES = """quotes:
  - text: We will not walk away.
    speaker: A US president
    consent: true
sections:
  - heading: Why now
    body: Budgets are tightening.
audiences:
  - id: us
    name: United States delegation
  - id: jp
    name: Japan delegation
    quotes:
      - text: Clearance opens the road to recovery.
        speaker: A Japanese engineer
        consent: true
    sections: []
"""


def test_a_delegation_can_have_its_own_quotes_and_no_sections(resolve: Resolve) -> None:
    text = with_summary("Mines block [@displaced] people.", AUDIENCES)
    us_view, us_document = resolve(text, 0)
    jp_view, jp_document = resolve(text, 1)
    us_text, jp_text = " ".join(paragraph_texts(us_document)), " ".join(
        paragraph_texts(jp_document))
    assert "We will not walk away." in us_text and "Budgets are tightening." in us_text
    assert "Clearance opens the road to recovery." in jp_text
    assert "We will not walk away." not in jp_text
    assert "Budgets are tightening." not in jp_text and "Why now" not in jp_text.title()
    assert [quote["text"].origin for quote in jp_view.context["quotes"]] == [
        ("audiences", 1, "quotes", 0, "text")]
    assert us_view.context["quotes"][0]["text"].origin == ("quotes", 0, "text")


VERSIONS = ("audiences:\n  - id: ch\n    name: Suisse\n    language: fr\n"
            "  - id: kz\n    name: Казахстан\n    language: ru\n"
            "  - id: az\n    name: Azərbaycan\n    language: az\n")


def key_figure(document: Document, stat_id_text: str) -> Paragraph:
    return next(paragraph for paragraph in iter_paragraphs(document.body)
                if paragraph.style == "stat-value"
                and stat_id_text in "".join(span.text for span in paragraph.spans))


def test_a_qualifier_is_printed_in_each_version_s_words(resolve: Resolve) -> None:
    """"jusqu’à up to 60 %": a qualifier is the figure's data, worded by briefgen in each
    language, in the callout and where a sentence asks for it with [@+id]."""
    text = with_summary("Now [@+displaced] people.", VERSIONS)
    expected = {0: "plus de 270 millions", 1: "более 270 млн", 2: "270 milyondan çox"}
    for index, words in expected.items():
        view, document = resolve(text, index)
        assert view.qualified_values["displaced"].replace("\u00a0", " ") == words
        assert f"Now {words} people." in summary_words(document).replace("\u00a0", " ")
        # At the figure's own size, not a small raised sign.
        callout = key_figure(document, "270")
        assert "".join(span.text for span in callout.spans).replace("\u00a0", " ") == words
        assert {span.scale for span in callout.spans} == {1.0}


def test_a_sign_typed_as_a_prefix_is_printed_as_words(resolve: Resolve) -> None:
    """Specs written before qualifiers existed ("~", ">") print words in every language."""
    text = with_summary("Now [@+displaced] people.", VERSIONS).replace(
        "    qualifier: more than\n", '    prefix: "~"\n')
    assert resolve(text)[0].qualified_values["displaced"] == "about 270\u00a0million"
    assert resolve(text, 0)[0].qualified_values["displaced"] == "environ 270\u00a0millions"


def test_a_prefix_given_for_a_language_replaces_the_qualifier_s_words(resolve: Resolve
                                                                       ) -> None:
    text = with_summary("Now [@+displaced] people.", VERSIONS).replace(
        "    qualifier: more than\n",
        "    qualifier: more than\n    prefix: {ru: \"свыше \"}\n")
    assert resolve(text, 1)[0].qualified_values["displaced"] == "свыше 270\u00a0млн"
    assert resolve(text, 0)[0].qualified_values["displaced"] == "plus\u00a0de 270\u00a0millions"


def test_a_key_figure_s_source_line_gives_its_note_number_in_the_page_s_words(
        resolve: Resolve) -> None:
    """"Agency, January 2025, note 1": the figure carries no marker, so its source line
    says which note names the source; the number is a reference to that note."""
    text = with_summary("Mines block [@displaced] people.", VERSIONS)
    for index, word in ((None, "note"), (0, "note"), (1, "прим."), (2, "qeyd")):
        _, document = resolve(text, index)
        line = next(paragraph for paragraph in iter_paragraphs(document.body)
                    if paragraph.style == "stat-source")
        assert "".join(span.text for span in line.spans).endswith(f", {word}\u00a01")
        number = line.spans[-1]
        assert (number.text, number.reference, number.superscript) == ("1", "report", False)


# ---------------------------------------------------------------------------------------------
# An ask's amount, the ask sentence, the version line and the draft state


def with_amount(amount: str, extra: str = "") -> str:
    """The minimal spec with FIGURES, its ask carrying `amount:` (YAML lines under it)."""
    return replace_once(MINIMAL_TEXT, "    detail: Support survey and clearance teams where "
                        "families plan to return.\n",
                        "    detail: Support survey and clearance teams where families plan to "
                        "return.\n    amount:\n" + "".join(f"      {line}\n"
                                                           for line in amount.splitlines())
                        ) + FIGURES + extra


IN_FRENCH = "audiences:\n  - id: ch\n    name: Suisse\n    language: fr\n"
IN_LANGUAGE = "audiences:\n  - id: v\n    name: Version\n    language: {}\n"


def ask_paragraph(document: Document) -> Paragraph:
    return next(paragraph for paragraph in iter_paragraphs(document.body)
                if paragraph.style == "ask")


def ask_text(document: Document) -> str:
    """The ask as read, spaces plain, without its source markers."""
    return "".join(span.text for span in ask_paragraph(document).spans
                   if not span.superscript).replace("\u00a0", " ").replace("\u202f", " ")


@pytest.mark.parametrize(("language", "currency", "value", "printed"), [
    ("en", "EUR", 4250000, "€4.25 million"),
    ("fr", "EUR", 4250000, "4,25 millions d’euros"),
    ("ru", "EUR", 4250000, "4,25 млн евро"),
    ("az", "EUR", 4250000, "4,25 milyon avro"),
    ("en", "USD", 35000000, "US$35 million"),
    ("en-US", "USD", 35000000, "$35 million"),
    ("fr", "USD", 35000000, "35 millions de dollars des États-Unis"),
    ("ru", "USD", 250000, "250 000 долларов США"),
    ("en", "EUR", 250000, "€250,000"),
    ("fr", "EUR", 250000, "250 000 €"),
    ("en", "CHF", 1500000, "CHF 1.5 million"),
])
def test_an_amount_is_written_in_each_version_s_language(
        resolve: Resolve, language: str, currency: str, value: int, printed: str) -> None:
    text = with_amount(f"value: {value}\ncurrency: {currency}\nsource: report",
                       IN_LANGUAGE.format(language))
    _, document = resolve(text, 0)
    assert printed in ask_text(document)


def test_an_amount_is_set_after_the_ask_in_the_accent_colour_with_its_period_and_channel(
        resolve: Resolve) -> None:
    _, document = resolve(with_amount("value: 4250000\ncurrency: EUR\nsource: report\n"
                                      "period: 2026–2028\nchannel: the UNDP/ANAMA project"))
    assert ask_text(document).endswith(
        "return. €4.25 million · 2026–2028 · via the UNDP/ANAMA project")
    accent = document.styles["heading"].color  # the template's accent
    amount = [span for span in ask_paragraph(document).spans if "4.25" in span.text]
    assert amount and all(span.color == accent and span.bold for span in amount)
    markers = [span for span in ask_paragraph(document).spans if span.superscript]
    assert [span.text for span in markers] == ["1"]  # the amount's source, at the line's end
    assert ask_paragraph(document).spans[-1].superscript


@pytest.mark.parametrize(("language", "words"), [
    ("en", "We ask at least €2 million · 2026 · via UNDP"),
    ("fr", "Nous demandons au moins 2 millions d’euros · 2026 · via le PNUD"),
    ("ru", "Просим выделить не менее 2 млн евро · 2026 · через ПРООН"),
    ("az", "Xahişimiz: ən azı 2 milyon avro · 2026 · UNDP vasitəsilə"),
])
def test_your_own_request_is_printed_as_what_you_ask(resolve: Resolve, language: str,
                                                     words: str) -> None:
    amount = ("value: 2000000\ncurrency: EUR\nqualifier: at least\nrequested: true\n"
              "period: 2026\nchannel: {en: UNDP, fr: le PNUD, ru: ПРООН, az: UNDP}")
    view, document = resolve(with_amount(amount, IN_LANGUAGE.format(language)), 0)
    assert ask_text(document).endswith(words)
    assert not any(span.superscript for span in ask_paragraph(document).spans)
    assert view.draft == []  # a request needs no source


def test_an_amount_can_be_a_figure_from_stats(resolve: Resolve) -> None:
    _, document = resolve(with_amount("stat: budget\nrequested: true", IN_FRENCH), 0)
    assert ask_text(document).endswith("Nous demandons 4,25 millions d’euros")
    assert [span.text for span in ask_paragraph(document).spans if span.superscript] == ["1"]


def test_the_ask_sentence_opens_the_bottom_line_in_bold(resolve: Resolve) -> None:
    text = with_summary("Mines block [@displaced] people.",
                        "summary_ask: We ask donors to fund clearance in 2026.\n"
                        "audiences:\n  - id: eu\n    name: EU\n"
                        "    summary_ask: We ask the EU to fund a second phase.\n  - id: us\n"
                        "    name: US\n")
    for index, sentence in ((0, "We ask the EU to fund a second phase."),
                            (1, "We ask donors to fund clearance in 2026.")):
        _, document = resolve(text, index)
        paragraph = next(paragraph for paragraph in iter_paragraphs(document.body)
                         if paragraph.style == "summary")
        bold = "".join(span.text for span in paragraph.spans if span.bold)
        assert bold == f"Bottom line: {sentence}"
        assert "".join(span.text for span in paragraph.spans).startswith(
            f"Bottom line: {sentence} Mines block")


@pytest.mark.parametrize(("language", "line"), [
    ("en", "Issued 24 March 2025 · version 3"),
    ("fr", "Publié le 24 mars 2025 · version 3"),
    ("ru", "Дата: 24 марта 2025 г. · версия 3"),
    ("az", "Tarix: 24 mart 2025 · versiya 3"),
])
def test_the_version_is_printed_beside_the_date(resolve: Resolve, language: str,
                                                line: str) -> None:
    text = replace_once(MINIMAL_TEXT, "  date: 2025-03-24\n", "  date: 2025-03-24\n  version: 3\n")
    _, document = resolve(text + IN_LANGUAGE.format(language), 0)
    assert line in [text.replace("\u00a0", " ").replace("\u202f", " ")
                    for text in paragraph_texts(document)]


QUOTE = """quotes:
  - text: We will not walk away.
    speaker: A deminer
{}"""


def draft_line(view_document: tuple[object, Document]) -> list[str]:
    """The words set in the draft colour on the page."""
    _, document = view_document
    return ["".join(span.text for span in paragraph.spans if span.color == "#B3261E")
            for paragraph in iter_paragraphs(document.body)
            if any(span.color == "#B3261E" for span in paragraph.spans)]


@pytest.mark.parametrize(("quote", "draft"), [
    ("    consent: false\n", True),
    ("    public: true\n", True),  # public, but where?
    ("    public: true\n    source: report\n", False),
    ("    consent: true\n", False),
])
def test_a_quote_without_consent_makes_the_version_a_draft(resolve: Resolve, quote: str,
                                                           draft: bool) -> None:
    text = MINIMAL_TEXT + FIGURES + QUOTE.format(quote)
    view, document = resolve(text)
    assert bool(view.draft) is draft
    assert draft_line((view, document)) == (["Draft – not for circulation"] if draft else [])
    assert document.metadata.title.startswith("Draft – not for circulation: ") is draft
    if draft:
        assert view.draft[0].rule == "quote-consent"


def test_the_draft_line_is_in_the_version_s_language_beside_the_audience(
        resolve: Resolve) -> None:
    text = MINIMAL_TEXT + FIGURES + QUOTE.format("") + IN_FRENCH
    _, document = resolve(text, 0)
    audience_line = next(paragraph for paragraph in iter_paragraphs(document.body)
                         if paragraph.style == "audience")
    assert "".join(span.text for span in audience_line.spans).replace("\u202f", " ").replace(
        "\u00a0", " ") == "Projet – ne pas diffuser · À l’attention de : Suisse"


def test_an_amount_without_a_source_makes_the_version_a_draft(resolve: Resolve) -> None:
    view, _ = resolve(with_amount("value: 2000000\ncurrency: EUR"))
    assert [(reason.rule, reason.origin) for reason in view.draft] == [
        ("amount-source", ("asks", 0, "amount"))]


def test_a_version_that_does_not_print_the_quote_is_not_a_draft(resolve: Resolve) -> None:
    text = (MINIMAL_TEXT + FIGURES + QUOTE.format("")
            + "audiences:\n  - id: a\n    name: A\n  - id: b\n    name: B\n    quotes: []\n")
    assert resolve(text, 0)[0].draft and not resolve(text, 1)[0].draft
