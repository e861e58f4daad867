"""OpenCV cameras (V4L2 on Linux, Media Foundation/DirectShow on Windows).

The only module in the repository that imports ``cv2``.
"""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType

import numpy as np

from devices.camera.base import PREVIEW_SIZE, CameraInfo
from workstation.captures import Frame
from workstation.errors import CaptureCancelled, CaptureFailed, DeviceUnavailable

# opencv-python points these variables at its own bundled Qt when imported, which breaks
# PySide6 under xcb (and LD_LIBRARY_PATH would leak into child processes): put them back.
_CV2_ENV = ("QT_QPA_PLATFORM_PLUGIN_PATH", "QT_QPA_FONTDIR", "LD_LIBRARY_PATH")
_saved_env = {name: os.environ.get(name) for name in _CV2_ENV}
import cv2  # noqa: E402

for _name, _value in _saved_env.items():
    if _value is None:
        os.environ.pop(_name, None)
    else:
        os.environ[_name] = _value

logger = logging.getLogger(__name__)

MAX_PROBED_INDEX = 8
"""Discovery tries device indices 0 .. MAX_PROBED_INDEX - 1."""

_FULL_RESOLUTION_REQUEST = (4096, 3072)
"""Asked for at capture time; drivers answer with the largest size they support."""

_READ_RETRIES = 5
_SETTLE_FRAMES = 3
"""Frames read and dropped after a resolution change, while exposure settles."""


def _quiet_opencv() -> None:
    try:
        cv2.utils.logging.setLogLevel(cv2.utils.logging.LOG_LEVEL_ERROR)
    except AttributeError:  # older builds without the logging module
        pass


def _backend() -> int:
    if sys.platform.startswith("linux"):
        return int(cv2.CAP_V4L2)
    if sys.platform == "win32":
        return int(cv2.CAP_MSMF)
    return int(cv2.CAP_ANY)


def list_cameras(max_index: int = MAX_PROBED_INDEX) -> list[CameraInfo]:
    """Cameras that open, as :class:`CameraInfo`; an empty list when there are none.

    Never raises because hardware is missing.

    :param max_index: how many device indices to try.
    """
    _quiet_opencv()
    if sys.platform.startswith("linux"):
        devices = sorted(Path("/dev").glob("video*"))
        indices = [int(p.name[5:]) for p in devices if p.name[5:].isdigit()]
        indices = [i for i in indices if i < max_index]
    else:
        indices = list(range(max_index))
    found = []
    for index in indices:
        try:
            capture = cv2.VideoCapture(index, _backend())
            try:
                if capture.isOpened():
                    found.append(CameraInfo(index, f"Camera {index}"))
            finally:
                capture.release()
        except cv2.error as e:
            logger.info("camera %d did not open: %s", index, type(e).__name__)
    return found


def read_video(path: Path) -> Iterator[np.ndarray]:
    """Decode a video file frame by frame as RGB arrays (used by the simulated camera).

    :param path: any file OpenCV's FFmpeg backend reads.
    :raises DeviceUnavailable: if the file cannot be opened.
    """
    capture = cv2.VideoCapture(str(path))
    if not capture.isOpened():
        raise DeviceUnavailable(f"cannot open video {path.name}")
    try:
        while True:
            ok, bgr = capture.read()
            if not ok:
                return
            yield cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
    finally:
        capture.release()


def video_frame_rate(path: Path) -> float:
    """The frame rate a video file declares, or 0.0 if unknown."""
    capture = cv2.VideoCapture(str(path))
    try:
        return float(capture.get(cv2.CAP_PROP_FPS) or 0.0)
    finally:
        capture.release()


class OpenCvCamera:
    """A camera through OpenCV: preview at 640x480, capture at full resolution.

    :param source: a device index from :func:`list_cameras`, or a video file or stream URL
        (for IP cameras and tests).
    :param name: display name.
    :param full_resolution: the capture size to ask for; ``None`` asks for the largest.
    NOTE: the device is opened on first use and held until :meth:`close`.
    """

    simulated = False

    def __init__(
        self,
        source: int | str = 0,
        name: str | None = None,
        full_resolution: tuple[int, int] | None = None,
    ) -> None:
        self.source = source
        self.name = name or (f"Camera {source}" if isinstance(source, int) else "Video stream")
        self._full_resolution = full_resolution or _FULL_RESOLUTION_REQUEST
        self._lock = threading.Lock()
        self._capture: cv2.VideoCapture | None = None
        self._size: tuple[int, int] | None = None

    def __enter__(self) -> OpenCvCamera:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Release the device."""
        with self._lock:
            if self._capture is not None:
                self._capture.release()
                self._capture = None
                self._size = None

    def _open(self) -> cv2.VideoCapture:
        if self._capture is None:
            _quiet_opencv()
            if isinstance(self.source, int):
                capture = cv2.VideoCapture(self.source, _backend())
            else:
                capture = cv2.VideoCapture(self.source)
            if not capture.isOpened():
                capture.release()
                raise DeviceUnavailable(f"camera {self.name!r} did not open")
            self._capture = capture
        return self._capture

    def _set_size(self, capture: cv2.VideoCapture, size: tuple[int, int]) -> None:
        if self._size == size or not isinstance(self.source, int):
            return
        capture.set(cv2.CAP_PROP_FRAME_WIDTH, size[0])
        capture.set(cv2.CAP_PROP_FRAME_HEIGHT, size[1])
        self._size = size
        for _ in range(_SETTLE_FRAMES):
            capture.grab()

    def _read(self, capture: cv2.VideoCapture) -> np.ndarray:
        for _ in range(_READ_RETRIES):
            ok, bgr = capture.read()
            if ok and bgr is not None:
                return cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB)
        raise CaptureFailed(f"no frame from {self.name!r}")

    def frames(self, stop: threading.Event) -> Iterator[Frame]:
        """Preview frames (RGB, 640x480) until ``stop`` is set.

        :raises DeviceUnavailable: if the camera cannot be opened or stops delivering.
        """
        while not stop.is_set():
            with self._lock:
                capture = self._open()
                self._set_size(capture, PREVIEW_SIZE)
                try:
                    rgb = self._read(capture)
                except CaptureFailed as e:
                    raise DeviceUnavailable(f"camera {self.name!r} stopped delivering") from e
            if rgb.shape[1] != PREVIEW_SIZE[0] or rgb.shape[0] != PREVIEW_SIZE[1]:
                # Some drivers ignore the size request; scale rather than fail.
                rgb = cv2.resize(rgb, PREVIEW_SIZE, interpolation=cv2.INTER_AREA)
            yield Frame(rgb, time.monotonic())

    def capture(self, stop: threading.Event | None = None) -> Frame:
        """One frame at the camera's full resolution; the preview size is restored after.

        :raises DeviceUnavailable: if the camera cannot be opened.
        :raises CaptureFailed: if no frame could be read.
        :raises CaptureCancelled: if ``stop`` is set before the frame is read.
        """
        with self._lock:
            capture = self._open()
            self._set_size(capture, self._full_resolution)
            if stop is not None and stop.is_set():
                raise CaptureCancelled("capture stopped")
            rgb = self._read(capture)
            return Frame(rgb, time.monotonic())
