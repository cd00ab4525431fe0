"""Markup as XLIFF tags and back: every tag once, moved freely, the words inside translated."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from briefgen.spec.inline import Text, parse_inline
from briefgen.translation.placeholders import (
    TagError,
    content_signature,
    markup_from_target,
    tag_source,
)

NS = "urn:oasis:names:tc:xliff:document:1.2"
SOURCE = "About [@+mines] mines; **act now**, see [the plan](https://x.org/p) [^report]."


def target(inner: str) -> ET.Element:
    return ET.fromstring(f'<target xmlns="{NS}">{inner}</target>')


def test_markup_becomes_numbered_tags_outer_before_inner() -> None:
    source, tags = tag_source("**Fund [@mines] & more** <b>")
    assert source == ('<g id="1" ctype="bold">Fund <x id="2" ctype="x-briefgen-figure" '
                      'equiv-text="[@mines]"/> &amp; more</g> &lt;b&gt;')
    assert [tag.name for tag in tags.values()] == ["tag 1 (bold)", "tag 2 ([@mines])"]


def test_a_translation_may_move_its_tags() -> None:
    _, tags = tag_source(SOURCE)
    translated = target('<x id="4"/>Voir <g id="3">le plan</g>, <g id="2">agir</g> : environ '
                        '<x id="1"/> mines.')
    markup = markup_from_target(translated, tags)
    assert markup == ("[^report]Voir [le plan](https://x.org/p), **agir** : environ [@+mines] "
                      "mines.")


@pytest.mark.parametrize(("inner", "message"), [
    ('<g id="2">agir</g> <g id="3">plan</g> <x id="4"/>', "lacks tag 1 ([@+mines])"),
    ('<x id="1"/><x id="1"/><g id="2">a</g><g id="3">p</g><x id="4"/>',
     "has tag 1 ([@+mines]) more than once"),
    ('<x id="9"/>', "has a tag <x id='9'> that the source does not have"),
    ('<x id="2"/>', "tag 2 (bold) is <x> here but not in the source"),
    ('<x id="1"/><g id="2"> </g><g id="3">p</g><x id="4"/>', "leaves the bold text without words"),
    ("<bpt>x</bpt>", "contains a <bpt> tag, which the exported file did not have"),
])
def test_broken_tags_are_refused(inner: str, message: str) -> None:
    _, tags = tag_source(SOURCE)
    with pytest.raises(TagError) as raised:
        markup_from_target(target(inner), tags)
    assert raised.value.message == message


def test_stars_the_translator_typed_are_escaped_where_they_would_be_markup() -> None:
    assert markup_from_target(target("5 * 3 [sic]"), {}) == "5 * 3 [sic]"
    markup = markup_from_target(target("*not italic* [@x]"), {})
    assert markup == r"\*not italic\* \[@x\]"
    assert parse_inline(markup) == (Text("*not italic* [@x]"),)


def test_space_at_the_ends_of_bold_moves_outside_it() -> None:
    _, tags = tag_source("**act**")
    assert markup_from_target(target('<g id="1"> agir  maintenant </g>'), tags) == (
        "**agir maintenant**")


def test_a_literal_text_comes_back_as_its_words() -> None:
    assert markup_from_target(target("  *as typed*  "), {}, literal=True) == "*as typed*"


def test_segment_marks_and_white_space_do_not_change_what_a_text_says() -> None:
    plain = target('Un <x id="1"/> texte')
    marked = target('<mrk mtype="seg" mid="1">Un  <x id="1"/>\n texte </mrk>')
    assert content_signature(plain) == content_signature(marked)
    assert content_signature(plain) != content_signature(target('Un <x id="2"/> texte'))
