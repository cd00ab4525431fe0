"""Images named in a spec (the logo): inside the brief's folder, real, small, downsampled.

A spec may come from someone else, so a logo path is refused when it leaves the spec's
folder (absolute, `..`, or a symlink pointing out), and the file must really be a PNG or JPEG
within byte and pixel limits. It is decoded, flattened and downsampled here, so the PDF and
the DOCX embed a small, clean PNG and never the original file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import Location, Problem, SpecError

if TYPE_CHECKING:
    from PIL import Image

MAX_BYTES = 5_000_000
MAX_PIXELS = 25_000_000
OUTPUT_HEIGHT_PX = 240  # about 200 ppi at the logo's printed height
OUTPUT_MAX_WIDTH_PX = 8 * OUTPUT_HEIGHT_PX  # a logo wider than 8:1 is made lower instead
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


@dataclass(frozen=True)
class Picture:
    png: bytes
    width_px: int
    height_px: int

    @property
    def aspect(self) -> float:
        return self.width_px / self.height_px

    def colors(self) -> list[tuple[int, tuple[int, int, int, int]]]:
        """Every RGBA colour of the picture with how many pixels have it."""
        return _colors(self.png)


@lru_cache(maxsize=16)
def _colors(png: bytes) -> list[tuple[int, tuple[int, int, int, int]]]:
    from PIL import Image

    with Image.open(io.BytesIO(png)) as image:
        rgba = image.convert("RGBA")
    return [(count, (color[0], color[1], color[2], color[3]))  # type: ignore[index]
            for count, color in rgba.getcolors(rgba.width * rgba.height) or []]


def load_picture(relative: str, spec_path: Path, where: Location, field: str) -> Picture:
    """Read, check and downsample an image named in the spec; raise a located error."""

    def refuse(message: str, hint: str = "") -> SpecError:
        return SpecError(Problem(where, field, message, hint, rule="asset"))

    candidate = Path(relative)
    folder = spec_path.resolve().parent
    if candidate.is_absolute() or ".." in candidate.parts:
        raise refuse(f"{relative!r} is outside the brief's folder",
                     "put the image in the spec's folder and give its path from there")
    resolved = (folder / candidate).resolve()
    if not resolved.is_relative_to(folder):
        raise refuse(f"{relative!r} leads outside the brief's folder (a link?)")
    if not resolved.is_file():
        raise refuse(f"no image file at {relative!r}")
    status = resolved.stat()
    if status.st_size > MAX_BYTES:
        raise refuse(f"the image is {status.st_size / 1e6:.1f} MB; at most "
                     f"{MAX_BYTES / 1e6:.0f} MB", "export a smaller PNG or JPEG")
    try:
        return _decode(resolved, status.st_mtime_ns, status.st_size)
    except _Refused as refused:
        raise refuse(str(refused)) from None


class _Refused(Exception):
    pass


@lru_cache(maxsize=16)
def _decode(path: Path, mtime: int, size: int) -> Picture:
    """Decode, flatten and downsample an image file, once per version of the file."""
    del mtime, size
    data = path.read_bytes()
    if not any(data.startswith(signature) for signature in _SIGNATURES):
        raise _Refused("the file is not a PNG or JPEG image")
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS or width < 1 or height < 1:
                raise _Refused(f"the image is {width} x {height} pixels; too large to embed")
            picture = _downsampled(image)
    except _Refused:
        raise
    except Image.DecompressionBombError:
        raise _Refused("the image has too many pixels; too large to embed") from None
    except (OSError, ValueError):
        raise _Refused("the image file is damaged or not a PNG or JPEG") from None
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return Picture(buffer.getvalue(), picture.width, picture.height)


# Decoded at least this many times the output's size before the final Lanczos resampling: the
# steps above it are whole-pixel averages, which Pillow's documentation finds indistinguishable
# from resampling all the way at a gap of 2 or more (`Image.resize`'s `reducing_gap`).
REDUCING_GAP = 3.0
# Pixels converted at a time while reducing (4 MB in RGBA), beside the decoded image.
STRIP_PIXELS = 1_000_000


def _downsampled(image: Image.Image) -> Image.Image:
    """The image as RGBA, within OUTPUT_MAX_WIDTH_PX x OUTPUT_HEIGHT_PX, decoded within a
    bounded memory.

    A JPEG is decoded at the smallest of libjpeg's scales (1/2, 1/4, 1/8) that is still
    REDUCING_GAP times the output's size. A PNG must be decoded whole, in its own mode (one to
    four bytes a pixel: at most 100 MB at MAX_PIXELS); it is then converted and reduced a
    strip at a time. Converting it whole and resampling it, as Pillow does in one call, holds
    three more copies (measured: a 4999 x 4999 logo peaked at 333 MB, now 180 MB).
    """
    from PIL import Image

    scale = min(1.0, OUTPUT_HEIGHT_PX / image.height, OUTPUT_MAX_WIDTH_PX / image.width)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    image.draft("RGB", (round(size[0] * REDUCING_GAP), round(size[1] * REDUCING_GAP)))
    image.load()
    factor = (max(1, int(image.width / size[0] / REDUCING_GAP)),
              max(1, int(image.height / size[1] / REDUCING_GAP)))
    rows = max(1, STRIP_PIXELS // image.width // factor[1]) * factor[1]
    # Colours weighted by their opacity ("RGBa") while averaging, as Pillow's resampling does,
    # so that the colour of transparent pixels never bleeds into the edges.
    reduced = Image.new("RGBa", (-(-image.width // factor[0]), -(-image.height // factor[1])))
    for top in range(0, image.height, rows):
        strip = image.crop((0, top, image.width, min(image.height, top + rows)))
        strip = strip.convert("RGBA").convert("RGBa")
        reduced.paste(strip.reduce(factor) if factor != (1, 1) else strip, (0, top // factor[1]))
    if reduced.size != size:
        reduced = reduced.resize(size, Image.Resampling.LANCZOS)
    return reduced.convert("RGBA")
