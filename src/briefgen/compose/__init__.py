"""Compose: run the template's layout for a `BriefView` and build the neutral `Document`.

The layout is Jinja2 (sandboxed, StrictUndefined, autoescaped) producing a small XML
vocabulary: <body>/<footer>, <row>/<cell>, <p>, <space>, <rule>, and inside paragraphs <b>, <i>,
<sup>, <a href>, <note source> (a source marker), <ref source> (a note's number in the text)
and <field ref> (user text, inserted by reference so it can never be read as markup); <chart
ref> places a chart of the spec.
Source notes are numbered in reading order.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

import jinja2

from briefgen.compose.origins import split_at_origins
from briefgen.document import (
    Block,
    Cell,
    Chart,
    ChartSeries,
    Document,
    Group,
    Image,
    Metadata,
    PageSetup,
    Paragraph,
    ParagraphStyle,
    Row,
    Rule,
    Spacer,
    Span,
    iter_blocks,
)
from briefgen.errors import BriefgenBug, Location, Problem, SpecError, TemplateError
from briefgen.layout.fonts import font_family, missing_characters
from briefgen.resolve.locale_format import NARROW_NO_BREAK_SPACE, typeset
from briefgen.resolve.view import BriefView
from briefgen.spec.inline import Cite, Emphasis, Inline, Link, SourceCite, Strong, Text
from briefgen.spec.loader import FieldPath, format_field_path
from briefgen.template import LAYOUT_FILE, Template
from briefgen.template.sandbox import BoundedSandbox, TemplateBudgetExceeded

PAGE_SIZES = {"A4": (595.2756, 841.8898), "Letter": (612.0, 792.0)}
GROUP_ROLES = {"L", "BlockQuote", "Aside", "P"}
PARAGRAPH_ROLES = {"H1", "H2", "P"}
# Layout white space only: a no-break space in a label (French "«\u00a0") is kept.
_SPACE_RUN = re.compile(r"[ \t\n\r\f\v]+")


def compose_document(view: BriefView, template: Template,
                     locate: Callable[[FieldPath], Location],
                     describe: Callable[[FieldPath], str] = format_field_path) -> Document:
    """Lay out `view` with `template`; raise located errors for text the font cannot draw."""
    fonts = font_family(template.design.font)
    _check_drawable(view, fonts, locate, describe)
    styles = _styles(template)
    # Notes are numbered in the order the page cites them, which is known only once the
    # layout has run: run it with a likely order, read the order off the markup, and run it
    # again if they differ. Blocks are built once, from the final markup.
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
    design = template.design
    width, height = PAGE_SIZES[view.page]
    content = design.content
    margin_x = (width - content.width) / 2
    if content.height is not None:  # a fixed box, centred on the page
        margin_top = margin_bottom = (height - content.height) / 2
    else:  # the page's height, within its margins
        margin_top, margin_bottom = content.margin_top, content.margin_bottom
    if min(margin_x, margin_top, margin_bottom) < 18:
        raise TemplateError(Problem(template.folder / "template.yaml", "content",
                                    f"the content box does not fit a {view.page} page with "
                                    "margins of at least 18 pt"))
    return Document(
        page=PageSetup(width, height, margin_top, margin_x, margin_bottom, margin_x),
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


def _layout_tree(view: BriefView, template: Template, note_order: list[str]
                 ) -> ElementTree.Element:
    """The layout's markup for `view`, with source notes numbered in `note_order`."""
    numbers = {source_id: index + 1 for index, source_id in enumerate(note_order)}
    notes = [{"number": numbers[source_id], "id": source_id,
              **view.context["sources"][source_id]}
             for source_id in note_order if source_id in view.context["sources"]]
    context = {**view.context, "notes": notes, "note_columns": _halves(notes)}
    root = _parse_layout(_render_layout(template, context), template)
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
        if isinstance(node, Cite):
            if node.stat_id in view.stat_values:  # a chart's sources are marked at its title
                yield view.stat_values[node.stat_id][1]
        elif isinstance(node, SourceCite):
            yield node.source_id
        elif isinstance(node, Strong | Emphasis | Link):
            yield from _cited_sources(node.children, view)


