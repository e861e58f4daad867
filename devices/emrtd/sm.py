"""ICAO 9303-11 §9.8 secure messaging: DO'87'/'85' cryptogram, DO'97' Le, DO'99' status and
DO'8E' MAC with a send sequence counter, for 3DES (retail MAC) and AES (CMAC).

It wraps another :class:`~devices.smartcard.apdu.ApduProcessor`, the way the residence
card's encryption-only :class:`~devices.smartcard.sm.ConfidentialSmProcessor` does; the two
differ in MAC, counter and IV handling, so they are separate classes.
"""

from __future__ import annotations

import hmac
import logging

from devices.emrtd.crypto import SmCipher
from devices.smartcard import tlv
from devices.smartcard.apdu import (
    EXTENDED_MAX,
    LE_MAX,
    SHORT_MAX_LE,
    ApduProcessor,
    CommandApdu,
    ResponseApdu,
)
from devices.smartcard.base import SW, SecureMessagingError
from devices.smartcard.ciphers import AesCipher, BlockCipher, pad, unpad

logger = logging.getLogger(__name__)

_CLA_SM = 0x0C


def icao_mac(cipher: BlockCipher, data: bytes) -> bytes:
    """The 8-byte SM MAC over ``data`` padded with method 2.

    3DES's retail MAC pads itself; CMAC is run over the explicitly padded data, as
    ICAO 9303-11 §9.8.6 specifies for AES.
    """
    if isinstance(cipher, AesCipher):
        return cipher.mac(pad(data, 16))
    return cipher.mac(data)


class IcaoSmProcessor:
    """Secure messaging with session keys from BAC, PACE or Chip Authentication.

    :param inner: the processor that puts APDUs on the wire.
    :param suite: 3DES or AES-128/192/256.
    :param ks_enc: the encryption session key.
    :param ks_mac: the MAC session key.
    :param ssc: the initial send sequence counter (BAC: from the nonces; PACE and CA: 0).
    """

    def __init__(
        self, inner: ApduProcessor, suite: SmCipher, ks_enc: bytes, ks_mac: bytes, ssc: int = 0
    ) -> None:
        self.inner = inner
        self.restart(suite, ks_enc, ks_mac, ssc)

    def restart(self, suite: SmCipher, ks_enc: bytes, ks_mac: bytes, ssc: int = 0) -> None:
        """Switch to new session keys (after Chip Authentication) and reset the counter."""
        self.suite = suite
        self._enc = suite.cipher(ks_enc)
        self._mac = suite.cipher(ks_mac)
        self.ssc = ssc

    @property
    def _block(self) -> int:
        return self._enc.block_size

    def _ssc_bytes(self) -> bytes:
        return self.ssc.to_bytes(self._block, "big")

    def _iv(self) -> bytes:
        # §9.8.6.1: AES uses IV = E(KSenc, SSC); 3DES uses a zero IV.
        if isinstance(self._enc, AesCipher):
            return self._enc.encrypt_block(self._ssc_bytes())
        return bytes(8)

    def _bump(self) -> None:
        self.ssc = (self.ssc + 1) % (1 << (8 * self._block))

    def wrap(self, command: CommandApdu) -> CommandApdu:
        """Protect ``command`` (increments the counter)."""
        self._bump()
        header = bytes((command.cla | _CLA_SM, command.ins, command.p1, command.p2))
        odd = bool(command.ins & 1)
        body = b""
        if command.data:
            cryptogram = self._enc.encrypt(pad(command.data, self._block), self._iv())
            # Odd INS carries BER-TLV data: DO'85' without the padding-content indicator.
            body += tlv.encode(0x85, cryptogram) if odd else tlv.encode(0x87, b"\x01" + cryptogram)
        extended = command.needs_extended
        if command.le is not None:
            le = command.le
            if le == LE_MAX:
                le_bytes = b"\x00\x00" if extended else b"\x00"
            elif le > SHORT_MAX_LE:
                extended = True
                le_bytes = (0 if le == EXTENDED_MAX else le).to_bytes(2, "big")
            else:
                le_bytes = bytes((le % SHORT_MAX_LE,))
            body += tlv.encode(0x97, le_bytes)
        mac = icao_mac(self._mac, self._ssc_bytes() + pad(header, self._block) + body)
        body += tlv.encode(0x8E, mac)
        return CommandApdu(
            header[0],
            command.ins,
            command.p1,
            command.p2,
            body,
            LE_MAX,
            extended=extended or len(body) > 255,
        )

    def unwrap(self, response: ResponseApdu) -> ResponseApdu:
        """Check and decrypt a protected response (increments the counter).

        :raises SecureMessagingError: missing or wrong MAC, bad padding or structure, or
            the chip's own SM error (69 87, 69 88), after which its session is gone.
        """
        self._bump()
        if not response.data:
            if response.sw in (SW.SM_DATA_OBJECTS_MISSING, SW.SM_DATA_OBJECTS_INCORRECT):
                raise SecureMessagingError(f"chip rejected secure messaging ({response.sw:04X})")
            # An unprotected error: the chip has left SM (9303-11 §9.8.4); pass the status on.
            return response
        try:
            objects = tlv.parse_all(response.data)
        except tlv.TlvError as e:
            raise SecureMessagingError("SM response is not BER-TLV") from e
        macced = b""
        cryptogram: tuple[int, bytes] | None = None
        status: int | None = None
        mac: bytes | None = None
        for obj in objects:
            if mac is not None:
                raise SecureMessagingError("data after DO'8E'")
            if obj.tag in (0x85, 0x87):
                cryptogram = (obj.tag, obj.value)
            elif obj.tag == 0x99:
                if len(obj.value) != 2:
                    raise SecureMessagingError("DO'99' is not two bytes")
                status = int.from_bytes(obj.value, "big")
            elif obj.tag == 0x8E:
                mac = obj.value
                continue
            else:
                raise SecureMessagingError(f"unexpected SM data object {obj.tag:X}")
            macced += obj.raw
        if mac is None:
            raise SecureMessagingError("SM response without DO'8E'")
        expected = icao_mac(self._mac, self._ssc_bytes() + macced)
        if not hmac.compare_digest(mac, expected):
            raise SecureMessagingError("SM response MAC does not verify")
        data = b""
        if cryptogram is not None:
            tag, value = cryptogram
            if tag == 0x87:
                if not value or value[0] != 0x01:
                    raise SecureMessagingError("DO'87' without padding indicator 01")
                value = value[1:]
            if not value or len(value) % self._block:
                raise SecureMessagingError("SM cryptogram length is not a block multiple")
            data = unpad(self._enc.decrypt(value, self._iv()))
        return ResponseApdu(data, status if status is not None else response.sw)

    def send(self, command: CommandApdu) -> ResponseApdu:
        before = self.ssc
        response = self.inner.send(self.wrap(command))
        if response.sw == SW.WRONG_LENGTH and not response.data:
            # The reader (not the chip) refused an extended APDU: the chip never saw the
            # command, so its counter did not move either.
            self.ssc = before
            return response
        return self.unwrap(response)
