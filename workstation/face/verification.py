"""1:1 verification of the live face against the document's photo, as a check result."""

from __future__ import annotations

import hashlib
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum, unique
from typing import ClassVar

from workstation.face.calibration import FaceMatcher
from workstation.face.templates import FaceEncoder, FaceTemplate, ImageUnreadable, NoFaceFound

logger = logging.getLogger(__name__)


@unique
class FaceOutcome(Enum):
    MATCH = "match"
    NO_MATCH = "no_match"
    NO_REFERENCE = "no_reference"  # the document carries no photo
    NO_FACE_LIVE = "no_face_live"  # no face found in the live capture
    NO_FACE_REFERENCE = "no_face_reference"  # no face found in the document photo


@dataclass(frozen=True)
class FaceVerification:
    """The live face compared with the document photo.

    :param score: cosine similarity, when both faces were found.
    :param strength_code: the calibrated false-match strength (``FMR-1IN-10000``) that the
        UI says in words; never a bare score.
    """

    outcome: FaceOutcome
    score: float | None = None
    threshold: float | None = None
    strength_code: str = ""

    @property
    def blocks_permit(self) -> bool:
        """A different person, as far as the faces can tell."""
        return self.outcome is FaceOutcome.NO_MATCH


class FaceVerifier:
    """Encodes both images and decides at the matcher's threshold.

    :param encoder: a factory, called once on first use from the calling thread (loading
        the models takes about a second, and encoders need not be thread-safe).
    :param matcher: thresholds from the calibration table and the policy's target FMR.
    """

    CACHE_SIZE: ClassVar[int] = 8

    def __init__(self, encoder: Callable[[], FaceEncoder], matcher: FaceMatcher) -> None:
        self._factory = encoder
        self._encoder: FaceEncoder | None = None
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, FaceTemplate | Exception] = OrderedDict()
        self.matcher = matcher

    def _encode(self, image: bytes) -> FaceTemplate:
        key = hashlib.sha256(image).hexdigest()
        with self._lock:
            cached = self._cache.get(key)
            if cached is None:
                if self._encoder is None:
                    self._encoder = self._factory()
                try:
                    cached = self._encoder.encode(image)
                except (NoFaceFound, ImageUnreadable) as e:
                    cached = e
                self._cache[key] = cached
                while len(self._cache) > self.CACHE_SIZE:
                    self._cache.popitem(last=False)
        if isinstance(cached, Exception):
            raise cached
        return cached

    def template(self, image: bytes) -> FaceTemplate:
        """The template of an image, from the cache when it was encoded recently.

        :raises NoFaceFound: no face in the image.
        :raises ImageUnreadable: not an image.
        """
        return self._encode(image)

    def forget(self) -> None:
        """Drop the prepared templates (benchmarks measure encoding, not the cache)."""
        with self._lock:
            self._cache.clear()

    def prepare(self, image: bytes) -> None:
        """Encode ahead of time (e.g. the chip photo while the traveller faces the camera),
        so that :meth:`verify` finds the template ready. Failures are kept for ``verify``."""
        try:
            self._encode(image)
        except (NoFaceFound, ImageUnreadable):
            pass

    def verify(self, live: bytes, reference: bytes | None) -> FaceVerification:
        """Compare the live capture with the document photo (``None``: the document has none)."""
        if reference is None:
            return FaceVerification(FaceOutcome.NO_REFERENCE)
        try:
            probe = self._encode(live)
        except (NoFaceFound, ImageUnreadable):
            return FaceVerification(FaceOutcome.NO_FACE_LIVE)
        try:
            template = self._encode(reference)
        except (NoFaceFound, ImageUnreadable):
            return FaceVerification(FaceOutcome.NO_FACE_REFERENCE)
        result = self.matcher.verify(probe, template)
        outcome = FaceOutcome.MATCH if result.matched else FaceOutcome.NO_MATCH
        logger.info("face 1:1 %s", outcome.value)
        return FaceVerification(outcome, result.score, result.threshold, result.strength.code)
