"""Inline markup: **bold**, *italic*, [links](url), [@figure]; everything else is text."""

from __future__ import annotations

import pytest

from briefgen.spec.inline import (
    Cite,
    Emphasis,
    Link,
    SourceCite,
    Strong,
    Text,
    locate_markup,
    parse_inline,
    plain_text,
)


def test_bold_italic_link_and_citation() -> None:
    nodes = parse_inline("Act **now**, see *the plan* at [our site](https://x.example/p) "
                         "and [@mines].")
    assert nodes == (
        Text("Act "), Strong((Text("now"),)), Text(", see "), Emphasis((Text("the plan"),)),
        Text(" at "), Link("https://x.example/p", (Text("our site"),)), Text(" and "),
        Cite("mines"), Text("."),
    )


def test_markup_nests_inside_bold_and_links() -> None:
    assert parse_inline("**very *important* now**") == (
        Strong((Text("very "), Emphasis((Text("important"),)), Text(" now"))),)
    assert parse_inline("[**bold** link](mailto:a@b.example)") == (
        Link("mailto:a@b.example", (Strong((Text("bold"),)), Text(" link"))),)


@pytest.mark.parametrize("text", [
    "**never closed",
    "*never closed",
    "closed** only",
    "2 * 3 * 4 = 24",
    "a lone * star",
    "[not a link] (https://x.example)",
    "[@Not-A-Slug]",
    "[@ spaced]",
    "[link](javascript:alert(1))",
])
def test_unmatched_or_malformed_markup_stays_text(text: str) -> None:
    nodes = parse_inline(text)
    assert nodes == (Text(text),)


@pytest.mark.parametrize(("text", "shown"), [
    (r"\*not italic\*", "*not italic*"),
    (r"\*\*not bold\*\*", "**not bold**"),
    (r"\[@mines]", "[@mines]"),
    (r"back\\slash", "back\\slash"),
    (r"C:\temp", r"C:\temp"),  # a backslash before an ordinary letter is kept
])
def test_escapes_print_the_character(text: str, shown: str) -> None:
    assert parse_inline(text) == (Text(shown),)


def test_hostile_text_is_one_text_node_verbatim() -> None:
    text = 'AT&T <R&D> {{ x }} <b>not bold</b> &amp; <img src="x"> {% raw %}'
    assert parse_inline(text) == (Text(text),)


def test_white_space_from_yaml_collapses_but_no_break_spaces_stay() -> None:
    assert parse_inline("  one\n two\t three  ") == (Text("one two three"),)
    assert parse_inline("1.5\u00a0million people") == (Text("1.5\u00a0million people"),)


def test_plain_text_drops_markup_and_shows_citation_ids() -> None:
    assert plain_text(parse_inline("**Act** *now*: [site](https://x.example) [@mines]")) == (
        "Act now: site mines")


def test_a_citation_with_a_plus_keeps_the_prefix() -> None:
    assert parse_inline("up to [@share] and [@+share]") == (
        Text("up to "), Cite("share"), Text(" and "), Cite("share", with_prefix=True))


def test_a_source_is_cited_with_a_caret() -> None:
    assert parse_inline("The deadline is 1 March 2026[^treaty-text].") == (
        Text("The deadline is 1 March 2026"), SourceCite("treaty-text"), Text("."))
    assert parse_inline(r"a literal \[^treaty-text]") == (Text("a literal [^treaty-text]"),)
    assert parse_inline("[^Not-A-Slug] [^ spaced]") == (Text("[^Not-A-Slug] [^ spaced]"),)


def test_a_source_marker_is_not_a_word() -> None:
    assert plain_text(parse_inline("Signed in 1997[^treaty].")) == "Signed in 1997."


def test_markup_is_located_by_the_non_space_characters_before_it() -> None:
    """Counting only non-space characters finds a citation whatever YAML did to the spaces
    and line breaks around it (see YamlDocument.locate_inside)."""
    text = "**Act  now**:\n   fund [@mines] and\t[see](https://x.example) *it [^gov]*"
    located = locate_markup(text)
    assert [node for _, node in located] == [
        Cite("mines"), Link("https://x.example", (Text("see"),)), SourceCite("gov")]
    squeezed = "".join(text.split())
    assert [squeezed[position] for position, _ in located] == ["[", "[", "["]
    assert squeezed[located[0][0]:].startswith("[@mines]")
    assert squeezed[located[2][0]:].startswith("[^gov]")


def test_a_narrow_no_break_space_typed_in_a_spec_is_kept() -> None:
    """French writers type U+202F before a colon; it must not become a breaking space."""
    from briefgen.spec.inline import normalize_space

    assert normalize_space("Contact\u202f: 800\u202f000") == "Contact\u202f: 800\u202f000"
    assert normalize_space("a \u202f b") == "a\u202fb"
