"""What the capture panel shows for one finger: its quality, what to tell the traveller, and
the altered-fingerprint warning.

The quality a capture is judged on is the lower of the scanner's own score and the
workstation's NFIQ 2 (nbis-py): a scanner that gave up before reaching the score it was asked
for says so in its score, and NFIQ 2 keeps one vendor's generous scale from letting a poor
impression through. Without nbis-py the scanner's score is used alone.

The hints come from two plain image measurements, independent of the sensor's grey levels:

- the **contact area** (12-pixel blocks whose grey levels vary like ridges do: standard
  deviation above 8, where a blank platen stays below 5): below NFIQ 2's own "sufficient
  foreground" limit of 50,000 pixels at 500 ppi the finger was pressed too lightly or
  placed off centre; below 10,000 there is no finger at all;
- the **ridge share**: in each block, the share of pixels darker than the middle of the
  block's range, median over the contact area. Ridges and valleys are about equally wide on
  a good impression; a wet finger or one pressed too hard fills the valleys (the share
  rises), a dry one breaks and thins the ridges (the share falls).

Measured on all 320 FVC2002 DB1-DB4 (B) impressions (``python -m devices.fingerprint.feedback
FOLDER...``): the ridge share of 95 % of them lies between 0.19 and 0.65, so 5 % get a dry
and 5 % a wet hint, and 12 % are below the contact-area limit (29 of the 80 from DB3's small
300 × 300 sensor, 10 of the other 240); after a 3 × 3 grey dilation
(a stand-in for a dry finger) 58 % get the dry hint, after a 5 × 5 grey erosion (a wet
finger) 57 % get the wet hint, and NFIQ 2 falls from a median of 62 to 51 and 20 on 20 of
them from DB1 and DB2. NOTE: these are simulated conditions, not captures of real dry or wet
fingers (the project has none), so the hints are shown only when the quality gate has
already refused a capture, to say what to try first.
"""

from __future__ import annotations

import io
import logging
import threading
from dataclasses import dataclass, replace
from enum import Enum, unique

import numpy as np
import numpy.typing as npt
from PIL import Image, UnidentifiedImageError

from devices.fingerprint import nbis_backend
from workstation.captures import FingerCapture
from workstation.errors import CaptureFailed
from workstation.fingerprint.quality import alteration_signals

logger = logging.getLogger(__name__)

BLOCK = 12
"""Block size in pixels at 500 ppi (a little more than one ridge period)."""
RIDGE_STD = 8.0
"""A block whose grey levels vary more than this holds ridges (a blank platen varies less)."""
NO_FINGER_AREA = 10_000
SUFFICIENT_AREA = 50_000
"""NFIQ 2's actionable-feedback limit for the foreground, in pixels at 500 ppi."""
WET_SHARE = 0.60
DRY_SHARE = 0.22


@unique
class FingerHint(Enum):
    """Stable codes of what the traveller should do (``ui/messages.py`` has the words)."""

    NO_FINGER = "FP-HINT-NO-FINGER"
    PRESS_HARDER = "FP-HINT-PRESS"
    TOO_WET = "FP-HINT-WET"
    TOO_DRY = "FP-HINT-DRY"


@dataclass(frozen=True)
class ImageConditions:
    """The plain measurements behind the hints.

    :param contact_area: pixels (at 500 ppi) of the finger in contact with the glass.
    :param ridge_share: median share of ridge (dark) pixels in the contact area, 0..1;
        ``None`` without contact.
    """

    contact_area: int
    ridge_share: float | None
    hints: tuple[FingerHint, ...]


