from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

pytest.importorskip("dlib")

from devices.biometrics.dlib_encoder import ENCODER_NAME, DlibFaceEncoder, models_dir  # noqa: E402
from devices.camera.fake import demo_face_path  # noqa: E402
from workstation.face import (  # noqa: E402
    CheckStatus,
    FaceMatcher,
    ImageUnreadable,
    LandmarkScheme,
    LivenessCheck,
    LivenessStatus,
    NoFaceFound,
    assess_quality,
    load_calibration,
    similarity,
)

pytestmark = pytest.mark.slow

ORL = Path(__file__).resolve().parents[3] / "shared" / "data" / "faces" / "orl"


@pytest.fixture(scope="module")
def encoder() -> DlibFaceEncoder:
    return DlibFaceEncoder()


@pytest.fixture(scope="module")
def demo() -> np.ndarray:
    with Image.open(demo_face_path()) as image:
        return np.asarray(image.convert("RGB"))


def orl(subject: int, image: int) -> np.ndarray:
    path = ORL / f"s{subject}" / f"{image}.pgm"
    if not path.is_file():
        pytest.skip("ORL data not present")
    with Image.open(path) as pgm:
        return np.asarray(pgm.convert("RGB"))


def test_model_files_are_found_without_importing_the_models_package() -> None:
    names = {p.name for p in models_dir().iterdir()}
    assert {
        "shape_predictor_5_face_landmarks.dat",
        "shape_predictor_68_face_landmarks.dat",
        "dlib_face_recognition_resnet_model_v1.dat",
        "mmod_human_face_detector.dat",
    } <= names
    code = (
        "import sys; from devices.biometrics.dlib_encoder import DlibFaceEncoder;"
        "DlibFaceEncoder();"
        "print('face_recognition_models' in sys.modules, 'pkg_resources' in sys.modules)"
    )
    root = Path(__file__).resolve().parents[2]
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, check=True
    )
    assert out.stdout.split() == ["False", "False"]


@pytest.mark.parametrize("upsample", [False, True])
def test_demo_face_has_one_face_with_68_landmarks(
    encoder: DlibFaceEncoder, demo: np.ndarray, upsample: bool
) -> None:
    detections = encoder.detect(demo, upsample=upsample)
    assert len(detections) == 1
    face = detections[0]
    assert face.landmarks.scheme is LandmarkScheme.IBUG_68
    left, right = face.landmarks.eye_centres()
    assert face.box.left < left[0] < right[0] < face.box.right
    assert 30 < face.landmarks.inter_eye_distance() < 60


def test_bytes_and_array_give_the_same_template(encoder: DlibFaceEncoder, demo: np.ndarray) -> None:
    from_bytes = encoder.encode(demo_face_path().read_bytes())
    from_array = encoder.encode(demo)
    assert similarity(from_bytes, from_array) > 0.999
    assert encoder.name == ENCODER_NAME


def test_shipped_calibration_was_made_with_this_encoder(encoder: DlibFaceEncoder) -> None:
    assert load_calibration().encoder == encoder.name == ENCODER_NAME


def test_views_are_named_and_each_changes_the_template(
    encoder: DlibFaceEncoder, demo: np.ndarray
) -> None:
    plain = DlibFaceEncoder(flip_average=False, equalised_view=False)
    flip = DlibFaceEncoder(equalised_view=False)
    assert (plain.name, flip.name) == ("dlib-resnet-v1/5pt", "dlib-resnet-v1/5pt/flip-mean")
    templates = [e.encode(demo) for e in (plain, flip, encoder)]
    # each added view moves the template a little, never far: the same face
    for a, b in ((templates[0], templates[1]), (templates[1], templates[2])):
        assert 0.97 < similarity(a, b) < 0.9999


def test_a_mirrored_face_encodes_almost_identically(
    encoder: DlibFaceEncoder, demo: np.ndarray
) -> None:
    mirrored = np.ascontiguousarray(demo[:, ::-1])
    assert similarity(encoder.encode(demo), encoder.encode(mirrored)) > 0.98


