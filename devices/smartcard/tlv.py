"""BER-TLV (ISO/IEC 8825-1 subset used by smart cards): tags of 1-3 bytes, lengths up to 4 bytes."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from workstation.errors import DocumentUnreadable


class TlvError(DocumentUnreadable):
    """Bytes that should be BER-TLV are not."""

    code = "DOC-TLV"


@dataclass(frozen=True)
class Tlv:
    """One data object: ``tag`` as an int (``0x5F1F``), ``value`` bytes, ``raw`` the whole DO."""

    tag: int
    value: bytes
    raw: bytes

    @property
    def constructed(self) -> bool:
        first = self.tag.to_bytes((self.tag.bit_length() + 7) // 8 or 1, "big")[0]
        return bool(first & 0x20)

    def children(self) -> list[Tlv]:
        """Parse the value as a sequence of data objects."""
        return parse_all(self.value)


def encode_length(n: int) -> bytes:
    """BER definite length."""
    if n < 0:
        raise ValueError("negative length")
    if n < 0x80:
        return bytes((n,))
    body = n.to_bytes((n.bit_length() + 7) // 8, "big")
    if len(body) > 4:
        raise ValueError("length too large")
    return bytes((0x80 | len(body),)) + body


def encode_tag(tag: int) -> bytes:
    return tag.to_bytes((tag.bit_length() + 7) // 8 or 1, "big")


def encode(tag: int, value: bytes) -> bytes:
    """One data object, ``tag ‖ length ‖ value``."""
    return encode_tag(tag) + encode_length(len(value)) + value


def read_header(data: bytes, offset: int = 0) -> tuple[int, int, int]:
    """Decode the tag and length at ``offset``.

    :returns: ``(tag, length, value_offset)``.
    :raises TlvError: truncated or malformed header.
    """
    end = len(data)
    if offset >= end:
        raise TlvError("TLV header truncated")
    i = offset
    tag = data[i]
    i += 1
    if tag & 0x1F == 0x1F:
        # Multi-byte tag: subsequent bytes with b8 set continue it (limit 3 bytes total).
        for _ in range(2):
            if i >= end:
                raise TlvError("TLV tag truncated")
            tag = tag << 8 | data[i]
            i += 1
            if not data[i - 1] & 0x80:
                break
        else:
            raise TlvError("TLV tag longer than 3 bytes")
    if i >= end:
        raise TlvError("TLV length missing")
    first = data[i]
    i += 1
    if first < 0x80:
        length = first
    elif first == 0x80:
        raise TlvError("indefinite length not allowed")
    else:
        n = first & 0x7F
        if n > 4 or i + n > end:
            raise TlvError("TLV length field malformed")
        length = int.from_bytes(data[i : i + n], "big")
        i += n
    return tag, length, i


def parse_one(data: bytes, offset: int = 0) -> tuple[Tlv, int]:
    """Decode one data object at ``offset``; returns it and the offset after it.

    :raises TlvError: the object runs past the end of ``data``.
    """
    tag, length, start = read_header(data, offset)
    stop = start + length
    if stop > len(data):
        raise TlvError("TLV value truncated")
    return Tlv(tag, bytes(data[start:stop]), bytes(data[offset:stop])), stop


def iterate(data: bytes, *, stop_at_padding: bool = False) -> Iterator[Tlv]:
    """Decode consecutive data objects.

    :param stop_at_padding: stop quietly at the first ``00`` or ``FF`` tag byte, which is how
        fixed-size card files pad the space after their last object.
    """
    offset = 0
    while offset < len(data):
        if stop_at_padding and data[offset] in (0x00, 0xFF):
            return
        tlv, offset = parse_one(data, offset)
        yield tlv


def parse_all(data: bytes, *, stop_at_padding: bool = False) -> list[Tlv]:
    """All data objects in ``data`` (see :func:`iterate`)."""
    return list(iterate(data, stop_at_padding=stop_at_padding))


def find(data: bytes, tag: int, *, stop_at_padding: bool = False) -> Tlv | None:
    """The first top-level data object with ``tag``, or ``None``."""
    for tlv in iterate(data, stop_at_padding=stop_at_padding):
        if tlv.tag == tag:
            return tlv
    return None
