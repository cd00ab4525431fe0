"""A field's printed words, edited, written back as the spec's text: citations, formatting
and escapes kept where the words around them changed; figures changed in their stats."""

from __future__ import annotations

import pytest

from briefgen.edits.markup import rewrite_field
from briefgen.edits.printed import project
from briefgen.edits.words import Look, Printed
from briefgen.resolve.view import BriefView
from briefgen.spec.inline import parse_inline
from tests.support import FACTS_TEXT, MINIMAL_TEXT, Resolve, replace_once

BOLD, ITALIC = Look(bold=True), Look(italic=True)


@pytest.fixture
def view(resolve: Resolve) -> BriefView:
    """The minimal brief with the shared facts: `mines` is a figure, `gov-2024` a source."""
    return resolve(MINIMAL_TEXT + FACTS_TEXT)[0]


def mines(view: BriefView) -> str:
    """How the figure `mines` prints ("1,500,000")."""
    return view.stat_values["mines"][0]


PLAIN = Look()


def printed(text: str, look: Look = PLAIN) -> tuple[Printed, ...]:
    return tuple(Printed(character, look) for character in text)


def shown(spec_text: str, view: BriefView) -> str:
    return "".join(project(spec_text, view).characters)


def as_printed(spec_text: str, view: BriefView) -> tuple[Printed, ...]:
    """What the page prints for `spec_text`, with the looks its markup gives."""
    projection = project(spec_text, view)
    return tuple(Printed(character, look)
                 for character, look in zip(projection.characters, projection.looks,
                                            strict=True))


def rewritten(spec_text: str, view: BriefView, old: str, new: str, *,
              looks: tuple[Printed, ...] | None = None) -> tuple[str | None, list[str]]:
    before = shown(spec_text, view)
    assert old in before
    after = looks if looks is not None else printed(before.replace(old, new, 1))
    result = rewrite_field(spec_text, as_printed(spec_text, view), after, view)
    return result.text, [note.message for note in result.notes]


def test_the_projection_prints_what_the_page_prints(view: BriefView) -> None:
    text = r"About [@mines] mines remain, **by far** the most in *the region*\* [^gov-2024]."
    page = f"About {mines(view)} mines remain, by far the most in the region* ."
    assert shown(text, view) == page
    projection = project(text, view)
    bold = page.index("by far")
    assert {projection.looks[index] for index in range(bold, bold + 6)} == {BOLD}
    italic = page.index("the region")
    assert {projection.looks[index] for index in range(italic, italic + 10)} == {ITALIC}


def test_words_around_a_figure_change_and_its_citation_stays(view: BriefView) -> None:
    text = "Landmines: about [@mines] remain in the ground."
    new, notes = rewritten(text, view, "remain in the ground", "are still buried")
    assert new == "Landmines: about [@mines] are still buried."
    assert notes == []


def test_a_figure_edited_in_place_is_not_taken(view: BriefView) -> None:
    text = "Landmines: about [@mines] remain."
    new, notes = rewritten(text, view, mines(view), mines(view).replace("5", "6"))
    assert new is None
    assert notes == [f"edits the figure {mines(view)!r}, which is printed from its stat "
                     "'mines': change the figure there, not in the text; not taken"]


def test_a_figure_retyped_with_the_words_around_it_keeps_its_citation(view: BriefView) -> None:
    text = "Landmines: about [@mines] remain."
    new, notes = rewritten(text, view, f"about {mines(view)} remain",
                           f"some {mines(view)} are still in the ground")
    assert new == "Landmines: some [@mines] are still in the ground."
    assert notes == []


def test_a_figure_whose_words_were_rewritten_without_it_is_dropped_and_said(
        view: BriefView) -> None:
    text = "Landmines: about [@mines] remain."
    new, notes = rewritten(text, view, f"about {mines(view)} remain", "many remain")
    assert new == "Landmines: many remain."
    assert notes == [f"no longer cites the figure 'mines' ({mines(view)}): its words were "
                     "rewritten without it"]


def test_a_source_citation_stays_where_its_sentence_was_edited(view: BriefView) -> None:
    text = "States must clear mined areas within ten years[^gov-2024]."
    new, _ = rewritten(text, view, "within ten years", "within a decade")
    assert new == "States must clear mined areas within a decade[^gov-2024]."


