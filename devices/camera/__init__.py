"""Cameras: the ``FaceCamera`` port's adapters.

- :mod:`devices.camera.base`: the port, frame sizes and errors (no OpenCV).
- :mod:`devices.camera.opencv`: ``OpenCvCamera``, the only module that imports ``cv2``.
- :mod:`devices.camera.fake`: ``SimulatedCamera``, which plays images, folders or videos.

Import the adapters from their modules; this package imports neither, so that importing it
costs nothing and needs no OpenCV.
"""

from __future__ import annotations

from devices.camera.base import PREVIEW_SIZE, CameraInfo, FaceCamera, Frame

__all__ = ["PREVIEW_SIZE", "CameraInfo", "FaceCamera", "Frame"]
