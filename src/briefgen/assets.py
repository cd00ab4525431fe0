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

from briefgen.errors import Location, Problem, SpecError

MAX_BYTES = 5_000_000
MAX_PIXELS = 25_000_000
OUTPUT_HEIGHT_PX = 240  # about 200 ppi at the logo's printed height
_SIGNATURES = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}


@dataclass(frozen=True)
class Picture:
    png: bytes
    width_px: int
    height_px: int

    @property
    def aspect(self) -> float:
        return self.width_px / self.height_px


def load_picture(relative: str, spec_path: Path, where: Location, field: str) -> Picture:
    """Read, check and downsample an image named in the spec; raise a located error."""
    resolved = (spec_path.resolve().parent / relative)
    try:
        stamp = resolved.stat().st_mtime_ns if resolved.is_file() else 0
    except OSError:
        stamp = 0
    return _load_picture(relative, spec_path, where, field, stamp)


@lru_cache(maxsize=16)
def _load_picture(relative: str, spec_path: Path, where: Location, field: str, stamp: int
                  ) -> Picture:
    """`load_picture`, remembered per file version: every audience shares one logo."""
    del stamp

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
    size = resolved.stat().st_size
    if size > MAX_BYTES:
        raise refuse(f"the image is {size / 1e6:.1f} MB; at most {MAX_BYTES / 1e6:.0f} MB",
                     "export a smaller PNG or JPEG")
    data = resolved.read_bytes()
    if not any(data.startswith(signature) for signature in _SIGNATURES):
        raise refuse("the file is not a PNG or JPEG image")
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > MAX_PIXELS or width < 1 or height < 1:
                raise refuse(f"the image is {width} x {height} pixels; too large to embed")
            image.load()
            picture = image.convert("RGBA")
    except SpecError:
        raise
    except Image.DecompressionBombError:
        raise refuse("the image has too many pixels; too large to embed") from None
    except (OSError, ValueError):
        raise refuse("the image file is damaged or not a PNG or JPEG") from None
    if picture.height > OUTPUT_HEIGHT_PX:
        ratio = OUTPUT_HEIGHT_PX / picture.height
        picture = picture.resize((max(1, round(picture.width * ratio)), OUTPUT_HEIGHT_PX),
                                 Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return Picture(buffer.getvalue(), picture.width, picture.height)
