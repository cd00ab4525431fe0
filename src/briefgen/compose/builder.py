"""The layout's XML read into the blocks of a `Document`: <p>, <space>, <rule>, <row>/<cell>,
<group>, <image>, <chart>, and inside paragraphs <b>, <i>, <sup>, <a href>, <color value>,
<lang code>, <note source> (a source marker), <cite source> (cited without a marker), <ref
source> (a note's number in the text) and <field ref> (user text, inserted by reference so it
can never be read as markup)."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree
from collections.abc import Callable
from typing import NamedTuple

from briefgen.compose.markers import markers_at_clause_ends
from briefgen.compose.origins import split_at_origins
from briefgen.compose.spans import merged_spans, trimmed_spans, upper_case
from briefgen.document import (
    Block,
    Cell,
    Chart,
    ChartSeries,
    Group,
    Image,
    Paragraph,
    ParagraphStyle,
    Row,
    Rule,
    Spacer,
    Span,
)
from briefgen.errors import BriefgenBug, Problem, TemplateError
from briefgen.resolve.locale_format import typeset
from briefgen.resolve.view import BriefView
from briefgen.spec.inline import Cite, Emphasis, Inline, Link, SourceCite, Strong, Text
from briefgen.spec.loader import format_field_path
from briefgen.template import LAYOUT_FILE, Template

GROUP_ROLES = {"L", "BlockQuote", "Aside", "P"}
PARAGRAPH_ROLES = {"H1", "H2", "P"}
VERTICAL_ALIGNMENTS = {"top", "middle", "bottom", "spread"}
# Layout white space only: a no-break space in a label (French "«\u00a0") is kept.
_SPACE_RUN = re.compile(r"[ \t\n\r\f\v]+")


class _Format(NamedTuple):
    """Formatting inherited down the layout's inline elements (a tuple: cheap to copy)."""

    bold: bool = False
    italic: bool = False
    superscript: bool = False
    link: str | None = None
    language: str | None = None
    color: str | None = None  # the layout's <color value>, as #RRGGBB


