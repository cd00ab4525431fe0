# ruff: noqa: E501  (the parts are XML, one element to a line)
"""Word files that reach outside themselves, written from small readable XML.

Each `Hostile` case is the one-pager's own base document (`base_document.py`) with a few
parts added or replaced: a field that fetches a file, a relationship to an address, macros,
an embedded file, a DTD, a zip bomb. `expected` is what the message says, part and all.
Used by the scanner's tests as base documents (a user's error) and as outputs (a bug).
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from tests.render.base_document import HEAD, PARTS, WORD, R, W

RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
MS_R = "http://schemas.microsoft.com/office/2006/relationships"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
V = "urn:schemas-microsoft-com:vml"
OFFICE = "urn:schemas-microsoft-com:office:office"
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)  # an OLE compound file's header
SPREADSHEET = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def relationships(*items: str) -> str:
    """A .rels part; each item is `Id Type Target [External]`."""
    lines = []
    for item in items:
        rid, kind, target, *mode = item.split(" ", 3)
        kind = kind if kind.startswith("http") else f"{R}/{kind}"
        external = ' TargetMode="External"' if mode else ""
        lines.append(f'<Relationship Id="{rid}" Type="{kind}" Target="{target}"{external}/>')
    return f'{HEAD}<Relationships xmlns="{RELS}">\n' + "\n".join(lines) + "\n</Relationships>\n"


def word_part(root: str, body: str) -> str:
    """A WordprocessingML part (`hdr`, `ftr`, `footnotes`, ...) holding `body`."""
    return (f'{HEAD}<w:{root} xmlns:w="{W}" xmlns:r="{R}" xmlns:a="{A}" xmlns:v="{V}" '
            f'xmlns:o="{OFFICE}">\n{body}\n</w:{root}>\n')


def field_runs(*instruction: str) -> str:
    """A complex field, its instruction split over runs as Word often leaves it."""
    pieces = "".join(f'<w:r><w:instrText xml:space="preserve">{piece}</w:instrText></w:r>'
                     for piece in instruction)
    return ('<w:r><w:fldChar w:fldCharType="begin"/></w:r>' + pieces +
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>shown</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>')


def paragraph(*runs: str) -> str:
    return "<w:p>" + "".join(runs) + "</w:p>"


def simple_field(instruction: str) -> str:
    return f'<w:fldSimple w:instr="{instruction}"><w:r><w:t>shown</w:t></w:r></w:fldSimple>'


def zipped(parts: dict[str, str | bytes]) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)),
                             text.encode("utf-8") if isinstance(text, str) else text)
    return output.getvalue()


@dataclass(frozen=True)
class Hostile:
    """A base document with `parts` added or replaced (a `None` part is left out);
    `types` are lines added to `[Content_Types].xml`, `related` items added to the main
    document's relationships, `section` elements to its section; `rewrite` changes the
    finished zip's bytes."""

    id: str
    expected: str
    parts: dict[str, str | bytes | None] = field(default_factory=dict)
    types: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    section: str = ""
    rewrite: Callable[[bytes], bytes] | None = None

    def data(self) -> bytes:
        parts: dict[str, str | bytes | None] = dict(PARTS)
        types = "".join(f"{line}\n" for line in self.types)
        parts["[Content_Types].xml"] = PARTS["[Content_Types].xml"].replace(
            "</Types>", types + "</Types>")
        related = "".join(f"{line}\n" for line in relationships(*self.related).splitlines()[2:-1])
        parts["word/_rels/document.xml.rels"] = PARTS["word/_rels/document.xml.rels"].replace(
            "</Relationships>", related + "</Relationships>")
        parts["word/document.xml"] = PARTS["word/document.xml"].replace(
            "<w:sectPr>", f"<w:sectPr>{self.section}")
        parts.update(self.parts)
        data = zipped({name: text for name, text in parts.items() if text is not None})
        return self.rewrite(data) if self.rewrite else data


def override(part: str, content_type: str) -> str:
    return f'<Override PartName="/{part}" ContentType="{content_type}"/>'


HEADER_TYPE = override("word/header1.xml", f"{WORD}.header+xml")
FOOTER_TYPE = override("word/footer1.xml", f"{WORD}.footer+xml")
HEADER_SECTION = f'<w:headerReference xmlns:r="{R}" w:type="default" r:id="rId90"/>'
FOOTER_SECTION = f'<w:footerReference xmlns:r="{R}" w:type="default" r:id="rId91"/>'


