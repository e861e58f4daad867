from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from devices.smartcard.apdu import LE_MAX, BasicProcessor, CommandApdu, check, parse_command
from devices.smartcard.base import SW, ApduError, CardCommunicationError, sw_name


@pytest.mark.parametrize(
    ("command", "encoded"),
    [
        (CommandApdu(0, 0xA4, 0, 0, b"\x3f\x00"), "00a40000023f00"),
        (CommandApdu(0, 0x84, 0, 0, le=8), "0084000008"),
        (CommandApdu(0, 0xB0, 0x8B, 0, le=256), "00b08b0000"),
        (CommandApdu(0, 0xB0, 0x82, 0, le=LE_MAX, extended=True), "00b08200000000"),
        (CommandApdu(0, 0xB0, 0, 0, le=1000), "00b000000003e8"),
        (CommandApdu(0, 0x82, 0, 0, bytes(40), le=LE_MAX), "0082000028" + "00" * 40 + "00"),
        (
            CommandApdu(8, 0xB0, 0x85, 0, bytes.fromhex("96020000"), le=LE_MAX, extended=True),
            "08b08500000004960200000000",
        ),
        (CommandApdu(0, 0xD6, 0, 0, bytes(300)), "00d6000000012c" + "00" * 300),
    ],
)
def test_encoding(command: CommandApdu, encoded: str) -> None:
    assert command.to_bytes().hex() == encoded


def test_rejects_bad_fields() -> None:
    with pytest.raises(ValueError):
        CommandApdu(0x100, 0, 0, 0)
    with pytest.raises(ValueError):
        CommandApdu(0, 0, 0, 0, le=0)


@given(
    st.integers(0, 255),
    st.integers(0, 255),
    st.binary(max_size=400),
    st.one_of(st.none(), st.integers(1, 65536)),
    st.booleans(),
)
def test_parse_roundtrip(ins: int, p1: int, data: bytes, le: int | None, ext: bool) -> None:
    command = CommandApdu(0x00, ins, p1, 0x00, data, le, extended=ext)
    parsed = parse_command(command.to_bytes())
    assert (parsed.ins, parsed.p1, parsed.data) == (ins, p1, data)
    assert parsed.to_bytes() == command.to_bytes()


@given(st.binary(max_size=40))
def test_parse_fuzz(raw: bytes) -> None:
    try:
        parse_command(raw)
    except ValueError:
        pass


def test_get_response_chaining(scripted) -> None:
    conn = scripted(
        [
            ("00b0000000", "aa" * 10, 0x6105),
            ("00c0000005", "bb" * 5, 0x6102),
            ("00c0000002", "cccc", 0x9000),
        ]
    )
    response = BasicProcessor(conn).send(CommandApdu(0, 0xB0, 0, 0, le=256))
    assert response.data == bytes.fromhex("aa" * 10 + "bb" * 5 + "cccc")
    assert response.ok
    conn.assert_done()


def test_wrong_le_is_resent(scripted) -> None:
    conn = scripted([("00b0000010", "", 0x6C04), ("00b0000004", "01020304", 0x9000)])
    processor = BasicProcessor(conn)
    assert check(processor.send(CommandApdu(0, 0xB0, 0, 0, le=16))) == b"\x01\x02\x03\x04"
    assert processor.sent == 2


def test_endless_chaining_is_an_error(scripted) -> None:
    conn = scripted([("0084000008", "", 0x6101)] + [("00c0000001", "00", 0x6101)] * 3)
    with pytest.raises(CardCommunicationError):
        BasicProcessor(conn, max_chain=2).send(CommandApdu(0, 0x84, 0, 0, le=8))


def test_status_words_become_apdu_errors(scripted) -> None:
    conn = scripted([("00b0810000", "", 0x6982)])
    with pytest.raises(ApduError) as info:
        check(BasicProcessor(conn).send(CommandApdu(0, 0xB0, 0x81, 0, le=256)))
    assert info.value.sw == SW.SECURITY_CONDITION_NOT_SATISFIED
    assert info.value.code == "DOC-CARD-SW"
    assert "SECURITY_CONDITION_NOT_SATISFIED" in str(info.value)
    assert sw_name(0x6199) == "6199"
