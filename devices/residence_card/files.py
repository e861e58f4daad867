"""The residence card's file layout and the parsers for its fixed-length files.

Generation 1 follows the official specification (在留カード等仕様書 Ver 1.5, §3.3);
generation 2 follows the published transcription of 第二世代在留カード等仕様書 Ver 1.1.
Every data object is fixed-length and NUL-padded; text is UTF-8 without BOM.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from devices.smartcard import tlv
from workstation.errors import DocumentUnreadable
from workstation.residence_card import CardType, ResidenceCardData, WorkPermission

AID_DF1 = bytes.fromhex("D392F0004F02") + bytes(10)
AID_DF2 = bytes.fromhex("D392F0004F03") + bytes(10)
AID_DF3 = bytes.fromhex("D392F0004F04") + bytes(10)

SFI_VERSION = 0x0B  # MF/EF01, READ BINARY P1 8B
SFI_CARD_TYPE = 0x0A  # MF/EF02, P1 8A

FRONT_IMAGE_SIZE = 7000
FACE_IMAGE_SIZE = 3000
NAME_IMAGE_SIZE = 2500
PRINTED_ENTRIES_SIZE = 53


class CardDataError(DocumentUnreadable):
    """A card file does not have the layout the specification gives it."""

    code = "DOC-CARD-DATA"


@dataclass(frozen=True)
class FileRef:
    """One elementary file: the DF holding it (``None`` = MF), its SFI, whether it needs SM."""

    name: str
    df: bytes | None
    sfi: int
    secure: bool


def files_for(card_type: CardType) -> tuple[FileRef, ...]:
    """Every file to read after authentication, in reading order (grouped by DF).

    :param card_type: decides the generation and whether permission files exist.
    """
    residence = card_type.is_residence_card
    if card_type.generation == 1:
        df2 = [FileRef("address", AID_DF2, 0x01, False)]
        if residence:
            df2 += [
                FileRef("comprehensive_permission", AID_DF2, 0x02, False),
                FileRef("individual_permission", AID_DF2, 0x03, False),
                FileRef("application_status", AID_DF2, 0x04, False),
            ]
        return (
            FileRef("front_image", AID_DF1, 0x05, True),
            FileRef("face_image", AID_DF1, 0x06, True),
            *df2,
            FileRef("signature", AID_DF3, 0x02, False),
        )
    df2 = []
    if residence:
        df2 += [
            FileRef("work_permission", AID_DF2, 0x01, False),
            FileRef("application_status", AID_DF2, 0x02, False),
        ]
    return (
        FileRef("card_number", AID_DF1, 0x01, True),
        FileRef("printed_entries", AID_DF1, 0x03, True),
        FileRef("images", AID_DF1, 0x04, True),
        FileRef("address_image", AID_DF1, 0x06, True),
        *df2,
        FileRef("others", AID_DF2, 0x03, False),
        FileRef("signature", AID_DF3, 0x02, False),
    )


def objects(data: bytes) -> dict[int, bytes]:
    """Decode a card file into ``{tag: value}``.

    Tags are one byte, except that ``DF xx`` is two (the generation 2 address image uses
    ``DF D1``, which strict BER would read as the start of a three-byte tag). Decoding stops
    at a ``00`` tag byte: that is the zero padding of a fixed-size file, or a data object
    the card zero-filled on purpose (a withdrawn work permission).

    :raises CardDataError: a data object runs past the end of the file.
    """
    out: dict[int, bytes] = {}
    i = 0
    while i < len(data) and data[i] != 0x00:
        tag = data[i]
        i += 1
        if tag == 0xDF:
            if i >= len(data):
                raise CardDataError("two-byte tag truncated")
            tag = 0xDF00 | data[i]
            i += 1
        try:
            # Reuse the BER length decoder on a fake one-byte tag.
            _tag, length, start = tlv.read_header(b"\x01" + data[i:], 0)
        except tlv.TlvError as e:
            raise CardDataError(f"bad length after tag {tag:X}") from e
        start += i - 1
        if start + length > len(data):
            raise CardDataError(f"data object {tag:X} runs past the file")
        out[tag] = data[start : start + length]
        i = start + length
    return out


def text(value: bytes | None) -> str | None:
    """Decode a NUL-padded UTF-8 field; ``None`` stays ``None``.

    :raises CardDataError: the bytes are not UTF-8.
    """
    if value is None:
        return None
    try:
        return value.rstrip(b"\x00").decode("utf-8")
    except UnicodeDecodeError as e:
        raise CardDataError("text field is not UTF-8") from e


def image(value: bytes | None) -> bytes | None:
    """An image field with its zero padding, or ``None`` when the field is empty or zeros.

    The padding is kept: TIFF and JPEG 2000 decoders ignore trailing bytes, and the check
    code covers the padded value.
    """
    if value is None or not value.strip(b"\x00"):
        return None
    return value


def date(value: bytes | None) -> dt.date | None:
    """A ``YYYYMMDD`` field; ``None`` when absent, empty or not a real date."""
    raw = text(value)
    if not raw or len(raw) != 8 or not raw.isdigit():
        return None
    try:
        return dt.date(int(raw[:4]), int(raw[4:6]), int(raw[6:]))
    except ValueError:
        return None


def parse_card_type(data: bytes) -> CardType:
    """MF/EF02: ``C1 01 '1'`` (generation 1) or ``C1 02 '05'`` (generation 2).

    :raises CardDataError: no C1 object, or an unknown code (e.g. 07/08 combined cards).
    """
    code = text(objects(data).get(0xC1))
    try:
        return CardType(code)
    except ValueError as e:
        raise CardDataError("unsupported card type") from e


def parse_version(data: bytes) -> str:
    """MF/EF01: ``C0 04 "0001"``."""
    return text(objects(data).get(0xC0)) or ""


@dataclass(frozen=True)
class SignatureFile:
    """DF3/EF01: the check code and the DER certificate, both ``b""`` when absent."""

    signature: bytes
    certificate: bytes


def parse_signature_file(data: bytes, generation: int) -> SignatureFile:
    """Split DF3/EF01 into check code and certificate.

    Holders under 16 have ``DA 00`` (maybe ``DB 00``) and zeros, or only zeros; both give
    empty fields. The certificate field is NUL-padded, so its DER length is taken from the
    certificate's own outer SEQUENCE.

    :raises CardDataError: a certificate is present but its header is broken.
    """
    sig_tag, cert_tag = (0xDA, 0xDB) if generation == 1 else (0xDC, 0xDD)
    found = objects(data)
    signature = found.get(sig_tag, b"")
    cert_field = found.get(cert_tag, b"")
    if not signature.strip(b"\x00"):
        signature = b""
    certificate = b""
    if cert_field.strip(b"\x00"):
        try:
            _tag, length, start = tlv.read_header(cert_field)
        except tlv.TlvError as e:
            raise CardDataError("certificate field is not DER") from e
        if start + length > len(cert_field):
            raise CardDataError("certificate runs past its field")
        certificate = cert_field[: start + length]
    return SignatureFile(signature, certificate)


def pad_to(value: bytes, size: int) -> bytes:
    """``value`` right-padded with zeros to ``size`` (signed data uses the fixed sizes)."""
    return value + bytes(max(0, size - len(value)))


def parse_gen1(
    card_type: CardType, version: str, raw: dict[str, bytes]
) -> tuple[ResidenceCardData, SignatureFile]:
    """Decode generation 1 files (names as in :func:`files_for`).

    :raises CardDataError: a file is malformed.
    """
    front = objects(raw["front_image"]).get(0xD0)
    face = objects(raw["face_image"]).get(0xD1)
    address = objects(raw["address"])
    residence = card_type.is_residence_card
    data = ResidenceCardData(
        card_type=card_type,
        spec_version=version,
        front_image=image(front),
        face_image=image(face),
        address_date=text(address.get(0xD2)),
        municipality_code=text(address.get(0xD3)),
        address=text(address.get(0xD4)),
        comprehensive_permission=(
            text(objects(raw["comprehensive_permission"]).get(0xD5, b"")) if residence else None
        ),
        individual_permission=(
            text(objects(raw["individual_permission"]).get(0xD6, b"")) if residence else None
        ),
        application_status=(
            text(objects(raw["application_status"]).get(0xD7, b"")) if residence else None
        ),
        # §3.4.3: the check code covers the values of D0 and D1, padded to 7000 + 3000.
        signed_data=pad_to(front or b"", FRONT_IMAGE_SIZE) + pad_to(face or b"", FACE_IMAGE_SIZE),
    )
    return data, parse_signature_file(raw["signature"], 1)


_PRINTED_TAGS = (0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCE, 0xCA, 0xCB, 0xCC, 0xCD)


def parse_gen2(
    card_type: CardType, version: str, raw: dict[str, bytes]
) -> tuple[ResidenceCardData, SignatureFile]:
    """Decode generation 2 files (names as in :func:`files_for`).

    :raises CardDataError: a file is malformed.
    """
    printed_raw = raw["printed_entries"]
    printed = objects(printed_raw)
    images = objects(raw["images"])
    name_image, face = images.get(0xD0), images.get(0xD1)
    residence = card_type.is_residence_card
    permission = objects(raw["work_permission"]) if residence else {}
    others = objects(raw["others"])
    # The signature covers the printed-entry values in file order, padded to 53 bytes.
    printed_values = b"".join(v for t, v in printed.items() if t in _PRINTED_TAGS)
    data = ResidenceCardData(
        card_type=card_type,
        spec_version=version,
        card_number=text(objects(raw["card_number"]).get(0xC2)),
        face_image=image(face),
        name_image=image(name_image),
        address_image=image(objects(raw["address_image"]).get(0xDFD1)),
        card_expiry=date(printed.get(0xC5)),
        birth_date=date(printed.get(0xC6)),
        sex=text(printed.get(0xC7)),
        nationality=text(printed.get(0xC8)),
        status_of_residence=text(printed.get(0xC9)),
        period_of_stay=text(printed.get(0xCE)),
        permission_type=text(printed.get(0xCA)),
        permission_date=date(printed.get(0xCB)),
        work_restriction=text(printed.get(0xCC)),
        stay_expiry=date(printed.get(0xCD)),
        work_permission=(
            WorkPermission(
                comprehensive=text(permission.get(0xD5)) or "",
                comprehensive_expiry=text(permission.get(0xD6)) or "",
                individual=text(permission.get(0xD7)) or "",
            )
            if residence
            else None
        ),
        application_status=(
            text(objects(raw["application_status"]).get(0xD8, b"")) if residence else None
        ),
        commissioner_entry=text(others.get(0xD9)),
        signed_data=pad_to(printed_values, PRINTED_ENTRIES_SIZE)
        + pad_to(face or b"", FACE_IMAGE_SIZE)
        + pad_to(name_image or b"", NAME_IMAGE_SIZE),
    )
    return data, parse_signature_file(raw["signature"], 2)
