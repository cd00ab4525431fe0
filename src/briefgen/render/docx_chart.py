"""Charts in the DOCX: native Word charts a colleague can edit, with their data in a workbook.

Word keeps a chart as a chart part (`word/charts/chartN.xml`, DrawingML `c:chartSpace`) that
holds the values and labels it shows, and an embedded workbook that Word opens when someone
chooses "Edit Data" (written with XlsxWriter); the chart XML is written here, as python-docx
has no chart API.
"""

from __future__ import annotations

import datetime as dt
import io
import locale
import re
from functools import lru_cache
from xml.sax.saxutils import escape, quoteattr

from docx.opc.constants import CONTENT_TYPE, RELATIONSHIP_TYPE
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.parts.document import DocumentPart

from briefgen.document import Chart, ParagraphStyle
from briefgen.render.ooxml import EMU_PER_POINT, WP, A, C, R, W
from briefgen.resolve.locale_format import number_locale

SHEET = "Sheet1"
_AXES = ('<c:axId val="500000001"/><c:axId val="500000002"/>')
_MINUS = ("-", "\u2212")


def add_chart(document_part: DocumentPart, chart: Chart, width: float, height: float,
              style: ParagraphStyle, font: str, date: str) -> BaseOxmlElement:
    """A run holding `chart` as a native Word chart `width` x `height` points, with its chart
    part and workbook added to the package of `document_part`. `font` names the typeface of
    its labels; `date` (ISO) stamps the workbook, so equal input gives equal files."""
    package = document_part.package
    workbook = Part(package.next_partname("/word/embeddings/Microsoft_Excel_Worksheet%d.xlsx"),
                    CONTENT_TYPE.SML_SHEET, chart_workbook(chart, date), package)
    chart_part = Part(package.next_partname("/word/charts/chart%d.xml"), CONTENT_TYPE.DML_CHART,
                      chart_xml(chart, style, font, "rId1"), package)
    if chart_part.relate_to(workbook, RELATIONSHIP_TYPE.PACKAGE) != "rId1":  # pragma: no cover
        raise AssertionError("a new chart part's first relationship is rId1")
    relationship_id = document_part.relate_to(chart_part, RELATIONSHIP_TYPE.CHART)
    shape_id = document_part.next_id
    return parse_xml(
        f'<w:r xmlns:w="{W}"><w:drawing>'
        f'<wp:inline xmlns:wp="{WP}" distT="0" distB="0" distL="0" distR="0">'
        f'<wp:extent cx="{round(width * EMU_PER_POINT)}" cy="{round(height * EMU_PER_POINT)}"/>'
        '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:docPr id="{shape_id}" name="Chart {shape_id}" descr={quoteattr(chart.description)}/>'
        '<wp:cNvGraphicFramePr/>'
        f'<a:graphic xmlns:a="{A}"><a:graphicData uri="{C}">'
        f'<c:chart xmlns:c="{C}" xmlns:r="{R}" r:id="{relationship_id}"/>'
        '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r>')


# ---------------------------------------------------------------------------------------------
# Number formats


