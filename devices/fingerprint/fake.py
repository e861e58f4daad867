"""Simulated fingerprint scanner (training mode).

Plays finger images from a folder when given one, otherwise draws a synthetic ridge pattern
per finger (a whorl with a finger-specific phase), so nothing personal ships. Quality is the
value the trainer configures: a simulator cannot measure what it invents. The live preview
shows the finger being placed: the image that the next capture returns, fading in.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np
from PIL import Image

from workstation.captures import Finger, FingerCapture, FingerException
from workstation.errors import CaptureCancelled, DeviceUnavailable
from workstation.ports import Progress

_IMAGE_SUFFIXES = {".png", ".tif", ".tiff", ".bmp", ".jpg", ".jpeg", ".pgm"}


def synthetic_finger(finger: Finger, size: tuple[int, int] = (300, 400)) -> bytes:
    """A PNG of a synthetic whorl-like ridge pattern, different for every finger position."""
    width, height = size
    rng = np.random.default_rng(finger.value)
    y, x = np.mgrid[0:height, 0:width].astype(np.float32)
    cx, cy = width * (0.45 + 0.1 * rng.random()), height * (0.45 + 0.1 * rng.random())
    r = np.hypot((x - cx) * 1.1, (y - cy) * 0.9)
    theta = np.arctan2(y - cy, x - cx)
    warp = 6 * np.sin(theta * (2 + finger.value % 3) + rng.random() * 6)
    ridges = 0.5 + 0.5 * np.cos(2 * np.pi * (r + warp) / 9.0)
    mask = ((x - width / 2) / (width * 0.46)) ** 2 + ((y - height / 2) / (height * 0.48)) ** 2
    image = np.where(mask <= 1.0, 255 - ridges * 200, 255).astype(np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(image, mode="L").save(buffer, format="PNG")
    return buffer.getvalue()


class SimulatedFingerprintScanner:
    """A scanner that always finds the finger it is asked for.

    :param folder: images to play instead of synthetic ones (used in order, cycling).
    :param quality: the NFIQ 2-scale quality reported for every finger.
    :param delay: seconds per finger.
    :param missing: fingers reported as missing (an exception, not an image).

    Set :attr:`connected` to ``False`` to pull the cable (also in the middle of a capture),
    or :attr:`vanish_after` to a number of fingers after which the scanner disappears.
    """

    simulated = True

    def __init__(
        self,
        folder: Path | None = None,
        quality: int = 72,
        delay: float = 0.0,
        missing: Sequence[Finger] = (),
    ) -> None:
        self.name = "Simulated fingerprint scanner"
        self._files = (
            sorted(p for p in folder.iterdir() if p.suffix.lower() in _IMAGE_SUFFIXES)
            if folder is not None
            else []
        )
        self._cursor = 0
        self.quality = quality
        self.delay = delay
        self.missing = set(missing)
        self.connected = True
        self.vanish_after: int | None = None
        self.preview_interval = 0.2
        self._captured = 0

    def capture(
        self,
        fingers: Sequence[Finger],
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> tuple[FingerCapture, ...]:
        captures: list[FingerCapture] = []
        for i, finger in enumerate(fingers):
            self._check_connected()
            if stop is not None and stop.is_set():
                raise CaptureCancelled("fingerprint capture cancelled")
            if progress is not None:
                progress(f"finger.{finger.value}", i / len(fingers))
            if self.delay:
                deadline = time.monotonic() + self.delay
                while time.monotonic() < deadline:
                    if stop is not None and stop.wait(0.02):
                        raise CaptureCancelled("fingerprint capture cancelled")
                    if stop is None:
                        time.sleep(0.02)
                    self._check_connected()
            self._captured += 1
            if finger in self.missing:
                captures.append(FingerCapture(finger, None, "", None, FingerException.MISSING))
                continue
            captures.append(FingerCapture(finger, self._image(finger), "image/png", self.quality))
        if progress is not None:
            progress("finger.done", 1.0)
        return tuple(captures)

    def preview(self, finger: Finger, stop: threading.Event) -> Iterator[bytes]:
        """JPEG frames of ``finger`` being placed (5 per second) until ``stop`` is set.

        :raises DeviceUnavailable: the simulated scanner is disconnected.
        """
        self._check_connected()
        with Image.open(io.BytesIO(self._image(finger, advance=False))) as image:
            grey = image.convert("L")
        grey.thumbnail((320, 320))
        finger_pixels = np.asarray(grey, dtype=np.float32)
        step = 0
        while not stop.is_set():
            self._check_connected()
            # the ridges darken over the first second, as a finger settles on the glass
            contact = min(1.0, 0.2 + 0.16 * step)
            frame = 255 - (255 - finger_pixels) * contact
            buffer = io.BytesIO()
            Image.fromarray(frame.astype(np.uint8), mode="L").save(buffer, "JPEG", quality=80)
            yield buffer.getvalue()
            step += 1
            stop.wait(self.preview_interval)

    def _check_connected(self) -> None:
        if self.vanish_after is not None and self._captured >= self.vanish_after:
            self.connected = False
        if not self.connected:
            raise DeviceUnavailable("simulated scanner disconnected")

    def _image(self, finger: Finger, advance: bool = True) -> bytes:
        if not self._files:
            return synthetic_finger(finger)
        path = self._files[self._cursor % len(self._files)]
        if advance:
            self._cursor += 1
        with Image.open(path) as image:
            buffer = io.BytesIO()
            image.convert("L").save(buffer, format="PNG")
            return buffer.getvalue()
