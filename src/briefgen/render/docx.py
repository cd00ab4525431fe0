"""DOCX backend: the same `Document`, as an editable Word file.

The grid is built from fixed-width tables (no floating frames, which move between word
processors), every paragraph uses a named style defined in the file, and line heights are
exact, so Word and LibreOffice break pages where the PDF does. Runs name the font's metric
twin (Calibri for Carlito), so lines also break at the same words.

Why WordprocessingML is written directly rather than through python-docx: the package here is
small and fixed (document, styles, settings, properties), and writing it as text is ~10x
faster, imports nothing heavy, and leaves no default template's leftovers (200 unused
styles, a thumbnail of a blank page) in files that go to diplomats. python-docx reads the
result in the tests.
"""

from __future__ import annotations

import io
import zipfile

from briefgen.document import (
    Block,
    Cell,
    Document,
    Fit,
    Group,
    Image,
    Paragraph,
    ParagraphStyle,
    Row,
    Rule,
    Spacer,
    Span,
    fitted_style,
    superscript_metrics,
)
from briefgen.errors import BriefgenBug
from briefgen.layout import SMALL_RISE

# xml.sax.saxutils would do, but importing it pulls in urllib.request, http and ssl.
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;",
                                    "\n": "&#10;", "\r": "&#13;", "\t": "&#9;"})


def escape(text: str) -> str:
    return text.translate(_TEXT_ESCAPES)


def quoteattr(value: str) -> str:
    """`value` as a double-quoted XML attribute value."""
    return f'"{value.translate(_ATTRIBUTE_ESCAPES)}"'

