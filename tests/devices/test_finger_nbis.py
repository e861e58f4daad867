from __future__ import annotations

from pathlib import Path

import pytest

from devices.fingerprint import nbis_backend
from devices.fingerprint.fake import synthetic_finger
from workstation.captures import Finger
from workstation.errors import CaptureFailed
from workstation.fingerprint import iso19794_2, mcc

pytestmark = pytest.mark.skipif(not nbis_backend.available(), reason="nbis-py not installed")

PYFN = Path(__file__).resolve().parents[3] / "shared" / "data" / "fingerprints" / "pyfnprint"
needs_data = pytest.mark.skipif(not PYFN.is_dir(), reason="shared pyfnprint data absent")


@pytest.fixture(scope="module")
def extractor() -> nbis_backend.NbisMinutiaeExtractor:
    return nbis_backend.NbisMinutiaeExtractor(nfiq2=True)


@needs_data
@pytest.mark.parametrize("finger", ["1", "7"])
def test_extracts_and_matches_real_impressions(
    extractor: nbis_backend.NbisMinutiaeExtractor, finger: str
) -> None:
    a = extractor.extract_with_quality((PYFN / f"{finger}_1.png").read_bytes())
    b = extractor.extract((PYFN / f"{finger}_2.png").read_bytes())
    other = extractor.extract((PYFN / "12_1.png").read_bytes())
    assert len(a.template) >= 15
    assert a.nfiq2 is not None and 0 <= a.nfiq2 <= 100
    assert (a.template.width, a.template.height) == (248, 338)
    genuine = mcc.match_templates(a.template, b)
    assert genuine > 2 * mcc.match_templates(a.template, other)
    # templates survive our ISO record unchanged enough to match the same
    again = iso19794_2.load_template(iso19794_2.encode(a.template))
    assert mcc.match_templates(again, b) == pytest.approx(genuine, abs=0.05)


def test_synthetic_image_extracts(extractor: nbis_backend.NbisMinutiaeExtractor) -> None:
    result = extractor.extract_with_quality(synthetic_finger(Finger.LEFT_INDEX))
    assert result.nfiq2 is not None
    assert len(result.template) >= 0


@pytest.mark.parametrize("data", [b"", b"not an image", b"\x89PNG\r\n\x1a\n broken"])
def test_undecodable_image_is_capture_failed(
    extractor: nbis_backend.NbisMinutiaeExtractor, data: bytes
) -> None:
    with pytest.raises(CaptureFailed):
        extractor.extract(data)


@needs_data
def test_bozorth3_reference_scores() -> None:
    ref = nbis_backend.Bozorth3Reference()
    a = ref.prepare_image((PYFN / "3_1.png").read_bytes())
    b = ref.prepare_image((PYFN / "3_2.png").read_bytes())
    c = ref.prepare_image((PYFN / "9_1.png").read_bytes())
    assert ref.score(a, b) > ref.score(a, c)


def test_measure_rescores_with_nfiq2(extractor: nbis_backend.NbisMinutiaeExtractor) -> None:
    from workstation.captures import FingerCapture, FingerException

    captures = [
        FingerCapture(Finger.LEFT_INDEX, synthetic_finger(Finger.LEFT_INDEX), "image/png", 99),
        FingerCapture(Finger.RIGHT_INDEX, None, "", None, FingerException.MISSING),
    ]
    measured = nbis_backend.measure(captures, extractor)
    assert measured[0].device_quality == 99
    assert measured[0].capture.quality is not None and measured[0].capture.quality <= 100
    assert measured[0].template is not None
    assert measured[1].capture.exception is FingerException.MISSING and measured[1].template is None