def in_header(body: str, *related: str) -> dict[str, Any]:
    """The arguments of a `Hostile` whose header holds `body` (related to `related`)."""
    parts: dict[str, str | bytes | None] = {"word/header1.xml": word_part("hdr", body)}
    if related:
        parts["word/_rels/header1.xml.rels"] = relationships(*related)
    return {"parts": parts, "types": (HEADER_TYPE,), "related": ("rId90 header header1.xml",),
            "section": HEADER_SECTION}


def in_footer(body: str, *related: str) -> dict[str, Any]:
    parts: dict[str, str | bytes | None] = {"word/footer1.xml": word_part("ftr", body)}
    if related:
        parts["word/_rels/footer1.xml.rels"] = relationships(*related)
    return {"parts": parts, "types": (FOOTER_TYPE,), "related": ("rId91 footer footer1.xml",),
            "section": FOOTER_SECTION}


def in_part(name: str, root: str, kind: str, content_type: str, body: str) -> dict[str, Any]:
    """A part of `kind` (a relationship type) related to the main document."""
    return {"parts": {f"word/{name}": word_part(root, body)},
            "types": (override(f"word/{name}", content_type),),
            "related": (f"rId92 {kind} {name}",)}


def with_rels(part: str, *related: str) -> dict[str, Any]:
    """One of the base document's own parts, given relationships."""
    folder, _, name = part.rpartition("/")
    return {"parts": {f"{folder}/_rels/{name}.rels": relationships(*related)}}


LINKED_PICTURE = f'<w:p><w:r><w:drawing><a:blip xmlns:a="{A}" r:link="rId7"/></w:drawing></w:r></w:p>'
DOCUMENT_WITH = PARTS["word/document.xml"].replace("<w:body>", "<w:body>{}")
UNC = r"\\\\host\\share\\logo.png"


def utf16(text: str) -> bytes:
    return text.replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")


def declared_size(size: int) -> Callable[[bytes], bytes]:
    """Claim that the first part unpacks to `size` bytes (in the zip's central directory)."""
    def rewrite(data: bytes) -> bytes:
        patched = bytearray(data)
        struct.pack_into("<I", patched, patched.find(b"PK\x01\x02") + 24, size)
        return bytes(patched)
    return rewrite


def understated(data: bytes) -> bytes:
    """A part that unpacks to a megabyte while the zip says 200 bytes."""
    output = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in source.infolist():
            text = source.read(item)
            if item.filename == "word/document.xml":
                text = text.replace(b"<w:body>", b"<w:body>" + b" " * 1_000_000)
            archive.writestr(item.filename, text)
    patched = bytearray(output.getvalue())
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        start = 0
        while (start := patched.find(signature, start)) >= 0:
            name_length = struct.unpack_from("<H", patched, start + (28 if offset == 24 else 26))[0]
            name_start = start + (46 if offset == 24 else 30)
            if patched[name_start:name_start + name_length] == b"word/document.xml":
                struct.pack_into("<I", patched, start + offset, 200)
            start += 4
    return bytes(patched)


def many_entries(data: bytes) -> bytes:
    output = io.BytesIO(data)
    with zipfile.ZipFile(output, "a") as archive:
        for number in range(5000):
            archive.writestr(f"customXml/item{number}.xml", "<a/>")
    return output.getvalue()


