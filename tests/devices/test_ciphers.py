"""Cipher and MAC primitives against the residence-card specification's published vectors."""

from __future__ import annotations

import pytest

from devices.residence_card.session import base_key, session_key
from devices.smartcard.base import SecureMessagingError
from devices.smartcard.ciphers import AesCipher, Des3Cipher, pad, unpad

RND_IFD = bytes.fromhex("1122334455667788")
K_IFD = bytes.fromhex("404142434445464748494A4B4C4D4E4F")


def test_gen1_appendix2_primitives() -> None:
    key = base_key("AA12345678BB")
    assert key.hex().upper() == "6522B4E171195BB218223A976C040111"
    cipher = Des3Cipher(key)
    rnd_icc = bytes.fromhex("5A6E7E385162B7A3")
    e_ifd = cipher.encrypt(RND_IFD + rnd_icc + K_IFD)
    assert e_ifd.hex().upper() == (
        "937745C20883A1BAD1E04193722A1592378F81A8F1DC589157AEB0F7544FA1BA"
    )
    assert cipher.mac(e_ifd).hex().upper() == "1AD7FB6A3389E017"
    e_icc = bytes.fromhex("5860775B4D032CC564BA204B8EA868F694A74E7475A8FEF240588BDA1AF496CE")
    assert cipher.mac(e_icc).hex().upper() == "59388FD6CD45248B"
    k_icc = cipher.decrypt(e_icc)[16:]
    assert k_icc.hex().upper() == "19D049490FFF52EEDBFCB930BC810ED0"
    ks_enc = session_key(K_IFD, k_icc)
    assert ks_enc.hex().upper() == "CE94938E19E3B97DF96EABCEDC1715CC"
    verify = Des3Cipher(ks_enc).encrypt(pad(b"AA12345678BB", 8))
    assert verify.hex().upper() == "1AA82973DB959A811F9711D728F0EEF6"


def test_gen2_vectors() -> None:
    cipher = AesCipher(base_key("AA12345678BB"))
    rnd_icc = bytes.fromhex("921CE277323DA057")
    e_ifd = cipher.encrypt(RND_IFD + rnd_icc + K_IFD)
    assert e_ifd.hex().upper() == (
        "4AD3C7B6BB484A52771977DED618B41DF841FA0476A05FBE041DEAD6109E773B"
    )
    assert cipher.mac(e_ifd).hex().upper() == "AC854617634F5397"
    e_icc = bytes.fromhex("289A96B1DA6AE3DA87770419BFD14F0BDAD15F36432B5A946C188C7221759A62")
    assert cipher.mac(e_icc).hex().upper() == "FA942EC51E62FF5F"
    k_icc = cipher.decrypt(e_icc)[16:]
    assert k_icc.hex().upper() == "2CC6AF9B8B607C662FDCAD27B401D08B"
    ks_enc = session_key(K_IFD, k_icc)
    assert ks_enc.hex().upper() == "C19CF13D3D7FBEE9EA293D834C88952F"
    verify = AesCipher(ks_enc).encrypt(pad(b"AA12345678BB", 16))
    assert verify.hex().upper() == "EE0B31EF877F68D071C56D58C72E6748"


def test_padding() -> None:
    assert pad(b"", 8) == bytes.fromhex("8000000000000000")
    assert pad(bytes(8), 8) == bytes(8) + bytes.fromhex("8000000000000000")
    assert unpad(pad(b"abc", 16)) == b"abc"
    with pytest.raises(SecureMessagingError):
        unpad(bytes(8))


def test_bad_sizes() -> None:
    with pytest.raises(ValueError):
        Des3Cipher(bytes(8))
    with pytest.raises(ValueError):
        AesCipher(bytes(15))
    with pytest.raises(SecureMessagingError):
        Des3Cipher(bytes(16)).encrypt(bytes(7))
