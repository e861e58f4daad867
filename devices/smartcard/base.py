"""Smart-card transport: the reader and connection Protocols, status words and device errors.

Nothing here imports pyscard; :mod:`devices.smartcard.pcsc` is the one module that does.
Every error raised by the smart-card layers is a :class:`workstation.errors.WorkstationError`
subclass with a stable ``code``, so the UI can name it without knowing about PC/SC.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum, unique
from types import TracebackType
from typing import Protocol, Self

from workstation.errors import (
    DeviceBusy,
    DeviceUnavailable,
    DocumentUnreadable,
    NoDocument,
)

logger = logging.getLogger(__name__)

TRAFFIC = 5
"""Log level for raw APDUs. They carry personal data: never enable it in production."""

logging.addLevelName(TRAFFIC, "TRAFFIC")


def enable_traffic_logging(handler_logger: logging.Logger | None = None) -> None:
    """Switch raw APDU logging on, after a loud warning that personal data will be logged.

    :param handler_logger: the logger to lower to ``TRAFFIC`` (default: ``devices``).
    """
    target = handler_logger or logging.getLogger("devices")
    banner = "*" * 72
    target.warning(
        "\n%s\nWARNING: APDU traffic logging is on. Personal data will be logged.\n"
        "Never use this setting with real documents outside a test lab.\n%s",
        banner,
        banner,
    )
    target.setLevel(TRAFFIC)


@unique
class SW(IntEnum):
    """ISO/IEC 7816-4 status words used by the card families we read."""

    OK = 0x9000
    END_OF_FILE_WARNING = 0x6282
    VERIFICATION_FAILED = 0x6300
    WRONG_LENGTH = 0x6700
    SM_NOT_SUPPORTED = 0x6882
    SECURITY_CONDITION_NOT_SATISFIED = 0x6982
    AUTH_METHOD_BLOCKED = 0x6983
    CONDITIONS_NOT_SATISFIED = 0x6985
    COMMAND_NOT_ALLOWED_NO_EF = 0x6986
    SM_DATA_OBJECTS_MISSING = 0x6987
    SM_DATA_OBJECTS_INCORRECT = 0x6988
    WRONG_DATA = 0x6A80
    FUNCTION_NOT_SUPPORTED = 0x6A81
    FILE_NOT_FOUND = 0x6A82
    RECORD_NOT_FOUND = 0x6A83
    INCORRECT_P1P2 = 0x6A86
    REFERENCED_DATA_NOT_FOUND = 0x6A88
    WRONG_P1P2 = 0x6B00
    INS_NOT_SUPPORTED = 0x6D00
    CLA_NOT_SUPPORTED = 0x6E00
    NO_PRECISE_DIAGNOSIS = 0x6F00


def sw_name(sw: int) -> str:
    """A readable name for a status word (``"6982 SECURITY_CONDITION_NOT_SATISFIED"``)."""
    try:
        return f"{sw:04X} {SW(sw).name}"
    except ValueError:
        return f"{sw:04X}"


# Device errors. Each maps one PC/SC failure onto a core error class so adapters and the
# UI only ever see workstation.errors types.


class ReaderServiceUnavailable(DeviceUnavailable):
    """The PC/SC service (pcscd or Windows' SCardSvr) is not running."""

    code = "DEV-PCSC-SERVICE"


class ReaderUnavailable(DeviceUnavailable):
    """No such reader, or the reader disappeared."""

    code = "DEV-READER-ABSENT"


class NoCard(NoDocument):
    """The reader is there but holds no card."""

    code = "DOC-CARD-ABSENT"


class CardRemoved(DocumentUnreadable):
    """The card left the field, or was reset, while we were talking to it."""

    code = "DOC-CARD-REMOVED"


class ReaderBusy(DeviceBusy):
    """Another program holds the card exclusively."""

    code = "DEV-READER-BUSY"


class CardCommunicationError(DocumentUnreadable):
    """The card answered with something that is not a valid response APDU, or not at all."""

    code = "DOC-CARD-IO"


class ApduError(DocumentUnreadable):
    """The card answered with a status word other than 9000.

    :param sw: the status word.
    :param data: response data that came with it (often empty).
    """

    code = "DOC-CARD-SW"

    def __init__(self, sw: int, data: bytes = b"", detail: str = "") -> None:
        super().__init__(detail or f"card returned {sw_name(sw)}")
        self.sw = sw
        self.data = data


class SecureMessagingError(DocumentUnreadable):
    """A secure-messaging response failed its MAC, padding or structure check."""

    code = "DOC-CARD-SM"


# Transport Protocols


class CardConnection(Protocol):
    """An open connection to one card.

    ``transmit`` raises :class:`CardRemoved`, :class:`ReaderUnavailable`,
    :class:`ReaderServiceUnavailable` and :class:`CardCommunicationError`.
    """

    @property
    def atr(self) -> bytes:
        """The card's Answer To Reset."""
        ...

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        """Send one command APDU and return ``(data, sw)`` with ``sw = sw1 << 8 | sw2``.

        :param apdu: the full command APDU bytes.
        """
        ...

    def close(self) -> None:
        """Release the card. Safe to call twice."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...


class CardReader(Protocol):
    """A smart-card reader slot."""

    @property
    def name(self) -> str:
        """The reader name as the PC/SC service reports it."""
        ...

    def connect(self) -> CardConnection:
        """Connect to the card in this reader, exclusively if possible.

        Raises :class:`NoCard`, :class:`ReaderBusy`, :class:`ReaderUnavailable` and
        :class:`ReaderServiceUnavailable`.
        """
        ...


@dataclass(frozen=True)
class CardEvent:
    """A card was inserted into, or removed from, a reader.

    :param reader: the reader name.
    :param present: ``True`` for an insertion, ``False`` for a removal.
    :param atr: the ATR of an inserted card, empty on removal.
    """

    reader: str
    present: bool
    atr: bytes = b""


CardEventCallback = Callable[[CardEvent], None]
"""Receives card events on the monitor's own thread; the UI must marshal them to its thread."""