def excel_number_format(label: str, value: float, language: str) -> str:
    """The Excel number format that shows `value` as `label` does ("~95%" -> `"~"0"%"`,
    "1,5 млн" -> `0.0,," млн"`, "€4.25 million" -> `"€"0.00,," million"`): the same digits
    after the decimal sign, grouping, and the words around the number as literal text. The
    separators themselves are Word's (its locale's), as for any number format."""
    symbols = number_locale(language).number_symbols["latn"]
    decimal = symbols["decimal"]
    groups = "".join({symbols["group"], "\u00a0", "\u202f"} - {decimal})
    pattern = (rf"\d(?:\d|[{re.escape(groups)}](?=\d{{3}}))*"
               rf"(?:{re.escape(decimal)}\d+)?")
    found = re.search(pattern, label)
    if found is None:
        return "General"
    number = found.group()
    whole, _, fraction = number.partition(decimal)
    code = ("#,##0" if any(char in whole for char in groups) else "0")
    if fraction:
        code += "." + "0" * len(fraction)
    shown = float(re.sub(f"[{re.escape(groups)}]", "", whole) + "." + (fraction or "0"))
    if shown and value:
        scale = abs(value) / shown
        for exponent in (9, 6, 3):
            if abs(scale / 10 ** exponent - 1) < 0.05:
                code += "," * (exponent // 3)
                break
    before, after = label[:found.start()], label[found.end():]
    if value < 0 and before.rstrip().endswith(_MINUS):  # Excel writes the minus itself
        before = before.rstrip()[:-1]
    return _literal(before) + code + _literal(after)


@lru_cache(maxsize=16)
def locale_id(language: str) -> int | None:
    """The Windows locale id (LCID) of the locale whose separators the page's numbers use
    (`fr` -> 0x40C, `ru` -> 0x419, `az` -> 0x42C, the Latin script's), or None."""
    from babel.core import get_global

    number = number_locale(language)
    territory = number.territory
    if territory is None:
        likely = get_global("likely_subtags").get(number.language, "")
        territory = likely.split("_")[-1] if likely else None
    # The lowest id of a name is its language's main variant (0x42C: Azerbaijani in Latin).
    ids = {name: code for code, name in sorted(locale.windows_locale.items(), reverse=True)}
    return ids.get(f"{number.language}_{territory}")


def chart_number_format(label: str, value: float, language: str) -> str:
    """The number format of a chart label that prints `value` as `label` does, in Word and
    LibreOffice whatever their own locale: the label's grouping written out ("212 000" ->
    `#" "##0`, as many groups as the label has), and the decimal sign the page language's
    locale's (`[$-40C]0.00`), which LibreOffice follows (Word uses its own)."""
    code = excel_number_format(label, value, language)
    symbols = number_locale(language).number_symbols["latn"]
    separators = "".join({symbols["group"], "\u00a0", "\u202f"} - {symbols["decimal"]})
    grouped = re.search(rf"\d(?:[{re.escape(separators)}]\d{{3}})+", label)
    if grouped and "#,##0" in _unquoted(code):
        separator = next(char for char in grouped.group() if char in separators)
        groups = sum(1 for char in grouped.group() if char in separators)
        literal = "#" + f'"{separator}"###' * (groups - 1) + f'"{separator}"##0'
        code = code.replace("#,##0", literal, 1)
    identifier = locale_id(language)
    if identifier is None or "." not in _unquoted(code):
        return code
    return f"[$-{identifier:X}]{code}"


def _unquoted(code: str) -> str:
    """A number format without its literal text: its placeholders and signs only."""
    return re.sub(r'"[^"]*"', "", code)


def _literal(text: str) -> str:
    return '"' + text.replace('"', '\\"') + '"' if text else ""


def _series_formats(labels: tuple[str, ...], values: tuple[float, ...], language: str
                    ) -> tuple[str, list[str]]:
    """The format most of a series' values share, and each value's own."""
    formats = [chart_number_format(label, value, language)
               for label, value in zip(labels, values, strict=True)]
    common = max(formats, key=formats.count)
    return common, formats


# ---------------------------------------------------------------------------------------------
# The workbook


def _column(number: int) -> str:
    """Excel's name of the column `number` (0: A)."""
    name = ""
    number += 1
    while number:
        number, remainder = divmod(number - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name


def _table(chart: Chart) -> tuple[list[str], list[tuple[str, list[float], list[str]]]]:
    """The chart as Word sees it: its categories, and its series as (name, values, labels).

    A stacked chart's parts are Word's series (each a colour in the bar) and its bars are
    Word's categories.
    """
    if chart.kind == "stacked":
        categories = [series.name for series in chart.series]
        columns = [(part, [series.values[index] for series in chart.series],
                    [series.labels[index] for series in chart.series])
                   for index, part in enumerate(chart.categories)]
        return categories, columns
    return list(chart.categories), [(series.name, list(series.values), list(series.labels))
                                    for series in chart.series]


def chart_workbook(chart: Chart, date: str) -> bytes:
    """The chart's data as an Excel workbook: categories down column A, one column per
    series, each value with its number format."""
    import xlsxwriter

    categories, columns = _table(chart)
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    stamp = dt.datetime.fromisoformat(date)
    workbook.set_properties({"created": stamp})
    sheet = workbook.add_worksheet(SHEET)
    formats: dict[str, object] = {}
    for row, category in enumerate(categories, start=1):
        sheet.write_string(row, 0, category)
    width = max((len(category) for category in categories), default=8)
    sheet.set_column(0, 0, min(max(width, 8), 60))
    for number, (name, values, labels) in enumerate(columns, start=1):
        sheet.write_string(0, number, name)
        for row, (value, label) in enumerate(zip(values, labels, strict=True), start=1):
            code = excel_number_format(label, value, chart.language)
            cell_format = formats.get(code) or formats.setdefault(
                code, workbook.add_format({"num_format": code}))
            sheet.write_number(row, number, value, cell_format)
        sheet.set_column(number, number, min(max(len(name), 10), 40))
    workbook.close()
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# The chart part


def _number(value: float) -> str:
    return f"{value:.15g}"


def _text_properties(style: ParagraphStyle, font: str, *, bold: bool = False,
                     wrap: bool = True) -> str:
    body = "<a:bodyPr/>" if wrap else '<a:bodyPr wrap="none"/>'
    return (f'<c:txPr>{body}<a:lstStyle/><a:p><a:pPr>'
            f'<a:defRPr sz="{round(style.font_size * 100)}" b="{int(bold)}">'
            f'<a:solidFill><a:srgbClr val="{style.color[1:].upper()}"/></a:solidFill>'
            f'<a:latin typeface={quoteattr(font)}/><a:cs typeface={quoteattr(font)}/>'
            '</a:defRPr></a:pPr><a:endParaRPr lang="en-GB"/></a:p></c:txPr>')


def _fill(color: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{color[1:].upper()}"/></a:solidFill>'


_NO_LINE = "<a:ln><a:noFill/></a:ln>"


def _strings(reference: str, texts: list[str]) -> str:
    points = "".join(f'<c:pt idx="{index}"><c:v>{escape(text)}</c:v></c:pt>'
                     for index, text in enumerate(texts))
    return (f"<c:strRef><c:f>{reference}</c:f><c:strCache><c:ptCount val=\"{len(texts)}\"/>"
            f"{points}</c:strCache></c:strRef>")


def _series_xml(chart: Chart, style: ParagraphStyle, font: str) -> str:
    categories, columns = _table(chart)
    rows = len(categories)
    category_reference = f"{SHEET}!$A$2:$A${rows + 1}"
    labelled = chart.kind != "stacked"
    parts = []
    for number, (name, values, labels) in enumerate(columns):
        column = _column(number + 1)
        color = chart.colors[number % len(chart.colors)]
        common, formats = _series_formats(tuple(labels), tuple(values), chart.language)
        if chart.kind == "line":
            shape = (f'<c:spPr><a:ln w="19050" cap="rnd">{_fill(color)}<a:round/></a:ln>'
                     '</c:spPr><c:marker><c:symbol val="circle"/><c:size val="5"/>'
                     f'<c:spPr>{_fill(color)}{_NO_LINE}</c:spPr></c:marker>')
        else:
            shape = f"<c:spPr>{_fill(color)}{_NO_LINE}</c:spPr><c:invertIfNegative val=\"0\"/>"
        labels_xml = ""
        if labelled:
            position = {"line": "t", "bar": "outEnd", "column": "outEnd"}[chart.kind]
            own = "".join(
                f'<c:dLbl><c:idx val="{index}"/><c:numFmt formatCode={quoteattr(code)} '
                f'sourceLinked="0"/><c:spPr><a:noFill/>{_NO_LINE}</c:spPr>'
                f'{_text_properties(style, font, bold=True, wrap=False)}'
                f'<c:dLblPos val="{position}"/>'
                '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
                '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>'
                '</c:dLbl>'
                for index, code in enumerate(formats) if code != common)
            labels_xml = (
                f'<c:dLbls>{own}<c:numFmt formatCode={quoteattr(common)} sourceLinked="0"/>'
                f'<c:spPr><a:noFill/>{_NO_LINE}</c:spPr>'
                f'{_text_properties(style, font, bold=True, wrap=False)}'
                f'<c:dLblPos val="{position}"/>'
                '<c:showLegendKey val="0"/><c:showVal val="1"/><c:showCatName val="0"/>'
                '<c:showSerName val="0"/><c:showPercent val="0"/><c:showBubbleSize val="0"/>'
                '</c:dLbls>')
        points = "".join(f'<c:pt idx="{index}"><c:v>{_number(value)}</c:v></c:pt>'
                         for index, value in enumerate(values))
        value_reference = f"{SHEET}!${column}$2:${column}${rows + 1}"
        parts.append(
            f'<c:ser><c:idx val="{number}"/><c:order val="{number}"/>'
            f"<c:tx>{_strings(f'{SHEET}!${column}$1', [name])}</c:tx>{shape}{labels_xml}"
            f"<c:cat>{_strings(category_reference, categories)}</c:cat>"
            f"<c:val><c:numRef><c:f>{value_reference}</c:f><c:numCache>"
            f"<c:formatCode>{escape(common)}</c:formatCode><c:ptCount val=\"{rows}\"/>{points}"
            f"</c:numCache></c:numRef></c:val>"
            + ('<c:smooth val="0"/>' if chart.kind == "line" else "") + "</c:ser>")
    return "".join(parts)


def chart_xml(chart: Chart, style: ParagraphStyle, font: str, workbook_id: str) -> bytes:
    """The chart part: the chart's type, series with cached values and labels, colours,
    number formats and label style; `workbook_id` is the relationship to its workbook.

    What the chart shows matches the PDF's (`briefgen.layout.charts`): the same type, values, colours,
    order and number formats, values labelled directly with no value axis. Each value's label
    comes from a number format made from the label the PDF prints ("~95%" becomes `"~"0"%"`), so
    the label follows when someone edits the value. The label's grouping is written out in the
    format (`#" "##0` for "212 000"), so every program shows it; a format with a decimal sign
    carries the page language's locale (`[$-40C]0.00` on a French page), which LibreOffice follows
    ("4,82") and Word does not (it shows its own locale's decimal sign). Labels never wrap
    (`a:bodyPr wrap="none"`): LibreOffice wrapped "212,000" into "212," / "000". A
    stacked bar's key is text under the chart (see `briefgen.layout.charts`), so the chart part draws
    only its bars. The chart's description is its alternative text (`wp:docPr descr`).
    """
    values = [value for series in chart.series for value in series.values]
    series = _series_xml(chart, style, font)
    minimum = '<c:min val="0"/>' if min(values, default=0) >= 0 else ""
    maximum = ""
    if chart.kind == "stacked":
        percent = chart.number_format == "percent"
        grouping = "stacked" if percent else "percentStacked"
        maximum = '<c:max val="100"/>' if percent else ""
        plot = (f'<c:barChart><c:barDir val="bar"/><c:grouping val="{grouping}"/>'
                f'<c:varyColors val="0"/>{series}<c:gapWidth val="30"/><c:overlap val="100"/>'
                f"{_AXES}</c:barChart>")
    elif chart.kind == "line":
        plot = (f'<c:lineChart><c:grouping val="standard"/><c:varyColors val="0"/>{series}'
                f'<c:marker val="1"/>{_AXES}</c:lineChart>')
    else:
        direction = "bar" if chart.kind == "bar" else "col"
        overlap = '<c:overlap val="-10"/>' if len(chart.series) > 1 else ""
        plot = (f'<c:barChart><c:barDir val="{direction}"/><c:grouping val="clustered"/>'
                f'<c:varyColors val="0"/>{series}<c:gapWidth val="60"/>{overlap}'
                f"{_AXES}</c:barChart>")
    horizontal = chart.kind in ("bar", "stacked")
    # Bars are listed from the top, as in the PDF: the category axis runs from max to min.
    orientation = "maxMin" if horizontal else "minMax"
    hide_categories = chart.kind == "stacked" and len(chart.series) == 1
    axis_line = (f'<c:spPr><a:ln w="9525">{_fill(style.color)}</a:ln></c:spPr>'
                 if not horizontal else f"<c:spPr>{_NO_LINE}</c:spPr>")
    category_axis = (
        f'<c:catAx><c:axId val="500000001"/><c:scaling><c:orientation val="{orientation}"/>'
        f'</c:scaling><c:delete val="{int(hide_categories)}"/>'
        f'<c:axPos val="{"l" if horizontal else "b"}"/><c:majorTickMark val="none"/>'
        f'<c:minorTickMark val="none"/><c:tickLblPos val="low"/>{axis_line}'
        f'{_text_properties(style, font)}<c:crossAx val="500000002"/>'
        '<c:crosses val="autoZero"/><c:auto val="1"/><c:lblAlgn val="ctr"/>'
        '<c:lblOffset val="100"/><c:noMultiLvlLbl val="0"/></c:catAx>')
    value_axis = (
        '<c:valAx><c:axId val="500000002"/><c:scaling><c:orientation val="minMax"/>'
        f'{maximum}{minimum}</c:scaling><c:delete val="1"/>'
        f'<c:axPos val="{"b" if horizontal else "l"}"/><c:numFmt formatCode="General" '
        'sourceLinked="1"/><c:majorTickMark val="none"/><c:minorTickMark val="none"/>'
        '<c:tickLblPos val="nextTo"/><c:crossAx val="500000001"/><c:crosses val="autoZero"/>'
        f'<c:crossBetween val="between"/></c:valAx>')
    legend = ""
    if chart.kind != "stacked" and len(chart.series) > 1:
        legend = (f'<c:legend><c:legendPos val="t"/><c:overlay val="0"/>'
                  f'{_text_properties(style, font)}</c:legend>')
    language = escape(chart.language)
    xml = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<c:chartSpace xmlns:c="{C}" xmlns:a="{A}" xmlns:r="{R}">'
        f'<c:date1904 val="0"/><c:lang val="{language}"/><c:roundedCorners val="0"/>'
        '<c:chart><c:autoTitleDeleted val="1"/><c:plotArea><c:layout/>'
        f"{plot}{category_axis}{value_axis}"
        f"<c:spPr><a:noFill/>{_NO_LINE}</c:spPr></c:plotArea>{legend}"
        '<c:plotVisOnly val="1"/><c:dispBlanksAs val="gap"/></c:chart>'
        f"<c:spPr><a:noFill/>{_NO_LINE}</c:spPr>{_text_properties(style, font)}"
        f'<c:externalData r:id="{workbook_id}"><c:autoUpdate val="0"/></c:externalData>'
        "</c:chartSpace>")
    return xml.encode("utf-8")