def workbook(*, macros: bool = False, formula: str = "", inner: bytes | None = None) -> bytes:
    """A chart's workbook, as small as Excel reads: optionally macro-enabled, with a
    formula, or with another zip inside."""
    main = ("application/vnd.ms-excel.sheet.macroEnabled.main+xml" if macros else
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")
    sml = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    cell = f"<c r='A1'><f>{formula}</f><v>1</v></c>" if formula else "<c r='A1'><v>1</v></c>"
    parts: dict[str, str | bytes] = {
        "[Content_Types].xml": f'{HEAD}<Types xmlns="{CT}"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Default Extension="zip" ContentType="application/zip"/>{override("xl/workbook.xml", main)}</Types>',
        "_rels/.rels": relationships("rId1 officeDocument xl/workbook.xml"),
        "xl/workbook.xml": f'{HEAD}<workbook xmlns="{sml}" xmlns:r="{R}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": relationships("rId1 worksheet worksheets/sheet1.xml"),
        "xl/worksheets/sheet1.xml": f'{HEAD}<worksheet xmlns="{sml}"><sheetData><row r="1">{cell}</row></sheetData></worksheet>',
    }
    if inner is not None:
        parts["xl/embeddings/inner.zip"] = inner
    return zipped(parts)


def embedded_workbook(data: bytes) -> dict[str, Any]:
    """A chart (its part is plain XML here) whose workbook is `data`."""
    chart_type = "application/vnd.openxmlformats-officedocument.drawingml.chart+xml"
    chart = f'{HEAD}<c:chartSpace xmlns:c="http://schemas.openxmlformats.org/drawingml/2006/chart" xmlns:r="{R}"><c:externalData r:id="rId1"/></c:chartSpace>'
    return {"parts": {"word/charts/chart1.xml": chart,
                      "word/charts/_rels/chart1.xml.rels":
                          relationships("rId1 package ../embeddings/Book1.xlsx"),
                      "word/embeddings/Book1.xlsx": data},
            "types": (override("word/charts/chart1.xml", chart_type),
                      override("word/embeddings/Book1.xlsx", SPREADSHEET)),
            "related": ("rId93 chart charts/chart1.xml",)}


def hostile(case_id: str, expected: str, **arguments: Any) -> Hostile:
    return Hostile(case_id, expected, **arguments)


CASES = [
    # -- fields that reach outside ------------------------------------------------------------
    hostile("header INCLUDEPICTURE with a network path",
            'word/header1.xml (a header): field INCLUDEPICTURE "\\\\\\\\host\\\\share\\\\logo.png" \\d would fetch a file',
            **in_header(paragraph(field_runs(f' INCLUDEPICTURE "{UNC}" \\d ')))),
    hostile("header INCLUDETEXT over http in a simple field",
            'word/header1.xml (a header): field INCLUDETEXT "http://host/t.docx" would fetch a file',
            **in_header(paragraph(simple_field("INCLUDETEXT &quot;http://host/t.docx&quot;")))),
    hostile("body LINK to a workbook",
            'word/document.xml (the document): field LINK Excel.Sheet.12 "\\\\\\\\host\\\\book.xlsx"',
            parts={"word/document.xml": DOCUMENT_WITH.format(paragraph(field_runs(
                'LINK Excel.Sheet.12 "\\\\\\\\host\\\\book.xlsx" "Sheet1!R1C1" \\a \\r')))}),
    hostile("footer DDEAUTO",
            "word/footer1.xml (a footer): field DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe",
            **in_footer(paragraph(field_runs(
                'DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "/k calc.exe"')))),
    hostile("INCLUDEPICTURE split over runs",
            'word/header1.xml (a header): field INCLUDEPICTURE "\\\\\\\\host',
            **in_header(paragraph(field_runs(" INCL", "UDEPIC", f'TURE "{UNC}"')))),
    hostile("INCLUDETEXT split over paragraphs, in small letters",
            'word/footer1.xml (a footer): field includetext "http://host/t.docx" would fetch a file',
            **in_footer(paragraph('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                                  '<w:r><w:instrText>includetext </w:instrText></w:r>')
                        + paragraph('<w:r><w:instrText>"http://host/t.docx"</w:instrText></w:r>'
                                    '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))),
    hostile("footnotes INCLUDEPICTURE",
            "word/footnotes.xml (the footnotes): field INCLUDEPICTURE",
            **in_part("footnotes.xml", "footnotes", "footnotes", f"{WORD}.footnotes+xml",
                      f'<w:footnote w:id="1">{paragraph(field_runs(f"INCLUDEPICTURE {UNC}"))}</w:footnote>')),
    hostile("endnotes IMPORT", "word/endnotes.xml (the endnotes): field IMPORT",
            **in_part("endnotes.xml", "endnotes", "endnotes", f"{WORD}.endnotes+xml",
                      f'<w:endnote w:id="1">{paragraph(simple_field("IMPORT http://host/x.png"))}</w:endnote>')),
    hostile("comments DDE", "word/comments.xml (the comments): field DDE",
            **in_part("comments.xml", "comments", "comments", f"{WORD}.comments+xml",
                      f'<w:comment w:id="1">{paragraph(simple_field("DDE excel x y"))}</w:comment>')),
    hostile("glossary INCLUDETEXT",
            "word/glossary/document.xml (the building blocks): field INCLUDETEXT",
            parts={"word/glossary/document.xml": word_part("glossaryDocument", f"<w:docParts><w:docPart><w:docPartBody>{paragraph(simple_field('INCLUDETEXT http://host/t'))}</w:docPartBody></w:docPart></w:docParts>")},
            types=(override("word/glossary/document.xml", f"{WORD}.document.glossary+xml"),),
            related=(f"rId94 {MS_R}/glossaryDocument glossary/document.xml",)),
    hostile("a field whose name another field makes",
            "word/header1.xml (a header): has a field whose name another field makes",
            **in_header(paragraph(
                '<w:r><w:fldChar w:fldCharType="begin"/></w:r>' + field_runs("QUOTE 73 78 67")
                + f'<w:r><w:instrText>"{UNC}"</w:instrText></w:r>'
                '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))),
    hostile("HYPERLINK field to a network file",
            "word/header1.xml (a header): field HYPERLINK",
            **in_header(paragraph(field_runs(f'HYPERLINK "{UNC}"')))),
    hostile("an instruction outside any field",
            "word/header1.xml (a header): field INCLUDEPICTURE",
            **in_header(paragraph(f'<w:r><w:instrText>INCLUDEPICTURE "{UNC}"</w:instrText></w:r>'))),
    # -- relationships to addresses, in every kind of part ------------------------------------
    hostile("document linked picture",
            "word/document.xml (the document): shows a picture from outside the document (https://tracker.example/p.png)",
            related=("rId7 image https://tracker.example/p.png External",),
            parts={"word/document.xml": DOCUMENT_WITH.format(LINKED_PICTURE)}),
    hostile("header linked picture on a network share",
            "word/header1.xml (a header): shows a picture from outside the document (file://host/share/logo.png)",
            **in_header(LINKED_PICTURE, "rId7 image file://host/share/logo.png External")),
    hostile("footer linked picture", "word/footer1.xml (a footer): shows a picture from outside",
            **in_footer(LINKED_PICTURE, "rId7 image http://host/f.png External")),
    hostile("settings attached to a template on a server",
            "word/settings.xml (the settings): is attached to the Word template file://host/templates/acme.dotm",
            parts={"word/settings.xml": PARTS["word/settings.xml"].replace(
                "<w:zoom", f'<w:attachedTemplate xmlns:r="{R}" r:id="rId1"/><w:zoom'),
                   **with_rels("word/settings.xml",
                               "rId1 attachedTemplate file://host/templates/acme.dotm External")["parts"]}),
    hostile("a template link that is not in the settings",
            "word/document.xml (the document): is attached to the Word template file://host/t.dotm",
            related=("rId8 attachedTemplate file://host/t.dotm External",)),
    hostile("web settings frameset",
            "word/webSettings.xml (the web settings): shows the page http://host/frame.html in a frame",
            parts={"word/webSettings.xml": word_part("webSettings", '<w:frameset><w:frame><w:sourceFileName r:id="rId1"/></w:frame></w:frameset>'),
                   "word/_rels/webSettings.xml.rels": relationships("rId1 frame http://host/frame.html External")},
            types=(override("word/webSettings.xml", f"{WORD}.webSettings+xml"),),
            related=("rId95 webSettings webSettings.xml",)),
    hostile("theme picture", "word/theme/theme1.xml (the theme): shows a picture from outside the document (http://host/bg.png)",
            **with_rels("word/theme/theme1.xml", "rId1 image http://host/bg.png External")),
    hostile("font table font", "word/fontTable.xml (the font table): refers to http://host/font.odttf outside the document",
            **with_rels("word/fontTable.xml", "rId1 font http://host/font.odttf External")),
    hostile("numbering picture bullet", "word/numbering.xml (the numbering): shows a picture from outside",
            **with_rels("word/numbering.xml", "rId1 image \\\\host\\bullet.png External")),
    hostile("styles picture", "word/styles.xml (the styles): shows a picture from outside",
            **with_rels("word/styles.xml", "rId1 image https://host/s.png External")),
    hostile("package thumbnail", "shows a picture from outside the document (http://host/thumb.jpg)",
            parts={"_rels/.rels": PARTS["_rels/.rels"].replace("</Relationships>", '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/thumbnail" Target="http://host/thumb.jpg" TargetMode="External"/></Relationships>')}),
    hostile("hyperlink to a file", "word/document.xml (the document): links to file:///C:/secret.docx, which is not a web or mail address",
            related=("rId8 hyperlink file:///C:/secret.docx External",)),
    hostile("sub-document", "word/document.xml (the document): refers to \\\\host\\part.docx outside the document",
            related=("rId8 subDocument \\\\host\\part.docx External",)),
    hostile("internal target that is an address", "word/document.xml (the document): refers to \\\\host\\x.png outside",
            related=("rId8 image \\\\host\\x.png",)),
    hostile("VML picture by address", "word/header1.xml (a header): shows a picture from outside the document (\\\\host\\v.png)",
            **in_header('<w:p><w:r><w:pict><v:shape><v:imagedata src="\\\\host\\v.png"/></v:shape></w:pict></w:r></w:p>')),
    hostile("VML link to a network share", "word/footer1.xml (a footer): links to \\\\host\\x.docx on another computer",
            **in_footer('<w:p><w:r><w:pict><v:shape o:href="\\\\host\\x.docx"/></w:pict></w:r></w:p>')),
    # -- macros, ActiveX, objects ---------------------------------------------------------------
    hostile("macros typed by a Default extension", "word/macros.bin: contains macros",
            parts={"word/macros.bin": CFB},
            types=('<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>',),
            related=(f"rId96 {MS_R}/vbaProject macros.bin",)),
    hostile("macros typed by an Override", "word/vbaProject.bin: contains macros",
            parts={"word/vbaProject.bin": CFB},
            types=(override("word/vbaProject.bin", "application/vnd.ms-office.vbaProject"),),
            related=(f"rId96 {MS_R}/vbaProject vbaProject.bin",)),
    hostile("a macro-enabled document", "word/document.xml (the document): contains macros",
            parts={"[Content_Types].xml": PARTS["[Content_Types].xml"].replace(
                f"{WORD}.document.main+xml", "application/vnd.ms-word.document.macroEnabled.main+xml")}),
    hostile("ActiveX control", "word/activeX/activeX1.xml: contains an ActiveX control",
            parts={"word/activeX/activeX1.xml": f'{HEAD}<ax:ocx xmlns:ax="http://schemas.microsoft.com/office/2006/activeX" ax:classid="{{8BD21D40-EC42-11CE-9E0D-00AA006002F3}}"/>',
                   "word/document.xml": DOCUMENT_WITH.format('<w:p><w:r><w:object><w:control r:id="rId97"/></w:object></w:r></w:p>')},
            types=(override("word/activeX/activeX1.xml", "application/vnd.ms-office.activeX+xml"),),
            related=("rId97 control activeX/activeX1.xml",)),
    hostile("embedded OLE object", "word/embeddings/oleObject1.bin: contains an embedded object (OLE)",
            parts={"word/embeddings/oleObject1.bin": CFB},
            types=(override("word/embeddings/oleObject1.bin", "application/vnd.openxmlformats-officedocument.oleObject"),),
            related=("rId98 oleObject embeddings/oleObject1.bin",)),
    hostile("an OLE file passed off as a picture", "word/media/image1.png: contains an embedded object, control or macros",
            parts={"word/media/image1.png": CFB}, types=('<Default Extension="png" ContentType="image/png"/>',),
            related=("rId99 image media/image1.png",)),
    hostile("altChunk", "word/document.xml (the document): imports another file into the document (altChunk)",
            parts={"word/afchunk.mht": "MIME-Version: 1.0\n"},
            types=(override("word/afchunk.mht", "message/rfc822"),),
            related=("rId99 aFChunk afchunk.mht",)),
    hostile("Office add-in", "word/webextensions/webextension1.xml: contains an Office add-in",
            parts={"word/webextensions/webextension1.xml": f'{HEAD}<we:webextension xmlns:we="http://schemas.microsoft.com/office/webextensions/webextension/2010/11" id="{{52811C31-4593-43B8-A697-EB873422D156}}"><we:reference id="wa104381063" version="1.0.0.0" store="en-US" storeType="OMEX"/></we:webextension>'},
            types=(override("word/webextensions/webextension1.xml", "application/vnd.ms-office.webextension+xml"),)),
    hostile("mail merge that reads a data source", "word/settings.xml (the settings): is a mail merge document",
            parts={"word/settings.xml": PARTS["word/settings.xml"].replace("<w:zoom", '<w:mailMerge><w:mainDocumentType w:val="formLetters"/><w:connectString w:val="Provider=Microsoft.ACE.OLEDB.12.0;Data Source=\\\\host\\data.xlsx"/></w:mailMerge><w:zoom')}),
    # -- files inside the file --------------------------------------------------------------------
    hostile("an embedded Word document", "word/embeddings/report.docx: is another file inside the document",
            parts={"word/embeddings/report.docx": zipped({"word/document.xml": "<a/>"})},
            types=(override("word/embeddings/report.docx", f"{WORD}.document"),),
            related=("rId99 package embeddings/report.docx",)),
    hostile("a zip passed off as a picture", "word/media/image1.png: is another file inside the document",
            parts={"word/media/image1.png": zipped({"a.txt": "x"})},
            types=('<Default Extension="png" ContentType="image/png"/>',),
            related=("rId99 image media/image1.png",)),
    hostile("a chart workbook with macros",
            "word/embeddings/Book1.xlsx!xl/workbook.xml: contains macros",
            **embedded_workbook(workbook(macros=True))),
    hostile("a chart workbook with a DDE formula",
            "word/embeddings/Book1.xlsx!xl/worksheets/sheet1.xml: has a formula that reaches outside the workbook (cmd|'/c calc'!A1)",
            **embedded_workbook(workbook(formula="cmd|'/c calc'!A1"))),
    hostile("a zip inside a chart's workbook",
            "word/embeddings/Book1.xlsx!xl/embeddings/inner.zip: is another file inside the document",
            **embedded_workbook(workbook(inner=zipped({"a.xml": "<a/>"})))),
    # -- XML that declares what it should not -----------------------------------------------------
    hostile("UTF-16 styles with a DOCTYPE", "word/styles.xml (the styles): declares a DOCTYPE",
            parts={"word/styles.xml": utf16(PARTS["word/styles.xml"].replace(
                HEAD, HEAD + '<!DOCTYPE w:styles [<!ENTITY x "y">]>\n'))}),
    hostile("UTF-16 settings with an external entity", "word/settings.xml (the settings): declares a DOCTYPE",
            parts={"word/settings.xml": utf16(PARTS["word/settings.xml"].replace(
                HEAD, HEAD + '<!DOCTYPE w:settings [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n').replace(
                '<w:zoom w:percent="100"/>', '<w:zoom w:percent="100"/><w:docVars><w:docVar w:name="a" w:val="&x;"/></w:docVars>'))}),
    hostile("entities that multiply", "word/document.xml (the document): declares a DOCTYPE",
            parts={"word/document.xml": PARTS["word/document.xml"].replace(
                HEAD, HEAD + "<!DOCTYPE w:document [" + '<!ENTITY a "aaaaaaaaaa">' + "".join(
                    f'<!ENTITY {chr(98 + level)} "{("&" + chr(97 + level) + ";") * 10}">' for level in range(8))
                + "]>\n").replace("<w:body>", '<w:body><w:p w:rsidR="&i;"/>')}),
    hostile("a relationship part with a DOCTYPE", "word/_rels/document.xml.rels: declares a DOCTYPE",
            parts={"word/_rels/document.xml.rels": PARTS["word/_rels/document.xml.rels"].replace(
                HEAD, HEAD + '<!DOCTYPE r SYSTEM "http://host/r.dtd">\n')}),
    # -- zip bombs --------------------------------------------------------------------------------
    hostile("a part that claims 3 GB", "holds too many or too large parts", rewrite=declared_size(3_000_000_000)),
    hostile("a part that unpacks to more than it claims", "word/document.xml (the document): is damaged",
            rewrite=understated),
    hostile("5,000 parts", "holds too many or too large parts", rewrite=many_entries),
]