class DocumentBuilder:
    """Turns the layout's XML into blocks, numbering source notes as they are met (`cited`:
    the sources in the order the page cites them)."""

    def __init__(self, view: BriefView, template: Template,
                 styles: dict[str, ParagraphStyle], numbers: dict[str, int]) -> None:
        self.view = view
        self.template = template
        self.styles = styles
        self.numbers = numbers
        self.cited: list[str] = []
        self.layout_path = template.folder / LAYOUT_FILE
        self.block_builders: dict[str, Callable[[ElementTree.Element, float], Block | None]] = {
            "p": self.paragraph, "space": self.spacer, "rule": self.rule, "row": self.row,
            "group": self.group, "image": self.image, "chart": self.chart}

    def error(self, message: str) -> TemplateError:
        return TemplateError(Problem(self.layout_path, "", message))

    # -- blocks -------------------------------------------------------------------------------

    def blocks(self, parent: ElementTree.Element, width: float) -> tuple[Block, ...]:
        """The blocks of `parent`'s children, in a column `width` wide."""
        result: list[Block] = []
        for element in parent:
            build = self.block_builders.get(element.tag)
            if build is None:
                raise self.error(f"unknown layout element <{element.tag}> (use p, space, rule, "
                                 "row, group, image or chart)")
            block = build(element, width)
            if block is not None:
                result.append(block)
        return tuple(result)

    def spacer(self, element: ElementTree.Element, width: float) -> Spacer:
        return Spacer(self.length(element, "h"), self.length(element, "min", 0.0))

    def rule(self, element: ElementTree.Element, width: float) -> Rule:
        return Rule(color=self.color(element.get("color", "ink")),
                    thickness=self.length(element, "thickness", 0.75),
                    space_after=self.length(element, "space-after", 0.0))

    def group(self, element: ElementTree.Element, width: float) -> Group | None:
        """A group of blocks that are one thing to a reader; None when it holds nothing."""
        role = element.get("role", "")
        if role not in GROUP_ROLES:
            raise self.error(f"<group role={role!r}>: the role is one of "
                             f"{', '.join(sorted(GROUP_ROLES))}")
        blocks = self.blocks(element, width)
        if not blocks:
            return None
        move = element.get("move")
        if move not in (None, "first-column"):
            raise self.error(f"<group move={move!r}>: the only place a group moves to is "
                             "\"first-column\"")
        return Group(role, blocks, self.foreign_language(element.get("lang")),
                     self.length(element, "space-after", 0.0), movable=move == "first-column")

    def foreign_language(self, code: str | None) -> str | None:
        """`code`, or None when it is empty or the page's own language."""
        if code and code.split("-")[0] == self.view.language.split("-")[0]:
            return None
        return code or None

    def image(self, element: ElementTree.Element, width: float) -> Image | None:
        """A picture of the view (the logo, the QR code); None when the view has none."""
        picture = self.view.pictures.get(element.get("source", ""))
        if picture is None:
            return None
        height = self.length(element, "height")
        return Image(png=picture.png, width=min(width, height * picture.aspect),
                     height=min(height, width / picture.aspect),
                     description=element.get("description", ""),
                     space_after=self.length(element, "space-after", 0.0),
                     code=getattr(picture, "modules", ()))

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
        """A grid row of fixed-width cells, at most `width` wide in all."""
        cells = []
        for cell in element:
            if cell.tag != "cell":
                raise self.error(f"<row> may contain only <cell>, not <{cell.tag}>")
            cells.append(self.cell(cell, width))
        total = sum(cell.width for cell in cells)
        if total > width + 0.5:
            raise self.error(f"a row's cells are {total:.1f} pt wide but only {width:.1f} pt fit")
        follows = element.get("balance") == "next"
        balance = None if follows else self.balance(element, len(cells))
        return Row(tuple(cells), space_after=self.length(element, "space-after", 0.0),
                   balance=balance, follows=follows)

    def cell(self, element: ElementTree.Element, row_width: float) -> Cell:
        width = self.width(element.get("width", "100%"), row_width)
        parts = [float(part) for part in element.get("padding", "0 0 0 0").split()]
        if len(parts) != 4:
            raise self.error("a cell's padding is four lengths: top right bottom left")
        padding = (parts[0], parts[1], parts[2], parts[3])
        valign = element.get("valign", "top")
        if valign not in VERTICAL_ALIGNMENTS:
            raise self.error(f"<cell valign={valign!r}>: use top, middle, bottom or spread")
        return Cell(blocks=self.blocks(element, width - padding[1] - padding[3]), width=width,
                    background=self.optional_color(element.get("background")),
                    padding=padding, valign=valign,
                    border=self.optional_color(element.get("border")),
                    border_left=self.optional_color(element.get("border-left")))

    def balance(self, element: ElementTree.Element, cells: int) -> tuple[float, float] | None:
        """The lowest and highest share of the row its first cell may take, if it says."""
        if not element.get("balance"):
            return None
        shares = [self.width(part, 1.0) for part in element.get("balance", "").split()]
        if len(shares) != 2 or not 0 < shares[0] <= shares[1] < 1 or cells < 2:
            raise self.error("<row balance> gives the first cell's lowest and highest "
                             "share of the row, e.g. balance=\"56% 68%\", or \"next\" "
                             "for the widths of the next balanced row")
        return shares[0], shares[1]

    # -- paragraphs ---------------------------------------------------------------------------

    def paragraph(self, element: ElementTree.Element, width: float = 0.0) -> Paragraph | None:
        """A paragraph in its style; None when it holds no text."""
        style_name = element.get("style", "body")
        style = self.styles.get(style_name)
        if style is None:
            raise self.error(f"paragraph style {style_name!r} is not defined in template.yaml")
        spans = self.paragraph_spans(element, style)
        if not spans:
            return None
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

    def paragraph_spans(self, element: ElementTree.Element, style: ParagraphStyle
                        ) -> list[Span]:
        """The paragraph's text as spans, markers at their clauses' ends, typeset."""
        spans: list[Span] = []
        self.inline(element, _Format(), spans)
        language = self.view.language
        spans = placed = markers_at_clause_ends(spans, language)
        spans = trimmed_spans(merged_spans(spans))
        spans = [span._replace(text=typeset(span.text, span.language or language))
                 for span in spans]
        if style.caps:
            spans = [span._replace(text=upper_case(span.text, span.language or language))
                     for span in spans]
        # Each span one field's words, so the DOCX can mark every field (`origins`).
        return split_at_origins(placed, spans)

    def inline(self, element: ElementTree.Element, fmt: _Format, spans: list[Span]) -> None:
        """The text and inline elements inside `element`, in `fmt`, added to `spans`."""
        if element.text:
            spans.append(self.span(element.text, fmt))
        for child in element:
            tag = child.tag
            formatted = self.inline_format(child, fmt)
            if formatted is not None:
                self.inline(child, formatted, spans)
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

    def inline_format(self, element: ElementTree.Element, fmt: _Format) -> _Format | None:
        """The format inside a formatting element (<b>, <i>, <sup>, <a>, <color>, <lang>);
        None for any other element."""
        match element.tag:
            case "b":
                return fmt._replace(bold=True)
            case "i":
                return fmt._replace(italic=True)
            case "sup":
                return fmt._replace(superscript=True)
            case "a":
                return fmt._replace(link=element.get("href"))
            case "color":  # words the layout sets in another of its colours
                return fmt._replace(color=self.color(element.get("value", "ink")))
            case "lang":  # the page's own language needs no mark
                return fmt._replace(language=self.foreign_language(element.get("code")))
        return None

    def span(self, text: str, fmt: _Format, origin: str = "") -> Span:
        return Span(text=_SPACE_RUN.sub(" ", text), bold=fmt.bold, italic=fmt.italic,
                    superscript=fmt.superscript, link=fmt.link, color=fmt.color,
                    language=fmt.language, origin=origin)

    def note(self, source_id: str, fmt: _Format) -> Span:
        """A source marker for `source_id`, which is cited from here on."""
        if source_id not in self.numbers:
            raise self.error(f"<note source={source_id!r}> names no source in the spec")
        if source_id not in self.cited:
            self.cited.append(source_id)
        return Span(text=str(self.numbers[source_id]), bold=fmt.bold, italic=False,
                    superscript=True, link=None, color=fmt.color, language=fmt.language,
                    origin="", reference=source_id)

    def field(self, ref: str, fmt: _Format, spans: list[Span]) -> None:
        """The user text the layout refers to, added to `spans`."""
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
        """User text (parsed inline nodes) added to `spans`."""
        for node in nodes:
            match node:
                case Text():
                    spans.append(self.text_span(node.text, fmt, origin))
                case Strong():
                    self.nodes(node.children, fmt._replace(bold=True), spans, origin)
                case Emphasis():
                    self.nodes(node.children, fmt._replace(italic=not fmt.italic), spans, origin)
                case Link():
                    self.nodes(node.children, fmt._replace(link=node.url), spans, origin)
                case Cite() if node.stat_id in self.view.charts:
                    # A chart is cited by pointing at it; its sources are marked at its title.
                    spans.append(self.text_span(self.view.chart_reference, fmt, origin))
                case Cite():
                    spans.append(self.text_span(self.view.cited_value(node), fmt, origin)
                                 ._replace(figure=True))
                    spans.append(self.note(self.view.stat_values[node.stat_id][1], fmt))
                case SourceCite():
                    spans.append(self.note(node.source_id, fmt))

    @staticmethod
    def text_span(text: str, fmt: _Format, origin: str) -> Span:
        """User text in `fmt`, as typed (its spaces are the author's)."""
        return Span(text, fmt.bold, fmt.italic, fmt.superscript, fmt.link, fmt.color,
                    fmt.language, origin)

    # -- attributes ---------------------------------------------------------------------------

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

    def optional_color(self, value: str | None) -> str | None:
        return self.color(value) if value else None
