"""Finger minutiae templates, independent of any encoding or extractor."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import IntEnum, unique
from typing import Protocol

import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)

DEFAULT_RESOLUTION_PPCM = 197
"""500 dpi in pixels per centimetre, the ISO/IEC 19794-2 unit."""


@unique
class MinutiaKind(IntEnum):
    """Minutia types as ISO/IEC 19794-2:2005 codes them (two bits)."""

    OTHER = 0
    RIDGE_ENDING = 1
    BIFURCATION = 2


@dataclass(frozen=True, eq=False)
class FingerTemplate:
    """A set of minutiae from one finger impression.

    Coordinates are pixels with the origin at the top-left corner, ``y`` growing downwards.
    Angles are radians in ``[0, 2π)``, counter-clockwise from the ``x`` axis, following the
    ISO/IEC 19794-2 convention.

    :param minutiae: float array of shape (n, 3): ``x``, ``y``, ``angle``.
    :param kinds: uint8 array of shape (n,), :class:`MinutiaKind` values.
    :param qualities: uint8 array of shape (n,), 0-100 (0 = not reported).
    :param width: image width in pixels.
    :param height: image height in pixels.
    :param resolution: pixels per centimetre (197 = 500 dpi).
    :param finger_position: ISO/IEC 19794 finger position code (0 = unknown).
    :param impression_quality: the impression's quality 0-100 (0 = not reported).
    """

    minutiae: npt.NDArray[np.float64]
    kinds: npt.NDArray[np.uint8] = field(default_factory=lambda: np.zeros(0, np.uint8))
    qualities: npt.NDArray[np.uint8] = field(default_factory=lambda: np.zeros(0, np.uint8))
    width: int = 0
    height: int = 0
    resolution: int = DEFAULT_RESOLUTION_PPCM
    finger_position: int = 0
    impression_quality: int = 0

    def __post_init__(self) -> None:
        m = np.asarray(self.minutiae, dtype=np.float64).reshape(-1, 3)
        n = len(m)
        kinds = np.asarray(self.kinds, dtype=np.uint8)
        qualities = np.asarray(self.qualities, dtype=np.uint8)
        if kinds.size == 0:
            kinds = np.full(n, MinutiaKind.OTHER, np.uint8)
        if qualities.size == 0:
            qualities = np.zeros(n, np.uint8)
        if kinds.shape != (n,) or qualities.shape != (n,):
            raise ValueError("kinds and qualities need one entry per minutia")
        m = m.copy()
        m[:, 2] = np.mod(m[:, 2], 2 * np.pi)
        object.__setattr__(self, "minutiae", m)
        object.__setattr__(self, "kinds", kinds)
        object.__setattr__(self, "qualities", qualities)

    def __len__(self) -> int:
        return len(self.minutiae)

    @classmethod
    def from_points(
        cls,
        points: npt.ArrayLike,
        *,
        degrees: bool = False,
        width: int = 0,
        height: int = 0,
        resolution: int = DEFAULT_RESOLUTION_PPCM,
    ) -> FingerTemplate:
        """Build a template from ``(x, y, angle)`` rows.

        :param points: rows of ``x``, ``y``, ``angle``.
        :param degrees: angles are in degrees instead of radians.
        """
        m = np.asarray(points, dtype=np.float64).reshape(-1, 3).copy()
        if degrees:
            m[:, 2] = np.deg2rad(m[:, 2])
        return cls(m, width=width, height=height, resolution=resolution)

    def scaled_to(self, resolution: int) -> FingerTemplate:
        """The same template with coordinates rescaled to another resolution (px/cm)."""
        if resolution == self.resolution or self.resolution <= 0:
            return self
        factor = resolution / self.resolution
        m = self.minutiae.copy()
        m[:, :2] *= factor
        return FingerTemplate(
            m,
            self.kinds,
            self.qualities,
            round(self.width * factor),
            round(self.height * factor),
            resolution,
            self.finger_position,
            self.impression_quality,
        )

    def resampled(self, width: int, height: int) -> FingerTemplate:
        """The template mapped onto an image of another size, axis by axis.

        For records whose extractor resampled the image without saying so: the FVC2002
        third-party records all declare 300 x 400 pixels at 197 px/cm, whatever the size of
        the image they came from. Directions are mapped through the same stretch.

        :param width: the target image width.
        :param height: the target image height.
        """
        if self.width <= 0 or self.height <= 0:
            raise ValueError("template has no image size to map from")
        sx, sy = width / self.width, height / self.height
        m = self.minutiae.copy()
        m[:, 0] *= sx
        m[:, 1] *= sy
        m[:, 2] = np.arctan2(np.sin(m[:, 2]) * sy, np.cos(m[:, 2]) * sx)
        return FingerTemplate(
            m,
            self.kinds,
            self.qualities,
            width,
            height,
            self.resolution,
            self.finger_position,
            self.impression_quality,
        )


class MinutiaeExtractor(Protocol):
    """Turns a finger image into a template (implemented in ``devices/fingerprint``).

    Raises :class:`~workstation.errors.CaptureFailed` when the image cannot be processed.
    """

    name: str

    def extract(self, image: bytes) -> FingerTemplate:
        """Minutiae of an encoded image (PNG, TIFF, BMP, JPEG, PGM)."""
        ...
