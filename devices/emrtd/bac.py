"""Basic Access Control (ICAO 9303-11 §4.3): keys from the MRZ, mutual authentication.

BAC is the legacy protocol; PACE replaces it. The reader reports which one was used, so
the UI can warn when a document was only opened with BAC.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable

from devices.emrtd.crypto import SmCipher, kdf
from devices.emrtd.errors import AccessDenied, ChipResponseInvalid
from devices.emrtd.sm import IcaoSmProcessor
from devices.smartcard.apdu import ApduProcessor, CommandApdu, check
from devices.smartcard.base import SW, CardCommunicationError
from devices.smartcard.ciphers import Des3Cipher
from workstation.documents import MrzAccessKey, check_digit

_DENIED = (SW.VERIFICATION_FAILED, SW.SECURITY_CONDITION_NOT_SATISFIED, SW.WRONG_DATA)


def mrz_information(key: MrzAccessKey) -> str:
    """Document number (padded to 9 with ``<``), birth date and expiry date, each with its
    check digit (ICAO 9303-11 §9.7.2)."""
    number = key.document_number.upper().ljust(9, "<")
    birth, expiry = key.birth_date, key.expiry_date
    return number + check_digit(number) + birth + check_digit(birth) + expiry + check_digit(expiry)


def key_seed(key: MrzAccessKey) -> bytes:
    """K_seed = the first 16 bytes of SHA-1(MRZ_information)."""
    return hashlib.sha1(mrz_information(key).encode("ascii")).digest()[:16]  # noqa: S324


def document_keys(key: MrzAccessKey) -> tuple[bytes, bytes]:
    """(K_enc, K_mac) for the mutual authentication, parity bits unadjusted."""
    seed = key_seed(key)
    return kdf(seed, 1, SmCipher.DES3), kdf(seed, 2, SmCipher.DES3)


def authenticate(
    processor: ApduProcessor, key: MrzAccessKey, random: Callable[[int], bytes]
) -> IcaoSmProcessor:
    """GET CHALLENGE and EXTERNAL AUTHENTICATE; returns the 3DES SM processor.

    The eMRTD application must already be selected (plain SELECT).

    :raises AccessDenied: the chip refused the MRZ-derived keys.
    :raises ChipResponseInvalid: the chip's cryptogram failed its MAC or nonce check.
    """
    k_enc, k_mac = document_keys(key)
    enc, mac = Des3Cipher(k_enc), Des3Cipher(k_mac)
    rnd_ic = check(processor.send(CommandApdu(0x00, 0x84, 0x00, 0x00, le=8)))
    if len(rnd_ic) != 8:
        raise CardCommunicationError("challenge is not 8 bytes")
    rnd_ifd, k_ifd = random(8), random(16)
    e_ifd = enc.encrypt(rnd_ifd + rnd_ic + k_ifd)
    response = processor.send(CommandApdu(0x00, 0x82, 0x00, 0x00, e_ifd + mac.mac(e_ifd), le=40))
    if response.sw in _DENIED:
        raise AccessDenied("BAC mutual authentication refused")
    body = check(response)
    if len(body) != 40:
        raise ChipResponseInvalid("BAC answer is not 40 bytes")
    e_ic, m_ic = body[:32], body[32:]
    if not hmac.compare_digest(mac.mac(e_ic), m_ic):
        raise ChipResponseInvalid("BAC answer MAC does not verify")
    plain = enc.decrypt(e_ic)
    if plain[:8] != rnd_ic or plain[8:16] != rnd_ifd:
        raise ChipResponseInvalid("BAC answer nonces do not match")
    seed = bytes(a ^ b for a, b in zip(k_ifd, plain[16:32], strict=True))
    ssc = int.from_bytes(rnd_ic[4:] + rnd_ifd[4:], "big")
    return IcaoSmProcessor(
        processor,
        SmCipher.DES3,
        kdf(seed, 1, SmCipher.DES3),
        kdf(seed, 2, SmCipher.DES3),
        ssc,
    )