def _build_blocks(root: ElementTree.Element, view: BriefView, template: Template,
                  styles: dict[str, ParagraphStyle], note_order: list[str]
                  ) -> tuple[tuple[Block, ...], tuple[Block, ...], list[str]]:
    numbers = {source_id: index + 1 for index, source_id in enumerate(note_order)}
    builder = _Builder(view, template, styles, numbers)
    body_element = root.find("body")
    footer_element = root.find("footer")
    if body_element is None:  # pragma: no cover - checked by _layout_tree
        raise BriefgenBug("layout without <body>")
    width = template.design.content.width
    body = builder.blocks(body_element, width)
    footer = builder.blocks(footer_element, width) if footer_element is not None else ()
    return body, footer, builder.cited


# A layout that runs longer or writes more than this is stopped: templates come from other
# people, and a one-page layout needs a few milliseconds and a few kilobytes.
LAYOUT_SECONDS = 2.0
LAYOUT_CHARACTERS = 1_000_000


class _RootedLoader(jinja2.FileSystemLoader):
    """Loads `{% include %}`d files from the template folder only, links included."""

    def get_source(self, environment: jinja2.Environment, template: str
                   ) -> tuple[str, str, Callable[[], bool]]:
        source, filename, uptodate = super().get_source(environment, template)
        root = Path(str(self.searchpath[0])).resolve()
        if not Path(filename).resolve().is_relative_to(root):
            raise jinja2.TemplateNotFound(template)
        return source, filename, uptodate


