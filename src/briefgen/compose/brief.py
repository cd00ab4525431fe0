"""A brief's `Document`: the template's layout run for a `BriefView`, its markup read into
blocks, source notes numbered in the order the page cites them."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from typing import Any

from briefgen.compose.builder import DocumentBuilder
from briefgen.compose.markup import parse_layout, render_layout
from briefgen.document import (
    Block,
    Document,
    Metadata,
    PageSetup,
    Paragraph,
    ParagraphStyle,
    iter_blocks,
)
from briefgen.errors import BriefgenBug, Location, Problem, SpecError, TemplateError
from briefgen.layout.fonts import font_family, missing_characters
from briefgen.resolve.view import BriefView
from briefgen.spec.inline import Cite, Emphasis, Inline, Link, SourceCite, Strong
from briefgen.spec.loader import FieldPath, format_field_path
from briefgen.template import LAYOUT_FILE, Template

PAGE_SIZES = {"A4": (595.2756, 841.8898), "Letter": (612.0, 792.0)}


def compose_document(view: BriefView, template: Template,
                     locate: Callable[[FieldPath], Location],
                     describe: Callable[[FieldPath], str] = format_field_path) -> Document:
    """Lay out `view` with `template`; raise located errors for text the font cannot draw."""
    fonts = font_family(template.design.font)
    _check_drawable(view, fonts, locate, describe)
    styles = _styles(template)
    body, footer = _blocks_in_citation_order(view, template, styles)
    design = template.design
    return Document(
        page=_page_setup(view, template),
        fonts=fonts,
        styles=styles,
        body=body,
        footer=footer,
        metadata=Metadata(title=view.title, author=view.author, subject=view.subject,
                          keywords=view.keywords, language=view.language,
                          date=view.date_iso),
        footer_gap=design.footer_gap,
        link_color=template.color(design.link_color),
    )


def _blocks_in_citation_order(view: BriefView, template: Template,
                              styles: dict[str, ParagraphStyle]
                              ) -> tuple[tuple[Block, ...], tuple[Block, ...]]:
    """The body's and the footer's blocks, source notes numbered in the order the page
    cites them.

    That order is known only once the layout has run: it is run with a likely order, the
    order read off the markup, and run again if they differ. Blocks are built once, from the
    final markup."""
    order = _likely_citation_order(view)
    root = _layout_tree(view, template, order)
    cited = _cited_in(root, view)
    if cited != order:
        order = cited
        root = _layout_tree(view, template, order)
    body, footer, cited = _build_blocks(root, view, template, styles, order)
    if cited != order:  # a citation the quick reading missed: lay out once more
        order = cited
        body, footer, cited = _build_blocks(_layout_tree(view, template, order), view, template,
                                            styles, order)
        if cited != order:
            raise BriefgenBug("source note order did not settle")
    return body, footer


def _page_setup(view: BriefView, template: Template) -> PageSetup:
    """The page's size and margins: the content box centred across, and down the page
    within its margins, or centred when its height is fixed."""
    width, height = PAGE_SIZES[view.page]
    content = template.design.content
    margin_x = (width - content.width) / 2
    if content.height is not None:  # a fixed box, centred on the page
        margin_top = margin_bottom = (height - content.height) / 2
    else:  # the page's height, within its margins
        margin_top, margin_bottom = content.margin_top, content.margin_bottom
    if min(margin_x, margin_top, margin_bottom) < 18:
        raise TemplateError(Problem(template.folder / "template.yaml", "content",
                                    f"the content box does not fit a {view.page} page with "
                                    "margins of at least 18 pt"))
    return PageSetup(width, height, margin_top, margin_x, margin_bottom, margin_x)


def _layout_tree(view: BriefView, template: Template, note_order: list[str]
                 ) -> ElementTree.Element:
    """The layout's markup for `view`, with source notes numbered in `note_order`."""
    numbers = {source_id: index + 1 for index, source_id in enumerate(note_order)}
    notes = [{"number": numbers[source_id], "id": source_id,
              **view.context["sources"][source_id]}
             for source_id in note_order if source_id in view.context["sources"]]
    context = {**view.context, "notes": notes, "note_columns": _halves(notes)}
    root = parse_layout(render_layout(template, context), template)
    if root.find("body") is None:
        raise TemplateError(Problem(template.folder / LAYOUT_FILE, "",
                                    "the layout has no <body> element"))
    return root