def test_bold_and_italic_typed_in_word_become_markup(view: BriefView) -> None:
    text = "Donors fund only a small share."
    before = shown(text, view)
    start = before.index("only")
    after = tuple(Printed(character.text, BOLD if start <= index < start + 4 else Look())
                  for index, character in enumerate(printed(before)))
    new, _ = rewritten(text, view, "only", "only", looks=after)
    assert new == "Donors fund **only** a small share."
    start = before.index("small share")
    after = tuple(Printed(character.text, ITALIC if start <= index < start + 11 else Look())
                  for index, character in enumerate(printed(before)))
    assert rewritten(text, view, "small", "small", looks=after)[0] == \
        "Donors fund only a *small share*."


def test_a_link_added_in_word_becomes_a_markup_link(view: BriefView) -> None:
    text = "Read the plan."
    before = shown(text, view)
    link = Look(link="https://example.org/plan")
    after = tuple(Printed(character.text, link if 5 <= index < 13 else Look())
                  for index, character in enumerate(printed(before)))
    assert rewritten(text, view, "the plan", "the plan", looks=after)[0] == \
        "Read [the plan](https://example.org/plan)."


def test_words_in_bold_markup_are_edited_inside_it(view: BriefView) -> None:
    text = "We ask for **urgent funding** now."
    before = shown(text, view)
    start = before.index("urgent")
    after_text = before.replace("urgent", "immediate")
    after = tuple(Printed(character, BOLD if start <= index < start + len("immediate funding")
                          else Look()) for index, character in enumerate(after_text))
    assert rewritten(text, view, "urgent", "immediate", looks=after)[0] == \
        "We ask for **immediate funding** now."


def test_words_taken_out_of_bold_markup_are_written_again_whole(view: BriefView) -> None:
    text = "We ask for **urgent funding** now."
    before = shown(text, view)
    start = before.index("funding")
    after = tuple(Printed(character.text, BOLD if before.index("urgent") <= index < start - 1
                          else Look()) for index, character in enumerate(printed(before)))
    new, notes = rewritten(text, view, "funding", "funding", looks=after)
    assert new == "We ask for **urgent** funding now."
    assert notes == []


def test_stars_and_brackets_typed_in_word_print_as_typed(view: BriefView) -> None:
    text = "Clearance takes years."
    new, _ = rewritten(text, view, "years", "years* [see annex]")
    assert new is not None
    assert "".join(node.text for node in parse_inline(new)  # type: ignore[union-attr]
                   ) == "Clearance takes years* [see annex]."


def test_a_heading_set_in_capitals_keeps_the_specs_case(view: BriefView) -> None:
    text = "Why now"
    before = printed("WHY NOW")
    after = printed("WHY ACT NOW")
    result = rewrite_field(text, before, after, view, caps=True)
    assert result.text == "Why act now"


def test_no_change_writes_nothing(view: BriefView) -> None:
    text = "Landmines: about [@mines] remain."
    before = printed(shown(text, view))
    assert rewrite_field(text, before, before, view).text is None


def test_words_the_layout_adds_are_not_the_specs(view: BriefView) -> None:
    """A channel prints as "via the UNDP project": "via" is briefgen's."""
    text = "the UNDP project"
    result = rewrite_field(text, printed("via the UNDP project"),
                           printed("through the UNDP project"), view)
    assert result.text is None
    assert [note.message for note in result.notes] == [
        "changes words briefgen adds to this text ('via'); not taken"]
    result = rewrite_field(text, printed("via the UNDP project"),
                           printed("via the UNDP/ANAMA project"), view)
    assert result.text == "the UNDP/ANAMA project"


def test_spaces_the_page_sets_are_not_edits(view: BriefView, resolve: Resolve) -> None:
    """French typesetting: a narrow no-break space before a colon, a no-break space in a
    number; the text keeps its own spaces where the words did not change."""
    french_view = resolve(replace_once(MINIMAL_TEXT + FACTS_TEXT, "  id: minimal-brief\n",
                                       "  id: minimal-brief\n  language: fr\n"))[0]
    text = "Constat : environ [@mines] mines."
    page = f"Constat\u202f: environ {mines(french_view)} mines."
    assert "\u00a0" in page  # French groups thousands with no-break spaces
    result = rewrite_field(text, printed(page), printed(page.replace("mines.", "de mines.")),
                           french_view)
    assert result.text == "Constat : environ [@mines] de mines."
