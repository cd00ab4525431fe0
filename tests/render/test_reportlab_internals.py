"""reportlab's private names that the PDF backend relies on still exist and behave as used.

reportlab has no public call for marked content, structure trees or annotations a structure
tree can point at, so tagging (`render/pdf.py`, `render/pdf_tags.py`) writes into the
canvas's and text objects' operator lists and registers objects with the document behind the
canvas; the logo's image objects are made once and registered by hand. pyproject.toml keeps
reportlab below its next major version; when a release changes one of these, these tests
fail first and say which, instead of the PDF silently losing its tags.
"""

from __future__ import annotations

import io
import re
import zlib
from typing import Any

import reportlab
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfdoc import PDFImageXObject, PDFName, PDFObject, PDFPage
from reportlab.pdfgen.canvas import Canvas

from briefgen.document import FontFamily
from briefgen.layout.fonts import NARROW_SPACE, font_family, register_fonts


def private(owner: object, name: str, use: str) -> Any:
    """`owner.name`, or a failure that names it and what briefgen uses it for."""
    assert hasattr(owner, name), (
        f"reportlab {reportlab.Version} has no {type(owner).__name__}.{name}, which briefgen "
        f"uses {use}: keep reportlab below this version in pyproject.toml, or change the code "
        "that uses it")
    return getattr(owner, name)


def page_content(pdf: bytes) -> bytes:
    """The page's content stream (uncompressed, or inflated)."""
    stream = re.search(rb"stream\r?\n(.*?)endstream", pdf, re.DOTALL)
    assert stream is not None
    data = stream.group(1)
    try:
        return zlib.decompress(data)
    except zlib.error:
        return data


def test_marked_content_written_into_the_operator_lists_reaches_the_page() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=0)
    canvas_code = private(canvas, "_code", "to bracket rules and pictures as artifacts")
    canvas_code.append("/Artifact BMC")
    canvas.line(10, 10, 100, 10)
    canvas_code.append("EMC")
    text = canvas.beginText()
    text_code = private(text, "_code", "to mark each piece of text as its structure element")
    text.setTextOrigin(10, 50)
    text.setFont("Helvetica", 10)
    text_code.append("/P <</MCID 0>> BDC")
    text.textOut("Tagged")
    text_code.append("EMC")
    canvas.drawText(text)
    canvas.showPage()
    canvas.save()
    content = page_content(buffer.getvalue())
    artifact = content.index(b"/Artifact BMC")
    assert artifact < content.index(b" l", artifact) < content.index(b"EMC", artifact), content
    marked = content.index(b"/P <</MCID 0>> BDC")
    assert marked < content.index(b"(Tagged) Tj", marked) < content.index(b"EMC", marked), content


def test_the_document_behind_the_canvas_numbers_objects_as_the_structure_tree_needs() -> None:
    canvas = Canvas(io.BytesIO(), invariant=1)
    document = private(canvas, "_doc", "to register the structure tree's objects")
    numbers = private(document, "idToObjectNumberAndVersion",
                      "to write references between the structure tree's objects")
    document.Reference(PDFObject(), "StructElem0")
    assert numbers["StructElem0"][0] > 0  # numbered as soon as it is registered
    canvas.showPage()
    page = document.Pages.pages[-1]
    assert private(page, "__InternalName__", "to name the page in the structure tree") in numbers
    no_default = private(PDFPage, "__NoDefault__", "to write /StructParents and /Tabs")
    assert "Annots" in no_default and isinstance(no_default, list)


def test_a_page_writes_the_extra_keys_tagging_gives_it() -> None:
    buffer = io.BytesIO()
    canvas = Canvas(buffer, invariant=1, pageCompression=0)
    canvas.drawString(10, 10, "x")
    canvas.showPage()
    page = canvas._doc.Pages.pages[-1]
    page.StructParents = 0
    page.Tabs = PDFName("S")
    page.__NoDefault__ = [*PDFPage.__NoDefault__, "StructParents", "Tabs"]
    canvas.save()
    assert b"/StructParents 0" in buffer.getvalue() and b"/Tabs /S" in buffer.getvalue()


def test_an_annotation_added_under_a_name_can_be_pointed_at() -> None:
    canvas = Canvas(io.BytesIO(), invariant=1)
    add = private(canvas, "_addAnnotation", "to add link annotations the structure tree "
                  "points at (OBJR)")
    annotation = PDFObject()
    add(annotation, "Link1")
    reference = canvas._doc.refAnnotation("Link1")
    assert reference.name in canvas._doc.idToObjectNumberAndVersion


def test_a_picture_is_registered_once_as_the_logo_drawing_expects() -> None:
    from PIL import Image

    png = io.BytesIO()
    Image.new("RGBA", (4, 4), (200, 30, 30, 128)).save(png, format="PNG")
    image = PDFImageXObject("logo", ImageReader(io.BytesIO(png.getvalue())), mask="auto")
    private(image, "_smask", "to share a transparent logo's mask between briefs")
    canvas = Canvas(io.BytesIO(), invariant=1)
    document = canvas._doc
    for name in ("getXObjectName", "idToObject", "addForm", "Reference"):
        private(document, name, "to register the logo's image once a process")
    for name in ("_currentPageHasImages", "_formsinuse"):
        private(canvas, name, "to list the logo in the page's resources")
    assert isinstance(canvas._formsinuse, list)


def test_the_faces_glyph_and_width_tables_take_the_spaces_fonts_lack() -> None:
    family: FontFamily = font_family("Carlito")
    from reportlab.pdfbase import pdfmetrics

    names = register_fonts(family)
    face = pdfmetrics.getFont(names[(False, False)]).face
    glyphs = private(face, "charToGlyph", "to draw the no-break spaces Carlito lacks")
    widths = private(face, "charWidths", "to give the narrow no-break space 1/8 em")
    assert glyphs[0xA0] == glyphs[0x20]
    assert widths[ord(NARROW_SPACE)] < widths[0x20]
