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

from briefgen.errors import Location, SpecError, UserError
from briefgen.resolve.assets import MAX_PIXELS, OUTPUT_HEIGHT_PX, load_picture
from tests.support import MINIMAL_SPEC, build_brief


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


# A logo that would not show on the masthead


def mark(path: Path, color: tuple[int, int, int], background: tuple[int, int, int, int]
         = (0, 0, 0, 0)) -> Path:
    """A disc of `color` on `background` (transparent by default), as logos are drawn."""
    from PIL import ImageDraw

    image = Image.new("RGBA", (120, 120), background)
    ImageDraw.Draw(image).ellipse((10, 10, 110, 110), fill=(*color, 255))
    image.save(path, format="PNG")
    return path


def check_output(spec: Path) -> str:
    from typer.testing import CliRunner

    from briefgen.cli import app

    result = CliRunner().invoke(app, ["check", str(spec)])
    return result.stdout + result.stderr


@pytest.mark.parametrize(("color", "background", "warned"), [
    ((255, 255, 255), (0, 0, 0, 0), True),  # a white logo made for a dark band
    ((235, 240, 245), (0, 0, 0, 0), True),  # a pale one: 1.1:1
    ((255, 255, 255), (255, 255, 255, 255), True),  # white on its own white ground
    ((14, 76, 110), (0, 0, 0, 0), False),  # the accent blue: 9.2:1
    ((200, 30, 30), (255, 255, 255, 255), False),  # a red disc on a white JPEG-like ground
])
def test_a_logo_that_would_not_show_on_the_masthead_is_a_warning_naming_the_file(
        tmp_path: Path, color: tuple[int, int, int], background: tuple[int, int, int, int],
        warned: bool) -> None:
    mark(tmp_path / "our logo.png", color, background)
    output = check_output(spec_with_logo(tmp_path, "'our logo.png'"))
    lines = [line for line in output.splitlines() if "logo-contrast" in line]
    if warned:
        assert len(lines) == 1, output
        assert "spec.yaml:12:11: warning: logo-contrast: brief.from.logo: the logo our logo.png" \
            in lines[0].replace("\\", "/"), lines
        assert "#FFFFFF" in lines[0] and "3:1" in lines[0]
    else:
        assert not lines, output


def test_the_contrast_is_measured_on_the_masthead_colour_of_the_template(tmp_path: Path) -> None:
    """A template whose masthead is a dark band wants the white logo, not a dark one."""
    from dataclasses import replace

    from briefgen.checks import logo_contrast, masthead_background
    from briefgen.template import load_template

    template = load_template("one-pager", tmp_path / "spec.yaml")
    assert masthead_background(template) == "#FFFFFF"
    banded = template.layout_source.replace('<cell width="7%" padding="1 0 0 0">',
                                            '<cell width="7%" background="accent">')
    assert banded != template.layout_source
    dark = replace(template, layout_source=banded)
    assert masthead_background(dark) == template.color("accent")
    mark(tmp_path / "white.png", (255, 255, 255))
    white = load_picture("white.png", tmp_path / "spec.yaml", Location(tmp_path, 1, 1), "logo")
    assert logo_contrast(white, "#FFFFFF") < 1.1
    assert logo_contrast(white, template.color("accent")) > 9


def test_the_example_logo_reads_on_the_white_masthead() -> None:
    from briefgen.checks import LOGO_CONTRAST, logo_contrast
    from tests.support import EXAMPLE_SPEC

    picture = load_picture("clear-ground-logo.png", EXAMPLE_SPEC,
                           Location(EXAMPLE_SPEC, 1, 1), "brief.from.logo")
    assert logo_contrast(picture, "#FFFFFF") >= LOGO_CONTRAST
