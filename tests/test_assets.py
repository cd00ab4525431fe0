"""The logo: only real, small images from inside the brief's folder, downsampled."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from PIL import Image

from briefgen.assets import MAX_PIXELS, OUTPUT_HEIGHT_PX, load_picture
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


# ---------------------------------------------------------------------------------------------
# Memory: the README promises under 250 MB for any process, whatever logo is accepted

MEMORY_LIMIT_MB = 250
# Runs a command and prints the peak memory of its process, in MB (ru_maxrss is in kilobytes
# on Linux, in bytes on macOS).
PEAK_OF_CHILD = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL)
peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(peak / (1024 * 1024 if sys.platform == "darwin" else 1024))
"""


def build_peak_mb(folder: Path, logo: Path) -> float:
    """Peak memory of `briefgen build` of the minimal spec with `logo`, in a fresh process."""
    spec_with_logo(folder, logo.name)
    run = subprocess.run(
        [sys.executable, "-c", PEAK_OF_CHILD, sys.executable, "-m", "briefgen", "build",
         "spec.yaml", "--force", "-q", "-o", "out"], cwd=folder, capture_output=True,
        text=True, timeout=300, check=False)
    assert run.returncode == 0, run.stderr
    return float(run.stdout)


@pytest.mark.skipif(sys.platform == "win32", reason="measured with the resource module")
@pytest.mark.parametrize(("name", "mode"), [("logo.png", "RGBA"), ("logo.png", "P"),
                                            ("logo.jpg", "RGB")])
def test_the_largest_logo_accepted_stays_within_the_memory_the_readme_promises(
        tmp_path: Path, name: str, mode: str) -> None:
    side = int(MAX_PIXELS ** 0.5) - 1  # 4999 x 4999, just within the limit
    small = png(tmp_path / "small.png", (200, 100))
    baseline = build_peak_mb(tmp_path, small)
    logo = tmp_path / name
    Image.new(mode, (side, side), 40 if mode == "P" else (20, 60, 200, 255)[:len(mode)]).save(
        logo, format="PNG" if name.endswith(".png") else "JPEG")
    assert logo.stat().st_size < 5_000_000
    peak = build_peak_mb(tmp_path, logo)
    assert peak < MEMORY_LIMIT_MB, f"{peak:.0f} MB"
    # What the logo adds: a JPEG is decoded at an eighth of its size; a PNG is decoded once,
    # in its own mode (at most four bytes a pixel), and nothing as large is made from it.
    decoded_mb = (0 if name.endswith(".jpg") else 4 * side * side / 2**20)
    assert peak - baseline < decoded_mb * 1.1 + 25, (
        f"{peak - baseline:.0f} MB over a small logo's build")
    brief = next((tmp_path / "out").rglob("*.docx"))
    with zipfile.ZipFile(brief) as archive, Image.open(
            io.BytesIO(archive.read("word/media/image1.png"))) as embedded:
        assert embedded.size == (OUTPUT_HEIGHT_PX, OUTPUT_HEIGHT_PX)


def test_a_downsampled_logo_keeps_its_colours_and_clean_transparent_edges(
        tmp_path: Path) -> None:
    """A blue disc on a transparent ground: no dark fringe from the transparent pixels'
    colour, and the disc's size kept."""
    side = 2400
    logo = Image.new("RGBA", (side, side), (0, 0, 0, 0))
    from PIL import ImageDraw

    ImageDraw.Draw(logo).ellipse((side // 4, side // 4, 3 * side // 4, 3 * side // 4),
                                 fill=(20, 60, 200, 255))
    logo.save(tmp_path / "logo.png")
    picture = load_picture("logo.png", tmp_path / "spec.yaml",
                           Location(tmp_path / "spec.yaml", 1, 1), "brief.from.logo")
    with Image.open(io.BytesIO(picture.png)) as image:
        assert image.size == (OUTPUT_HEIGHT_PX, OUTPUT_HEIGHT_PX)
        pixels = [image.getpixel((x, OUTPUT_HEIGHT_PX // 2)) for x in range(OUTPUT_HEIGHT_PX)]
    edge = [pixel for pixel in pixels if 0 < pixel[3] < 255]
    assert edge, "the edge is not smoothed"
    edge = [pixel for pixel in edge if pixel[3] >= 32]  # fainter ones hold few colour steps
    # A fringe from the transparent pixels' black would be tens of steps darker.
    assert all(abs(pixel[0] - 20) <= 6 and abs(pixel[1] - 60) <= 6 and abs(pixel[2] - 200) <= 6
               for pixel in edge), edge
    opaque = [x for x, pixel in enumerate(pixels) if pixel[3] > 127]
    assert opaque[0] == pytest.approx(OUTPUT_HEIGHT_PX / 4, abs=1.5)
    assert opaque[-1] == pytest.approx(3 * OUTPUT_HEIGHT_PX / 4, abs=1.5)
