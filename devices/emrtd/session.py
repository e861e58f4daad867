"""EmrtdSession: one conversation with an eMRTD chip, in ICAO 9303 terms.

It speaks through an :class:`~devices.smartcard.apdu.ApduProcessor` and knows nothing about
PC/SC. Status words become errors here, one layer at a time.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable

from devices.emrtd import bac, ecc, lds, pace
from devices.emrtd.authentication import key_agreement
from devices.emrtd.crypto import SmCipher, kdf
from devices.emrtd.errors import (
    BacNotAllowed,
    CanNeedsPace,
    LdsError,
    PaceError,
    UnsupportedKey,
)
from devices.emrtd.security_infos import (
    ChipAuthenticationInfo,
    ChipAuthenticationPublicKey,
    PaceInfo,
    oid_value,
    parse_security_infos,
)
from devices.emrtd.sm import IcaoSmProcessor
from devices.smartcard import tlv
from devices.smartcard.apdu import (
    LE_MAX,
    SHORT_MAX_LE,
    ApduProcessor,
    CommandApdu,
    ResponseApdu,
    check,
)
from devices.smartcard.base import SW, ApduError, CardCommunicationError
from workstation.documents import CanAccessKey, MrzAccessKey
from workstation.errors import CaptureCancelled
from workstation.passport import AccessMethod

logger = logging.getLogger(__name__)

SHORT_CHUNK = 0xDF
"""Short reads stay at 223 bytes so the protected answer fits 256 bytes (9303-10 §3.6.3)."""

EXTENDED_CHUNK = 0x7F00
"""Extended reads ask for up to 32512 bytes; chips and readers that refuse get short reads."""

_NO_FILE = (SW.FILE_NOT_FOUND, SW.SECURITY_CONDITION_NOT_SATISFIED, SW.INS_NOT_SUPPORTED)
_SUITE_PREFERENCE = (SmCipher.AES256, SmCipher.AES192, SmCipher.AES128, SmCipher.DES3)


def choose_pace(infos: tuple[PaceInfo, ...]) -> PaceInfo | None:
    """The strongest supported PACEInfo (AES-256 first, 3DES last), or ``None``."""
    usable = [i for i in infos if pace.supported(i) and i.suite is not None]
    usable.sort(key=lambda i: _SUITE_PREFERENCE.index(i.suite))
    return usable[0] if usable else None


class EmrtdSession:
    """One session with an eMRTD chip: access control, file reading, AA and CA.

    :param processor: the plain APDU processor for the connection.
    :param random: source of BAC nonces, K.IFD and AA challenges (tests inject bytes).
    :param scalars: PACE ephemeral private keys (tests inject ICAO's values).
    """

    def __init__(
        self,
        processor: ApduProcessor,
        random: Callable[[int], bytes] = os.urandom,
        scalars: pace.ScalarSource | None = None,
    ) -> None:
        self.plain = processor
        self._random = random
        self._scalars = scalars
        self.secure: IcaoSmProcessor | None = None
        self.extended = True
        """Whether extended-length reads are used; cleared once the card or reader refuses."""
        self.pace_error: PaceError | None = None
        """Why PACE was not used, when the session fell back to BAC."""

    @property
    def _processor(self) -> ApduProcessor:
        return self.secure if self.secure is not None else self.plain

    # Access control

    def read_card_access(self) -> bytes | None:
        """EF.CardAccess from the MF (plain, by SFI 1C); ``None`` when the chip has none."""
        try:
            # A short read of 256 bytes: extended support is unknown this early.
            return self._read(self.plain, lds.EF_CARD_ACCESS, first_le=SHORT_MAX_LE)
        except ApduError as e:
            if e.sw in _NO_FILE or e.sw in (SW.INCORRECT_P1P2, SW.WRONG_P1P2):
                return None
            raise
        except LdsError:
            logger.info("EF.CardAccess is not BER-TLV; ignored")
            return None

    def select_application(self) -> None:
        """SELECT the LDS1 eMRTD application (P2=0C, no FCI)."""
        check(self._processor.send(CommandApdu(0x00, 0xA4, 0x04, 0x0C, lds.AID_EMRTD)))

    def authenticate(
        self, access: MrzAccessKey | CanAccessKey, bac_allowed: bool = True
    ) -> tuple[AccessMethod, str]:
        """PACE if EF.CardAccess offers a supported variant, else BAC where allowed.

        :returns: the method and a detail such as ``"PACE-ECDH-GM-AES-128 brainpoolP256r1"``.
        :raises AccessDenied: the chip refused the MRZ or CAN.
        :raises ChipResponseInvalid: the chip's cryptogram or token did not verify.
        :raises CanNeedsPace: a CAN was given and PACE is unavailable.
        :raises BacNotAllowed: PACE is unavailable and ``bac_allowed`` is false.
        """
        card_access = self.read_card_access()
        info: PaceInfo | None = None
        if card_access is not None:
            try:
                info = choose_pace(parse_security_infos(card_access).pace)
            except LdsError as e:
                self.pace_error = PaceError("EF.CardAccess malformed")
                logger.info("EF.CardAccess unusable (%s)", e.code)
        if info is not None:
            try:
                self.secure = pace.authenticate(self.plain, info, access, self._scalars)
                self.select_application()
                curve = ecc.PACE_STANDARD_PARAMETERS[info.parameter_id or 0].name
                return AccessMethod.PACE, f"{info.describe()} {curve}"
            except PaceError as e:
                self.secure = None
                self.pace_error = e
                logger.info("PACE failed (%s); considering BAC", e.detail)
        elif card_access is not None and self.pace_error is None:
            self.pace_error = PaceError("no supported PACE variant in EF.CardAccess")
        if isinstance(access, CanAccessKey):
            raise CanNeedsPace("the chip offers no usable PACE for a CAN") from self.pace_error
        if not bac_allowed:
            raise BacNotAllowed("PACE unavailable and BAC not allowed") from self.pace_error
        self.select_application()
        self.secure = bac.authenticate(self.plain, access, self._random)
        return AccessMethod.BAC, "BAC"

    # Files

    def read_file(self, ef: lds.LdsFile, stop: threading.Event | None = None) -> bytes:
        """Read a whole LDS file under the current protection.

        The first READ BINARY goes by SFI; the BER-TLV header then gives the length and the
        rest follows by offset (odd INS B1 beyond 32767). Extended length is tried first and
        dropped for the session on ``67 00``.

        :raises ApduError: the chip refused (``6A 82`` when the file does not exist).
        """
        return self._read(self._processor, ef, stop)

    def _read(
        self,
        processor: ApduProcessor,
        ef: lds.LdsFile,
        stop: threading.Event | None = None,
        first_le: int | None = None,
    ) -> bytes:
        data = bytearray(self._read_chunk(processor, 0, ef.sfi, first_le))
        try:
            _tag, length, start = tlv.read_header(bytes(data))
        except tlv.TlvError as e:
            raise LdsError(f"{ef.name} does not start with a BER-TLV header") from e
        total = start + length
        while len(data) < total:
            if stop is not None and stop.is_set():
                raise CaptureCancelled("chip read cancelled")
            part = self._read_chunk(processor, len(data), None, total - len(data))
            if not part:
                raise CardCommunicationError(f"{ef.name} ends before its announced length")
            data += part
        return bytes(data[:total])

    def _read_chunk(
        self, processor: ApduProcessor, offset: int, sfi: int | None, remaining: int | None = None
    ) -> bytes:
        while True:
            chunk = EXTENDED_CHUNK if self.extended else SHORT_CHUNK
            le = min(chunk, remaining) if remaining else chunk
            if sfi is not None:
                command = CommandApdu(0x00, 0xB0, 0x80 | sfi, 0x00, le=le)
            elif offset <= 0x7FFF:
                command = CommandApdu(0x00, 0xB0, offset >> 8, offset & 0xFF, le=le)
            else:
                # ISO 7816-4 §11.2.3: odd INS with the offset in DO'54'.
                body = tlv.encode(0x54, offset.to_bytes(3 if offset > 0xFFFF else 2, "big"))
                command = CommandApdu(0x00, 0xB1, 0x00, 0x00, body, le=min(le + 4, 0xFFFF))
            response = processor.send(command)
            if response.sw == SW.WRONG_LENGTH and self.extended:
                logger.info("extended length refused; reading in short pieces")
                self.extended = False
                continue
            return self._chunk_data(response, command.ins)

    @staticmethod
    def _chunk_data(response: ResponseApdu, ins: int) -> bytes:
        if response.sw == SW.WRONG_P1P2:
            return b""  # offset beyond the end
        if response.sw not in (SW.OK, SW.END_OF_FILE_WARNING):
            raise ApduError(response.sw, response.data)
        if ins == 0xB1:
            try:
                obj, _end = tlv.parse_one(response.data)
            except tlv.TlvError as e:
                raise CardCommunicationError("odd READ BINARY answer is not DO'53'") from e
            if obj.tag != 0x53:
                raise CardCommunicationError("odd READ BINARY answer is not DO'53'")
            return obj.value
        return response.data

    # Chip authenticity

    def internal_authenticate(self, challenge: bytes) -> bytes:
        """Active Authentication: INTERNAL AUTHENTICATE with an 8-byte challenge.

        :raises ApduError: the chip refused.
        """
        return check(
            self._processor.send(CommandApdu(0x00, 0x88, 0x00, 0x00, challenge, le=LE_MAX))
        )

    def chip_authenticate(
        self, key: ChipAuthenticationPublicKey, info: ChipAuthenticationInfo | None
    ) -> str:
        """Chip Authentication, then SM restarts with the new keys (SSC 0) and is confirmed
        with a protected SELECT of EF.COM, whose answer MAC only a genuine chip can produce.

        3DES uses MSE:Set KAT (9303-11 §6.2.4.1); AES uses MSE:Set AT and GENERAL
        AUTHENTICATE. Without a ChipAuthenticationInfo, ``id-CA-ECDH-3DES-CBC-CBC`` is assumed.

        :returns: a description such as ``"CA-ECDH-AES-128 secp256r1"``.
        :raises SecureMessagingError: the chip's answers under the new keys do not verify.
        :raises ApduError: the chip refused a CA command.
        :raises UnsupportedKey: the key or protocol is not supported.
        """
        if self.secure is None:
            raise ApduError(SW.CONDITIONS_NOT_SATISFIED, detail="no secure channel")
        agreement = "ECDH" if key.key.kind == "ec" else "DH"
        protocol = (
            info.protocol
            if info is not None
            else ("0.4.0.127.0.7.2.2.3.2.1" if key.key.kind == "ec" else "0.4.0.127.0.7.2.2.3.1.1")
        )
        suite = info.suite if info is not None else SmCipher.DES3
        if suite is None:
            raise UnsupportedKey(f"chip authentication protocol {protocol} not supported")
        public, shared = key_agreement(key.key)
        key_id = info.key_id if info is not None and info.key_id is not None else key.key_id
        key_ref = b""
        if key_id is not None:
            key_ref = tlv.encode(
                0x84, key_id.to_bytes(max(1, (key_id.bit_length() + 7) // 8), "big")
            )
        if suite is SmCipher.DES3:
            command = CommandApdu(0x00, 0x22, 0x41, 0xA6, tlv.encode(0x91, public) + key_ref)
            check(self.secure.send(command))
        else:
            mse = tlv.encode(0x80, oid_value(protocol)) + key_ref
            check(self.secure.send(CommandApdu(0x00, 0x22, 0x41, 0xA4, mse)))
            data = tlv.encode(0x7C, tlv.encode(0x80, public))
            check(self.secure.send(CommandApdu(0x00, 0x86, 0x00, 0x00, data, le=LE_MAX)))
        self.secure.restart(suite, kdf(shared, 1, suite), kdf(shared, 2, suite), 0)
        select = CommandApdu(0x00, 0xA4, 0x02, 0x0C, lds.EF_COM.fid.to_bytes(2, "big"))
        check(self.secure.send(select))
        curve = key.key.curve.name if key.key.curve is not None else f"{key.key.bits}-bit"
        return f"CA-{agreement}-{suite.value} {curve}"
