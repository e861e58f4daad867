"""ResidenceCardSession: the card's command set, in the terms of the specification.

It speaks through an :class:`~devices.smartcard.apdu.ApduProcessor` and knows nothing about
PC/SC. Status words become the errors below, one layer at a time.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import threading
from collections.abc import Callable

from devices.residence_card import files
from devices.smartcard.apdu import LE_MAX, ApduProcessor, CommandApdu, ResponseApdu, check
from devices.smartcard.base import SW, ApduError, CardCommunicationError
from devices.smartcard.ciphers import AesCipher, BlockCipher, Des3Cipher, pad
from devices.smartcard.sm import ConfidentialSmProcessor
from workstation.errors import CaptureCancelled, ChipAuthenticationFailed
from workstation.residence_card import CardType

logger = logging.getLogger(__name__)

# Short reads stay below 224 plaintext bytes so that the SM answer (86 81 E9 01 + 232)
# still fits a short response.
_CHUNK = 0xDF


class CardNumberRejected(ChipAuthenticationFailed):
    """The chip answered 63 00: the card number does not belong to this card."""

    code = "DOC-CARD-NUMBER-REJECTED"


class CardAuthenticationError(ChipAuthenticationFailed):
    """The chip's own authentication response did not verify (MAC or nonce mismatch)."""

    code = "DOC-CARD-AUTH-RESPONSE"


def base_key(card_number: str) -> bytes:
    """Kenc = Kmac = first 16 bytes of SHA-1 over the 12 ASCII characters (§5, Appendix 1).

    :param card_number: a validated card number (see ``parse_card_number``).
    """
    return hashlib.sha1(card_number.encode("ascii")).digest()[:16]  # noqa: S324  (spec-mandated)


def session_key(k_ifd: bytes, k_icc: bytes) -> bytes:
    """KSenc = first 16 bytes of SHA-1((K.IFD xor K.ICC) ‖ 00 00 00 01)."""
    seed = bytes(a ^ b for a, b in zip(k_ifd, k_icc, strict=True))
    return hashlib.sha1(seed + b"\x00\x00\x00\x01").digest()[:16]  # noqa: S324


def cipher_for(generation: int, key: bytes) -> BlockCipher:
    """3DES for generation 1, AES-128 for generation 2."""
    return Des3Cipher(key) if generation == 1 else AesCipher(key)


