"""The DOCX as other programs read its structure: converters organisations use (mammoth,
pandoc) find the headline, the section headings and the numbered lists by Word's built-in
style names, so the brief converts to HTML with its headings and lists."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import mammoth
import pytest

from tests.support import BuiltBriefs, expected_versions, localized, run_tool, spec_data

EXAMPLE_AUDIENCES = [audience for audience, _, _ in expected_versions("example")]


def outline(html: str) -> list[tuple[str, str]]:
    """The headings (h1, h2), numbered lists (ol) and list items (li) of an HTML page, in
    order, with their text (a line break read as a space)."""
    html = re.sub(r"<br\s*/?>", " ", html)
    found = []
    for match in re.finditer(r"<(h1|h2|li)\b[^>]*>(.*?)</\1>|<ol\b", html, re.DOTALL):
        if match.group(1) is None:
            found.append(("ol", ""))
        else:
            text = unescape(re.sub(r"<[^>]+>", "", match.group(2)))
            found.append((match.group(1), " ".join(text.split())))
    return found


def expected_headings(audience: str) -> tuple[str, list[str]]:
    """The headline and the section headings of a version, from the spec."""
    language = next(version[1] for version in expected_versions("example")
                    if version[0] == audience)
    data = spec_data("example")
    title = " ".join(str(localized(data["brief"]["title"], language)).split())
    sections = [str(localized(section["heading"], language)).upper()
                for section in data["sections"]]
    return title, sections


def check_outline(found: list[tuple[str, str]], audience: str) -> None:
    title, sections = expected_headings(audience)
    headlines = [text for tag, text in found if tag == "h1"]
    assert len(headlines) == 1 and title.startswith(headlines[0]), headlines
    headings = [text for tag, text in found if tag == "h2"]
    assert set(sections) <= set(headings), headings
    assert len(headings) >= len(sections) + 3  # the asks', the key figures' and the sources'
    # The asks: the first numbered list, one item per ask, after the asks' heading.
    asks = spec_data("example")["asks"]
    first_list = next(index for index, (tag, _) in enumerate(found) if tag == "ol")
    items = []
    for tag, text in found[first_list + 1:]:
        if tag != "li":
            break
        items.append(text)
    assert len(items) == len(asks), items
    assert found[first_list - 1][0] == "h2"


@pytest.mark.parametrize("audience", EXAMPLE_AUDIENCES)
def test_mammoth_converts_the_headline_headings_and_asks(built_briefs: BuiltBriefs,
                                                         audience: str) -> None:
    """mammoth (the converter behind many intranets' "import from Word") once printed the
    headline and "OUR ASKS" as plain paragraphs: it knows headings by Word's style names."""
    with built_briefs.versions[("example", audience)].docx.open("rb") as file:
        result = mammoth.convert_to_html(file)
    check_outline(outline(result.value), audience)


@pytest.mark.tools
@pytest.mark.parametrize("audience", EXAMPLE_AUDIENCES)
def test_pandoc_converts_the_headline_headings_and_asks(built_briefs: BuiltBriefs,
                                                        audience: str, tmp_path: Path) -> None:
    docx = built_briefs.versions[("example", audience)].docx
    result = run_tool("pandoc", "--from", "docx", "--to", "html5", docx)
    assert result.returncode == 0, result.stderr
    found = outline(result.stdout)
    check_outline(found, audience)
    # Every heading is a heading: none is left as bold text in a paragraph.
    assert not re.search(r"<p><strong>[A-ZА-Я ]+</strong></p>", result.stdout)
