"""Page images and facts read back from the PDFs a build wrote.

The preview shows what was written, not a second layout in HTML: each page image is the
written PDF rasterised by PDFium (pypdfium2), and the language and title shown beside it are
the ones the PDF itself declares.
"""

from __future__ import annotations

import ctypes
import io
import threading
from dataclasses import dataclass

# PDFium is not thread-safe: one call into it at a time in this process.
_PDFIUM_LOCK = threading.Lock()

THUMBNAIL_DPI = 96  # sharp at the size of a card on a high-density screen
FULL_DPI = 192  # small print readable in the full-size view
# JPEG at this quality with full colour resolution (4:4:4) keeps coloured headings sharp, and
# is encoded in 2 to 4 ms against 10 to 30 ms for PNG of the same page: saves show sooner.
JPEG_QUALITY = 90


@dataclass(frozen=True)
class PageImage:
    """One rasterised page, as JPEG bytes, with its size in pixels."""

    jpeg: bytes
    width: int
    height: int


@dataclass(frozen=True)
class PdfFacts:
    """What a written PDF says about itself, and its first page as a thumbnail."""

    language: str  # the document's /Lang, e.g. "en-GB"; empty when it declares none
    title: str
    width_pt: float
    height_pt: float
    thumbnail: PageImage


def read_pdf(data: bytes, dpi: int = THUMBNAIL_DPI) -> PdfFacts:
    """The language, title and page size of a PDF, and its first page rendered at `dpi`."""
    import pypdfium2 as pdfium

    with _PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            page = document[0]
            try:
                width, height = page.get_size()
                image = _render(page, dpi)
            finally:
                page.close()
            title = document.get_metadata_value("Title")
            language = _document_language(document)
        finally:
            document.close()
    return PdfFacts(language, title, width, height, image)


def render_page(data: bytes, dpi: int) -> PageImage:
    """The first page of a PDF as a JPEG image at `dpi`."""
    import pypdfium2 as pdfium

    with _PDFIUM_LOCK:
        document = pdfium.PdfDocument(data)
        try:
            page = document[0]
            try:
                return _render(page, dpi)
            finally:
                page.close()
        finally:
            document.close()


def _render(page: object, dpi: int) -> PageImage:
    bitmap = page.render(scale=dpi / 72)  # type: ignore[attr-defined]
    try:
        picture = bitmap.to_pil()  # shares the bitmap's memory: encode before closing it
        buffer = io.BytesIO()
        picture.save(buffer, "JPEG", quality=JPEG_QUALITY, subsampling=0)
        return PageImage(buffer.getvalue(), picture.width, picture.height)
    finally:
        bitmap.close()


def _document_language(document: object) -> str:
    """The catalog's /Lang entry (pypdfium2 has no helper for it; PDFium has the call)."""
    import pypdfium2.raw as pdfium_c

    length = pdfium_c.FPDFCatalog_GetLanguage(document, None, 0)
    if length <= 2:  # nothing but the terminating zero
        return ""
    buffer = ctypes.create_string_buffer(length)
    pdfium_c.FPDFCatalog_GetLanguage(
        document, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), length)
    return buffer.raw[:length - 2].decode("utf-16-le", errors="replace")
