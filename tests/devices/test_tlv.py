from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.smartcard import tlv


@pytest.mark.parametrize(
    ("raw", "tag", "value"),
    [
        ("5f1f0141", 0x5F1F, b"A"),
        ("c00430303031", 0xC0, b"0001"),
        ("86820003aabbcc", 0x86, bytes.fromhex("aabbcc")),
        ("7f610100", 0x7F61, b"\x00"),
    ],
)
def test_parse_one(raw: str, tag: int, value: bytes) -> None:
    obj, end = tlv.parse_one(bytes.fromhex(raw))
    assert (obj.tag, obj.value, end) == (tag, value, len(bytes.fromhex(raw)))


def test_length_forms() -> None:
    assert tlv.encode_length(0x7F) == b"\x7f"
    assert tlv.encode_length(0x80) == b"\x81\x80"
    assert tlv.encode_length(7000) == b"\x82\x1b\x58"
    with pytest.raises(ValueError):
        tlv.encode_length(-1)


def test_padding_stops_iteration() -> None:
    data = tlv.encode(0xD7, b"0") + bytes(10)
    assert [t.tag for t in tlv.iterate(data, stop_at_padding=True)] == [0xD7]
    with pytest.raises(tlv.TlvError):
        tlv.parse_all(b"\x00\x05")  # without the flag, zeros are a truncated object


@pytest.mark.parametrize("raw", ["7f61810201", "86", "5f", "868300", "8680", "9f8181810100"])
def test_malformed(raw: str) -> None:
    with pytest.raises(tlv.TlvError):
        tlv.parse_one(bytes.fromhex(raw))


tags = st.sampled_from([0x01, 0x86, 0xC0, 0x5F1F, 0x7F61, 0x5F2E, 0x7F2E])


@given(st.lists(st.tuples(tags, st.binary(max_size=300)), max_size=5))
def test_roundtrip(objects: list[tuple[int, bytes]]) -> None:
    encoded = b"".join(tlv.encode(t, v) for t, v in objects)
    assert [(o.tag, o.value) for o in tlv.parse_all(encoded)] == objects


@given(st.binary(max_size=64))
def test_fuzz_only_tlv_errors(data: bytes) -> None:
    try:
        for obj in tlv.iterate(data):
            assert obj.raw.endswith(obj.value)
    except tlv.TlvError as e:
        assert e.code == "DOC-TLV"
