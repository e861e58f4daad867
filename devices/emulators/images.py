"""Synthetic card images: an MMR (CCITT G4) TIFF front side and a JPEG 2000 face."""

from __future__ import annotations

import io

from PIL import Image, ImageDraw


def front_image_tiff(width: int = 480, height: int = 300) -> bytes:
    """A bilevel G4-compressed TIFF with a few shapes (no real text or person)."""
    image = Image.new("1", (width, height), 1)
    draw = ImageDraw.Draw(image)
    draw.rectangle((4, 4, width - 5, height - 5), outline=0, width=3)
    draw.rectangle((20, 20, 200, 40), fill=0)
    for y in range(70, 250, 30):
        draw.line((20, y, 300, y), fill=0, width=2)
    draw.ellipse((330, 60, 450, 220), outline=0, width=4)
    buffer = io.BytesIO()
    image.save(buffer, format="TIFF", compression="group4")
    return buffer.getvalue()


def face_image_jp2(width: int = 60, height: int = 80, max_size: int = 3000) -> bytes:
    """A small colour JPEG 2000 codestream-in-JP2 image with a face-like oval."""
    image = Image.new("RGB", (width, height), (200, 210, 230))
    draw = ImageDraw.Draw(image)
    draw.ellipse((12, 10, width - 12, height - 14), fill=(225, 180, 150))
    draw.ellipse((22, 32, 28, 38), fill=(40, 40, 40))
    draw.ellipse((width - 28, 32, width - 22, 38), fill=(40, 40, 40))
    draw.line((24, 56, width - 24, 56), fill=(150, 60, 60), width=2)
    for rate in (20, 40, 80, 160):
        buffer = io.BytesIO()
        image.save(buffer, format="JPEG2000", quality_mode="rates", quality_layers=[rate])
        if len(buffer.getvalue()) <= max_size:
            return buffer.getvalue()
    raise ValueError("could not fit the face image")
