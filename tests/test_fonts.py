"""The shipped font and the check of which characters it can draw."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from briefgen.layout.fonts import FONT_FOLDER, covered_characters, font_family, missing_characters

FACES = sorted(str(path) for path in FONT_FOLDER.glob("*.ttf"))
AZERBAIJANI = "ƏəĞğIıİiŞşÇçÖöÜü"
RUSSIAN = "Министерство обороны ЁёЙй"


def test_every_face_is_shipped() -> None:
    family = font_family("Carlito")
    for face in (family.regular, family.bold, family.italic, family.bold_italic):
        assert Path(face).is_file()
    assert family.docx_name == "Calibri"
    assert (FONT_FOLDER / "OFL.txt").is_file()


@pytest.mark.parametrize("face", FACES, ids=[Path(face).name for face in FACES])
def test_covered_characters_agree_with_fonttools(face: str) -> None:
    """An independent reader of the font's cmap; the no-break space is added, since the PDF
    draws it with the space glyph."""
    with TTFont(face, lazy=True) as font:
        expected = {code for code, glyph in font.getBestCmap().items() if glyph != ".notdef"}
    assert covered_characters(face) == expected | {0xA0}


@pytest.mark.parametrize("face", FACES, ids=[Path(face).name for face in FACES])
def test_every_face_draws_azerbaijani_and_cyrillic(face: str) -> None:
    covered = covered_characters(face)
    missing = [char for char in AZERBAIJANI + RUSSIAN + "“”‘’–—·€"
               if not char.isspace() and ord(char) not in covered]
    assert not missing


def test_faces_cover_the_same_characters() -> None:
    """Only the regular face is consulted before rendering: bold and italic must not lack any."""
    regular = covered_characters(font_family("Carlito").regular)
    for face in FACES:
        assert covered_characters(face) == regular, Path(face).name


@pytest.mark.parametrize(("text", "missing"), [
    ("Ağdam, Füzuli, Şuşa, Xankəndi, İsmayılova, ı", []),
    ("Министерство обороны", []),
    ("“curly” ‘quotes’ – dashes — 1.5\u00a0million", []),
    ("你好", ["你", "好"]),
    ("fine 🙂", ["🙂"]),
])
def test_missing_characters(text: str, missing: list[str]) -> None:
    assert missing_characters(text, font_family("Carlito")) == sorted(missing)
