"""Biometric captures: face frames and finger impressions, as the devices deliver them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import Enum, unique

import numpy as np
import numpy.typing as npt


@dataclass(frozen=True, eq=False)
class Frame:
    """One camera frame: ``image`` is an RGB ``uint8`` array of shape (height, width, 3)."""

    image: npt.NDArray[np.uint8]
    timestamp: float

    @property
    def width(self) -> int:
        return int(self.image.shape[1])

    @property
    def height(self) -> int:
        return int(self.image.shape[0])


@dataclass(frozen=True)
class FaceCapture:
    """A captured face image, encoded (PNG or JPEG), as stored with the case.

    :param quality_notes: stable codes of quality checks that did not pass (empty = all passed).
    """

    image: bytes
    media_type: str
    width: int
    height: int
    captured_at: dt.datetime
    quality_notes: tuple[str, ...] = ()


@unique
class Finger(Enum):
    """ISO/IEC 19794-4 finger positions (1 = right thumb ... 10 = left little)."""

    RIGHT_THUMB = 1
    RIGHT_INDEX = 2
    RIGHT_MIDDLE = 3
    RIGHT_RING = 4
    RIGHT_LITTLE = 5
    LEFT_THUMB = 6
    LEFT_INDEX = 7
    LEFT_MIDDLE = 8
    LEFT_RING = 9
    LEFT_LITTLE = 10


@unique
class FingerException(Enum):
    """Why a finger was not captured (recorded, never silently dropped)."""

    MISSING = "missing"
    INJURED = "injured"
    UNUSABLE = "unusable"


@dataclass(frozen=True)
class FingerCapture:
    """One finger: an encoded image with its quality (0-100, NFIQ 2 scale) or an exception."""

    finger: Finger
    image: bytes | None
    media_type: str
    quality: int | None
    exception: FingerException | None = None

    def __post_init__(self) -> None:
        if (self.image is None) == (self.exception is None):
            raise ValueError("a finger capture has either an image or an exception")
