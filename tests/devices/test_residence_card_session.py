"""ResidenceCardSession against scripted APDUs, including the official Appendix 2 exchange."""

from __future__ import annotations

import pytest

from devices.emulators.residence_card import fixed_random
from devices.residence_card.files import AID_DF1, AID_DF3
from devices.residence_card.session import (
    CardAuthenticationError,
    CardNumberRejected,
    ResidenceCardSession,
)
from devices.smartcard import tlv
from devices.smartcard.apdu import BasicProcessor
from devices.smartcard.base import ApduError
from devices.smartcard.ciphers import Des3Cipher, pad
from workstation.errors import ChipAuthenticationFailed
from workstation.residence_card import CardType

RND_IFD = bytes.fromhex("1122334455667788")
K_IFD = bytes.fromhex("404142434445464748494A4B4C4D4E4F")
KS_ENC = bytes.fromhex("CE94938E19E3B97DF96EABCEDC1715CC")
E_ICC_M_ICC = (
    "5860775B4D032CC564BA204B8EA868F694A74E7475A8FEF240588BDA1AF496CE" + "59388FD6CD45248B"
)
AUTH_SCRIPT = [
    ("0084000008", "5A6E7E385162B7A3", 0x9000),
    (
        "0082000028"
        "937745C20883A1BAD1E04193722A1592378F81A8F1DC589157AEB0F7544FA1BA"
        "1AD7FB6A3389E017"
        "00",
        E_ICC_M_ICC,
        0x9000,
    ),
    ("08200086138611011AA82973DB959A811F9711D728F0EEF6", "", 0x9000),
]


def _sm_response(plain: bytes) -> bytes:
    return tlv.encode(0x86, b"\x01" + Des3Cipher(KS_ENC).encrypt(pad(plain, 8)))


def test_appendix2_byte_for_byte(scripted) -> None:
    front = tlv.encode(0xD0, bytes(range(256)) * 27 + bytes(88))
    face = tlv.encode(0xD1, b"\x55" * 3000)
    signature = tlv.encode(0xDA, b"\x01" * 256) + tlv.encode(0xDB, bytes(1200))
    front_response = _sm_response(front)
    # The spec's response headers: 86 82 1B 61 01 + 7008, and 86 82 0B C1 01 + 3008.
    assert front_response[:5].hex() == "86821b6101" and len(front_response) == 5 + 7008
    assert _sm_response(face)[:5].hex() == "86820bc101"
    conn = scripted(
        [
            *AUTH_SCRIPT,
            ("00A4040C10" + AID_DF1.hex(), "", 0x9000),
            ("08B08500000004960200000000", front_response, 0x9000),
            ("08B08600000004960200000000", _sm_response(face), 0x9000),
            ("00A4040C10" + AID_DF3.hex(), "", 0x9000),
            ("00B08200000000", signature, 0x9000),
        ]
    )
    session = ResidenceCardSession(BasicProcessor(conn), fixed_random(RND_IFD, K_IFD))
    session.authenticate("AA12345678BB", 1)
    session.select_df(AID_DF1)
    assert session.read_file(0x05, secure=True) == front
    assert session.read_file(0x06, secure=True) == face
    session.select_df(AID_DF3)
    assert session.read_file(0x02, secure=False) == signature
    conn.assert_done()


def test_card_type_reads_header_then_value(scripted) -> None:
    conn = scripted(
        [
            ("00b08b0002", "c004", 0x9000),
            ("00b0000204", "30303032", 0x9000),
            ("00b08a0002", "c102", 0x9000),
            ("00b0000202", "3035", 0x9000),
        ]
    )
    session = ResidenceCardSession(BasicProcessor(conn))
    assert session.card_type() == (CardType.RESIDENCE_CARD_GEN2, "0002")
    conn.assert_done()


def test_wrong_number_is_rejected_at_mutual_authentication(scripted) -> None:
    script = [AUTH_SCRIPT[0], (AUTH_SCRIPT[1][0], "", 0x6300)]
    session = ResidenceCardSession(BasicProcessor(scripted(script)), fixed_random(RND_IFD, K_IFD))
    with pytest.raises(CardNumberRejected) as info:
        session.authenticate("AA12345678BB", 1)
    assert isinstance(info.value, ChipAuthenticationFailed)


def test_verify_mismatch_is_rejected(scripted) -> None:
    script = [*AUTH_SCRIPT[:2], (AUTH_SCRIPT[2][0], "", 0x6300)]
    session = ResidenceCardSession(BasicProcessor(scripted(script)), fixed_random(RND_IFD, K_IFD))
    with pytest.raises(CardNumberRejected):
        session.authenticate("AA12345678BB", 1)


def test_bad_card_mac_is_detected(scripted) -> None:
    bad = E_ICC_M_ICC[:-2] + "00"
    script = [AUTH_SCRIPT[0], (AUTH_SCRIPT[1][0], bad, 0x9000)]
    session = ResidenceCardSession(BasicProcessor(scripted(script)), fixed_random(RND_IFD, K_IFD))
    with pytest.raises(CardAuthenticationError):
        session.authenticate("AA12345678BB", 1)


def test_short_read_fallback_when_extended_is_refused(scripted) -> None:
    content = bytes(range(256)) + bytes(range(200))  # 456 bytes: 223 + 223 + 10
    conn = scripted(
        [
            ("00b08100000000", "", 0x6700),
            ("00b08100df", content[:223], 0x9000),
            ("00b000dfdf", content[223:446], 0x9000),
            ("00b001bedf", content[446:], 0x9000),
        ]
    )
    session = ResidenceCardSession(BasicProcessor(conn))
    assert session.read_file(0x01, secure=False) == content
    assert session.extended is False
    conn.assert_done()


def test_secure_read_needs_authentication(scripted) -> None:
    session = ResidenceCardSession(BasicProcessor(scripted([])))
    with pytest.raises(ApduError):
        session.read_file(0x05, secure=True)
