"""The Logical Data Structure (ICAO 9303-10): file identifiers and data-group parsers.

Every parser takes the complete file (outer tag included) and raises only
:class:`~devices.emrtd.errors.LdsError` (or :class:`~workstation.errors.InvalidMrz` through
it) on malformed input.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from enum import Enum, unique

from devices.emrtd.crypto import PublicKey, load_public_key
from devices.emrtd.errors import LdsError, UnsupportedKey
from devices.smartcard import tlv
from workstation.documents import Mrz
from workstation.errors import InvalidMrz

AID_EMRTD = bytes.fromhex("A0000002471001")


@dataclass(frozen=True)
class LdsFile:
    """An elementary file: name, file identifier, short file identifier and outer tag."""

    name: str
    fid: int
    sfi: int
    tag: int


EF_CARD_ACCESS = LdsFile("EF.CardAccess", 0x011C, 0x1C, 0x31)
EF_COM = LdsFile("EF.COM", 0x011E, 0x1E, 0x60)
EF_SOD = LdsFile("EF.SOD", 0x011D, 0x1D, 0x77)

_DG_TAGS = bytes.fromhex("61 75 63 76 65 66 67 68 69 6A 6B 6C 6D 6E 6F 70")
"""The outer tags of DG1..DG16 (ICAO 9303-10 §4.6.1)."""


def data_group(number: int) -> LdsFile:
    """DG1..DG16: FID 0101..0110, SFI 01..10.

    :raises ValueError: ``number`` outside 1..16.
    """
    if not 1 <= number <= 16:
        raise ValueError("data groups are numbered 1..16")
    return LdsFile(f"DG{number}", 0x0100 + number, number, _DG_TAGS[number - 1])


def dg_number_for_tag(tag: int) -> int | None:
    """The data-group number of an EF.COM tag (``0x75`` → 2), or ``None``."""
    return _DG_TAGS.index(tag) + 1 if 0 <= tag <= 0xFF and tag in _DG_TAGS else None


def _outer(data: bytes, tag: int, name: str) -> bytes:
    try:
        obj, _end = tlv.parse_one(data)
    except tlv.TlvError as e:
        raise LdsError(f"{name} is not BER-TLV") from e
    if obj.tag != tag:
        raise LdsError(f"{name} has tag {obj.tag:X}, expected {tag:X}")
    return obj.value


def _children(value: bytes, name: str) -> list[tlv.Tlv]:
    try:
        return tlv.parse_all(value)
    except tlv.TlvError as e:
        raise LdsError(f"{name} content is not BER-TLV") from e


@dataclass(frozen=True)
class Com:
    """EF.COM: LDS and Unicode versions and the data groups present."""

    lds_version: str
    unicode_version: str
    data_groups: tuple[int, ...]


def parse_com(data: bytes) -> Com:
    """Parse EF.COM (tag 60 with 5F01, 5F36 and the tag list 5C)."""
    objects = {o.tag: o.value for o in _children(_outer(data, 0x60, "EF.COM"), "EF.COM")}
    if 0x5C not in objects:
        raise LdsError("EF.COM has no tag list")
    groups = sorted({n for t in objects[0x5C] if (n := dg_number_for_tag(t)) is not None})
    return Com(
        objects.get(0x5F01, b"").decode("latin-1"),
        objects.get(0x5F36, b"").decode("latin-1"),
        tuple(groups),
    )


def parse_dg1(data: bytes) -> Mrz:
    """DG1: the MRZ (tag 61 / 5F1F), split into TD1, TD2 or TD3 lines and fully checked.

    :raises LdsError: malformed structure, or an MRZ that fails its check digits.
    """
    mrz = tlv.find(_outer(data, 0x61, "DG1"), 0x5F1F) if data else None
    if mrz is None:
        raise LdsError("DG1 has no MRZ data object")
    try:
        text = mrz.value.decode("ascii")
    except UnicodeDecodeError as e:
        raise LdsError("DG1 MRZ is not ASCII") from e
    widths = {90: 30, 72: 36, 88: 44}
    width = widths.get(len(text))
    if width is None:
        raise LdsError(f"DG1 MRZ has {len(text)} characters")
    lines = "\n".join(text[i : i + width] for i in range(0, len(text), width))
    try:
        return Mrz.parse(lines)
    except InvalidMrz as e:
        raise LdsError(f"DG1 MRZ invalid: {e.detail}") from e


@unique
class ImageFormat(Enum):
    JPEG = "JPEG"
    JPEG2000 = "JPEG2000"


@dataclass(frozen=True)
class FaceImage:
    """The portrait from DG2, still encoded."""

    format: ImageFormat
    data: bytes
    width: int | None
    height: int | None
    record_format: str
    """``"ISO 19794-5"`` or ``"ISO 39794-5"``."""


_JPEG_MAGIC = b"\xff\xd8\xff"
_JP2_MAGIC = b"\x00\x00\x00\x0cjP  \r\n\x87\n"
_J2K_MAGIC = b"\xff\x4f\xff\x51"


def _sniff(data: bytes) -> ImageFormat | None:
    if data.startswith(_JPEG_MAGIC):
        return ImageFormat.JPEG
    if data.startswith(_JP2_MAGIC) or data.startswith(_J2K_MAGIC):
        return ImageFormat.JPEG2000
    return None


def parse_iso19794_5(record: bytes) -> FaceImage:
    """The first face image of an ISO/IEC 19794-5:2005 facial record.

    Layout: ``FAC\\0``, version, record length (4), face count (2); per face a 20-byte
    information block (its length first), 8 bytes per feature point, a 12-byte image
    information block (type, data type 0=JPEG 1=JPEG 2000, width, height, ...), then the image.
    """
    if len(record) < 14 or record[:4] != b"FAC\x00":
        raise LdsError("face record does not start with FAC")
    length, faces = struct.unpack(">IH", record[8:14])
    if faces < 1 or length > len(record):
        raise LdsError("face record header inconsistent")
    offset = 14
    if offset + 20 > len(record):
        raise LdsError("face record truncated")
    block_length, points = struct.unpack(">IH", record[offset : offset + 6])
    image_info = offset + 20 + 8 * points
    if image_info + 12 > len(record) or block_length < 32 + 8 * points:
        raise LdsError("face information block truncated")
    data_type = record[image_info + 1]
    width, height = struct.unpack(">HH", record[image_info + 2 : image_info + 6])
    image = record[image_info + 12 : offset + block_length]
    image_format = _sniff(image) or {0: ImageFormat.JPEG, 1: ImageFormat.JPEG2000}.get(data_type)
    if image_format is None or not image:
        raise LdsError("face image data type unknown")
    return FaceImage(image_format, image, width, height, "ISO 19794-5")


def _find_image(data: bytes, depth: int = 0) -> bytes | None:
    """Depth-first search for a primitive element holding a JPEG or JPEG 2000 image."""
    if depth > 8:
        return None
    try:
        objects = tlv.parse_all(data)
    except tlv.TlvError:
        return None
    for obj in objects:
        if _sniff(obj.value):
            return obj.value
        if obj.constructed:
            found = _find_image(obj.value, depth + 1)
            if found:
                return found
    return None


def parse_dg2(data: bytes) -> FaceImage:
    """DG2: the first biometric data block of the first face template.

    ``5F2E`` holds an ISO/IEC 19794-5 record; ``7F2E`` an ISO/IEC 39794-5 one, from which
    the image is taken as the data element that starts with a JPEG or JPEG 2000 signature.
    """
    group = _children(_outer(data, 0x75, "DG2"), "DG2")
    template = next((o for o in group if o.tag == 0x7F61), None)
    if template is None:
        raise LdsError("DG2 has no biometric information group template")
    for bit in _children(template.value, "DG2 group"):
        if bit.tag != 0x7F60:
            continue
        for obj in _children(bit.value, "DG2 template"):
            if obj.tag == 0x5F2E:
                return parse_iso19794_5(obj.value)
            if obj.tag == 0x7F2E:
                image = _find_image(obj.value)
                form = _sniff(image) if image else None
                if image is None or form is None:
                    raise LdsError("ISO 39794-5 record holds no JPEG/JPEG 2000 image")
                return FaceImage(form, image, None, None, "ISO 39794-5")
    raise LdsError("DG2 has no face biometric data block")


def _text(value: bytes) -> str:
    return value.decode("utf-8", errors="replace").replace("<", " ").strip()


@dataclass(frozen=True)
class AdditionalPersonalDetails:
    """DG11 basics (each ``None`` when absent). Dates stay as the chip gives them (YYYYMMDD)."""

    full_name: str | None = None
    personal_number: str | None = None
    full_date_of_birth: str | None = None
    place_of_birth: str | None = None
    address: str | None = None
    telephone: str | None = None
    profession: str | None = None
    title: str | None = None
    other_names: tuple[str, ...] = ()


_DG11_FIELDS = {
    0x5F0E: "full_name",
    0x5F10: "personal_number",
    0x5F2B: "full_date_of_birth",
    0x5F11: "place_of_birth",
    0x5F42: "address",
    0x5F12: "telephone",
    0x5F13: "profession",
    0x5F14: "title",
}


def parse_dg11(data: bytes) -> AdditionalPersonalDetails:
    """DG11 (tag 6B): name, personal number, full birth date, place of birth and contacts."""
    values: dict[str, str] = {}
    other: list[str] = []
    for obj in _children(_outer(data, 0x6B, "DG11"), "DG11"):
        if obj.tag in _DG11_FIELDS:
            values[_DG11_FIELDS[obj.tag]] = _text(obj.value)
        elif obj.tag == 0xA0:
            other += [_text(o.value) for o in _children(obj.value, "DG11") if o.tag == 0x5F0F]
    return AdditionalPersonalDetails(**values, other_names=tuple(other))


@dataclass(frozen=True)
class AdditionalDocumentDetails:
    """DG12 basics. Dates as on the chip: issue YYYYMMDD, personalization YYYYMMDDhhmmss."""

    issuing_authority: str | None = None
    date_of_issue: str | None = None
    endorsements: str | None = None
    tax_exit_requirements: str | None = None
    personalization_time: str | None = None
    personalization_device: str | None = None
    other_persons: tuple[str, ...] = ()


_DG12_FIELDS = {
    0x5F19: "issuing_authority",
    0x5F26: "date_of_issue",
    0x5F1B: "endorsements",
    0x5F1C: "tax_exit_requirements",
    0x5F55: "personalization_time",
    0x5F56: "personalization_device",
}


def parse_dg12(data: bytes) -> AdditionalDocumentDetails:
    """DG12 (tag 6C): issuing authority, date of issue, endorsements, personalization."""
    values: dict[str, str] = {}
    persons: list[str] = []
    for obj in _children(_outer(data, 0x6C, "DG12"), "DG12"):
        if obj.tag in _DG12_FIELDS:
            values[_DG12_FIELDS[obj.tag]] = _text(obj.value)
        elif obj.tag == 0xA0:
            persons += [_text(o.value) for o in _children(obj.value, "DG12") if o.tag == 0x5F1A]
    return AdditionalDocumentDetails(**values, other_persons=tuple(persons))


def parse_dg14(data: bytes) -> bytes:
    """DG14 (tag 6E): the DER SecurityInfos inside (parse them with
    :func:`devices.emrtd.security_infos.parse_security_infos`)."""
    return _outer(data, 0x6E, "DG14")


def parse_dg15(data: bytes) -> PublicKey:
    """DG15 (tag 6F): the Active Authentication public key (RSA or EC)."""
    try:
        return load_public_key(_outer(data, 0x6F, "DG15"))
    except UnsupportedKey as e:
        raise LdsError(f"DG15 key unusable: {e.detail}") from e
