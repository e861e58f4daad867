"""ISO/IEC 19794-4:2005 finger image records ("FIR\\0", version " 10\\0"), as SBI devices
return them in ``bioValue``.

General header (32 bytes): format identifier, version, record length (6 bytes), capture
device ID (2), image acquisition level (2), number of fingers (1), scale units (1: 1 = ppi,
2 = ppcm), scan resolution h/v (2 + 2), image resolution h/v (2 + 2), pixel depth in bits
(1), compression algorithm (1), reserved (2). Each finger image then has a 14-byte header:
data length (4, header included), finger position (1), count of views (1), view number (1),
image quality (1), impression type (1), line length (2), line count (2), reserved (1).

The codec is pure: it carries the compressed bytes through; decoding pixels is the device
layer's job.
"""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass
from enum import IntEnum, unique

logger = logging.getLogger(__name__)

MAGIC = b"FIR\x00"
VERSION_2005 = b" 10\x00"
_GENERAL = struct.Struct(">4s4s6sHHBBHHHHBBH")
_FINGER = struct.Struct(">IBBBBBHHB")


@unique
class Compression(IntEnum):
    """Image compression algorithm codes of ISO/IEC 19794-4:2005 table 3."""

    RAW = 0
    RAW_PACKED = 1
    WSQ = 2
    JPEG = 3
    JPEG2000 = 4
    PNG = 5


class FingerImageRecordError(ValueError):
    """The bytes are not a valid ISO/IEC 19794-4:2005 finger image record."""


@dataclass(frozen=True)
class FingerImage:
    """One finger image of a record.

    :param position: ISO finger position (0 unknown, 1 right thumb ... 10 left little).
    :param quality: image quality 0-100 (254/255 = not computed/failed, per the standard).
    :param width: pixels per line.
    :param height: lines.
    :param data: the image data, compressed as ``compression`` says.
    """

    position: int
    quality: int
    width: int
    height: int
    data: bytes
    impression_type: int = 0
    view: int = 1


@dataclass(frozen=True)
class FingerImageRecord:
    """A decoded record with the header fields the workstation needs."""

    images: tuple[FingerImage, ...]
    compression: Compression
    resolution_ppi: int
    pixel_depth: int = 8
    capture_device: int = 0


def decode(data: bytes) -> FingerImageRecord:
    """Parse a finger image record.

    :raises FingerImageRecordError: wrong identifier or version, or a truncated record.
    """
    if len(data) < _GENERAL.size:
        raise FingerImageRecordError("record shorter than its header")
    (
        magic,
        version,
        _length,
        device,
        _level,
        count,
        units,
        h_scan,
        _v_scan,
        h_res,
        _v_res,
        depth,
        compression,
        _,
    ) = _GENERAL.unpack_from(data)
    if magic != MAGIC or version != VERSION_2005:
        raise FingerImageRecordError("not an ISO/IEC 19794-4:2005 finger image record")
    try:
        algorithm = Compression(compression)
    except ValueError as e:
        raise FingerImageRecordError(f"unknown compression code {compression}") from e
    resolution = h_res or h_scan
    ppi = round(resolution * 2.54) if units == 2 else resolution
    offset = _GENERAL.size
    images: list[FingerImage] = []
    for _ in range(count):
        if offset + _FINGER.size > len(data):
            raise FingerImageRecordError("truncated finger image header")
        size, position, _views, view, quality, impression, width, height, _ = _FINGER.unpack_from(
            data, offset
        )
        if size < _FINGER.size or offset + size > len(data):
            raise FingerImageRecordError("finger image length out of range")
        payload = data[offset + _FINGER.size : offset + size]
        images.append(FingerImage(position, quality, width, height, payload, impression, view))
        offset += size
    return FingerImageRecord(tuple(images), algorithm, ppi, depth, device)


def encode(
    images: list[FingerImage],
    compression: Compression,
    resolution_ppi: int = 500,
    capture_device: int = 0,
) -> bytes:
    """Encode finger images (already compressed as ``compression`` says) as one record.

    :param images: one or more finger images.
    :param compression: how every image's ``data`` is compressed.
    :param resolution_ppi: scan and image resolution in pixels per inch.
    """
    if not images:
        raise ValueError("a record holds at least one finger image")
    body = b"".join(
        _FINGER.pack(
            _FINGER.size + len(img.data),
            img.position,
            1,
            img.view,
            img.quality,
            img.impression_type,
            img.width,
            img.height,
            0,
        )
        + img.data
        for img in images
    )
    total = _GENERAL.size + len(body)
    header = _GENERAL.pack(
        MAGIC,
        VERSION_2005,
        total.to_bytes(6, "big"),
        capture_device,
        31,
        len(images),
        1,
        resolution_ppi,
        resolution_ppi,
        resolution_ppi,
        resolution_ppi,
        8,
        int(compression),
        0,
    )
    return header + body
