"""The camera port as devices see it, and the values shared by camera adapters.

A camera implements :class:`workstation.ports.FaceCamera`:

- ``frames(stop)`` yields preview :class:`~workstation.captures.Frame` objects at
  :data:`PREVIEW_SIZE` (RGB) until ``stop`` is set; run it on the camera's own worker.
- ``capture(stop)`` returns one frame at the camera's full resolution. It may be called from
  another thread while ``frames`` runs: the preview pauses for it.

Adapters raise only :class:`~workstation.errors.DeviceUnavailable` (camera missing or
disconnected), :class:`~workstation.errors.DeviceBusy` (held by another program),
:class:`~workstation.errors.CaptureFailed` (a frame could not be read) and
:class:`~workstation.errors.CaptureCancelled` (``stop`` was set during ``capture``).
Discovery (``list_cameras``) never raises because hardware is missing.
"""

from __future__ import annotations

from dataclasses import dataclass

from workstation.captures import Frame
from workstation.errors import CaptureCancelled, CaptureFailed, DeviceBusy, DeviceUnavailable
from workstation.ports import FaceCamera

PREVIEW_SIZE = (640, 480)
"""Preview frames are this (width, height): fast to detect in and enough for guidance."""


@dataclass(frozen=True)
class CameraInfo:
    """One camera found by discovery.

    :param index: the backend's device index, passed to the adapter's constructor.
    :param name: a display name ("Camera 0" where the backend gives none).
    :param simulated: ``True`` for the simulated camera.
    """

    index: int
    name: str
    simulated: bool = False


__all__ = [
    "PREVIEW_SIZE",
    "CameraInfo",
    "CaptureCancelled",
    "CaptureFailed",
    "DeviceBusy",
    "DeviceUnavailable",
    "FaceCamera",
    "Frame",
]
