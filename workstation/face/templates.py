"""Face templates, detections and the :class:`FaceEncoder` port.

A template is a 128-dimensional embedding. Every template is stored at unit length, so the
similarity of two templates is their cosine: a number in [-1, 1] where **higher means more
alike**. On the dlib ResNet model, pairs of images of the same person typically score above
0.93 and pairs of different people below 0.9 (see ``docs/face.md``).
"""

from __future__ import annotations

import logging
import struct
from dataclasses import dataclass
from enum import Enum, unique
from typing import ClassVar, Protocol

import numpy as np
import numpy.typing as npt

from workstation.errors import CaptureFailed

logger = logging.getLogger(__name__)

TEMPLATE_DIMENSIONS = 128
"""Length of a face template (the dlib ResNet embedding)."""

RgbImage = npt.NDArray[np.uint8]
"""An RGB ``uint8`` image of shape (height, width, 3)."""


class NoFaceFound(CaptureFailed):
    """No face was found in the image (a failure to acquire)."""

    code = "FACE-NOT-FOUND"


class ImageUnreadable(CaptureFailed):
    """The image bytes could not be decoded, or the array is not an RGB image."""

    code = "FACE-IMAGE-UNREADABLE"


@dataclass(frozen=True, eq=False)
class FaceTemplate:
    """A face embedding, normalised to unit length on construction.

    :param vector: 128 finite numbers; stored as a read-only ``float32`` unit vector.
    :raises ValueError: if the vector has the wrong shape, is not finite or is all zeros.
    """

    vector: npt.NDArray[np.float32]

    FORMAT_MAGIC: ClassVar[bytes] = b"SKF2"
    """Serialised form: these 4 bytes, then 128 little-endian float32 (516 bytes). ``SKF2``
    templates are means of three views (face, mirror, equalised); ``SKF1`` ones, of two views,
    came from earlier builds and are not read: their images are encoded again."""

    def __post_init__(self) -> None:
        v = np.asarray(self.vector, dtype=np.float64).reshape(-1)
        if v.shape != (TEMPLATE_DIMENSIONS,):
            raise ValueError(f"a face template has {TEMPLATE_DIMENSIONS} values, not {v.size}")
        if not np.all(np.isfinite(v)):
            raise ValueError("a face template must be finite")
        norm = float(np.linalg.norm(v))
        if norm == 0.0:
            raise ValueError("a face template cannot be all zeros")
        if abs(norm - 1.0) <= 1e-6:
            # Already unit length (e.g. read back from bytes): keep the stored bits exactly.
            unit = np.array(self.vector, dtype=np.float32).reshape(-1)
        else:
            unit = (v / norm).astype(np.float32)
        unit.setflags(write=False)
        object.__setattr__(self, "vector", unit)

    @classmethod
    def from_bytes(cls, data: bytes) -> FaceTemplate:
        """Parse the serialised form written by :meth:`to_bytes`.

        :param data: exactly 516 bytes.
        :raises ValueError: on a wrong length or magic.
        """
        expected = len(cls.FORMAT_MAGIC) + 4 * TEMPLATE_DIMENSIONS
        if len(data) != expected or not data.startswith(cls.FORMAT_MAGIC):
            raise ValueError(f"not a face template: {len(data)} bytes")
        values = struct.unpack(f"<{TEMPLATE_DIMENSIONS}f", data[len(cls.FORMAT_MAGIC) :])
        return cls(np.asarray(values, dtype=np.float32))

    def to_bytes(self) -> bytes:
        """The template as 516 bytes (magic + 128 little-endian float32)."""
        return self.FORMAT_MAGIC + self.vector.astype("<f4").tobytes()

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, FaceTemplate):
            return NotImplemented
        return bool(np.array_equal(self.vector, other.vector))

    def __hash__(self) -> int:
        return hash(self.vector.tobytes())

    def __repr__(self) -> str:
        # Never print the numbers: a template is biometric data.
        return "FaceTemplate(<128 values>)"


def similarity(a: FaceTemplate, b: FaceTemplate) -> float:
    """Cosine similarity of two templates: 1.0 for identical, higher means more alike.

    :param a: one template.
    :param b: the other; the result is symmetric.
    """
    return float(np.dot(a.vector.astype(np.float64), b.vector.astype(np.float64)))


