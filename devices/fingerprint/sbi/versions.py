"""Version adapters: what differs between SBI spec versions, one class per version.

The client negotiates the highest version that both the device and :data:`ADAPTERS` know.
Adding SBI 1.0 means adding an adapter (see :class:`Sbi10Adapter` for the deltas MOSIP's
registration client applies) and listing it; the client's checks stay the same.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any, ClassVar, Protocol

from devices.fingerprint.sbi.base import SbiDevice

logger = logging.getLogger(__name__)


class SbiVersionAdapter(Protocol):
    """Request shapes and trust domains of one SBI spec version."""

    version: ClassVar[str]
    discovery_method: ClassVar[str]
    digital_id_domain: ClassVar[str]

    def rcapture_request(
        self,
        device: SbiDevice,
        sub_id: int,
        bio_sub_types: Sequence[str],
        exceptions: Sequence[str],
        count: int,
        requested_score: int,
        timeout_ms: int,
        transaction_id: str,
        previous_hash: str,
        capture_time: str,
    ) -> dict[str, Any]: ...

    def stream_request(self, device: SbiDevice, sub_id: int, timeout_ms: int) -> dict[str, Any]: ...


class Sbi095Adapter:
    """MOSIP SBI (MDS) 0.9.5."""

    version: ClassVar[str] = "0.9.5"
    discovery_method: ClassVar[str] = "MOSIPDISC"
    digital_id_domain: ClassVar[str] = "DEVICE"

    def rcapture_request(
        self,
        device: SbiDevice,
        sub_id: int,
        bio_sub_types: Sequence[str],
        exceptions: Sequence[str],
        count: int,
        requested_score: int,
        timeout_ms: int,
        transaction_id: str,
        previous_hash: str,
        capture_time: str,
    ) -> dict[str, Any]:
        return {
            "env": device.env or "None",
            "purpose": "Registration",
            "specVersion": self.version,
            "timeout": timeout_ms,
            "captureTime": capture_time,
            "transactionId": transaction_id,
            "bio": [
                {
                    "type": "Finger",
                    "count": count,
                    "bioSubType": list(bio_sub_types),
                    "exception": list(exceptions),
                    "requestedScore": requested_score,
                    "deviceId": device.device_id,
                    "deviceSubId": sub_id,
                    "previousHash": previous_hash,
                }
            ],
            "customOpts": None,
        }

    def stream_request(self, device: SbiDevice, sub_id: int, timeout_ms: int) -> dict[str, Any]:
        return {"deviceId": device.device_id, "deviceSubId": sub_id, "timeout": timeout_ms}


class Sbi10Adapter(Sbi095Adapter):
    """SBI 1.0 as MOSIP's registration client speaks it: ``SBIDISC`` discovery, ``serialNo``
    in STREAM and RCAPTURE, digital ID trusted against the FTM domain.

    NOTE: not yet tested against a 1.0 device or double; not listed in :data:`ADAPTERS`.
    """

    version: ClassVar[str] = "SBI 1.0"
    discovery_method: ClassVar[str] = "SBIDISC"
    digital_id_domain: ClassVar[str] = "FTM"

    def rcapture_request(
        self, device: SbiDevice, sub_id: int, *args: Any, **kwargs: Any
    ) -> dict[str, Any]:
        request = super().rcapture_request(device, sub_id, *args, **kwargs)
        for bio in request["bio"]:
            bio["serialNo"] = device.digital_id.get("serialNo", device.device_code)
            bio["deviceSubType"] = device.digital_id.get("deviceSubType", "")
        return request

    def stream_request(self, device: SbiDevice, sub_id: int, timeout_ms: int) -> dict[str, Any]:
        return {
            "serialNo": device.digital_id.get("serialNo", device.device_code),
            "deviceSubId": sub_id,
            "timeout": timeout_ms,
        }


ADAPTERS: dict[str, SbiVersionAdapter] = {Sbi095Adapter.version: Sbi095Adapter()}
"""Adapters the client negotiates from, by spec version string."""


def negotiate(device_versions: Sequence[str]) -> SbiVersionAdapter | None:
    """The adapter for the highest version both sides know, or ``None``."""

    def rank(v: str) -> tuple[int, ...]:
        digits = "".join(ch if ch.isdigit() or ch == "." else "" for ch in v)
        return tuple(int(p) for p in digits.split(".") if p)

    known = [v for v in device_versions if v in ADAPTERS]
    if not known:
        return None
    return ADAPTERS[max(known, key=rank)]