W_NAMESPACE = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DRAWING_NAMESPACES = (
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"')
EMU_PER_POINT = 12700
R_NAMESPACE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
HYPERLINK_TYPE = f"{R_NAMESPACE}/hyperlink"
SPACER_STYLE = "spacer"
_XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def style_display_name(name: str) -> str:
    """`stat-value` -> `Brief Stat Value`: the name a colleague sees in Word's style list."""
    return "Brief " + name.replace("-", " ").title()


def style_id(name: str) -> str:
    return "Brief" + "".join(part.title() for part in name.split("-"))


def render_docx(document: Document, fit: Fit, reserve: float) -> bytes:
    """Render the document; the footer follows the body after the space the PDF leaves."""
    styles = {name: fitted_style(style, fit) for name, style in document.styles.items()}
    writer = _BodyWriter(document, fit, styles)
    # Columns are not spread in the DOCX: a word processor's rounding would then make the
    # shorter column a little longer than the other, and the page with it. A colleague
    # editing the file has room under the shorter column instead.
    writer.blocks(document.body)
    if document.footer:
        writer.spacer(document.footer_gap * min(fit.spacing, 1.0)
                      + max(0.0, fit.slack - reserve))
        # As in the PDF, the footer keeps its designed gaps when a short body opens its own.
        writer.fit = fit._replace(spacing=min(fit.spacing, 1.0))
        writer.styles = {name: fitted_style(style, writer.fit)
                         for name, style in document.styles.items()}
        writer.blocks(document.footer)
    parts = {
        "[Content_Types].xml": _content_types(),
        "_rels/.rels": _package_relationships(),
        "docProps/core.xml": _core_properties(document),
        "docProps/app.xml": _app_properties(),
        "word/document.xml": _document_xml(document, writer.parts),
        "word/styles.xml": _styles_xml(document, styles),
        "word/settings.xml": _settings_xml(),
        "word/_rels/document.xml.rels": _document_relationships(writer.links,
                                                                len(writer.images)),
    }
    media = {f"word/media/image{number}.png": png
             for number, png in enumerate(writer.images, start=1)}
    return _zip(parts, document.metadata.date, media)


class _BodyWriter:
    """Appends WordprocessingML for blocks; collects hyperlink targets as relationships."""

    def __init__(self, document: Document, fit: Fit, styles: dict[str, ParagraphStyle]) -> None:
        self.document = document
        self.fit = fit
        self.styles = styles
        self.parts: list[str] = []
        self.links: list[str] = []
        self.images: list[bytes] = []
        self.spreads: dict[int, float] = {}  # id(cell) -> spare height its spacers share
        self.body_spacing = fit.spacing
        self.spread_left = 0.0  # of the cell being written
        self.spread_total = 0.0

    def blocks(self, blocks: tuple[Block, ...], *, in_cell: bool = False) -> None:
        for index, block in enumerate(blocks):
            last_in_cell = in_cell and index == len(blocks) - 1
            if isinstance(block, Paragraph):
                self.paragraph(block, last_in_cell=last_in_cell)
            elif isinstance(block, Spacer):
                share = (self.spread_left * block.height / self.spread_total
                         if self.spread_total else 0.0)
                self.spacer(block.height * self.fit.spacing + share)
            elif isinstance(block, Group):
                self.blocks(block.blocks, in_cell=last_in_cell)
            elif isinstance(block, Rule):
                self.rule(block)
            elif isinstance(block, Row):
                self.row(block)
                if in_cell and last_in_cell:
                    self.spacer(0.7)  # a cell must end with a paragraph
            elif isinstance(block, Image):
                self.image(block)
            else:  # pragma: no cover
                raise BriefgenBug(f"unknown block {block!r}")

    def paragraph(self, paragraph: Paragraph, *, last_in_cell: bool) -> None:
        style = self.styles[paragraph.style]
        properties = f'<w:pStyle w:val="{style_id(paragraph.style)}"/>'
        if last_in_cell and style.space_after:
            # As in the PDF, the last paragraph's space after does not add to a cell's height.
            properties += '<w:spacing w:after="0"/>'
        elif self.fit.spacing != self.body_spacing:  # the footer, at its own spacing
            properties += f'<w:spacing w:after="{_twips(style.space_after)}"/>'
        runs = []
        if paragraph.number is not None:
            label = "<w:b/>"
            if style.label_color:
                label += f'<w:color w:val="{style.label_color[1:].upper()}"/>'
            if style.label_size:
                label += (f'<w:sz w:val="{_half_points(style.label_size)}"/>'
                          f'<w:szCs w:val="{_half_points(style.label_size)}"/>')
            runs.append(f"<w:r><w:rPr>{label}</w:rPr><w:t>{escape(paragraph.number)}</w:t></w:r>"
                        "<w:r><w:tab/></w:r>")
        runs += [self.run(span, style) for span in paragraph.spans]
        self.parts.append(f"<w:p><w:pPr>{properties}</w:pPr>{''.join(runs)}</w:p>")

    def run(self, span: Span, style: ParagraphStyle) -> str:
        properties = ""
        # A span's bold and italic add to the style's; they never switch the style's off.
        if span.bold and not style.bold:
            properties += "<w:b/><w:bCs/>"
        if span.italic and not style.italic:
            properties += "<w:i/><w:iCs/>"
        color = self.document.link_color if span.link else span.color
        if color:
            properties += f'<w:color w:val="{color[1:].upper()}"/>'
        if span.superscript:
            size, rise = superscript_metrics(style.font_size)
            properties += (f'<w:position w:val="{round(rise * 2)}"/>'
                           f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>')
        elif span.scale != 1.0:
            size = _half_points(style.font_size * span.scale)
            rise = _half_points(style.font_size * (1.0 - span.scale) * SMALL_RISE)
            properties += (f'<w:position w:val="{rise}"/>'
                           f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
        if style.tracking:  # as in the PDF: after every character, in points of its size
            size = (superscript_metrics(style.font_size)[0] if span.superscript
                    else style.font_size * span.scale)
            properties += f'<w:spacing w:val="{_twips(style.tracking * size)}"/>'
        if span.language:
            properties += f"<w:lang w:val={quoteattr(span.language)}/>"
        text = f'<w:t xml:space="preserve">{escape(span.text)}</w:t>'
        if not span.link:
            # Lines break at spaces only, as in the PDF: a word processor must not break
            # "US-funded" where the PDF keeps it whole.
            text = text.replace("-", '</w:t><w:noBreakHyphen/><w:t xml:space="preserve">')
        run = f"<w:r>{f'<w:rPr>{properties}</w:rPr>' if properties else ''}{text}</w:r>"
        if span.link:
            self.links.append(span.link)
            return f'<w:hyperlink r:id="rIdLink{len(self.links)}">{run}</w:hyperlink>'
        return run

    def image(self, image: Image) -> None:
        """An inline picture in its own paragraph, as tall as in the PDF."""
        self.images.append(image.png)
        number = len(self.images)
        width, height = round(image.width * EMU_PER_POINT), round(image.height * EMU_PER_POINT)
        description = quoteattr(image.description)
        drawing = (
            f'<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">'
            f'<wp:extent cx="{width}" cy="{height}"/>'
            f'<wp:docPr id="{number}" name="Picture {number}" descr={description}/>'
            '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/'
            'picture"><pic:pic><pic:nvPicPr>'
            f'<pic:cNvPr id="{number}" name="image{number}.png" descr={description}/>'
            "<pic:cNvPicPr/></pic:nvPicPr>"
            f'<pic:blipFill><a:blip r:embed="rIdImage{number}"/><a:stretch><a:fillRect/>'
            "</a:stretch></pic:blipFill>"
            f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{width}" cy="{height}"/>'
            '</a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
            "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>")
        self.parts.append(
            f'<w:p><w:pPr><w:pStyle w:val="{style_id(SPACER_STYLE)}"/>'
            f'<w:spacing w:after="{_twips(image.space_after * self.fit.spacing)}" '
            # "at least": an exact line height clips the picture's top in LibreOffice.
            f'w:line="{_twips(image.height)}" w:lineRule="atLeast"/></w:pPr>'
            f"<w:r>{drawing}</w:r></w:p>")

    def spacer(self, height: float) -> None:
        self.parts.append(
            f'<w:p><w:pPr><w:pStyle w:val="{style_id(SPACER_STYLE)}"/>'
            f'<w:spacing w:after="0" w:line="{_twips(max(height, 0.7))}" w:lineRule="exact"/>'
            "</w:pPr></w:p>")

    def rule(self, rule: Rule) -> None:
        self.parts.append(
            f'<w:p><w:pPr><w:pStyle w:val="{style_id(SPACER_STYLE)}"/>'
            f'<w:pBdr><w:bottom w:val="single" w:sz="{max(2, round(rule.thickness * 8))}" '
            f'w:space="0" w:color="{rule.color[1:].upper()}"/></w:pBdr>'
            f'<w:spacing w:after="{_twips(rule.space_after * self.fit.spacing)}" w:line="14" '
            'w:lineRule="exact"/></w:pPr></w:p>')

    def row(self, row: Row) -> None:
        total = sum(cell.width for cell in row.cells)
        grid = "".join(f'<w:gridCol w:w="{_twips(cell.width)}"/>' for cell in row.cells)
        self.parts.append(
            "<w:tbl><w:tblPr>"
            f'<w:tblW w:w="{_twips(total)}" w:type="dxa"/><w:tblInd w:w="0" w:type="dxa"/>'
            '<w:tblLayout w:type="fixed"/>'
            '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="0" w:type="dxa"/>'
            '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
            '<w:tblLook w:val="0000"/>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid><w:tr>")
        for cell in row.cells:
            self.cell(cell)
        self.parts.append("</w:tr></w:tbl>")
        if row.space_after:
            self.spacer(row.space_after * self.fit.spacing)

    def cell(self, cell: Cell) -> None:
        top, right, bottom, left = cell.padding
        scale = 0.5 + 0.5 * self.fit.spacing
        shading = (f'<w:shd w:val="clear" w:color="auto" w:fill="{cell.background[1:].upper()}"/>'
                   if cell.background else "")
        sides = {side: (cell.border, 6) for side in ("top", "left", "bottom", "right")
                 if cell.border}
        if cell.border_left:
            sides["left"] = (cell.border_left, 16)
        if sides:
            shading = "<w:tcBorders>" + "".join(
                f'<w:{side} w:val="single" w:sz="{size}" w:space="0" '
                f'w:color="{color[1:].upper()}"/>' for side, (color, size) in sides.items()
            ) + "</w:tcBorders>" + shading
        margins = "".join(f'<w:{side} w:w="{_twips(value)}" w:type="dxa"/>' for side, value in
                          (("top", top * scale), ("left", left), ("bottom", bottom * scale),
                           ("right", right)))
        valign = {"top": "top", "middle": "center", "bottom": "bottom"}.get(cell.valign, "top")
        self.parts.append(f'<w:tc><w:tcPr><w:tcW w:w="{_twips(cell.width)}" w:type="dxa"/>'
                          f'{shading}<w:tcMar>{margins}</w:tcMar><w:vAlign w:val="{valign}"/>'
                          "</w:tcPr>")
        from briefgen.layout import _spacers

        self.spread_left = self.spreads.get(id(cell), 0.0)
        self.spread_total = sum(spacer.height for spacer in _spacers(cell.blocks))
        if cell.blocks:
            self.blocks(cell.blocks, in_cell=True)
        else:
            self.spacer(0.7)
        self.spread_left = self.spread_total = 0.0
        self.parts.append("</w:tc>")


def _twips(points: float) -> int:
    return round(points * 20)


def _half_points(points: float) -> int:
    return round(points * 2)


def _document_xml(document: Document, parts: list[str]) -> str:
    page = document.page
    section = (f'<w:sectPr><w:pgSz w:w="{_twips(page.width)}" w:h="{_twips(page.height)}"/>'
               f'<w:pgMar w:top="{_twips(page.margin_top)}" w:right="{_twips(page.margin_right)}" '
               f'w:bottom="{_twips(page.margin_bottom)}" w:left="{_twips(page.margin_left)}" '
               'w:header="0" w:footer="0" w:gutter="0"/></w:sectPr>')
    return (f'{_XML_HEAD}<w:document xmlns:w="{W_NAMESPACE}" xmlns:r="{R_NAMESPACE}" '
            f"{DRAWING_NAMESPACES}>"
            f"<w:body>{''.join(parts)}{section}</w:body></w:document>")


def _styles_xml(document: Document, styles: dict[str, ParagraphStyle]) -> str:
    font = quoteattr(document.fonts.docx_name)
    language = quoteattr(document.metadata.language)
    parts = [
        f'{_XML_HEAD}<w:styles xmlns:w="{W_NAMESPACE}">',
        "<w:docDefaults><w:rPrDefault><w:rPr>"
        f"<w:rFonts w:ascii={font} w:hAnsi={font} w:eastAsia={font} w:cs={font}/>"
        f'<w:sz w:val="20"/><w:szCs w:val="20"/><w:lang w:val={language} w:eastAsia={language} '
        'w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
        "</w:pPrDefault></w:docDefaults>",
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/>'
        '<w:qFormat/><w:pPr><w:widowControl w:val="0"/></w:pPr></w:style>',
        '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
        '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/>'
        "<w:unhideWhenUsed/></w:style>",
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal">'
        '<w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/>'
        '<w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar>'
        '<w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar>'
        "</w:tblPr></w:style>",
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style_id(SPACER_STYLE)}">'
        f'<w:name w:val="{style_display_name(SPACER_STYLE)}"/><w:basedOn w:val="Normal"/>'
        '<w:semiHidden/><w:pPr><w:spacing w:after="0" w:line="20" w:lineRule="exact"/></w:pPr>'
        '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:style>',
    ]
    for name, style in styles.items():
        paragraph = ""
        if style.indent:
            paragraph += f'<w:tabs><w:tab w:val="left" w:pos="{_twips(style.indent)}"/></w:tabs>'
        paragraph += (f'<w:spacing w:before="0" w:after="{_twips(style.space_after)}" '
                      f'w:line="{_twips(style.leading)}" w:lineRule="exact"/>')
        if style.indent:
            paragraph += (f'<w:ind w:left="{_twips(style.indent)}" '
                          f'w:hanging="{_twips(style.indent)}"/>')
        alignment = {"center": "center", "right": "right"}.get(style.align, "left")
        paragraph += f'<w:jc w:val="{alignment}"/>'
        run = ""
        if style.bold:
            run += "<w:b/><w:bCs/>"
        if style.italic:
            run += "<w:i/><w:iCs/>"
        size = _half_points(style.font_size)
        run += (f'<w:color w:val="{style.color[1:].upper()}"/>'
                f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
        parts.append(
            f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style_id(name)}">'
            f'<w:name w:val="{style_display_name(name)}"/><w:basedOn w:val="Normal"/>'
            f"<w:qFormat/><w:pPr>{paragraph}</w:pPr><w:rPr>{run}</w:rPr></w:style>")
    parts.append("</w:styles>")
    return "".join(parts)


def _settings_xml() -> str:
    return (f'{_XML_HEAD}<w:settings xmlns:w="{W_NAMESPACE}"><w:zoom w:percent="100"/>'
            '<w:defaultTabStop w:val="720"/><w:characterSpacingControl w:val="doNotCompress"/>'
            '<w:compat><w:compatSetting w:name="compatibilityMode" '
            'w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
            "</w:settings>")


def _core_properties(document: Document) -> str:
    metadata = document.metadata
    stamp = f"{metadata.date}T00:00:00Z"
    return (
        f"{_XML_HEAD}<cp:coreProperties "
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(metadata.title)}</dc:title>"
        f"<dc:subject>{escape(metadata.subject)}</dc:subject>"
        f"<dc:creator>{escape(metadata.author)}</dc:creator>"
        f"<cp:keywords>{escape(metadata.keywords)}</cp:keywords>"
        f"<dc:language>{escape(metadata.language)}</dc:language>"
        f"<cp:lastModifiedBy>{escape(metadata.author)}</cp:lastModifiedBy>"
        "<cp:revision>1</cp:revision>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
        "<cp:category>Briefing note</cp:category></cp:coreProperties>")


def _app_properties() -> str:
    return (f"{_XML_HEAD}<Properties xmlns="
            '"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
            "<Application>briefgen</Application><DocSecurity>0</DocSecurity></Properties>")


def _content_types() -> str:
    word = "application/vnd.openxmlformats-officedocument.wordprocessingml"
    return (
        f"{_XML_HEAD}<Types "
        'xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="png" ContentType="image/png"/>'
        f'<Override PartName="/word/document.xml" ContentType="{word}.document.main+xml"/>'
        f'<Override PartName="/word/styles.xml" ContentType="{word}.styles+xml"/>'
        f'<Override PartName="/word/settings.xml" ContentType="{word}.settings+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        "</Types>")


def _package_relationships() -> str:
    return (
        f'{_XML_HEAD}<Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{R_NAMESPACE}/officeDocument" Target="word/document.xml"/>'
        '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/'
        'relationships/metadata/core-properties" Target="docProps/core.xml"/>'
        f'<Relationship Id="rId3" Type="{R_NAMESPACE}/extended-properties" '
        'Target="docProps/app.xml"/></Relationships>')


def _document_relationships(links: list[str], images: int) -> str:
    relationships = [
        f'<Relationship Id="rIdStyles" Type="{R_NAMESPACE}/styles" Target="styles.xml"/>',
        f'<Relationship Id="rIdSettings" Type="{R_NAMESPACE}/settings" Target="settings.xml"/>',
    ]
    relationships += [
        f'<Relationship Id="rIdImage{number}" Type="{R_NAMESPACE}/image" '
        f'Target="media/image{number}.png"/>' for number in range(1, images + 1)
    ]
    relationships += [
        f'<Relationship Id="rIdLink{number}" Type="{HYPERLINK_TYPE}" Target={quoteattr(url)} '
        'TargetMode="External"/>'
        for number, url in enumerate(links, start=1)
    ]
    return (f'{_XML_HEAD}<Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f"{''.join(relationships)}</Relationships>")


def _zip(parts: dict[str, str], date: str, media: dict[str, bytes]) -> bytes:
    """A zip with fixed entry times, so equal input gives byte-identical files."""
    year, month, day = (int(part) for part in date.split("-"))
    output = io.BytesIO()
    entries = {name: text.encode("utf-8") for name, text in parts.items()} | media
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            entry = zipfile.ZipInfo(name, date_time=(max(year, 1980), month, day, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            archive.writestr(entry, data)
    return output.getvalue()
