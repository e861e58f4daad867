"""Minutiae extraction, NFIQ 2 and the Bozorth3 reference matcher through nbis-py.

nbis-py (MIT; NIST NBIS and NFIQ 2 behind a Rust core) is the only module-level import of
``nbis`` in the project. Its own ISO/IEC 19794-2 reader returned no minutiae for the
third-party records of FVC2002 and its writer emits a non-standard header, so templates go
through :mod:`workstation.fingerprint.iso19794_2` instead.
"""

from __future__ import annotations

import importlib
import io
import logging
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from PIL import Image, UnidentifiedImageError

from workstation.captures import FingerCapture
from workstation.errors import CaptureFailed
from workstation.fingerprint.template import FingerTemplate

logger = logging.getLogger(__name__)

nbis: Any
try:
    # imported by name: nbis-py ships no type information, and may be absent
    nbis = importlib.import_module("nbis")
except ImportError:  # pragma: no cover - depends on the installation
    nbis = None


def available() -> bool:
    """Whether nbis-py is installed."""
    return nbis is not None


@dataclass(frozen=True)
class Extraction:
    """A template with the impression's NFIQ 2 score (0-100), ``None`` if not computed or
    NFIQ 2 failed on this impression (treat as below any threshold)."""

    template: FingerTemplate
    nfiq2: int | None


def _grey_png(image: bytes) -> tuple[bytes, int, int]:
    try:
        with Image.open(io.BytesIO(image)) as im:
            grey = im.convert("L")
    except (UnidentifiedImageError, OSError) as e:
        raise CaptureFailed("finger image could not be decoded") from e
    buffer = io.BytesIO()
    grey.save(buffer, format="PNG")
    return buffer.getvalue(), grey.width, grey.height


class NbisMinutiaeExtractor:
    """mindtct minutiae (and optionally NFIQ 2) from an encoded finger image.

    :param min_reliability: drop minutiae whose mindtct reliability is below this (0-1).
    :param ppi: the images' resolution in pixels per inch.
    :param nfiq2: also compute NFIQ 2 (about +60 ms per image).
    """

    name = "mindtct (nbis-py)"

    def __init__(self, min_reliability: float = 0.0, ppi: float = 500.0, nfiq2: bool = False):
        if nbis is None:
            raise CaptureFailed("nbis-py is not installed")
        self.min_reliability = min_reliability
        self.ppi = ppi
        self._nfiq2 = nfiq2
        self._extractor = nbis.new_nbis_extractor(self._settings(nfiq2))
        # NFIQ 2 fails on some impressions (small capacitive ones): minutiae are still wanted
        self._plain = nbis.new_nbis_extractor(self._settings(False)) if nfiq2 else self._extractor
        # the Rust handle is not documented as thread-safe
        self._lock = threading.Lock()

    def _settings(self, nfiq2: bool) -> Any:
        return nbis.NbisExtractorSettings(
            min_quality=0.0,
            get_center=False,
            check_fingerprint=False,
            compute_nfiq2=nfiq2,
            ppi=self.ppi,
        )

    def extract(self, image: bytes) -> FingerTemplate:
        """Minutiae of an encoded image.

        :raises CaptureFailed: the image cannot be decoded or processed.
        """
        return self.extract_with_quality(image).template

    def extract_with_quality(self, image: bytes) -> Extraction:
        """Minutiae and, when enabled, NFIQ 2 of an encoded image.

        :raises CaptureFailed: the image cannot be decoded or processed.
        """
        png, width, height = _grey_png(image)
        nfiq: int | None = None
        try:
            with self._lock:
                try:
                    result = self._extractor.extract_minutiae(png)
                    if self._nfiq2:
                        nfiq = int(result.quality().score)
                except Exception:  # NbisError.Nfiq2ComputeFailed and kin
                    if self._plain is self._extractor:
                        raise
                    logger.info("NFIQ 2 could not be computed; extracting minutiae without it")
                    result = self._plain.extract_minutiae(png)
                minutiae = result.get()
        except Exception as e:  # nbis raises its own NbisError/InternalError types
            raise CaptureFailed("minutiae extraction failed") from e
        rows = [
            (m.x(), m.y(), math.radians(m.angle()), m.reliability(), m.kind().value)
            for m in minutiae
            if m.reliability() >= self.min_reliability
        ]
        arr = np.asarray(rows, dtype=np.float64).reshape(-1, 5)
        # nbis MinutiaKind: 1 = ridge ending, 2 = bifurcation (same codes as ISO)
        kinds = np.clip(arr[:, 4], 0, 2).astype(np.uint8)
        template = FingerTemplate(
            arr[:, :3],
            kinds,
            np.clip(np.rint(arr[:, 3] * 100), 0, 100).astype(np.uint8),
            width,
            height,
            round(self.ppi / 2.54),
            0,
            nfiq or 0,
        )
        return Extraction(template, nfiq)


class Bozorth3Reference:
    """NIST Bozorth3 through nbis-py, as the reference matcher for benchmarks.

    NOTE: images only. nbis-py 0.1.3's ISO/IEC 19794-2 reader returns no minutiae for
    standard records (the FVC2002 third-party ones and ours alike), so templates cannot be
    handed to Bozorth3 through it.
    """

    name = "Bozorth3 (nbis-py)"

    def __init__(self) -> None:
        if nbis is None:
            raise CaptureFailed("nbis-py is not installed")
        settings = nbis.NbisExtractorSettings(
            min_quality=0.0,
            get_center=False,
            check_fingerprint=False,
            compute_nfiq2=False,
            ppi=500.0,
        )
        self._extractor = nbis.new_nbis_extractor(settings)

    def prepare_image(self, image: bytes) -> object:
        """nbis' own minutiae object for an image."""
        png, _, _ = _grey_png(image)
        return self._extractor.extract_minutiae(png)

    @staticmethod
    def score(a: object, b: object) -> int:
        """Bozorth3 match score (not bounded; around 40 is NIST's usual threshold)."""
        return int(a.compare(b))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class MeasuredFinger:
    """A capture re-scored with the workstation's own NFIQ 2, with its template.

    :param capture: the capture, ``quality`` replaced by NFIQ 2 (exceptions unchanged).
    :param device_quality: the quality the scanner reported.
    :param template: minutiae for matching and the alteration warning; ``None`` for exceptions.
    """

    capture: FingerCapture
    device_quality: int | None
    template: FingerTemplate | None


def measure(
    captures: Sequence[FingerCapture], extractor: NbisMinutiaeExtractor
) -> list[MeasuredFinger]:
    """NFIQ 2 and minutiae for every captured finger: device scores are not comparable
    across vendors, so the gates use the workstation's own measurement.

    :param captures: what the scanner returned.
    :param extractor: an extractor built with ``nfiq2=True``.
    :raises CaptureFailed: an image cannot be processed (capture it again).
    """
    out: list[MeasuredFinger] = []
    for c in captures:
        if c.image is None:
            out.append(MeasuredFinger(c, c.quality, None))
            continue
        result = extractor.extract_with_quality(c.image)
        out.append(MeasuredFinger(replace(c, quality=result.nfiq2), c.quality, result.template))
    return out
