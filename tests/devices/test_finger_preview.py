"""The optional preview port: the SBI STREAM through the scanner, and the simulator's."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator

import numpy as np
import pytest
from PIL import Image

from devices.fingerprint.fake import SimulatedFingerprintScanner
from devices.fingerprint.sbi import SbiClient, SbiFingerprintScanner, SbiTrust
from devices.fingerprint.sbi_double import SbiDeviceDouble
from workstation.captures import Finger
from workstation.errors import DeviceUnavailable
from workstation.ports import FingerprintPreview

PORTS = range(4560, 4570)


def _take(frames: Iterator[bytes], stop: threading.Event, count: int) -> list[bytes]:
    taken = []
    for frame in frames:
        taken.append(frame)
        if len(taken) == count:
            stop.set()
    return taken


def _mean(jpeg: bytes) -> float:
    with Image.open(io.BytesIO(jpeg)) as im:
        assert im.format == "JPEG"
        return float(np.asarray(im.convert("L")).mean())


def test_simulated_preview_shows_the_finger_settling() -> None:
    scanner = SimulatedFingerprintScanner()
    scanner.preview_interval = 0.01
    assert isinstance(scanner, FingerprintPreview)
    stop = threading.Event()
    frames = _take(scanner.preview(Finger.RIGHT_INDEX, stop), stop, 8)
    assert len(frames) == 8
    # ridges darken as the finger settles, then the image holds
    assert _mean(frames[0]) > _mean(frames[3]) > _mean(frames[6])
    assert abs(_mean(frames[6]) - _mean(frames[7])) < 1.0


def test_simulated_scanner_pulled_out() -> None:
    scanner = SimulatedFingerprintScanner(delay=2.0)
    stop = threading.Event()
    scanner.connected = False
    with pytest.raises(DeviceUnavailable):
        next(scanner.preview(Finger.LEFT_INDEX, stop))
    # in the middle of a capture: the cable comes out while the finger is on the glass
    scanner.connected = True
    threading.Timer(0.2, lambda: setattr(scanner, "connected", False)).start()
    with pytest.raises(DeviceUnavailable):
        scanner.capture([Finger.LEFT_INDEX], stop)


def test_simulated_vanish_after_counts_fingers_across_captures() -> None:
    scanner = SimulatedFingerprintScanner()
    scanner.vanish_after = 1
    assert len(scanner.capture([Finger.RIGHT_INDEX])) == 1
    with pytest.raises(DeviceUnavailable):
        scanner.capture([Finger.LEFT_INDEX])
    assert not scanner.connected


def test_sbi_scanner_streams_the_slap_of_the_finger() -> None:
    with SbiDeviceDouble(ports=PORTS) as double:
        client = SbiClient(SbiTrust.from_pem([double.trust_root_pem]), ports=[double.port])
        scanner = SbiFingerprintScanner(client, client.discover()[0])
        assert isinstance(scanner, FingerprintPreview)
        frames = {}
        for finger in (Finger.RIGHT_INDEX, Finger.LEFT_INDEX):
            stop = threading.Event()
            frames[finger] = _take(scanner.preview(finger, stop), stop, 2)
        # slap 2 (right) and slap 1 (left) show different fingers
        assert frames[Finger.RIGHT_INDEX][0] != frames[Finger.LEFT_INDEX][0]
        assert all(f.startswith(b"\xff\xd8") for fs in frames.values() for f in fs)
    # the service is gone: a plain device error, not a socket exception
    with pytest.raises(DeviceUnavailable):
        next(scanner.preview(Finger.RIGHT_INDEX, threading.Event()))
