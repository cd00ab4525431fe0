"""Page images and facts read back from a written PDF, on small PDFs made here."""

from __future__ import annotations

import io
import threading

from PIL import Image
from reportlab.pdfgen import canvas

from briefgen.preview.pages import FULL_DPI, THUMBNAIL_DPI, read_pdf, render_page

A4 = (595.28, 841.89)
LETTER = (612.0, 792.0)


def pdf(size: tuple[float, float] = A4, *, title: str = "", lang: str = "",
        pages: int = 1) -> bytes:
    """A PDF whose first page is white with a black square in its top left quarter."""
    buffer = io.BytesIO()
    drawing = canvas.Canvas(buffer, pagesize=size, lang=lang or None)
    if title:
        drawing.setTitle(title)
    for _ in range(pages):
        drawing.rect(0, size[1] / 2, size[0] / 2, size[1] / 2, stroke=0, fill=1)
        drawing.showPage()
    drawing.save()
    return buffer.getvalue()


def test_facts_are_the_ones_the_pdf_declares() -> None:
    facts = read_pdf(pdf(LETTER, title="Clearance – déminage", lang="fr-CH"))
    assert facts.language == "fr-CH"
    assert facts.title == "Clearance – déminage"
    assert (round(facts.width_pt), round(facts.height_pt)) == (612, 792)


def test_a_pdf_that_declares_no_language_has_none() -> None:
    assert read_pdf(pdf()).language == ""


def test_the_thumbnail_is_the_first_page_at_its_resolution() -> None:
    thumbnail = read_pdf(pdf(A4, pages=2)).thumbnail
    assert (thumbnail.width, thumbnail.height) == (round(A4[0] * THUMBNAIL_DPI / 72),
                                                   round(A4[1] * THUMBNAIL_DPI / 72))
    picture = Image.open(io.BytesIO(thumbnail.jpeg))
    assert picture.format == "JPEG" and picture.size == (thumbnail.width, thumbnail.height)
    gray = picture.convert("L")
    assert gray.getpixel((thumbnail.width // 4, thumbnail.height // 4)) < 30  # the square
    assert gray.getpixel((3 * thumbnail.width // 4, 3 * thumbnail.height // 4)) > 225


def test_a_full_size_page_is_drawn_at_the_resolution_asked_for() -> None:
    image = render_page(pdf(LETTER), FULL_DPI)
    assert (image.width, image.height) == (round(LETTER[0] * FULL_DPI / 72),
                                           round(LETTER[1] * FULL_DPI / 72))


def test_pages_are_read_from_several_threads_at_once() -> None:
    """The preview's server threads ask for images while a build reads new PDFs."""
    data = pdf(title="T", lang="en")
    facts: list[str] = []

    def read() -> None:
        for _ in range(5):
            facts.append(read_pdf(data).title)

    threads = [threading.Thread(target=read) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert facts == ["T"] * 20
