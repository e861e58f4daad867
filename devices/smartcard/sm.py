"""Secure-messaging processors: each wraps another :class:`~devices.smartcard.apdu.ApduProcessor`.

:class:`ConfidentialSmProcessor` is the encryption-only SM of the Japanese residence card
(ISO/IEC 7816-4 DO'86' for data, DO'96' for Le, no MAC, no counter).
"""

from __future__ import annotations

import logging

from devices.smartcard import tlv
from devices.smartcard.apdu import (
    EXTENDED_MAX,
    LE_MAX,
    SHORT_MAX_LE,
    ApduProcessor,
    CommandApdu,
    ResponseApdu,
)
from devices.smartcard.base import SecureMessagingError
from devices.smartcard.ciphers import BlockCipher, pad, unpad

logger = logging.getLogger(__name__)

_CLA_SM = 0x08


class ConfidentialSmProcessor:
    """Encryption-only secure messaging (residence card, JIS X 6320-4 style).

    Command data becomes ``86 L 01 ‖ E(pad(data))``; Le becomes ``96 02 XX XX``.
    The response's DO'86' is decrypted and unpadded.

    :param inner: the processor that puts APDUs on the wire.
    :param cipher: :class:`~devices.smartcard.ciphers.Des3Cipher` (generation 1) or
        :class:`~devices.smartcard.ciphers.AesCipher` (generation 2), keyed with KSenc.
    :param extended: send extended-length APDUs (the card's documented form); set ``False``
        on readers that refuse them and keep each read under 224 bytes.
    """

    def __init__(self, inner: ApduProcessor, cipher: BlockCipher, extended: bool = True) -> None:
        self.inner = inner
        self.cipher = cipher
        self.extended = extended

    def send(self, command: CommandApdu) -> ResponseApdu:
        body = b""
        if command.data:
            encrypted = self.cipher.encrypt(pad(command.data, self.cipher.block_size))
            body += tlv.encode(0x86, b"\x01" + encrypted)
        le: int | None = None
        if command.le is not None:
            want = 0 if command.le in (LE_MAX, EXTENDED_MAX, SHORT_MAX_LE) else command.le
            body += tlv.encode(0x96, want.to_bytes(2, "big"))
            le = LE_MAX
        wrapped = CommandApdu(
            command.cla | _CLA_SM,
            command.ins,
            command.p1,
            command.p2,
            body,
            le,
            extended=self.extended and le is not None,
        )
        response = self.inner.send(wrapped)
        if not response.ok or not response.data:
            return response
        return ResponseApdu(self._unwrap(response.data), response.sw)

    def _unwrap(self, data: bytes) -> bytes:
        try:
            do86, end = tlv.parse_one(data)
        except tlv.TlvError as e:
            raise SecureMessagingError("SM response is not a DO'86'") from e
        if do86.tag != 0x86 or end != len(data) or not do86.value.startswith(b"\x01"):
            raise SecureMessagingError("SM response is not a single DO'86' with padding 01")
        body = do86.value[1:]
        if not body or len(body) % self.cipher.block_size:
            raise SecureMessagingError("SM cryptogram length is not a block multiple")
        return unpad(self.cipher.decrypt(body))
