"""The logo: only real, small images from inside the brief's folder, downsampled."""

from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from briefgen.assets import OUTPUT_HEIGHT_PX, load_picture
from briefgen.errors import Location, SpecError, UserError
from conftest import MINIMAL_SPEC, build_brief


def spec_with_logo(folder: Path, logo: str) -> Path:
    text = MINIMAL_SPEC.read_text(encoding="utf-8").replace(
        "    organization: Example Coalition",
        f"    organization: Example Coalition\n    logo: {logo}")
    path = folder / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def png(path: Path, size: tuple[int, int] = (800, 400)) -> Path:
    Image.new("RGB", size, (200, 30, 30)).save(path, format="PNG")
    return path


def test_a_logo_appears_in_both_outputs_downsampled(tmp_path: Path) -> None:
    png(tmp_path / "logo.png", (2000, 1000))
    result = build_brief(spec_with_logo(tmp_path, "logo.png"), tmp_path / "out")
    brief = result[0]
    assert b"/Subtype /Image" in brief.pdf.read_bytes()
    with zipfile.ZipFile(io.BytesIO(brief.docx.read_bytes())) as archive:
        embedded = archive.read("word/media/image1.png")
        document = archive.read("word/document.xml").decode()
    assert 'descr="Example Coalition"' in document  # alternative text
    with Image.open(io.BytesIO(embedded)) as image:
        assert image.size == (OUTPUT_HEIGHT_PX * 2, OUTPUT_HEIGHT_PX)
    assert len(brief.pdf.read_bytes()) < 200_000


@pytest.mark.parametrize(("logo", "message"), [
    ("/etc/hostname", "'/etc/hostname' is outside the brief's folder"),
    ("../logo.png", "'../logo.png' is outside the brief's folder"),
    ("missing.png", "no image file at 'missing.png'"),
    ("fake.png", "the file is not a PNG or JPEG image"),
    ("broken.png", "the image file is damaged or not a PNG or JPEG"),
])
def test_unsafe_or_broken_logos_are_located_errors(tmp_path: Path, logo: str, message: str
                                                   ) -> None:
    folder = tmp_path / "brief"
    folder.mkdir()
    png(tmp_path / "logo.png")
    (folder / "fake.png").write_text("<svg onload='alert(1)'/>", encoding="utf-8")
    (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    spec = spec_with_logo(folder, logo)
    with pytest.raises(UserError) as caught:
        build_brief(spec, folder / "out")
    assert f"spec.yaml:12:11: brief.from.logo: {message}" in str(caught.value).replace(
        str(folder) + os.sep, "")
    assert not (folder / "out").exists()


def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "brief"
    folder.mkdir()
    png(tmp_path / "outside.png")
    (folder / "logo.png").symlink_to(tmp_path / "outside.png")
    with pytest.raises(SpecError) as caught:
        load_picture("logo.png", folder / "spec.yaml", Location(folder / "spec.yaml", 1, 1),
                     "brief.from.logo")
    assert "leads outside the brief's folder" in str(caught.value)


def test_a_decompression_bomb_is_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    Image.new("1", (20_000, 20_000)).save(bomb, format="PNG")  # tiny file, 400 megapixels
    assert bomb.stat().st_size < 1_000_000
    with pytest.raises(SpecError) as caught:
        load_picture("bomb.png", tmp_path / "spec.yaml", Location(tmp_path / "spec.yaml", 1, 1),
                     "brief.from.logo")
    assert "too large to embed" in str(caught.value)


def test_a_logo_can_say_more_than_the_organisations_name(tmp_path: Path) -> None:
    """`from.logo_alt` is what screen readers and Word's alt text give for the logo."""
    png(tmp_path / "logo.png", (200, 100))
    spec = spec_with_logo(tmp_path, "logo.png")
    text = spec.read_text(encoding="utf-8").replace(
        "    logo: logo.png",
        "    logo: logo.png\n    logo_alt: Example Coalition – Safe Ground for All")
    spec.write_text(text, encoding="utf-8")
    [brief] = build_brief(spec, tmp_path / "out")
    assert brief.docx is not None and brief.pdf is not None
    with zipfile.ZipFile(brief.docx) as archive:
        document = archive.read("word/document.xml").decode()
    assert 'descr="Example Coalition – Safe Ground for All"' in document
    assert b"Safe Ground for All" in brief.pdf.read_bytes()  # the figure's /Alt