def image_conditions(grey: npt.NDArray[np.uint8], ppi: int = 500) -> ImageConditions:
    """Contact area and ridge share of an 8-bit grey finger image, with the hints they give.

    :param grey: the image, dark ridges on a light background (shape height × width).
    :param ppi: its resolution; block size and areas scale with it.
    """
    scale = ppi / 500
    block = max(4, round(BLOCK * scale))
    height, width = (grey.shape[0] // block) * block, (grey.shape[1] // block) * block
    if height == 0 or width == 0:
        return ImageConditions(0, None, (FingerHint.NO_FINGER,))
    blocks = (
        grey[:height, :width]
        .astype(np.float32)
        .reshape(height // block, block, width // block, block)
        .transpose(0, 2, 1, 3)
        .reshape(height // block, width // block, block * block)
    )
    contact = blocks.std(axis=2) > RIDGE_STD
    area = round(int(contact.sum()) * block * block / (scale * scale))
    if area < NO_FINGER_AREA:
        return ImageConditions(area, None, (FingerHint.NO_FINGER,))
    inside = blocks[contact]
    low = np.percentile(inside, 5, axis=1)
    high = np.percentile(inside, 95, axis=1)
    share = float(np.median((inside < ((low + high) / 2)[:, None]).mean(axis=1)))
    hints: list[FingerHint] = []
    if area < SUFFICIENT_AREA:
        hints.append(FingerHint.PRESS_HARDER)
    if share > WET_SHARE:
        hints.append(FingerHint.TOO_WET)
    elif share < DRY_SHARE:
        hints.append(FingerHint.TOO_DRY)
    return ImageConditions(area, share, tuple(hints))


def decode_grey(image: bytes) -> npt.NDArray[np.uint8]:
    """An encoded finger image as an 8-bit grey array.

    :raises CaptureFailed: not an image.
    """
    try:
        with Image.open(io.BytesIO(image)) as im:
            return np.asarray(im.convert("L"), dtype=np.uint8)
    except (UnidentifiedImageError, OSError) as e:
        raise CaptureFailed("finger image could not be decoded") from e


def judged_quality(device: int | None, nfiq2: int | None, measured: bool) -> int | None:
    """The quality a capture is judged on: the lower of the scanner's score and NFIQ 2.

    :param measured: whether NFIQ 2 was run; when it ran and failed (``nfiq2`` is ``None``)
        the capture counts as below any threshold, as in :func:`nbis_backend.measure`.
    """
    if not measured:
        return device
    if nfiq2 is None:
        return None
    return nfiq2 if device is None else min(device, nfiq2)


@dataclass(frozen=True)
class FingerMeasurement:
    """One finger as the capture panel shows it.

    :param capture: the capture with ``quality`` replaced by :func:`judged_quality`
        (exceptions unchanged).
    :param device_quality: the score the scanner reported.
    :param nfiq2: the workstation's NFIQ 2, ``None`` if not measured or it failed.
    :param nfiq2_measured: whether nbis-py was available to measure it.
    :param altered: the altered-fingerprint heuristic flags this impression
        (:func:`workstation.fingerprint.quality.alteration_signals`): a warning, never a decision.
    """

    capture: FingerCapture
    device_quality: int | None
    nfiq2: int | None
    nfiq2_measured: bool
    conditions: ImageConditions | None
    altered: bool = False

    @property
    def hints(self) -> tuple[FingerHint, ...]:
        return self.conditions.hints if self.conditions is not None else ()


class FingerMeasurer:
    """Measures captures for the capture panel. Slow (NFIQ 2 and minutiae, 0.1-0.4 s per
    image): call it off the GUI thread. Thread-safe.

    :param use_nfiq2: measure NFIQ 2 and the altered-finger warning when nbis-py is
        installed; ``False`` judges on the scanner's score alone.
    """

    def __init__(self, use_nfiq2: bool = True) -> None:
        self._use_nfiq2 = use_nfiq2 and nbis_backend.available()
        self._extractor: nbis_backend.NbisMinutiaeExtractor | None = None
        self._lock = threading.Lock()

    @property
    def measures_nfiq2(self) -> bool:
        return self._use_nfiq2

    def _nbis(self) -> nbis_backend.NbisMinutiaeExtractor:
        with self._lock:
            if self._extractor is None:
                self._extractor = nbis_backend.NbisMinutiaeExtractor(nfiq2=True)
            return self._extractor

    def measure(self, capture: FingerCapture, ppi: int = 500) -> FingerMeasurement:
        """Quality, hints and the altered-finger warning of one capture.

        :raises CaptureFailed: the image cannot be decoded or processed (capture it again).
        """
        if capture.image is None:
            return FingerMeasurement(capture, capture.quality, None, False, None)
        conditions = image_conditions(decode_grey(capture.image), ppi)
        nfiq2: int | None = None
        altered = False
        if self._use_nfiq2:
            result = self._nbis().extract_with_quality(capture.image)
            nfiq2 = result.nfiq2
            altered = alteration_signals(result.template, nfiq2).suspect
        quality = judged_quality(capture.quality, nfiq2, self._use_nfiq2)
        return FingerMeasurement(
            replace(capture, quality=quality),
            capture.quality,
            nfiq2,
            self._use_nfiq2,
            conditions,
            altered,
        )


def hint_rates(images: list[npt.NDArray[np.uint8]]) -> dict[str, dict[str, float]]:
    """Share of ``images`` getting each hint as they are, after a 3 × 3 grey dilation (a
    stand-in for dry fingers) and after a 5 × 5 grey erosion (wet), with the 2.5 / 50 /
    97.5 percentiles of the ridge share: the figures in this module's docstring."""
    from PIL import ImageFilter

    conditions = {
        "as captured": lambda im: im,
        "dry (3x3 dilation)": lambda im: im.filter(ImageFilter.MaxFilter(3)),
        "wet (5x5 erosion)": lambda im: im.filter(ImageFilter.MinFilter(5)),
    }
    rates: dict[str, dict[str, float]] = {}
    for name, change in conditions.items():
        found = [
            image_conditions(np.asarray(change(Image.fromarray(grey)), dtype=np.uint8))
            for grey in images
        ]
        row = {h.name: sum(h in f.hints for f in found) / len(found) for h in FingerHint}
        shares = [f.ridge_share for f in found if f.ridge_share is not None]
        if shares:
            low, mid, high = np.percentile(shares, [2.5, 50, 97.5])
            row.update(share_p2_5=float(low), share_median=float(mid), share_p97_5=float(high))
        rates[name] = row
    return rates


def main(argv: list[str] | None = None) -> int:
    """``python -m devices.fingerprint.feedback FOLDER...``: hint rates on real impressions."""
    import argparse
    from pathlib import Path

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("folders", nargs="+", type=Path)
    args = parser.parse_args(argv)
    suffixes = {".png", ".tif", ".tiff", ".bmp", ".jpg", ".jpeg", ".pgm"}
    paths = sorted(
        p for folder in args.folders for p in folder.iterdir() if p.suffix.lower() in suffixes
    )
    if not paths:
        print("no images found")
        return 1
    images = [decode_grey(p.read_bytes()) for p in paths]
    print(f"{len(images)} impressions")
    for name, row in hint_rates(images).items():
        print(f"{name}: " + ", ".join(f"{k} {v:.2f}" for k, v in row.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
