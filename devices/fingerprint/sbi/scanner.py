"""The :class:`~workstation.ports.FingerprintScanner` port over an SBI device."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence

from devices.fingerprint.images import record_to_png
from devices.fingerprint.sbi.base import SbiCapture, SbiDevice, SlapSubId, slap_of
from devices.fingerprint.sbi.client import EMPTY_HASH, SbiClient
from workstation.captures import Finger, FingerCapture, FingerException
from workstation.errors import CaptureCancelled
from workstation.ports import Progress

logger = logging.getLogger(__name__)


class SbiFingerprintScanner:
    """Captures fingers through an SBI service, one RCAPTURE per slap.

    Fingers declared as exceptions are sent as SBI exceptions and come back as
    :class:`~workstation.captures.FingerCapture` with that exception, in the order asked.
    The hash chain runs across the scanner's captures; :attr:`transactions` keeps every
    verified :class:`SbiCapture` for the case record. :meth:`preview` is the SBI ``STREAM``
    of the slap a finger goes on (the optional
    :class:`~workstation.ports.FingerprintPreview` port).

    :param client: a configured client.
    :param device: the device to use (from :meth:`SbiClient.discover`).
    :param requested_score: quality at which the device may auto-capture.
    :param timeout_ms: device-side capture timeout per slap.
    """

    simulated = False

    def __init__(
        self,
        client: SbiClient,
        device: SbiDevice,
        requested_score: int = 40,
        timeout_ms: int = 10_000,
    ) -> None:
        self.client = client
        self.device = device
        self.name = f"SBI {device.spec_version}: {device.label}"
        self.requested_score = requested_score
        self.timeout_ms = timeout_ms
        self.last_hash = EMPTY_HASH
        self.transactions: list[SbiCapture] = []

    def capture(
        self,
        fingers: Sequence[Finger],
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> tuple[FingerCapture, ...]:
        """Capture exactly ``fingers``, in that order (see the port)."""
        return self.capture_with_exceptions(fingers, {}, stop, progress)

    def preview(self, finger: Finger, stop: threading.Event) -> Iterator[bytes]:
        """JPEG preview frames of the slap ``finger`` goes on, until ``stop`` is set.

        :raises SbiStreamStalled: no frame within the client's stall limit.
        :raises DeviceUnavailable: the service refused the connection or vanished.
        """
        sub_id = SlapSubId.SINGLE.value if self.device.sub_ids == (0,) else slap_of(finger).value
        yield from self.client.stream(self.device, sub_id, stop)

    def capture_with_exceptions(
        self,
        fingers: Sequence[Finger],
        exceptions: dict[Finger, FingerException],
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> tuple[FingerCapture, ...]:
        """Capture ``fingers``; those in ``exceptions`` are declared, not captured.

        :param exceptions: finger → why it is not captured (missing, injured ...).
        """
        by_slap: dict[int, list[Finger]] = {}
        for finger in fingers:
            by_slap.setdefault(slap_of(finger).value, []).append(finger)
        results: dict[Finger, FingerCapture] = {}
        for step, (_, group) in enumerate(sorted(by_slap.items())):
            if stop is not None and stop.is_set():
                raise CaptureCancelled("fingerprint capture cancelled")
            if progress is not None:
                progress(f"finger.slap.{step}", step / len(by_slap))
            declared = [f for f in group if f in exceptions]
            for f in declared:
                results[f] = FingerCapture(f, None, "", None, exceptions[f])
            if len(declared) == len(group):
                continue
            capture = self.client.rcapture(
                self.device,
                group,
                declared,
                self.requested_score,
                self.timeout_ms,
                self.last_hash,
                stop,
            )
            self.last_hash = capture.final_hash
            self.transactions.append(capture)
            for record in capture.records:
                if record.finger is None:
                    continue
                png, _ = record_to_png(record.bio_value)
                quality = max(0, min(100, round(record.quality)))
                results[record.finger] = FingerCapture(record.finger, png, "image/png", quality)
        if progress is not None:
            progress("finger.done", 1.0)
        return tuple(results[f] for f in fingers)
