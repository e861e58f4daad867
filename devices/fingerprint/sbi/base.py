"""SBI value types, finger names and the errors SBI adapters raise.

Every error is a core error subclass with its own stable ``code``, so the port contract
(:class:`~workstation.ports.FingerprintScanner` raises DeviceUnavailable, DeviceBusy,
CaptureFailed, CaptureCancelled) holds while ``ui/messages.py`` can still say precisely what
went wrong.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field
from enum import IntEnum, unique
from typing import Any

from workstation.captures import Finger
from workstation.errors import CaptureFailed, DeviceBusy, DeviceUnavailable

logger = logging.getLogger(__name__)

TRAFFIC = 5
"""Log level for raw SBI traffic (see STYLE.md §6); never enabled in production builds."""

SBI_PORTS = range(4501, 4601)
HOST = "127.0.0.1"


class SbiNotRegistered(DeviceUnavailable):
    """The device is not registered (SBI error 100, unsigned device info)."""

    code = "DEV-SBI-UNREGISTERED"


class SbiUntrusted(CaptureFailed):
    """A signature did not verify, or its certificate is not trusted or expired."""

    code = "DEV-SBI-TRUST"


class SbiProtocolError(CaptureFailed):
    """The reply breaks the protocol: wrong transaction ID, spec version, purpose or shape."""

    code = "DEV-SBI-PROTOCOL"


class SbiClockSkew(CaptureFailed):
    """The capture's timestamp is outside the allowed window around the host clock."""

    code = "DEV-SBI-CLOCK"


class SbiIncomplete(CaptureFailed):
    """Fewer (or other) fingers came back than were asked for."""

    code = "DEV-SBI-INCOMPLETE"


class SbiTamper(CaptureFailed):
    """The device reports tampering (SBI error 103): do not use it."""

    code = "DEV-SBI-TAMPER"


class SbiStreamStalled(CaptureFailed):
    """The preview stream stopped delivering frames."""

    code = "DEV-SBI-STREAM-STALLED"


class SbiDeviceError(CaptureFailed):
    """Any other SBI error code; ``sbi_code`` keeps the device's number."""

    code = "DEV-SBI-ERROR"

    def __init__(self, detail: str = "", sbi_code: int = 0) -> None:
        super().__init__(detail)
        self.sbi_code = sbi_code


def error_for(sbi_code: int, info: str = "") -> Exception:
    """The core error for an SBI ``errorCode`` (never called for 0).

    :param sbi_code: the device's error code.
    :param info: the device's ``errorInfo`` (technical, logged, not shown as is).
    """
    detail = f"SBI error {sbi_code}: {info}"[:200]
    if sbi_code == 100:
        return SbiNotRegistered(detail)
    if sbi_code == 103:
        return SbiTamper(detail)
    if sbi_code == 111 or sbi_code == 703:
        return DeviceBusy(detail)
    if sbi_code in (104, 106, 107, 108, 110, 202):
        return DeviceUnavailable(detail)
    if sbi_code == 112:
        return SbiProtocolError(detail)
    return SbiDeviceError(detail, sbi_code)


@unique
class SlapSubId(IntEnum):
    """``deviceSubId`` of a finger device: 1 left slap, 2 right slap, 3 both thumbs."""

    SINGLE = 0
    LEFT = 1
    RIGHT = 2
    THUMBS = 3


BIO_SUBTYPE: dict[Finger, str] = {
    Finger.LEFT_INDEX: "Left IndexFinger",
    Finger.LEFT_MIDDLE: "Left MiddleFinger",
    Finger.LEFT_RING: "Left RingFinger",
    Finger.LEFT_LITTLE: "Left LittleFinger",
    Finger.LEFT_THUMB: "Left Thumb",
    Finger.RIGHT_INDEX: "Right IndexFinger",
    Finger.RIGHT_MIDDLE: "Right MiddleFinger",
    Finger.RIGHT_RING: "Right RingFinger",
    Finger.RIGHT_LITTLE: "Right LittleFinger",
    Finger.RIGHT_THUMB: "Right Thumb",
}
FINGER_OF: dict[str, Finger] = {v: k for k, v in BIO_SUBTYPE.items()}


def slap_of(finger: Finger) -> SlapSubId:
    """The slap (``deviceSubId``) a finger is captured on."""
    if finger in (Finger.LEFT_THUMB, Finger.RIGHT_THUMB):
        return SlapSubId.THUMBS
    return SlapSubId.LEFT if finger.value >= 6 else SlapSubId.RIGHT


@dataclass(frozen=True)
class SbiDevice:
    """A discovered, verified finger device.

    :param port: the local port its service listens on.
    :param device_id: the service's ``deviceId``.
    :param status: ``Ready``, ``Busy``, ``Not Ready`` or ``Not Registered``.
    :param spec_versions: versions the device speaks; the client picks one it has an adapter for.
    :param spec_version: the version this client uses with it.
    :param digital_id: the verified digital ID payload (serialNo, make, model, type ...).
    """

    port: int
    device_id: str
    status: str
    certification: str
    purpose: str
    sub_ids: tuple[int, ...]
    spec_versions: tuple[str, ...]
    spec_version: str
    device_code: str
    service_version: str
    firmware: str
    env: str
    digital_id: dict[str, Any] = field(default_factory=dict)

    @property
    def label(self) -> str:
        """Make, model and serial number, for the device-health panel."""
        d = self.digital_id
        return f"{d.get('make', '?')} {d.get('model', '?')} ({d.get('serialNo', self.device_code)})"


@dataclass(frozen=True)
class SbiRecord:
    """One verified biometric record of an RCAPTURE reply.

    :param finger: the finger (``None`` for ``UNKNOWN``).
    :param bio_value: the raw ISO/IEC 19794-4 record.
    :param quality: the device's quality score (0-100).
    :param hash: the record's hash-chain value (uppercase hex), recomputed by the client.
    """

    finger: Finger | None
    bio_sub_type: str
    bio_value: bytes
    quality: float
    requested_score: float
    timestamp: dt.datetime
    hash: str


@dataclass(frozen=True)
class SbiCapture:
    """A verified RCAPTURE reply for one transaction.

    :param previous_hash: the chain value before this capture (keep it with the case).
    :param final_hash: the chain value after the last record (next capture's previousHash).
    """

    transaction_id: str
    records: tuple[SbiRecord, ...]
    exceptions: tuple[Finger, ...]
    previous_hash: str
    final_hash: str
