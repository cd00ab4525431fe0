"""The QR code to the full sources: a phone scanning the printed page (PDF, or the DOCX laid
out by LibreOffice) opens the spec's `sources_url`; the PDF draws it as vectors, and both files
describe it for readers who cannot see it."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
import zxingcpp
from lxml import etree
from PIL import Image
from pypdf import PdfReader

from briefgen.resolve.qr import QUIET_ZONE, qr_picture
from tests.support import BuiltBriefs, collapse_space, expected_versions, pdf_text, run_tool, spec_data

SOURCES_URL = spec_data("example")["brief"]["sources_url"]
VERSIONS = [audience_id for audience_id, _, _ in expected_versions("example")]
PHONE_DPI = 150


def scanned(pdf: Path, tmp_path: Path, dpi: int) -> list[str]:
    """What a QR reader finds on the page drawn at `dpi` (as a phone's camera would see it)."""
    result = run_tool("pdftoppm", "-png", "-r", str(dpi), "-singlefile", pdf, tmp_path / "page")
    assert result.returncode == 0, result.stderr
    return [code.text for code in zxingcpp.read_barcodes(Image.open(tmp_path / "page.png"))]


def test_the_example_names_a_sources_page() -> None:
    assert SOURCES_URL.startswith("https://")


@pytest.mark.tools
@pytest.mark.parametrize("audience_id", VERSIONS)
def test_a_phone_reads_the_sources_address_from_the_printed_pdf(
        built_briefs: BuiltBriefs, tmp_path: Path, audience_id: str) -> None:
    """At 150 dpi: a 12-megapixel phone photo of the whole page is about 340 dpi, and a
    phone held over the code sees it far larger. (At 100 dpi a module is under 2 pixels and
    reading depends on where the grid falls.)"""
    pdf = built_briefs.versions[("example", audience_id)].pdf
    assert scanned(pdf, tmp_path, PHONE_DPI) == [SOURCES_URL]


@pytest.mark.tools
@pytest.mark.parametrize("audience_id", VERSIONS)
def test_a_phone_reads_it_from_the_docx_too(built_briefs: BuiltBriefs,
                                            libreoffice_pdfs: dict[Path, Path], tmp_path: Path,
                                            audience_id: str) -> None:
    rendering = libreoffice_pdfs[built_briefs.versions[("example", audience_id)].docx]
    assert scanned(rendering, tmp_path, PHONE_DPI) == [SOURCES_URL]


@pytest.mark.tools
def test_the_short_address_is_printed_in_full_beside_the_code(built_briefs: BuiltBriefs) -> None:
    text = collapse_space(pdf_text(built_briefs.versions[("example", "eu")].pdf))
    assert f"All sources online {SOURCES_URL.removeprefix('https://')}" in text


def test_the_pdf_draws_the_code_as_vectors(built_briefs: BuiltBriefs) -> None:
    """The page's only picture is the logo: the code is squares drawn in the content, sharp at
    any zoom and in print."""
    page = PdfReader(built_briefs.versions[("example", "eu")].pdf).pages[0]
    assert len(page.images) == 1
    content = page.get_contents().get_data()
    code = qr_picture(SOURCES_URL)
    dark_rows = sum(1 for row in code.modules for index, dark in enumerate(row)
                    if dark and (index == 0 or not row[index - 1]))
    assert content.count(b" re") >= dark_rows  # one rectangle per run of dark modules


def docx_pictures(path: Path) -> dict[str, tuple[str, bytes]]:
    """Each picture of a DOCX by its description: (its name in the file, its bytes)."""
    with zipfile.ZipFile(path) as archive:
        document = etree.fromstring(archive.read("word/document.xml"))
        relationships = etree.fromstring(archive.read("word/_rels/document.xml.rels"))
        targets = {item.get("Id"): item.get("Target") for item in relationships}
        pictures = {}
        for drawing in document.iter("{*}inline"):
            described = drawing.find("{*}docPr").get("descr", "")
            blip = next(drawing.iter("{*}blip"), None)
            if blip is None:
                continue  # a chart
            embedded = blip.get(
                "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
            name = "word/" + targets[embedded]
            pictures[described] = (name, archive.read(name))
    return pictures


@pytest.mark.parametrize(("audience_id", "description"), [
    ("eu", "QR code: clearground.example/masg-2025"),
    ("ch", "Code QR : clearground.example/masg-2025"),
    ("region", "QR-код: clearground.example/masg-2025"),
])
def test_the_docx_carries_the_code_as_a_described_picture_of_whole_pixels(
        built_briefs: BuiltBriefs, audience_id: str, description: str) -> None:
    pictures = docx_pictures(built_briefs.versions[("example", audience_id)].docx)
    name, data = pictures[description]
    image = Image.open(io.BytesIO(data))
    assert name.endswith(".png") and image.mode == "1"  # black and white, nothing smoothed
    modules = len(qr_picture(SOURCES_URL).modules) + 2 * QUIET_ZONE
    assert image.width == image.height and image.width % modules == 0
    assert [code.text for code in zxingcpp.read_barcodes(image)] == [SOURCES_URL]


def test_the_code_is_the_address_and_nothing_else() -> None:
    """Reading the code gives the address exactly, whatever it holds."""
    for address in ("https://example.org/a?b=1&c=ä", "https://x.example/" + "long-path/" * 12):
        image = Image.open(io.BytesIO(qr_picture(address).png))
        assert [code.text for code in zxingcpp.read_barcodes(image)] == [address]


def test_an_address_short_enough_to_type_keeps_the_squares_large_enough_to_scan() -> None:
    """`check` warns above 40 printed characters (see `sources-url`): up to there the code
    has at most 33 modules a side, 0.34 mm each at the one-pager's 40 pt."""
    address = "https://" + "a" * 30 + ".example/x"  # prints as 40 characters
    assert len(address.removeprefix("https://")) == 40
    modules = len(qr_picture(address).modules)
    assert modules <= 33
    assert 40 / (modules + 2 * QUIET_ZONE) * 25.4 / 72 >= 0.34
