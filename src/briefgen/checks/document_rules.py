"""Rules on the composed page: text colours against the background they sit on, pictures
with words for those who cannot see them, a logo that shows on its masthead."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from briefgen.document import Block, Document, Group, Image, Paragraph, Row, iter_blocks
from briefgen.document import Chart as ChartBlock
from briefgen.errors import Location, Problem
from briefgen.resolve.assets import Picture
from briefgen.template import LAYOUT_FILE, Template

MINIMUM_CONTRAST = 4.5  # WCAG 2.x, normal text
# WCAG 2.1 (1.4.11, non-text contrast): graphics a reader needs to make out reach 3:1. A logo
# passes when at least one in twenty of its visible pixels does: its outline or lettering is
# enough, as long as something of it stands out from the masthead.
LOGO_CONTRAST = 3.0
LOGO_SHARE = 0.05
# A colour text is drawn in: (style, the style's key naming the colour, colour, background).
_TextColor = tuple[str, str, str, str]


def check_document(composed: Document, template: Template) -> list[Problem]:
    """Rules on the composed page: text colour against the background it sits on; pictures
    with words for those who cannot see them."""
    problems = list(_undescribed_pictures(composed, template))
    seen: set[_TextColor] = set()
    for text_color in _text_colors(composed.body + composed.footer, "#FFFFFF", composed):
        if text_color not in seen:
            seen.add(text_color)
            problems += _low_contrast(text_color, template)
    return problems


def _low_contrast(text_color: _TextColor, template: Template) -> Iterator[Problem]:
    style_name, key_name, color, background = text_color
    ratio = contrast_ratio(color, background)
    if ratio >= MINIMUM_CONTRAST:
        return
    where: Location | Path = (
        template.folder / LAYOUT_FILE if key_name == "<color>"
        else template.design_document.locate(("styles", style_name, key_name))
        if template.design_document else template.folder / "template.yaml")
    yield Problem(
        where, f"styles.{style_name}.{key_name}" if key_name != "<color>"
        else f"<color> in the {style_name} style",
        f"text colour {color} on {background} has a contrast of "
        # Rounded down: 4.48 must not print as the 4.5 it fails to reach.
        f"{int(ratio * 10) / 10:.1f}:1; readers need at least {MINIMUM_CONTRAST}:1",
        "darken the text colour or lighten the background", rule="contrast")


def _text_colors(blocks: tuple[Block, ...], background: str, composed: Document
                 ) -> Iterator[_TextColor]:
    """Every colour text is drawn in, with the background under it: a paragraph's text and
    its hanging label (a list number, a chart key's colour dot) and the words the layout
    colours itself (<color>); a chart's labels, which it draws in its label style's colour
    on its cell's background."""
    for block in blocks:
        match block:
            case Paragraph():
                yield from _paragraph_colors(block, background, composed)
            case ChartBlock():
                yield block.style, "color", composed.styles[block.style].color, background
            case Group():
                yield from _text_colors(block.blocks, background, composed)
            case Row():
                yield from _row_colors(block, background, composed)


def _row_colors(row: Row, background: str, composed: Document) -> Iterator[_TextColor]:
    """The text colours of each cell of a row, on the cell's background if it has one."""
    for cell in row.cells:
        yield from _text_colors(cell.blocks, cell.background or background, composed)


def _paragraph_colors(paragraph: Paragraph, background: str, composed: Document
                      ) -> Iterator[_TextColor]:
    style = composed.styles[paragraph.style]
    yield paragraph.style, "color", style.color, background
    if paragraph.number is not None and style.label_color:
        yield paragraph.style, "label_color", style.label_color, background
    for color in {span.color for span in paragraph.spans if span.color}:
        yield paragraph.style, "<color>", color, background


def contrast_ratio(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two #RRGGBB colours, from 1 to 21."""
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _luminance(color: str) -> float:
    channels = [int(color[index : index + 2], 16) / 255 for index in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def logo_contrast(picture: Picture, background: str) -> float:
    """The contrast with `background` that the best-contrasting twentieth of the picture's
    visible pixels reaches (1.0 for a picture with no visible pixel)."""
    ratios = sorted(_visible_contrasts(picture, background), reverse=True)
    wanted = sum(count for _, count in ratios) * LOGO_SHARE
    seen = 0
    for ratio, count in ratios:
        seen += count
        if seen >= wanted:
            return ratio
    return 1.0


def _visible_contrasts(picture: Picture, background: str) -> Iterator[tuple[float, int]]:
    """Each colour of the picture's visible pixels (at least half opaque) as the page shows
    it, blended with the background by its transparency: its contrast with the background,
    and how many pixels have it."""
    back = tuple(int(background[index : index + 2], 16) for index in (1, 3, 5))
    for count, (red, green, blue, alpha) in picture.colors():
        if alpha >= 128:
            shown = "#" + "".join(
                f"{round((channel * alpha + under * (255 - alpha)) / 255):02X}"
                for channel, under in zip((red, green, blue), back, strict=True))
            yield contrast_ratio(shown, background), count


def logo_problem(picture: Picture, template: Template, logo: str, where: Location,
                 field: str) -> Problem | None:
    """A warning when the logo would hardly show on the masthead: a white logo made for a
    dark band, put on a white page."""
    background = masthead_background(template)
    ratio = logo_contrast(picture, background)
    if ratio >= LOGO_CONTRAST:
        return None
    return Problem(where, field,
                   f"the logo {logo} would hardly show on the masthead: its visible pixels "
                   f"reach a contrast of {int(ratio * 10) / 10:.1f}:1 with the masthead's "
                   f"{background}, and a logo needs {LOGO_CONTRAST:.0f}:1 to be made out",
                   "use a version of the logo drawn for a light background (a dark or coloured "
                   "mark)", rule="logo-contrast", severity="warning")


_CELL_TAG = re.compile(r"<cell\b([^>]*)>|</cell>|<image\b")
_BACKGROUND = re.compile(r'\bbackground="([^"{}]*)"')


def masthead_background(template: Template) -> str:
    """The colour the layout draws the logo on: the background of the innermost cell around
    its <image> that has one, else the page's white."""
    layout = re.sub(r"\{#.*?#\}", "", template.layout_source, flags=re.DOTALL)
    open_cells: list[str] = []
    for tag in _CELL_TAG.finditer(layout):
        if tag[0] == "</cell>":
            if open_cells:
                open_cells.pop()
        elif tag[0].startswith("<image"):
            return _innermost_background(template, open_cells)
        else:
            open_cells.append(tag[1] or "")
    return "#FFFFFF"


def _innermost_background(template: Template, open_cells: list[str]) -> str:
    """The background of the innermost of the cells around the logo that names one (white
    when that one is not a colour of the template)."""
    for attributes in reversed(open_cells):
        color = _BACKGROUND.search(attributes)
        if color:
            try:
                return template.color(color[1])
            except KeyError:
                break
    return "#FFFFFF"


def _undescribed_pictures(composed: Document, template: Template) -> Iterator[Problem]:
    """A picture (the logo, a chart) drawn without alternative text: a screen reader would
    pass over it, and with the logo over who the brief is from. The one-pager gives the logo
    the organisation's name, which is what a logo says; a layout that leaves the description
    out, or gives an empty one, is an error."""
    pictures = (block for block in iter_blocks(composed.body + composed.footer)
                if isinstance(block, Image | ChartBlock))
    if any(not picture.description.strip() for picture in pictures):
        yield Problem(_first_image_tag(template), "image",
                      "a picture (the logo) is drawn without alternative text: screen "
                      "readers would pass over it",
                      "give the <image> a description: the organisation's name, or what "
                      "the logo shows", rule="alt-text")


def _first_image_tag(template: Template) -> Location:
    """Where the layout's first <image> is, outside its comments."""
    layout = re.sub(r"\{#.*?#\}", lambda comment: "\n" * comment[0].count("\n"),
                    template.layout_source, flags=re.DOTALL)
    line, column = next(((number, text.index("<image") + 1) for number, text in
                         enumerate(layout.splitlines(), start=1) if "<image" in text), (1, 1))
    return Location(template.folder / LAYOUT_FILE, line, column)
