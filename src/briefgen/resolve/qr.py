"""QR codes for printed pages: a phone scans the code and opens the address.

The code's modules come from reportlab's own QR encoder (`reportlab.graphics.barcode.qr`),
once per address. The PDF draws them as vector squares (`render.pdf`); the DOCX gets a PNG
drawn from the same modules, each module a whole number of pixels, so both files carry the
same code and the picture stays sharp at any zoom without smoothing.

Why a PNG in the DOCX and not vectors: Word has no plain vector picture format that python-docx
can insert (SVG needs a PNG fallback beside it, and DrawingML shapes would be some 400 loose
rectangles a colleague could knock out of place). Why Pillow and not reportlab's renderPM:
renderPM needs its rlPyCairo backend (pycairo and the Cairo library), which briefgen does not
otherwise need; drawing squares on a bitmap is all a QR code asks.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

QUIET_ZONE = 4  # modules of white around the code, as the QR standard asks (ISO/IEC 18004)
PIXELS_PER_MODULE = 12  # about 600 dpi for a code printed 18 mm wide
ERROR_CORRECTION = "M"  # 15% of the code may be smudged or folded and still read


@dataclass(frozen=True)
class QRPicture:
    """A QR code as the layout places a picture: `png` for the DOCX, `modules` for vectors.

    `modules` is the code's rows of dark (True) and light modules, without the quiet zone;
    `png` has the quiet zone around them. `text` is what a phone reads from it.
    """

    text: str
    modules: tuple[tuple[bool, ...], ...]
    png: bytes
    width_px: int
    height_px: int

    @property
    def aspect(self) -> float:
        return 1.0


@lru_cache(maxsize=16)
def qr_picture(text: str) -> QRPicture:
    """The QR code for `text` (an address), encoded once per process."""
    from reportlab.graphics.barcode.qr import QrCodeWidget

    widget = QrCodeWidget(text, barLevel=ERROR_CORRECTION)
    code = widget.qr
    code.make()
    modules = tuple(tuple(bool(module) for module in row) for row in code.modules)
    side = (len(modules) + 2 * QUIET_ZONE) * PIXELS_PER_MODULE
    return QRPicture(text, modules, _png(modules), side, side)


def dark_runs(modules: tuple[tuple[bool, ...], ...]) -> list[tuple[int, int, int]]:
    """Each row's runs of dark modules as (row, first column, length): one rectangle each."""
    runs = []
    for row, line in enumerate(modules):
        column = 0
        while column < len(line):
            if line[column]:
                start = column
                while column < len(line) and line[column]:
                    column += 1
                runs.append((row, start, column - start))
            else:
                column += 1
    return runs


def _png(modules: tuple[tuple[bool, ...], ...]) -> bytes:
    from PIL import Image, ImageDraw

    side = (len(modules) + 2 * QUIET_ZONE) * PIXELS_PER_MODULE
    image = Image.new("1", (side, side), 1)
    draw = ImageDraw.Draw(image)
    for row, column, length in dark_runs(modules):
        left = (column + QUIET_ZONE) * PIXELS_PER_MODULE
        top = (row + QUIET_ZONE) * PIXELS_PER_MODULE
        draw.rectangle((left, top, left + length * PIXELS_PER_MODULE - 1,
                        top + PIXELS_PER_MODULE - 1), fill=0)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