@unique
class LandmarkScheme(Enum):
    """Which points a :class:`Landmarks` holds.

    ``IBUG_68`` is the 68-point iBUG 300-W layout (0-16 jaw, 17-26 brows, 27-35 nose,
    36-41 right eye as seen in the image's left, 42-47 the other eye, 48-67 mouth).
    ``DLIB_5`` is dlib's 5-point layout (0-1 one eye's corners, 2-3 the other's, 4 below the nose).
    """

    IBUG_68 = "ibug68"
    DLIB_5 = "dlib5"


_SCHEME_SIZES = {LandmarkScheme.IBUG_68: 68, LandmarkScheme.DLIB_5: 5}


@dataclass(frozen=True, eq=False)
class Landmarks:
    """Facial landmark points in image pixel coordinates (x, y).

    :param points: float array of shape (n, 2), n fixed by ``scheme``.
    :param scheme: the point layout.
    """

    points: npt.NDArray[np.float64]
    scheme: LandmarkScheme

    def __post_init__(self) -> None:
        pts = np.array(self.points, dtype=np.float64)
        if pts.shape != (_SCHEME_SIZES[self.scheme], 2):
            raise ValueError(
                f"{self.scheme.value} landmarks need shape ({_SCHEME_SIZES[self.scheme]}, 2)"
            )
        pts.setflags(write=False)
        object.__setattr__(self, "points", pts)

    def eye_centres(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Centres of the two eyes, the one further left in the image first."""
        p = self.points
        if self.scheme is LandmarkScheme.IBUG_68:
            a, b = p[36:42].mean(axis=0), p[42:48].mean(axis=0)
        else:
            a, b = p[0:2].mean(axis=0), p[2:4].mean(axis=0)
        return (a, b) if a[0] <= b[0] else (b, a)

    def inter_eye_distance(self) -> float:
        """Distance in pixels between the eye centres."""
        a, b = self.eye_centres()
        return float(np.hypot(*(b - a)))

    def scaled(self, factor: float) -> Landmarks:
        """The same points in an image resized by ``factor``."""
        return Landmarks(self.points * factor, self.scheme)


@dataclass(frozen=True)
class FaceBox:
    """A face rectangle in pixels: ``left``/``top`` inclusive, ``right``/``bottom`` exclusive."""

    left: int
    top: int
    right: int
    bottom: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    @property
    def area(self) -> int:
        return max(0, self.width) * max(0, self.height)

    def scaled(self, factor: float) -> FaceBox:
        """The same box in an image resized by ``factor``."""
        return FaceBox(
            round(self.left * factor),
            round(self.top * factor),
            round(self.right * factor),
            round(self.bottom * factor),
        )


@dataclass(frozen=True)
class FaceDetection:
    """One face found in an image.

    :param box: where the face is.
    :param landmarks: landmark points used for quality checks (68-point when the backend has
        them, otherwise 5-point).
    :param confidence: the detector's own score; comparable only within one backend.
    """

    box: FaceBox
    landmarks: Landmarks
    confidence: float = 0.0


class FaceEncoder(Protocol):
    """Turns an image into face templates (the port ``devices/biometrics`` implements).

    Raises :class:`NoFaceFound` and :class:`ImageUnreadable` only. Implementations are not
    required to be thread-safe: give each worker thread its own, or call from one thread.
    """

    name: str

    def detect(self, image: RgbImage, *, upsample: bool = False) -> tuple[FaceDetection, ...]:
        """Find every face in an RGB image, largest first; an empty tuple if none.

        :param image: RGB ``uint8`` array (height, width, 3).
        :param upsample: ``False`` for fast preview frames; ``True`` for a captured frame or a
            document photo, where small faces matter more than time.
        """
        ...

    def encode(
        self, image: bytes | RgbImage, detection: FaceDetection | None = None
    ) -> FaceTemplate:
        """The template of the largest face in the image.

        :param image: encoded image bytes (JPEG, PNG, JPEG 2000 where supported) or RGB array.
        :param detection: a detection already made on this same image with
            :meth:`detect`; ``None`` detects with upsampling (and more thorough fallbacks).
        :raises NoFaceFound: if no face is found.
        :raises ImageUnreadable: if the image cannot be decoded.
        """
        ...