@lru_cache(maxsize=16)
def _compiled_layout(source: str, folder: str) -> jinja2.Template:
    environment = BoundedSandbox(
        max_characters=LAYOUT_CHARACTERS,
        loader=_RootedLoader(folder),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return environment.from_string(source)


def _render_layout(template: Template, context: dict[str, Any]) -> str:
    layout_path = template.folder / LAYOUT_FILE
    try:
        compiled = _compiled_layout(template.layout_source, str(template.folder))
        environment = compiled.environment
        assert isinstance(environment, BoundedSandbox)
        return environment.render_bounded(compiled, context, LAYOUT_SECONDS)
    except TemplateBudgetExceeded as error:
        raise TemplateError(Problem(layout_path, "", f"the layout {error}",
                                    "look for a loop that never ends or a value that grows "
                                    "without limit")) from None
    except jinja2.TemplateSyntaxError as error:
        raise TemplateError(Problem(Location(layout_path, error.lineno or 1, 1), "",
                                    f"template syntax error: {error.message}")) from None
    except jinja2.UndefinedError as error:
        raise TemplateError(Problem(layout_path, "", f"the layout uses an unknown name: "
                                    f"{error.message}",
                                    "see the README for the names a layout can use")) from None
    except jinja2.exceptions.SecurityError as error:
        raise TemplateError(Problem(layout_path, "", f"the layout tried something unsafe: "
                                    f"{error}")) from None
    except jinja2.TemplateError as error:
        raise TemplateError(Problem(layout_path, "", f"template error: {error}")) from None


def _parse_layout(markup: str, template: Template) -> ElementTree.Element:
    if "<!DOCTYPE" in markup or "<!ENTITY" in markup:
        raise TemplateError(Problem(template.folder / LAYOUT_FILE, "",
                                    "the layout may not declare a DOCTYPE or entities"))
    try:
        return ElementTree.fromstring(markup)
    except ElementTree.ParseError as error:
        line, column = error.position
        raise TemplateError(Problem(
            template.folder / LAYOUT_FILE, "",
            f"the layout produced malformed XML at output line {line}, column {column + 1}: "
            f"{error.msg if hasattr(error, 'msg') else error}",
            "check that every <p>, <row> and <cell> is closed")) from None


class _Format(NamedTuple):
    """Formatting inherited down the layout's inline elements (a tuple: cheap to copy)."""

    bold: bool = False
    italic: bool = False
    superscript: bool = False
    link: str | None = None
    language: str | None = None
    color: str | None = None  # the layout's <color value>, as #RRGGBB


class _Builder:
    """Turns layout XML into blocks, numbering source notes as they are met."""

    def __init__(self, view: BriefView, template: Template,
                 styles: dict[str, ParagraphStyle], numbers: dict[str, int]) -> None:
        self.view = view
        self.template = template
        self.styles = styles
        self.numbers = numbers
        self.cited: list[str] = []
        self.layout_path = template.folder / LAYOUT_FILE

    def error(self, message: str) -> TemplateError:
        return TemplateError(Problem(self.layout_path, "", message))

    def blocks(self, parent: ElementTree.Element, width: float) -> tuple[Block, ...]:
        result: list[Block] = []
        for element in parent:
            block = self.block(element, width)
            if block is not None:
                result.append(block)
        return tuple(result)

    def block(self, element: ElementTree.Element, width: float) -> Block | None:
        tag = element.tag
        if tag == "p":
            return self.paragraph(element)
        if tag == "space":
            return Spacer(self.length(element, "h"), self.length(element, "min", 0.0))
        if tag == "rule":
            return Rule(color=self.color(element.get("color", "ink")),
                        thickness=self.length(element, "thickness", 0.75),
                        space_after=self.length(element, "space-after", 0.0))
        if tag == "row":
            return self.row(element, width)
        if tag == "group":
            role = element.get("role", "")
            if role not in GROUP_ROLES:
                raise self.error(f"<group role={role!r}>: the role is one of "
                                 f"{', '.join(sorted(GROUP_ROLES))}")
            blocks = self.blocks(element, width)
            if not blocks:
                return None
            language = element.get("lang") or None
            if language and language.split("-")[0] == self.view.language.split("-")[0]:
                language = None
            move = element.get("move")
            if move not in (None, "first-column"):
                raise self.error(f"<group move={move!r}>: the only place a group moves to is "
                                 "\"first-column\"")
            return Group(role, blocks, language, self.length(element, "space-after", 0.0),
                         movable=move == "first-column")
        if tag == "image":
            picture = self.view.pictures.get(element.get("source", ""))
            if picture is None:
                return None
            height = self.length(element, "height")
            return Image(png=picture.png, width=min(width, height * picture.aspect),
                         height=min(height, width / picture.aspect),
                         description=element.get("description", ""),
                         space_after=self.length(element, "space-after", 0.0),
                         code=getattr(picture, "modules", ()))
        if tag == "chart":
            return self.chart(element, width)
        raise self.error(f"unknown layout element <{tag}> (use p, space, rule, row, group, "
                         "image or chart)")

    def chart(self, element: ElementTree.Element, width: float) -> Chart:
        """A chart of the view, as wide as its column and as tall as its labels need."""
        from briefgen.layout.charts import chart_heights
        from briefgen.layout.fonts import font_family

        chart = self.view.charts.get(element.get("ref", ""))
        if chart is None:
            raise self.error(f"<chart ref={element.get('ref', '')!r}> names no chart of this "
                             "version (use the id of an entry in charts)")
        style_name = element.get("style", "chart-label")
        if style_name not in self.styles:
            raise self.error(f"paragraph style {style_name!r} is not defined in template.yaml")
        colors = tuple(self.color(name) for name in element.get("colors", "accent").split())
        language = self.view.language

        def words(text: object) -> str:
            return typeset(str(text or ""), language)

        block = Chart(
            kind=chart.type, categories=tuple(words(category) for category in chart.categories),
            series=tuple(ChartSeries(words(series.name), series.values,
                                     tuple(words(label) for label in series.labels))
                         for series in chart.series),
            description=chart.description, style=style_name, colors=colors or ("#000000",),
            height=0.0, min_height=0.0, language=language,
            number_format=chart.number_format, origin=format_field_path(chart.origin),
            space_after=self.length(element, "space-after", 0.0))
        height, min_height = chart_heights(block, width, self.styles[style_name],
                                           font_family(self.template.design.font))
        return block._replace(height=height, min_height=min_height)

    def row(self, element: ElementTree.Element, width: float) -> Row:
        cells = []
        for cell in element:
            if cell.tag != "cell":
                raise self.error(f"<row> may contain only <cell>, not <{cell.tag}>")
            cell_width = self.width(cell.get("width", "100%"), width)
            parts = [float(part) for part in cell.get("padding", "0 0 0 0").split()]
            if len(parts) != 4:
                raise self.error("a cell's padding is four lengths: top right bottom left")
            padding = (parts[0], parts[1], parts[2], parts[3])
            inner = cell_width - padding[1] - padding[3]
            background, border = cell.get("background"), cell.get("border")
            border_left = cell.get("border-left")
            valign = cell.get("valign", "top")
            if valign not in {"top", "middle", "bottom", "spread"}:
                raise self.error(f"<cell valign={valign!r}>: use top, middle, bottom or spread")
            cells.append(Cell(
                blocks=self.blocks(cell, inner), width=cell_width,
                background=self.color(background) if background else None,
                padding=padding, valign=valign,
                border=self.color(border) if border else None,
                border_left=self.color(border_left) if border_left else None))
        total = sum(cell.width for cell in cells)
        if total > width + 0.5:
            raise self.error(f"a row's cells are {total:.1f} pt wide but only {width:.1f} pt fit")
        balance = None
        follows = element.get("balance") == "next"
        if element.get("balance") and not follows:
            shares = [self.width(part, 1.0) for part in element.get("balance", "").split()]
            if len(shares) != 2 or not 0 < shares[0] <= shares[1] < 1 or len(cells) < 2:
                raise self.error("<row balance> gives the first cell's lowest and highest "
                                 "share of the row, e.g. balance=\"56% 68%\", or \"next\" "
                                 "for the widths of the next balanced row")
            balance = (shares[0], shares[1])
        return Row(tuple(cells), space_after=self.length(element, "space-after", 0.0),
                   balance=balance, follows=follows)

    def paragraph(self, element: ElementTree.Element) -> Paragraph | None:
        style_name = element.get("style", "body")
        style = self.styles.get(style_name)
        if style is None:
            raise self.error(f"paragraph style {style_name!r} is not defined in template.yaml")
        spans: list[Span] = []
        self.inline(element, _Format(), spans, style_name)
        spans = placed = _markers_at_clause_ends(spans, self.view.language)
        spans = _trim(_merge(spans))
        if not spans:
            return None
        spans = [span._replace(text=typeset(span.text, span.language or self.view.language))
                 for span in spans]
        if style.caps:
            spans = [span._replace(text=upper_case(span.text, span.language
                                                   or self.view.language))
                     for span in spans]
        spans = split_at_origins(placed, spans)
        role = element.get("role", style.role)
        if role not in PARAGRAPH_ROLES:
            raise self.error(f"<p role={role!r}>: the role is one of "
                             f"{', '.join(sorted(PARAGRAPH_ROLES))}")
        origins = [span.origin for span in spans if span.origin]
        number = element.get("number")
        if number is not None:  # a hanging « takes its narrow space in French, as text does
            number = typeset(number, self.view.language)
        return Paragraph(style=style_name, spans=tuple(spans), number=number,
                         origin=origins[0] if origins else f"layout:{style_name}", role=role,
                         note=element.get("note") or None)

    def inline(self, element: ElementTree.Element, fmt: _Format, spans: list[Span],
               style_name: str) -> None:
        if element.text:
            spans.append(self.span(element.text, fmt))
        for child in element:
            tag = child.tag
            if tag == "b":
                self.inline(child, fmt._replace(bold=True), spans, style_name)
            elif tag == "i":
                self.inline(child, fmt._replace(italic=True), spans, style_name)
            elif tag == "sup":
                self.inline(child, fmt._replace(superscript=True), spans, style_name)
            elif tag == "a":
                self.inline(child, fmt._replace(link=child.get("href")), spans, style_name)
            elif tag == "color":  # words the layout sets in another of its colours
                self.inline(child, fmt._replace(color=self.color(child.get("value", "ink"))),
                            spans, style_name)
            elif tag == "lang":
                code = child.get("code") or None
                if code and code.split("-")[0] == self.view.language.split("-")[0]:
                    code = None  # the page's own language needs no mark
                self.inline(child, fmt._replace(language=code), spans, style_name)
            elif tag == "note":
                spans.append(self.note(child.get("source", ""), fmt))
            elif tag == "cite":  # cited (so numbered and listed), but without a marker here
                self.note(child.get("source", ""), fmt)
            elif tag == "ref":  # the note's number in the text, read as a link to the note
                spans.append(self.note(child.get("source", ""), fmt)._replace(
                    superscript=False, italic=fmt.italic))
            elif tag == "field":
                self.field(child.get("ref", ""), fmt, spans)
            else:
                raise self.error(f"unknown inline element <{tag}> in a paragraph")
            if child.tail:
                spans.append(self.span(child.tail, fmt))

    def span(self, text: str, fmt: _Format, origin: str = "") -> Span:
        return Span(text=_SPACE_RUN.sub(" ", text), bold=fmt.bold, italic=fmt.italic,
                    superscript=fmt.superscript, link=fmt.link, color=fmt.color,
                    language=fmt.language, origin=origin)

    def note(self, source_id: str, fmt: _Format) -> Span:
        if source_id not in self.numbers:
            raise self.error(f"<note source={source_id!r}> names no source in the spec")
        if source_id not in self.cited:
            self.cited.append(source_id)
        return Span(text=str(self.numbers[source_id]), bold=fmt.bold, italic=False,
                    superscript=True, link=None, color=fmt.color, language=fmt.language,
                    origin="", reference=source_id)

    def field(self, ref: str, fmt: _Format, spans: list[Span]) -> None:
        try:
            user_text = self.view.texts[int(ref)]
        except (ValueError, IndexError):
            raise BriefgenBug(f"dangling field reference {ref!r}") from None
        origin = format_field_path(user_text.origin)
        own = user_text.language.split("-")[0] == self.view.language.split("-")[0]
        language = fmt.language or (None if own else user_text.language)
        self.nodes(user_text.nodes, fmt._replace(language=language), spans, origin)

    def nodes(self, nodes: tuple[Inline, ...], fmt: _Format, spans: list[Span],
              origin: str) -> None:
        for node in nodes:
            if isinstance(node, Text):
                spans.append(Span(node.text, fmt.bold, fmt.italic, fmt.superscript, fmt.link,
                                  fmt.color, fmt.language, origin))
            elif isinstance(node, Strong):
                self.nodes(node.children, fmt._replace(bold=True), spans, origin)
            elif isinstance(node, Emphasis):
                self.nodes(node.children, fmt._replace(italic=not fmt.italic), spans, origin)
            elif isinstance(node, Link):
                self.nodes(node.children, fmt._replace(link=node.url), spans, origin)
            elif isinstance(node, Cite) and node.stat_id in self.view.charts:
                # A chart is cited by pointing at it; its sources are marked at its title.
                spans.append(Span(self.view.chart_reference, fmt.bold, fmt.italic,
                                  fmt.superscript, fmt.link, fmt.color, fmt.language, origin))
            elif isinstance(node, Cite):
                spans.append(Span(self.view.cited_value(node), fmt.bold, fmt.italic,
                                  fmt.superscript, fmt.link, fmt.color, fmt.language, origin,
                                  figure=True))
                spans.append(self.note(self.view.stat_values[node.stat_id][1], fmt))
            elif isinstance(node, SourceCite):
                spans.append(self.note(node.source_id, fmt))

    def length(self, element: ElementTree.Element, name: str, default: float | None = None
               ) -> float:
        raw = element.get(name)
        if raw is None:
            if default is None:
                raise self.error(f"<{element.tag}> needs a {name}= attribute")
            return default
        try:
            return float(raw)
        except ValueError:
            raise self.error(f"<{element.tag} {name}={raw!r}> is not a length in points") from None

    def width(self, raw: str, available: float) -> float:
        try:
            if raw.endswith("%"):
                return available * float(raw[:-1]) / 100
            return float(raw)
        except ValueError:
            raise self.error(f"cell width {raw!r} is neither points nor a percentage") from None

    def color(self, value: str) -> str:
        try:
            return self.template.color(value)
        except KeyError:
            raise self.error(f"no colour named {value!r} in template.yaml") from None


def upper_case(text: str, language: str) -> str:
    """Upper-case with the dotted and dotless i of Azerbaijani and Turkish kept apart."""
    if language.split("-")[0] in {"az", "tr"}:
        text = text.replace("i", "\u0130")
    return text.upper()


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


def _merge(spans: list[Span]) -> list[Span]:
    """Join neighbouring spans that look the same, so each backend gets few, long runs."""
    merged: list[Span] = []
    for span in spans:
        if not span.text:
            continue
        if merged and _looks(merged[-1]) == _looks(span):
            last = merged[-1]
            merged[-1] = last._replace(text=last.text + span.text,
                                       origin=last.origin or span.origin,
                                       figure=last.figure and span.figure)
        else:
            merged.append(span)
    return merged


def _looks(span: Span) -> tuple[object, ...]:
    return (span.bold, span.italic, span.superscript, span.link, span.color, span.language,
            span.reference, span.scale)


# A source marker goes where the clause that cites it ends: at the next comma, full stop,
# closing bracket or quote, or at the end of the paragraph; never inside a figure (its
# qualifier, number and unit are one piece: the stop of "долл." ends no clause). English
# sets it after the punctuation ("people.⁴"); French and Russian before it ("pays⁵ :",
# "человек⁴."), after a closing bracket or quote.
_CLAUSE_END = re.compile(r"[,;:.!?)\]»”’\"]+(?=\s|$)")
_CLOSERS = ")]»”’\""
_CLAUSE_END_CHARACTERS = frozenset(",;:.!?)]»”’\"")
_MARKER_BEFORE_PUNCTUATION = {"fr", "ru"}
_SPACES = " \u00a0\u202f"
# Words that join the last item of a list ("Androy, Anosy and Atsimo-Andrefana"), and words
# that open a clause after a comma (", and births remain", ", although costs rise"): a comma
# followed by a clause ends one; a comma between list items does not (see `_joins_items`).
_LIST_WORDS = frozenset({"and", "or", "et", "ou", "ni", "и", "или", "либо", "və", "yaxud"})
_CLAUSE_WORDS = _LIST_WORDS | frozenset({
    "but", "so", "yet", "while", "although", "though", "because", "which", "who", "whose",
    "where", "when", "as", "since", "whereas", "including", "mais", "donc", "car", "qui",
    "que", "dont", "où", "lorsque", "tandis", "alors", "puisque", "но", "а", "что", "который",
    "которые", "где", "когда", "хотя", "поскольку", "amma", "lakin", "ancaq", "çünki", "ki"})
_LIST_ITEM_WORDS = 4  # a list item before its "and" is a name or a few words


def _markers_at_clause_ends(spans: list[Span], language: str) -> list[Span]:
    """Source markers moved to the end of their clause; markers meeting there are joined
    with commas ("⁴,⁵") and the same source is marked once.

    A marker right after a digit is set off by a narrow no-break space, where "70⁴" would
    read (and copy) as 704; after a word, a bracket or a stop it follows without a space.
    """
    before_punctuation = language.split("-")[0] in _MARKER_BEFORE_PUNCTUATION
    placed: list[Span] = []
    waiting: list[Span] = []
    in_list = False  # a comma between list items was passed since the markers were cited

    def release() -> None:
        nonlocal in_list
        in_list = False
        if not waiting:
            return
        waiting.sort(key=lambda marker: int(marker.text) if marker.text.isdigit() else 0)
        first = waiting[0]
        before = "".join(span.text for span in placed[-3:])
        if before[-1:].isdigit():
            placed.append(first._replace(text=NARROW_NO_BREAK_SPACE, reference=None,
                                         superscript=False))
        for index, marker in enumerate(waiting):
            if index:
                placed.append(marker._replace(text=",", reference=None))
            placed.append(marker)
        waiting.clear()

    for position, span in enumerate(spans):
        if span.reference is not None and span.superscript:
            if all(marker.reference != span.reference for marker in waiting):
                waiting.append(span)
            continue
        if waiting and span.text.startswith("(") and placed and not _ends_in_typed_number(
                placed):
            # A parenthesis that starts a span (a chart's "(see chart)") opens an aside: the
            # clause before it is done, and its markers go before the aside, not after it;
            # unless the clause ends in a number ("below their 2021 level" does not, "sous
            # leur niveau de 2021" does), where a marker would read as a note on the number
            # (a year): there they go after the aside, where the clause ends.
            last = placed[-1]
            spaced = last.text.endswith(" ")
            placed[-1] = last._replace(text=last.text.rstrip(" "))
            release()
            if spaced:
                placed.append(last._replace(text=" "))
        found = None
        for match in _CLAUSE_END.finditer(span.text) if waiting and not span.figure else ():
            after = span.text[match.end():] + _text_after(spans, position)
            if match.end() == len(span.text) and after[:1] in _CLAUSE_END_CHARACTERS:
                continue  # "(see chart)" + ".": the clause ends after the stop
            if match.group() == "," and _joins_items(after, in_list):
                in_list = True  # "in Androy, Anosy and …": the clause goes on
                continue
            found = match
            break
        if found is None:
            placed.append(span)
            continue
        cut = found.end()
        if before_punctuation:
            closers = len(found.group()) - len(found.group().lstrip(_CLOSERS))
            cut = found.start() + closers
            if not closers:  # "pays :" -> "pays⁵ :"
                cut = len(span.text[:cut].rstrip(_SPACES))
        head, tail = span.text[:cut], span.text[cut:]
        if head:
            placed.append(span._replace(text=head))
        release()
        if tail:
            placed.append(span._replace(text=tail))
    release()
    return placed


def _ends_in_typed_number(placed: list[Span]) -> bool:
    """Whether the text so far ends in a number typed as words are (a year), not a figure."""
    last = next((span for span in reversed(placed) if span.text.strip(_SPACES)), None)
    return last is not None and not last.figure and last.text.rstrip(_SPACES)[-1:].isdigit()


def _text_after(spans: list[Span], position: int) -> str:
    """The words of the paragraph after `spans[position]`, without source markers."""
    return "".join(span.text for span in spans[position + 1:]
                   if span.reference is None or not span.superscript)


def _joins_items(rest: str, in_list: bool) -> bool:
    """Whether a comma followed by `rest` separates the items of a list rather than ending a
    clause: the words up to the next punctuation are a short item and "and" ("Androy, Anosy
    and Atsimo-Andrefana get"), or one item before the serial comma ("Anosy, and"), or, after
    list items, the last one (", and Atsimo-Andrefana")."""
    end = _CLAUSE_END.search(rest)
    words = [word.lower() for word in (rest[:end.start()] if end else rest).split()]
    if not words:
        return False
    if words[0] in _CLAUSE_WORDS:
        return in_list and words[0] in _LIST_WORDS
    if any(word in _LIST_WORDS for word in words[1:_LIST_ITEM_WORDS + 1]):
        return True
    following = rest[end.end():].split()[:1] if end is not None else []
    return (end is not None and end.group() == "," and len(words) <= _LIST_ITEM_WORDS
            and bool(following) and following[0].lower() in _LIST_WORDS)


def _trim(spans: list[Span]) -> list[Span]:
    """Drop white space the layout's own formatting put at the ends of a paragraph."""
    while spans and not spans[0].text.strip():
        spans.pop(0)
    while spans and not spans[-1].text.strip():
        spans.pop()
    if spans:
        spans[0] = spans[0]._replace(text=spans[0].text.lstrip())
        spans[-1] = spans[-1]._replace(text=spans[-1].text.rstrip())
    return spans


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