def test_large_capture_is_detected_on_a_reduced_copy(
    encoder: DlibFaceEncoder, demo: np.ndarray
) -> None:
    large = np.asarray(Image.fromarray(demo).resize((1920, 1440), Image.Resampling.BICUBIC))
    detections = encoder.detect(large, upsample=True)
    assert len(detections) == 1
    # Landmarks are in full-resolution coordinates.
    assert detections[0].landmarks.inter_eye_distance() > 180
    template = encoder.encode(large, detections[0])
    assert similarity(template, encoder.encode(demo)) > 0.95


def test_no_face_and_unreadable_images(encoder: DlibFaceEncoder) -> None:
    noise = np.random.default_rng(0).integers(0, 255, (240, 320, 3), dtype=np.uint8)
    with pytest.raises(NoFaceFound):
        encoder.encode(noise)
    assert encoder.detect(noise) == ()
    with pytest.raises(ImageUnreadable):
        encoder.encode(b"definitely not an image")
    with pytest.raises(ImageUnreadable):
        encoder.encode(np.zeros((10, 10, 3), dtype=np.float32))
    buffer = io.BytesIO()
    Image.fromarray(noise).save(buffer, format="PNG")
    with pytest.raises(NoFaceFound):
        encoder.encode(buffer.getvalue())


def test_five_point_mode_leaves_eyes_unmeasured(demo: np.ndarray) -> None:
    encoder = DlibFaceEncoder(quality_landmarks=LandmarkScheme.DLIB_5)
    detections = encoder.detect(demo)
    assert detections[0].landmarks.scheme is LandmarkScheme.DLIB_5
    report = assess_quality(demo, detections)
    assert report.check("FACE-EYES-OPEN").status is CheckStatus.NOT_MEASURED
    assert report.check("FACE-ROLL").status is CheckStatus.PASS


def test_same_person_matches_and_different_people_do_not(encoder: DlibFaceEncoder) -> None:
    matcher = FaceMatcher(load_calibration())
    a1, a2, b1 = (encoder.encode(orl(s, n)) for s, n in ((1, 1), (1, 2), (2, 1)))
    assert matcher.verify(a1, a2).matched
    assert not matcher.verify(a1, b1).matched
    assert similarity(a1, a2) > similarity(a1, b1)


def _affine_warp(image: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    # A photo moved in front of the camera: shifted, slightly rotated and scaled.
    angle = np.radians(rng.uniform(-6, 6))
    scale = rng.uniform(0.93, 1.07)
    a, b = scale * np.cos(angle), scale * np.sin(angle)
    h, w = image.shape[:2]
    cx, cy = w / 2 + rng.uniform(-12, 12), h / 2 + rng.uniform(-12, 12)
    coeffs = (a, b, cx - a * w / 2 - b * h / 2, -b, a, cy + b * w / 2 - a * h / 2)
    warped = Image.fromarray(image).transform(
        (w, h), Image.Transform.AFFINE, coeffs, Image.Resampling.BILINEAR
    )
    noisy = np.asarray(warped).astype(np.int16) + rng.integers(-4, 5, image.shape)
    return np.clip(noisy, 0, 255).astype(np.uint8)


def test_liveness_refuses_a_moved_photo(encoder: DlibFaceEncoder, demo: np.ndarray) -> None:
    rng = np.random.default_rng(3)
    preview = np.asarray(Image.fromarray(demo).resize((640, 480), Image.Resampling.BILINEAR))
    check = LivenessCheck()
    for n in range(16):
        detections = encoder.detect(_affine_warp(preview, rng))
        check.observe(n / 8, detections[0].landmarks if len(detections) == 1 else None)
    result = check.result()
    assert result.status is LivenessStatus.STILL, result


def test_liveness_accepts_a_moving_changing_face(encoder: DlibFaceEncoder) -> None:
    # The ten ORL images of one person: turns, nods and expressions, as a live face shows.
    check = LivenessCheck()
    for n in range(1, 11):
        big = np.asarray(Image.fromarray(orl(5, n)).resize((276, 336), Image.Resampling.BICUBIC))
        detections = encoder.detect(big)
        check.observe(n / 5, detections[0].landmarks if detections else None)
    result = check.result()
    assert result.status is LivenessStatus.LIVE, result
