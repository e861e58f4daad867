"""The simulated camera: plays an image, a folder of images or a video file in a loop.

Used for training mode, demos (``--simulate-devices``) and tests. With no arguments it plays
the demo face shipped in ``data/demo_face.jpg`` (a public-domain NASA portrait, see
``docs/face.md``) and simulates a 1280x960 sensor for captures.
"""

from __future__ import annotations

import importlib.resources
import logging
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from devices.camera.base import PREVIEW_SIZE, CameraInfo
from workstation.captures import Frame
from workstation.errors import CaptureCancelled, DeviceUnavailable

logger = logging.getLogger(__name__)

IMAGE_SUFFIXES = frozenset(
    {".jpg", ".jpeg", ".png", ".pgm", ".ppm", ".bmp", ".tif", ".tiff", ".webp"}
)
VIDEO_SUFFIXES = frozenset({".mp4", ".avi", ".mkv", ".mov", ".webm", ".m4v"})

DEMO_CAPTURE_SIZE = (1280, 960)
"""Capture size simulated for the demo face, so its eyes are more than 90 px apart."""


def demo_face_path() -> Path:
    """The shipped demo face image."""
    resource = importlib.resources.files("devices.camera") / "data" / "demo_face.jpg"
    return Path(str(resource))


def _load_image(path: Path) -> np.ndarray:
    try:
        with Image.open(path) as image:
            return np.asarray(ImageOps.exif_transpose(image).convert("RGB"), dtype=np.uint8)
    except (UnidentifiedImageError, OSError) as e:
        raise DeviceUnavailable(f"cannot read image {path.name}") from e


def _fit(rgb: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Scale to cover ``size`` (width, height) and crop the centre, as a sensor mode would."""
    width, height = size
    if rgb.shape[1] == width and rgb.shape[0] == height:
        return rgb
    scale = max(width / rgb.shape[1], height / rgb.shape[0])
    scaled_size = (
        max(width, round(rgb.shape[1] * scale)),
        max(height, round(rgb.shape[0] * scale)),
    )
    scaled = np.asarray(Image.fromarray(rgb).resize(scaled_size, Image.Resampling.BILINEAR))
    left = (scaled.shape[1] - width) // 2
    top = (scaled.shape[0] - height) // 2
    return np.ascontiguousarray(scaled[top : top + height, left : left + width])


def _load_source(path: Path) -> tuple[list[np.ndarray], float | None]:
    """Frames of an image, folder or video, and the video's own frame rate if any."""
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if not files:
            raise DeviceUnavailable(f"no images in folder {path.name}")
        return [_load_image(p) for p in files], None
    if not path.is_file():
        raise DeviceUnavailable(f"no such file: {path.name}")
    if path.suffix.lower() in VIDEO_SUFFIXES:
        # Decoding video needs OpenCV; keep it behind the one module that imports it.
        from devices.camera.opencv import read_video, video_frame_rate

        frames = list(read_video(path))
        if not frames:
            raise DeviceUnavailable(f"no frames in video {path.name}")
        return frames, video_frame_rate(path) or None
    return [_load_image(path)], None


class SimulatedCamera:
    """A :class:`~workstation.ports.FaceCamera` that plays files.

    :param source: an image, a folder of images (played in name order) or a video file;
        ``None`` plays the shipped demo face.
    :param fps: preview frame rate; ``None`` uses the video's own rate, or 15.
    :param capture_size: (width, height) of captures; ``None`` captures the current source
        frame at its own size (1280x960 for the demo face).
    :param preview_size: (width, height) of preview frames.
    :param loop: start again after the last frame; otherwise ``frames`` ends there.
    NOTE: a whole video is decoded into memory when the camera is created; keep clips short.
    """

    simulated = True

    def __init__(
        self,
        source: Path | str | None = None,
        *,
        fps: float | None = None,
        capture_size: tuple[int, int] | None = None,
        preview_size: tuple[int, int] = PREVIEW_SIZE,
        loop: bool = True,
    ) -> None:
        path = demo_face_path() if source is None else Path(source)
        self._frames, video_fps = _load_source(path)
        if source is None and capture_size is None:
            capture_size = DEMO_CAPTURE_SIZE
        self.name = f"Simulated camera ({path.name})"
        self.fps = fps or video_fps or 15.0
        if self.fps <= 0:
            raise ValueError("fps must be positive")
        self.capture_size = capture_size
        self.preview_size = preview_size
        self.loop = loop
        self._position = 0
        self._lock = threading.Lock()
        logger.debug("simulated camera with %d frames at %.1f fps", len(self._frames), self.fps)

    @property
    def frame_count(self) -> int:
        """Frames in one pass of the source."""
        return len(self._frames)

    def info(self) -> CameraInfo:
        """Discovery entry for this camera."""
        return CameraInfo(index=-1, name=self.name, simulated=True)

    def _current(self) -> np.ndarray:
        return self._frames[self._position % len(self._frames)]

    def frames(self, stop: threading.Event) -> Iterator[Frame]:
        """Preview frames at :attr:`fps` until ``stop`` is set (or the end, without loop)."""
        interval = 1.0 / self.fps
        next_due = time.monotonic()
        while not stop.is_set():
            with self._lock:
                if not self.loop and self._position >= len(self._frames):
                    return
                rgb = _fit(self._current(), self.preview_size)
                self._position += 1
            yield Frame(rgb, time.monotonic())
            next_due += interval
            delay = next_due - time.monotonic()
            if delay > 0:
                if stop.wait(delay):
                    return
            else:
                next_due = time.monotonic()

    def capture(self, stop: threading.Event | None = None) -> Frame:
        """The frame the preview last showed, at capture resolution.

        :raises CaptureCancelled: if ``stop`` is already set.
        """
        if stop is not None and stop.is_set():
            raise CaptureCancelled("capture stopped")
        with self._lock:
            rgb = self._frames[max(self._position - 1, 0) % len(self._frames)]
        if self.capture_size is not None:
            rgb = _fit(rgb, self.capture_size)
        return Frame(np.array(rgb), time.monotonic())