def _halves(notes: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Notes in two columns of about the same height: split by length, not by count (one
    note with a long title and address takes three lines, another one)."""
    lengths = [sum(len(str(value)) for key, value in note.items()
                   if key in ("title", "publisher", "author", "date", "url") and value)
               for note in notes]
    total, running = sum(lengths), 0
    for index, length in enumerate(lengths):
        if running + length / 2 >= total / 2:
            return [notes[:index], notes[index:]] if index else [notes[:1], notes[1:]]
        running += length
    return [notes, []]


def _cited_in(root: ElementTree.Element, view: BriefView) -> list[str]:
    """Sources in the order the markup cites them: notes, and figures cited in fields."""
    cited: dict[str, None] = {}
    for part in (root.find("body"), root.find("footer")):
        for element in part.iter() if part is not None else ():
            if element.tag in ("note", "cite", "ref"):
                cited[element.get("source", "")] = None
            elif element.tag == "field":
                try:
                    nodes = view.texts[int(element.get("ref", ""))].nodes
                except (ValueError, IndexError):
                    continue  # reported when the blocks are built
                for source_id in _cited_sources(nodes, view):
                    cited[source_id] = None
    return [source_id for source_id in cited if source_id in view.context["sources"]]


def _likely_citation_order(view: BriefView) -> list[str]:
    """Sources in the order the view's texts cite figures from them.

    Texts are resolved in reading order, so for the built-in layout this is usually the
    page's own order and the layout runs once. It depends only on the view, so a build's
    output never depends on what was built before it.
    """
    order: dict[str, None] = {}
    for user_text in view.texts:
        for source_id in _cited_sources(user_text.nodes, view):
            order[source_id] = None
    return list(order)


def _cited_sources(nodes: tuple[Inline, ...], view: BriefView) -> Iterator[str]:
    for node in nodes:
        match node:
            case Cite() if node.stat_id in view.stat_values:
                # A chart is not among them: its sources are marked at its title.
                yield view.stat_values[node.stat_id][1]
            case SourceCite():
                yield node.source_id
            case Strong() | Emphasis() | Link():
                yield from _cited_sources(node.children, view)


def _build_blocks(root: ElementTree.Element, view: BriefView, template: Template,
                  styles: dict[str, ParagraphStyle], note_order: list[str]
                  ) -> tuple[tuple[Block, ...], tuple[Block, ...], list[str]]:
    numbers = {source_id: index + 1 for index, source_id in enumerate(note_order)}
    builder = DocumentBuilder(view, template, styles, numbers)
    body_element = root.find("body")
    footer_element = root.find("footer")
    if body_element is None:  # pragma: no cover - checked by _layout_tree
        raise BriefgenBug("layout without <body>")
    width = template.design.content.width
    body = builder.blocks(body_element, width)
    footer = builder.blocks(footer_element, width) if footer_element is not None else ()
    return body, footer, builder.cited


def _styles(template: Template) -> dict[str, ParagraphStyle]:
    design = template.design
    floor = design.fit.min_type_scale
    return {
        name: ParagraphStyle(
            name=name, font_size=style.size, leading=style.leading,
            min_font_size=style.min_size if style.min_size is not None else style.size * floor,
            color=template.color(style.color), bold=style.bold, italic=style.italic,
            caps=style.caps,
            space_after=style.space_after, indent=style.indent, align=style.align,
            role=style.role, tracking=style.tracking, label_size=style.label_size,
            label_color=template.color(style.label_color) if style.label_color else None,
            min_space_after=style.min_space_after, fit_width=style.fit_width)
        for name, style in design.styles.items()
    }


def _check_drawable(view: BriefView, fonts: Any, locate: Callable[[FieldPath], Location],
                    describe: Callable[[FieldPath], str]) -> None:
    problems = []
    texts = [(user_text.origin, str(user_text)) for user_text in view.texts]
    texts += view.affixes
    for origin, text in texts:
        missing = missing_characters(text, fonts)
        if missing:
            shown = ", ".join(f"{char!r} (U+{ord(char):04X})" for char in missing[:5])
            problems.append(Problem(
                locate(origin), describe(origin),
                f"the font {fonts.name} cannot draw {shown}",
                "replace the character, or use a template whose font covers it",
                rule="font-coverage"))
    if problems:
        raise SpecError(problems)


def iter_paragraphs(blocks: tuple[Block, ...]) -> Iterator[Paragraph]:
    """All paragraphs in reading order (rows left to right)."""
    return (block for block in iter_blocks(blocks) if isinstance(block, Paragraph))
