"""What the capture panel shows per finger: judged quality, hints, altered-finger warning.

Conditions are simulated on a real FVC2002 impression: grey dilation thins and breaks the
ridges (dry), erosion fills the valleys (wet), and a small disc on a blank platen is a light
touch.
"""

from __future__ import annotations

import io

import numpy as np
import pytest
from PIL import Image, ImageFilter

from devices.fingerprint import nbis_backend
from devices.fingerprint.feedback import (
    FingerHint,
    FingerMeasurer,
    hint_rates,
    image_conditions,
    judged_quality,
)
from tests.conftest import SHARED_DATA
from workstation.captures import Finger, FingerCapture, FingerException
from workstation.errors import CaptureFailed

IMPRESSION = SHARED_DATA / "fingerprints" / "fvc2002" / "DB1_B" / "101_1.tif"


@pytest.fixture(scope="module")
def impression() -> Image.Image:
    if not IMPRESSION.exists():
        pytest.skip(f"{IMPRESSION} is not available")
    with Image.open(IMPRESSION) as im:
        return im.convert("L")


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def _light_touch(image: Image.Image, radius: int = 80) -> np.ndarray:
    pixels = np.asarray(image).copy()
    height, width = pixels.shape
    y, x = np.mgrid[0:height, 0:width]
    pixels[(y - height / 2) ** 2 + (x - width / 2) ** 2 > radius**2] = 255
    return pixels


@pytest.mark.parametrize(
    ("device", "nfiq2", "measured", "judged"),
    [
        (72, 54, True, 54),  # NFIQ 2 lower
        (10, 60, True, 10),  # the scanner gave up below the requested score
        (None, 50, True, 50),
        (72, None, True, None),  # NFIQ 2 failed: below any threshold
        (72, None, False, 72),  # nbis-py not installed: the scanner's score alone
    ],
)
def test_judged_quality(
    device: int | None, nfiq2: int | None, measured: bool, judged: int | None
) -> None:
    assert judged_quality(device, nfiq2, measured) == judged


def test_good_impression_needs_no_hint(impression: Image.Image) -> None:
    found = image_conditions(np.asarray(impression))
    assert found.hints == ()
    assert found.contact_area > 50_000
    assert found.ridge_share is not None and 0.22 < found.ridge_share < 0.60


@pytest.mark.parametrize(
    ("condition", "hint"),
    [
        (lambda im: np.asarray(im.filter(ImageFilter.MaxFilter(3))), FingerHint.TOO_DRY),
        (lambda im: np.asarray(im.filter(ImageFilter.MinFilter(5))), FingerHint.TOO_WET),
        (_light_touch, FingerHint.PRESS_HARDER),
    ],
    ids=["dry", "wet", "light-touch"],
)
def test_conditions_give_their_hint(impression: Image.Image, condition, hint: FingerHint) -> None:
    found = image_conditions(condition(impression))
    assert hint in found.hints
    assert FingerHint.NO_FINGER not in found.hints


def test_blank_platen_is_no_finger() -> None:
    rng = np.random.default_rng(1)
    platen = np.clip(250 + rng.normal(0, 2, (400, 300)), 0, 255).astype(np.uint8)
    found = image_conditions(platen)
    assert found.hints == (FingerHint.NO_FINGER,)
    assert found.ridge_share is None
    assert image_conditions(np.zeros((5, 5), np.uint8)).hints == (FingerHint.NO_FINGER,)


def test_resolution_scales_the_contact_area(impression: Image.Image) -> None:
    at_500 = image_conditions(np.asarray(impression)).contact_area
    doubled = impression.resize((impression.width * 2, impression.height * 2))
    at_1000 = image_conditions(np.asarray(doubled), ppi=1000).contact_area
    assert abs(at_1000 - at_500) / at_500 < 0.15


def test_measurer_without_nfiq2_uses_the_scanner_score(impression: Image.Image) -> None:
    capture = FingerCapture(Finger.RIGHT_INDEX, _png(impression), "image/png", 66)
    measured = FingerMeasurer(use_nfiq2=False).measure(capture)
    assert measured.capture.quality == 66 and measured.nfiq2 is None
    assert not measured.nfiq2_measured and not measured.altered
    assert measured.hints == ()


@pytest.mark.skipif(not nbis_backend.available(), reason="nbis-py is not installed")
def test_measurer_judges_on_the_lower_score(impression: Image.Image) -> None:
    measurer = FingerMeasurer()
    generous = measurer.measure(
        FingerCapture(Finger.RIGHT_INDEX, _png(impression), "image/png", 99)
    )
    assert generous.nfiq2 is not None and generous.capture.quality == generous.nfiq2
    assert generous.device_quality == 99
    strict = measurer.measure(FingerCapture(Finger.RIGHT_INDEX, _png(impression), "image/png", 5))
    assert strict.capture.quality == 5
    wet = impression.filter(ImageFilter.MinFilter(5))
    soaked = measurer.measure(FingerCapture(Finger.RIGHT_INDEX, _png(wet), "image/png", 99))
    assert soaked.nfiq2 is not None and soaked.nfiq2 < generous.nfiq2
    assert FingerHint.TOO_WET in soaked.hints


def test_exceptions_pass_through_and_garbage_is_refused() -> None:
    missing = FingerCapture(Finger.LEFT_INDEX, None, "", None, FingerException.MISSING)
    measured = FingerMeasurer().measure(missing)
    assert measured.capture == missing and measured.hints == ()
    with pytest.raises(CaptureFailed):
        FingerMeasurer().measure(FingerCapture(Finger.LEFT_INDEX, b"not an image", "image/png", 50))


def test_hint_rates_of_the_evaluation_command(impression: Image.Image) -> None:
    rates = hint_rates([np.asarray(impression)])
    assert rates["as captured"]["TOO_DRY"] == 0.0 and rates["as captured"]["TOO_WET"] == 0.0
    assert rates["dry (3x3 dilation)"]["TOO_DRY"] == 1.0
    assert rates["wet (5x5 erosion)"]["TOO_WET"] == 1.0
    assert rates["dry (3x3 dilation)"]["share_median"] < rates["as captured"]["share_median"]
