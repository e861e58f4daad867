"""The APDU layer: command encoding (short and extended), response chaining and processors.

A processor has one job: :class:`BasicProcessor` turns :class:`CommandApdu` objects into bytes
on a :class:`~devices.smartcard.base.CardConnection` and follows ``61xx``/``6Cxx``;
secure-messaging processors (:mod:`devices.smartcard.sm`) wrap another processor.
Sessions call :meth:`ApduProcessor.send` and :func:`check` the status word.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import Protocol

from devices.smartcard.base import ApduError, CardCommunicationError, CardConnection

logger = logging.getLogger(__name__)

SHORT_MAX_LC = 255
SHORT_MAX_LE = 256
EXTENDED_MAX = 65536

LE_MAX = -1
"""``le`` value meaning "everything the card has" (encoded as 00 or 00 00)."""


@dataclass(frozen=True)
class CommandApdu:
    """An ISO/IEC 7816-4 command APDU.

    :param le: expected response length; ``None`` for no Le field, :data:`LE_MAX` for "all"
        (``00``/``0000``), otherwise 1..65536.
    :param extended: force extended-length encoding; by default it is used only when Lc or
        Le do not fit the short form.
    """

    cla: int
    ins: int
    p1: int
    p2: int
    data: bytes = b""
    le: int | None = None
    extended: bool = False

    def __post_init__(self) -> None:
        for name in ("cla", "ins", "p1", "p2"):
            if not 0 <= getattr(self, name) <= 0xFF:
                raise ValueError(f"{name} out of range")
        if len(self.data) > EXTENDED_MAX - 1:
            raise ValueError("command data longer than 65535 bytes")
        if self.le is not None and self.le != LE_MAX and not 1 <= self.le <= EXTENDED_MAX:
            raise ValueError("le out of range")

    @property
    def needs_extended(self) -> bool:
        """Whether this command can only be sent with extended-length fields."""
        le_long = self.le is not None and self.le != LE_MAX and self.le > SHORT_MAX_LE
        return self.extended or len(self.data) > SHORT_MAX_LC or le_long

    def to_bytes(self) -> bytes:
        """Encode per ISO/IEC 7816-4 §5.1 (cases 1, 2S/E, 3S/E, 4S/E)."""
        header = bytes((self.cla, self.ins, self.p1, self.p2))
        ext = self.needs_extended
        out = bytearray(header)
        if self.data:
            n = len(self.data)
            out += b"\x00" + n.to_bytes(2, "big") if ext else bytes((n,))
            out += self.data
        if self.le is not None:
            if ext:
                le = 0 if self.le in (LE_MAX, EXTENDED_MAX) else self.le
                # With data, Lc already carried the 00 marker; without, Le is 3 bytes.
                out += (b"" if self.data else b"\x00") + le.to_bytes(2, "big")
            else:
                out.append(0 if self.le in (LE_MAX, SHORT_MAX_LE) else self.le)
        return bytes(out)

    def with_le(self, le: int | None) -> CommandApdu:
        """A copy with another Le."""
        return replace(self, le=le)


@dataclass(frozen=True)
class ResponseApdu:
    """Response data and the status word (``sw1 << 8 | sw2``)."""

    data: bytes
    sw: int

    @property
    def ok(self) -> bool:
        return self.sw == 0x9000


def check(response: ResponseApdu) -> bytes:
    """Return the data of a 9000 response, or raise :class:`ApduError` with the status word.

    :param response: the card's answer.
    """
    if response.sw != 0x9000:
        raise ApduError(response.sw, response.data)
    return response.data


def parse_command(apdu: bytes) -> CommandApdu:
    """Decode command APDU bytes (the card side's view); used by emulators and tests.

    :raises ValueError: the bytes are not a well-formed command APDU.
    """
    if len(apdu) < 4:
        raise ValueError("APDU shorter than 4 bytes")
    cla, ins, p1, p2 = apdu[:4]
    body = apdu[4:]
    if not body:
        return CommandApdu(cla, ins, p1, p2)
    if len(body) == 1:
        return CommandApdu(cla, ins, p1, p2, le=body[0] or SHORT_MAX_LE)
    if body[0] == 0 and len(body) >= 3:
        # Extended: 00 then two bytes of Lc (or Le when nothing follows).
        n = int.from_bytes(body[1:3], "big")
        if len(body) == 3:
            return CommandApdu(cla, ins, p1, p2, le=n or EXTENDED_MAX, extended=True)
        if n == 0:
            raise ValueError("extended Lc of zero")
        rest = body[3 + n :]
        data = body[3 : 3 + n]
        if len(data) != n or len(rest) not in (0, 2):
            raise ValueError("extended APDU length mismatch")
        le = (int.from_bytes(rest, "big") or EXTENDED_MAX) if rest else None
        return CommandApdu(cla, ins, p1, p2, data, le, extended=True)
    n = body[0]
    data = body[1 : 1 + n]
    rest = body[1 + n :]
    if n == 0 or len(data) != n or len(rest) > 1:
        raise ValueError("short APDU length mismatch")
    le = (rest[0] or SHORT_MAX_LE) if rest else None
    return CommandApdu(cla, ins, p1, p2, data, le)


class ApduProcessor(Protocol):
    """Sends one command and returns the response; raises transport errors only."""

    def send(self, command: CommandApdu) -> ResponseApdu:
        """Send ``command`` and return the (unwrapped) response.

        :param command: the command as the session means it.
        """
        ...


class BasicProcessor:
    """Plain APDUs over a connection, following ``61xx`` GET RESPONSE and ``6Cxx`` re-sends.

    :param connection: the open card connection.
    :param max_chain: the most GET RESPONSE rounds accepted for one command.
    """

    def __init__(self, connection: CardConnection, max_chain: int = 256) -> None:
        self.connection = connection
        self.max_chain = max_chain
        self.sent = 0
        """Number of APDUs put on the wire, GET RESPONSE included (for benchmarks)."""

    def _transmit(self, command: CommandApdu) -> tuple[bytes, int]:
        self.sent += 1
        return self.connection.transmit(command.to_bytes())

    def send(self, command: CommandApdu) -> ResponseApdu:
        data, sw = self._transmit(command)
        if sw >> 8 == 0x6C:
            # ISO 7816-4 §5.1.3: wrong Le; the card says how many bytes it has.
            data, sw = self._transmit(command.with_le(sw & 0xFF or SHORT_MAX_LE))
        buffer = bytearray(data)
        rounds = 0
        while sw >> 8 == 0x61:
            rounds += 1
            if rounds > self.max_chain:
                raise CardCommunicationError("card keeps answering 61xx")
            get_response = CommandApdu(command.cla & 0x03, 0xC0, 0, 0, le=sw & 0xFF or 256)
            data, sw = self._transmit(get_response)
            buffer += data
        return ResponseApdu(bytes(buffer), sw)
