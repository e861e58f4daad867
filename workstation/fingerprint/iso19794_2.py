"""ISO/IEC 19794-2:2005 finger minutiae records ("FMR\\0", version " 20\\0").

Layout (all integers big-endian), from ISO/IEC 19794-2:2005 clause 7:

- record header, 24 bytes: format identifier ``FMR\\0``, version `` 20\\0``, record length
  (4 bytes), capture equipment (4 bits compliance + 12 bits id), image width and height
  (2 bytes each), x and y resolution in pixels per centimetre (2 bytes each), number of finger
  views (1 byte), reserved (1 byte);
- per finger view, 4 bytes: finger position, view number (high nibble) and impression type
  (low nibble), finger quality (0-100), number of minutiae;
- per minutia, 6 bytes: type (2 bits) + x (14 bits), reserved (2 bits) + y (14 bits), angle
  in units of 360/256 degrees, quality (0-100, 0 = not reported);
- extended data block length (2 bytes), then that many bytes of extended data.

Records are tolerated as real SDKs write them: a record length that disagrees with the
buffer is reported in the log but not fatal when every view parses.
"""

from __future__ import annotations

import logging
import math
import struct
from dataclasses import dataclass

import numpy as np

from workstation.fingerprint.template import DEFAULT_RESOLUTION_PPCM, FingerTemplate

logger = logging.getLogger(__name__)

MAGIC = b"FMR\x00"
VERSION_2005 = b" 20\x00"
_HEADER = struct.Struct(">4s4sIHHHHHBB")
_VIEW = struct.Struct(">BBBB")
_MINUTIA = struct.Struct(">HHBB")
_ANGLE_UNIT = 2 * math.pi / 256


class IsoRecordError(ValueError):
    """The bytes are not a valid ISO/IEC 19794-2:2005 minutiae record."""


@dataclass(frozen=True)
class IsoRecord:
    """A decoded record: one template per finger view, plus header fields.

    :param views: the finger views in record order.
    :param capture_equipment: the 16-bit capture equipment field.
    """

    views: tuple[FingerTemplate, ...]
    capture_equipment: int = 0


def is_iso_record(data: bytes) -> bool:
    """Whether ``data`` starts like an ISO/IEC 19794-2:2005 record."""
    return data[:4] == MAGIC and data[4:8] == VERSION_2005


def decode(data: bytes) -> IsoRecord:
    """Parse a record.

    :param data: the record bytes.
    :raises IsoRecordError: on a wrong magic, version or a truncated record.
    """
    if len(data) < _HEADER.size:
        raise IsoRecordError("record shorter than its header")
    magic, version, length, equipment, width, height, xres, yres, nviews, _ = _HEADER.unpack_from(
        data
    )
    if magic != MAGIC:
        raise IsoRecordError("not a finger minutiae record (format identifier)")
    if version != VERSION_2005:
        raise IsoRecordError(f"unsupported record version {version!r}")
    if length != len(data):
        logger.info("ISO record length field %d differs from %d bytes read", length, len(data))
    if xres != yres:
        logger.info("ISO record with anisotropic resolution %d x %d px/cm", xres, yres)
    resolution = xres or DEFAULT_RESOLUTION_PPCM
    offset = _HEADER.size
    views: list[FingerTemplate] = []
    for _ in range(nviews):
        if offset + _VIEW.size > len(data):
            raise IsoRecordError("truncated finger view header")
        position, view_impression, quality, count = _VIEW.unpack_from(data, offset)
        offset += _VIEW.size
        end = offset + count * _MINUTIA.size
        if end > len(data):
            raise IsoRecordError("truncated minutiae")
        raw = np.frombuffer(data, dtype=">u2", count=count * 3, offset=offset).reshape(count, 3)
        first, second = raw[:, 0].astype(np.int64), raw[:, 1].astype(np.int64)
        angle_quality = raw[:, 2].astype(np.int64)
        points = np.stack(
            [
                (first & 0x3FFF).astype(np.float64),
                (second & 0x3FFF).astype(np.float64),
                (angle_quality >> 8).astype(np.float64) * _ANGLE_UNIT,
            ],
            axis=1,
        )
        offset = end
        if offset + 2 > len(data):
            raise IsoRecordError("missing extended data length")
        (extended,) = struct.unpack_from(">H", data, offset)
        offset += 2 + extended
        if offset > len(data):
            raise IsoRecordError("truncated extended data")
        del view_impression  # view number and impression type are not used for matching
        views.append(
            FingerTemplate(
                points,
                (first >> 14).astype(np.uint8),
                np.minimum(angle_quality & 0xFF, 100).astype(np.uint8),
                width,
                height,
                resolution,
                position,
                quality,
            )
        )
    return IsoRecord(tuple(views), equipment)


def encode(views: FingerTemplate | list[FingerTemplate], capture_equipment: int = 0) -> bytes:
    """Encode one or more finger views as a record.

    The header's image size and resolution come from the first view. Coordinates are rounded
    and clipped to 14 bits; angles are quantised to 360/256 degrees.

    :param views: a template or a list of templates (one per view).
    :param capture_equipment: the 16-bit capture equipment field.
    """
    items = [views] if isinstance(views, FingerTemplate) else list(views)
    if not items or len(items) > 255:
        raise ValueError("a record holds 1 to 255 finger views")
    body = bytearray()
    for number, view in enumerate(items):
        n = min(len(view), 255)
        if len(view) > 255:
            logger.warning("template with %d minutiae truncated to 255", len(view))
        body += _VIEW.pack(view.finger_position, (number & 0xF) << 4, view.impression_quality, n)
        m = view.minutiae[:n]
        x = np.clip(np.rint(m[:, 0]), 0, 0x3FFF).astype(np.int64)
        y = np.clip(np.rint(m[:, 1]), 0, 0x3FFF).astype(np.int64)
        angle = np.rint(m[:, 2] / _ANGLE_UNIT).astype(np.int64) % 256
        kinds = view.kinds[:n].astype(np.int64) & 0x3
        quality = np.minimum(view.qualities[:n].astype(np.int64), 100)
        raw = np.stack([(kinds << 14) | x, y, (angle << 8) | quality], axis=1).astype(">u2")
        body += raw.tobytes()
        body += b"\x00\x00"  # no extended data
    first = items[0]
    header = _HEADER.pack(
        MAGIC,
        VERSION_2005,
        _HEADER.size + len(body),
        capture_equipment & 0xFFFF,
        min(first.width, 0xFFFF),
        min(first.height, 0xFFFF),
        first.resolution,
        first.resolution,
        len(items),
        0,
    )
    return header + bytes(body)


def load_template(data: bytes) -> FingerTemplate:
    """The first finger view of a record.

    :raises IsoRecordError: when the record is invalid or has no view.
    """
    record = decode(data)
    if not record.views:
        raise IsoRecordError("record has no finger view")
    return record.views[0]
