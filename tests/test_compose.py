"""Compose: the template's layout filled with the spec's text, as the neutral Document."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen.compose import compose_document, iter_paragraphs, upper_case
from briefgen.document import Document, Paragraph, Span
from briefgen.errors import SpecError
from briefgen.resolve.view import resolve_brief
from briefgen.spec.loader import load_yaml
from briefgen.spec.validate import validate_spec
from briefgen.template import load_template
from tests.support import EXAMPLE_SPEC, FULL_SPEC, HOSTILE_TEXTS, MINIMAL_TEXT, replace_once, spec_data


def compose(spec_path: Path, audience_index: int | None = None) -> Document:
    document = load_yaml(spec_path)
    spec = validate_spec(document)
    template = load_template(spec.brief.template, spec_path)
    view = resolve_brief(spec, template, document, audience_index)
    return compose_document(view, template, document.locate)


def paragraphs(document: Document) -> list[Paragraph]:
    return [*iter_paragraphs(document.body), *iter_paragraphs(document.footer)]


def text_of(paragraph: Paragraph) -> str:
    return "".join(span.text for span in paragraph.spans)


@pytest.fixture(scope="module")
def full_document() -> Document:
    """The full spec's first audience, which uses the spec's own summary and asks."""
    return compose(FULL_SPEC, 0)


@pytest.mark.parametrize("hostile", HOSTILE_TEXTS)
def test_hostile_text_reaches_the_document_verbatim(full_document: Document,
                                                    hostile: str) -> None:
    texts = [text_of(paragraph) for paragraph in paragraphs(full_document)]
    assert any(hostile in text for text in texts), f"{hostile!r} not found in {texts}"


def test_markup_like_text_does_not_format(full_document: Document) -> None:
    spans = [span for paragraph in paragraphs(full_document) for span in paragraph.spans]
    for needle in ("<b>not bold</b>", '<font color="red">', '<img src="x">'):
        holders = [span for span in spans if needle in span.text]
        assert holders, needle
        for span in holders:
            assert not span.bold and span.color is None and span.link is None, span
    assert not [span for span in spans if span.text == "not bold"]


def test_inline_markup_formats(full_document: Document) -> None:
    spans = [span for paragraph in paragraphs(full_document) for span in paragraph.spans]
    assert any(span.text == "Act now" and span.bold for span in spans)
    assert any(span.text == "the plan" and span.italic for span in spans)
    assert any(span.text == "our site" and span.link == "https://clearground.example/plan"
               for span in spans)


def test_audience_version_uses_its_language_page_and_overrides() -> None:
    data = spec_data("full")["audiences"][1]
    document = compose(FULL_SPEC, 1)
    assert (document.page.width, document.page.height) == (612.0, 792.0)
    texts = " ".join(text_of(paragraph) for paragraph in paragraphs(document))
    assert "April 9–11, 2025" in texts  # en-US date order
    assert data["name"] in texts
    assert data["from"]["name"] in texts
    assert data["asks"][0]["headline"] in texts
    # The spec's own asks are replaced, not added to.
    assert spec_data("full")["asks"][1]["headline"] not in texts


def test_metadata_names_the_title_and_the_sender_of_that_version() -> None:
    data = spec_data("full")
    assert compose(FULL_SPEC, 0).metadata.author == data["brief"]["from"]["organization"]
    overridden = compose(FULL_SPEC, 1)
    assert overridden.metadata.title == data["brief"]["title"]
    printed = data["audiences"][1]["from"]["organization"]
    assert printed in " ".join(text_of(paragraph) for paragraph in paragraphs(overridden))
    # The US version says it is from the US organisation; its file properties must agree.
    assert overridden.metadata.author == printed


def test_source_notes_are_numbered_in_reading_order(full_document: Document) -> None:
    body_markers = [span.text for paragraph in iter_paragraphs(full_document.body)
                    for span in paragraph.spans if span.superscript]
    first_seen = list(dict.fromkeys(body_markers))
    # Note 3 is cited by a key figure, which names its source in a line under it instead of
    # a marker on the number.
    assert first_seen == ["1", "2", "4"]
    notes = [paragraph for paragraph in iter_paragraphs(full_document.footer)
             if paragraph.style == "note"]
    titles = {source["id"]: source["title"] for source in spec_data("full")["sources"]}
    # Reading order: the summary cites [@displaced] (op-ed) then [@foreign-share] (news); the
    # figures column shows `mines` (gov); the quote cites undp. The spec lists them otherwise.
    expected = ["op-ed-2025", "news-2023", "gov-2025", "undp-2024"]
    assert [note.number for note in notes] == ["1", "2", "3", "4"]
    for note, source_id in zip(notes, expected, strict=True):
        assert titles[source_id] in text_of(note)


@pytest.mark.parametrize("audience_index", range(5))
def test_every_version_of_the_example_numbers_its_notes_in_reading_order(
        audience_index: int) -> None:
    from briefgen.spec.includes import load_spec

    document = load_spec(EXAMPLE_SPEC)
    spec = validate_spec(document)
    template = load_template(spec.brief.template, EXAMPLE_SPEC)
    composed = compose_document(resolve_brief(spec, template, document, audience_index),
                                template, document.locate)
    markers = [span.text for paragraph in iter_paragraphs(composed.body)
               for span in paragraph.spans if span.superscript]
    first_seen = list(dict.fromkeys(markers))
    notes = [paragraph.number for paragraph in iter_paragraphs(composed.footer)
             if paragraph.style == "note"]
    assert first_seen == [str(number) for number in range(1, len(first_seen) + 1)]
    assert notes == first_seen  # every note printed is cited, in the order first cited


def test_a_cited_figures_marker_ends_its_clause_not_the_number(full_document: Document
                                                               ) -> None:
    """"about 800,000 people wait.¹": a marker on the number would read as 800,0001."""
    summary = next(paragraph for paragraph in iter_paragraphs(full_document.body)
                   if paragraph.style == "summary")
    spans = summary.spans
    marker = next(index for index, span in enumerate(spans) if span.superscript)
    assert spans[marker - 1].text.endswith("about 800,000 people wait.")
    assert (spans[marker].text, spans[marker].reference) == ("1", "op-ed-2025")


@pytest.mark.parametrize(("language", "text", "expected"), [
    ("en", "killed [@a] people since 2020, and more.", "killed 70 people since 2020,¹ and more."),
    ("en", "fund only [@b] of its budget. We ask", "fund only 5% of its budget.² We ask"),
    ("en", "about [@a] and [@b] and [@c]", "about 70 and 5% and 70\u202f¹,²"),
    ("en", "(often cited as [@a]) home", "(often cited as 70)¹ home"),
    ("en", "killed [@a]. Then", "killed 70.¹ Then"),
    # French and Russian set the call before the punctuation, after a closing bracket.
    ("fr", "dans [@b] des pays : 18 ont", "dans 5% des pays² : 18 ont"),
    ("fr", "environ [@a]) de rentrer", "environ 70)¹ de rentrer"),
    ("ru", "убили [@a] человек. Донорские", "убили 70 человек¹. Донорские"),
    ("ru", "убили [@a]. Донорские", "убили 70\u202f¹. Донорские"),
    # A figure is one piece: the stop of an abbreviated unit ends no clause.
    ("ru", "стоит [@d] на клинику [@a].", "стоит 18 500 долл. США на клинику 70\u202f¹,³."),
    ("en", "costs [@d] per clinic.", "costs 18 500 долл. США per clinic.³"),
    # Markers meeting at one place are in the order of their numbers.
    ("en", "by [@b] of [@a] midwives, then", "by 5% of 70 midwives,¹,² then"),
    # A comma between the items of a list ends no clause.
    ("en", "[@a] more pupils in Androy, Anosy and Atsimo get a meal. We",
     "70 more pupils in Androy, Anosy and Atsimo get a meal.¹ We"),
    ("en", "[@a] pupils in Androy, Anosy, and Atsimo get a meal.",
     "70 pupils in Androy, Anosy, and Atsimo get a meal.¹"),
    ("fr", "[@a] élèves dans l’Androy, l’Anosy et l’Atsimo reçoivent un repas.",
     "70 élèves dans l’Androy, l’Anosy et l’Atsimo reçoivent un repas¹."),
    ("en", "[@a] people, although costs and risks rise.",
     "70 people,¹ although costs and risks rise."),
    ("en", "[@a] clinics are not rebuilt, and births fell.",
     "70 clinics are not rebuilt,¹ and births fell."),
    # A chart's pointer opens an aside: the markers go before it, unless the clause ends in
    # a typed number (a year), which they would seem to annotate.
    ("en", "[@a] births stay below their 2021 level [#]. We",
     "70 births stay below their 2021 level¹ (see chart). We"),
    ("en", "[@a] births stay below the level of 2021 [#]. We",
     "70 births stay below the level of 2021 (see chart).¹ We"),
    ("fr", "[@a] centres, et les accouchements restent sous leur niveau de 2021 [#]. Nous",
     "70 centres¹, et les accouchements restent sous leur niveau de 2021 (see chart). Nous"),
    ("fr", "[@a] centres restent sous leur niveau de 2021 [#]. Nous",
     "70 centres restent sous leur niveau de 2021 (see chart)¹. Nous"),
])
def test_markers_gather_at_the_end_of_the_clause(language: str, text: str, expected: str
                                                 ) -> None:
    """A marker ends its clause, never sits inside a figure (its qualifier, number and unit
    are one piece), and is set off by a narrow space only after digits, where "70¹" would
    read as 701; English sets it after the punctuation, French and Russian before."""
    from briefgen.compose.markers import markers_at_clause_ends

    cited = {"a": ("70", "s1"), "b": ("5%", "s2"), "c": ("70", "s1"),
             "d": ("18 500 долл.\u00a0США", "s3")}
    spans: list[Span] = []
    for part in re.split(r"(\[@\w\]|\[#\])", text):
        if part == "[#]":  # a chart's pointer
            spans.append(Span("(see chart)"))
        elif part.startswith("[@"):
            value, source = cited[part[2]]
            spans += [Span(value, figure=True),
                      Span(source[1], superscript=True, reference=source)]
        elif part:
            spans.append(Span(part))
    placed = markers_at_clause_ends(spans, language)
    shown = "".join("¹²³"[int(span.text) - 1] if span.reference else
                    ("," if span.superscript else span.text) for span in placed)
    assert shown.replace("\u00a0", " ") == expected


def test_uncited_sources_are_not_printed(full_document: Document) -> None:
    uncited = next(source for source in spec_data("full")["sources"]
                   if source["id"] == "never-cited")
    texts = " ".join(text_of(paragraph) for paragraph in paragraphs(full_document))
    assert uncited["title"] not in texts
    assert uncited["publisher"] not in texts


def test_headings_are_set_in_capitals(full_document: Document) -> None:
    headings = [text_of(paragraph) for paragraph in iter_paragraphs(full_document.body)
                if paragraph.style == "heading"]
    assert "WHY NOW" in headings
    assert "WHAT FUNDING ACHIEVES" in headings


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("istiqamət", "az", "İSTİQAMƏT"),
    ("ılıq", "az", "ILIQ"),
    ("Şuşa, Xankəndi", "az", "ŞUŞA, XANKƏNDİ"),
    ("İsmayılova", "az-Latn-AZ", "İSMAYILOVA"),
    ("istanbul", "tr", "İSTANBUL"),
    ("mine action", "en-GB", "MINE ACTION"),
    ("Министерство", "ru", "МИНИСТЕРСТВО"),
])
def test_upper_case_keeps_dotted_and_dotless_i_apart(text: str, language: str,
                                                     expected: str) -> None:
    assert upper_case(text, language) == expected


@pytest.mark.parametrize(("character", "code"), [("你", "U+4F60"), ("🙂", "U+1F642")])
def test_a_character_the_font_cannot_draw_is_a_located_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, character: str, code: str) -> None:
    monkeypatch.chdir(tmp_path)
    spec = Path("spec.yaml")
    spec.write_text(replace_once(MINIMAL_TEXT, "We ask donors", f"We ask {character} donors"),
                    encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        compose(spec)
    assert str(caught.value).splitlines() == [
        f"spec.yaml:13:10: summary: the font Carlito cannot draw {character!r} ({code})",
        "    hint: replace the character, or use a template whose font covers it",
    ]


def test_a_stat_prefix_the_font_cannot_draw_is_a_located_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The Azerbaijani manat sign (U+20BC) is not in the shipped font. Printed before the
    # number, it would silently vanish from the PDF ("5 million" instead of "₼5 million").
    monkeypatch.chdir(tmp_path)
    spec = Path("spec.yaml")
    spec.write_text(MINIMAL_TEXT + (
        "stats:\n"
        "  - id: budget\n"
        "    value: 5000000\n"
        "    format: compact\n"
        "    prefix: \"₼\"\n"
        "    label: yearly budget\n"
        "    source: report\n"
        "sources:\n"
        "  - id: report\n"
        "    title: Annual report\n"
        "    publisher: Agency\n"), encoding="utf-8")
    with pytest.raises(SpecError) as caught:
        compose(spec)
    message = str(caught.value)
    assert "U+20BC" in message
    assert "spec.yaml:22:13: stats[0].prefix: " in message


def test_a_stat_suffix_keeps_its_leading_space(tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    # `suffix: " km²"` is quoted on purpose: SI units are written "1.1 million km²", not
    # "1.1 millionkm²".
    monkeypatch.chdir(tmp_path)
    spec = Path("spec.yaml")
    spec.write_text(MINIMAL_TEXT + (
        "stats:\n"
        "  - id: area\n"
        "    value: 12\n"
        "    suffix: \" km²\"\n"
        "    label: to clear\n"
        "    source: report\n"
        "sources:\n"
        "  - id: report\n"
        "    title: Annual report\n"
        "    publisher: Agency\n"), encoding="utf-8")
    values = [text_of(paragraph) for paragraph in iter_paragraphs(compose(spec).body)
              if paragraph.style == "stat-value"]
    assert len(values) == 1
    assert values[0].startswith(("12 km²", "12\u00a0km²"))
