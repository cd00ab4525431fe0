"""`briefgen take-back` as a user sees it: the word-level diff, a console that cannot print
every letter, and the README's picture of the diff.

To draw the README's picture again (rich records the terminal as SVG; Chromium turns it
into a PNG):

    BRIEFGEN_TAKE_BACK_PICTURE=docs/take-back.png \\
        .venv/bin/python -m pytest tests/cli/test_take_back_cli.py -k picture
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest
import yaml

from briefgen.cli.take_back import show_take_back, word_diff
from briefgen.edits.take_back import take_back
from tests.support import ROOT, build_brief, require_tool
from tests.word_edits import retype, track

PICTURE = os.environ.get("BRIEFGEN_TAKE_BACK_PICTURE")


def styled(text: object) -> list[tuple[str, str]]:
    """The pieces of a rich Text that have a style, with it."""
    return [(text.plain[span.start:span.end], str(span.style))  # type: ignore[attr-defined]
            for span in text.spans]  # type: ignore[attr-defined]


def test_the_diff_marks_deleted_and_added_words() -> None:
    old, new = word_diff("Fund a second phase, the size of the first.",
                         "Fund a second phase, at least the size of the first.")
    assert old.plain == "Fund a second phase, the size of the first."
    assert styled(old) == []
    assert styled(new) == [("at least", "green underline")]
    old, new = word_diff("donors fund only [@foreign-share] of its budget",
                         "donors cover just [@foreign-share] of the budget")
    assert styled(old) == [("fund only", "red strike"), ("its", "red strike")]
    assert styled(new) == [("cover just", "green underline"), ("the", "green underline")]


def test_a_long_text_is_shown_around_its_changes() -> None:
    words = " ".join(f"word{index}" for index in range(60))
    old, new = word_diff(words, words.replace("word30", "changed"))
    assert old.plain.startswith("… word24 word25")
    assert "word30" in old.plain and "word10 " not in old.plain
    assert new.plain.endswith("word36 …")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    folder = tmp_path / "Проект брифа"
    shutil.copytree(ROOT / "briefs", folder / "briefs")
    build_brief(folder / "briefs" / "masg-2025.yaml", folder / "out")
    return folder


def test_a_console_in_a_legacy_code_page_shows_a_russian_edit(project: Path) -> None:
    """The region's version is in Russian; a Windows console in cp1252 cannot print it: the
    letters are replaced, the command works and writes the edit."""
    built = project / "out" / "masg-2025" / "2025-03-24_masg-2025_region_ru.docx"
    edited = docx.Document(str(built))
    retype(edited, "предлагаем обмениваться практикой", "предлагаем регулярно обмениваться "
           "практикой")
    edited.save(str(project / "региональная версия.docx"))
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}
    env["PYTHONIOENCODING"] = "cp1252"
    result = subprocess.run([sys.executable, "-m", "briefgen", "take-back",
                             "региональная версия.docx", "--yes"], cwd=project, env=env,
                            capture_output=True, timeout=120, check=False)
    output = result.stdout.decode("cp1252")
    assert result.returncode == 0, output + result.stderr.decode("cp1252")
    assert b"Traceback" not in result.stderr
    assert "audiences[4].intro  briefs/masg-2025.yaml:" in output
    assert "Wrote 1 text into briefs/masg-2025.yaml" in output
    data = yaml.safe_load((project / "briefs" / "masg-2025.yaml").read_text(encoding="utf-8"))
    assert "предлагаем регулярно обмениваться практикой" in data["audiences"][4]["intro"]


@pytest.mark.skipif(not PICTURE, reason="draws the README's picture only when asked to")
def test_picture_for_the_readme(project: Path, tmp_path: Path) -> None:
    from rich.console import Console

    chromium = require_tool("chromium")
    built = project / "out" / "masg-2025" / "2025-03-24_masg-2025_eu_en-gb.docx"
    edited = docx.Document(str(built))
    retype(edited, "above all in areas regained since 2020",
           "above all in the areas regained since 2020")
    retype(edited, "the size of the first", "at least the size of the first")
    retype(edited, "international donors fund only 5% of its mine action agency’s budget",
           "donors abroad cover just 5% of the budget of its mine action agency")
    retype(edited, "women deminers accredited in Azerbaijan",
           "women deminers certified in Azerbaijan")
    track(edited, "the largest international contribution", "the largest single contribution")
    path = project / "masg EU (AN edits).docx"
    edited.save(str(path))
    os.chdir(project)
    console = Console(record=True, width=104, force_terminal=True, color_system="truecolor",
                      file=io.StringIO(), highlight=False, markup=False, emoji=False)
    console.print("$ briefgen take-back \"masg EU (AN edits).docx\"", style="bold")
    show_take_back(take_back(Path(path.name)), console)
    console.print("Write these 3 texts into the spec? [y/N]: y")
    console.print("Wrote 3 texts into briefs/masg-2025.yaml. Build it again to see them on "
                  "the page:")
    console.print("  briefgen build briefs/masg-2025.yaml")
    svg = tmp_path / "take-back.svg"
    console.save_svg(str(svg), title="briefgen take-back")
    png = tmp_path / "take-back.png"
    subprocess.run([chromium, "--headless=new", "--no-sandbox", "--disable-gpu",
                    "--hide-scrollbars", "--force-device-scale-factor=1",
                    f"--screenshot={png}", "--window-size=1300,820", svg.as_uri()],
                   capture_output=True, timeout=120, check=True)
    from PIL import Image

    picture = Image.open(png).convert("RGB")
    box = Image.eval(picture, lambda value: 255 - value).getbbox()  # crop the white margin
    if box is not None:
        picture = picture.crop(box)
    target = ROOT / str(PICTURE)
    target.parent.mkdir(parents=True, exist_ok=True)
    picture.quantize(256, Image.Quantize.MAXCOVERAGE, dither=Image.Dither.NONE).save(
        target, optimize=True)