class ResidenceCardSession:
    """One conversation with a residence card.

    :param processor: the plain APDU processor for the connection.
    :param random: source of RND.IFD and K.IFD (tests inject fixed bytes).
    """

    def __init__(
        self,
        processor: ApduProcessor,
        random: Callable[[int], bytes] = os.urandom,
    ) -> None:
        self.plain = processor
        self._random = random
        self._secure: ConfidentialSmProcessor | None = None
        self.extended = True
        """Whether extended-length APDUs are used; cleared when the card or reader refuses."""

    # Files without authentication

    def select_mf(self) -> None:
        check(self.plain.send(CommandApdu(0x00, 0xA4, 0x00, 0x00, b"\x3f\x00")))

    def select_df(self, aid: bytes) -> None:
        """SELECT FILE by DF name, P2=0C (no FCI)."""
        check(self.plain.send(CommandApdu(0x00, 0xA4, 0x04, 0x0C, aid)))

    def read_tlv_file(self, sfi: int) -> bytes:
        """Read a small free file whose size differs between generations (MF/EF01, EF02).

        The 2-byte header comes first and then exactly the announced length, so a 3-byte
        (generation 1) and a 4-byte (generation 2) card-type file both read correctly.
        """
        header = check(self.plain.send(CommandApdu(0x00, 0xB0, 0x80 | sfi, 0, le=2)))
        if len(header) != 2 or header[1] > 0x7F:
            raise CardCommunicationError("unexpected header in a small card file")
        if header[1] == 0:
            return header
        rest = check(self.plain.send(CommandApdu(0x00, 0xB0, 0x00, 0x02, le=header[1])))
        return header + rest

    def card_type(self) -> tuple[CardType, str]:
        """Read the card type and specification version (free files in the MF)."""
        version = files.parse_version(self.read_tlv_file(files.SFI_VERSION))
        return files.parse_card_type(self.read_tlv_file(files.SFI_CARD_TYPE)), version

    # Authentication

    def authenticate(self, card_number: str, generation: int) -> None:
        """GET CHALLENGE, MUTUAL AUTHENTICATE and VERIFY with the card number.

        :param card_number: a validated 12-character number.
        :param generation: 1 (3DES, retail MAC) or 2 (AES-128, CMAC).
        :raises CardNumberRejected: the card answered 63 00.
        :raises CardAuthenticationError: the card's answer failed its MAC or nonce check.
        """
        key = cipher_for(generation, base_key(card_number))
        rnd_icc = check(self.plain.send(CommandApdu(0x00, 0x84, 0x00, 0x00, le=8)))
        if len(rnd_icc) != 8:
            raise CardCommunicationError("challenge is not 8 bytes")
        rnd_ifd, k_ifd = self._random(8), self._random(16)
        e_ifd = key.encrypt(rnd_ifd + rnd_icc + k_ifd)
        command = CommandApdu(0x00, 0x82, 0x00, 0x00, e_ifd + key.mac(e_ifd), le=LE_MAX)
        response = self.plain.send(command)
        if response.sw == SW.VERIFICATION_FAILED:
            raise CardNumberRejected("mutual authentication refused")
        body = check(response)
        if len(body) != 40:
            raise CardCommunicationError("mutual authentication answer is not 40 bytes")
        e_icc, m_icc = body[:32], body[32:]
        if not hmac.compare_digest(key.mac(e_icc), m_icc):
            raise CardAuthenticationError("card MAC did not verify")
        plain = key.decrypt(e_icc)
        if plain[:8] != rnd_icc or plain[8:16] != rnd_ifd:
            raise CardAuthenticationError("card nonces did not match")
        ks_enc = session_key(k_ifd, plain[16:32])
        self._secure = ConfidentialSmProcessor(self.plain, cipher_for(generation, ks_enc))
        # VERIFY carries DO'86' with the encrypted card number, built by the SM processor.
        verify = self._secure.send(CommandApdu(0x00, 0x20, 0x00, 0x86, card_number.encode()))
        if verify.sw == SW.VERIFICATION_FAILED:
            self._secure = None
            raise CardNumberRejected("card number verification refused")
        check(verify)

    def verify_ciphertext(self, generation: int, ks_enc: bytes, card_number: str) -> bytes:
        """The VERIFY cryptogram for a given KSenc (used to compare with published vectors)."""
        cipher = cipher_for(generation, ks_enc)
        return cipher.encrypt(pad(card_number.encode(), cipher.block_size))

    # Reading

    def read_file(self, sfi: int, secure: bool, stop: threading.Event | None = None) -> bytes:
        """Read a whole EF by short file identifier.

        One extended READ BINARY (Le 00 00) first; if the card or reader answers 67 00,
        fall back to short reads of at most 223 bytes for the rest of the session.

        :param secure: send it under secure messaging (required for DF1).
        :raises ApduError: any status other than 9000.
        """
        processor: ApduProcessor = self.plain
        if secure:
            if self._secure is None:
                raise ApduError(SW.CONDITIONS_NOT_SATISFIED, detail="not authenticated")
            processor = self._secure
        if self.extended:
            if isinstance(processor, ConfidentialSmProcessor):
                processor.extended = True
            command = CommandApdu(0x00, 0xB0, 0x80 | sfi, 0, le=LE_MAX, extended=True)
            response = processor.send(command)
            if response.sw != SW.WRONG_LENGTH:
                return check(response)
            logger.info("extended length refused; reading in short pieces")
            self.extended = False
        if isinstance(processor, ConfidentialSmProcessor):
            processor.extended = False
        return self._read_chunked(processor, sfi, stop)

    def _read_chunked(
        self, processor: ApduProcessor, sfi: int, stop: threading.Event | None
    ) -> bytes:
        out = bytearray()
        while True:
            if stop is not None and stop.is_set():
                raise CaptureCancelled("read cancelled")
            offset = len(out)
            if offset == 0:
                command = CommandApdu(0x00, 0xB0, 0x80 | sfi, 0, le=_CHUNK)
            elif offset <= 0x7FFF:
                # §4.2.5: P1 b8=0 gives a 15-bit offset into the now-current EF.
                command = CommandApdu(0x00, 0xB0, offset >> 8, offset & 0xFF, le=_CHUNK)
            else:
                raise CardCommunicationError("file larger than a 15-bit offset")
            response: ResponseApdu = processor.send(command)
            if response.sw in (SW.WRONG_P1P2, SW.END_OF_FILE_WARNING) and offset:
                out += response.data
                return bytes(out)
            out += check(response)
            if len(response.data) < _CHUNK:
                return bytes(out)
