"""Finger images between encodings: ISO/IEC 19794-4 records, PNG, JPEG (Pillow)."""

from __future__ import annotations

import io
import logging

from PIL import Image, UnidentifiedImageError

from workstation.errors import CaptureFailed
from workstation.fingerprint import iso19794_4
from workstation.fingerprint.iso19794_4 import Compression, FingerImage

logger = logging.getLogger(__name__)


def to_grey(image: bytes) -> Image.Image:
    """Decode any Pillow-readable image to 8-bit grey.

    :raises CaptureFailed: not an image.
    """
    try:
        with Image.open(io.BytesIO(image)) as im:
            return im.convert("L")
    except (UnidentifiedImageError, OSError) as e:
        raise CaptureFailed("finger image could not be decoded") from e


def encode(image: Image.Image, fmt: str = "PNG", quality: int = 85) -> bytes:
    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.save(buffer, format="JPEG", quality=quality)
    else:
        image.save(buffer, format=fmt)
    return buffer.getvalue()


def record_to_png(record: bytes) -> tuple[bytes, int]:
    """The first finger image of an ISO/IEC 19794-4 record as PNG, with its resolution (ppi).

    :raises CaptureFailed: the record or its image cannot be decoded (WSQ is not supported).
    """
    try:
        decoded = iso19794_4.decode(record)
    except iso19794_4.FingerImageRecordError as e:
        raise CaptureFailed("finger image record invalid") from e
    if not decoded.images:
        raise CaptureFailed("finger image record holds no image")
    first = decoded.images[0]
    if decoded.compression == Compression.RAW and decoded.pixel_depth == 8:
        if len(first.data) < first.width * first.height:
            raise CaptureFailed("raw finger image truncated")
        image = Image.frombytes("L", (first.width, first.height), first.data)
    elif decoded.compression in (Compression.PNG, Compression.JPEG, Compression.JPEG2000):
        image = to_grey(first.data)
    else:
        raise CaptureFailed(f"unsupported finger image compression {decoded.compression.name}")
    return encode(image), decoded.resolution_ppi


def png_record(image: bytes, position: int, quality: int, ppi: int = 500) -> bytes:
    """An ISO/IEC 19794-4 record holding one finger image, PNG-compressed."""
    grey = to_grey(image)
    data = encode(grey)
    return iso19794_4.encode(
        [FingerImage(position, quality, grey.width, grey.height, data)], Compression.PNG, ppi
    )
