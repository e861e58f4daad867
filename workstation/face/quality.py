"""Face image quality, one separate check per property, computed from landmarks and pixels.

Each check has a stable code (translated by the UI), a measured value, the limit it was held
to, and a status. The checks follow the ICAO portrait guidance in spirit; they are not an
ISO/IEC 29794-5 implementation (whose models are not available offline). Limits and their
caveats are documented in ``docs/face.md``.

Codes:

- ``FACE-COUNT``: exactly one face in the frame (``FAIL`` otherwise).
- ``FACE-SIZE``: distance between eye centres at capture resolution, ``WARN`` below 90 px.
- ``FACE-YAW``, ``FACE-PITCH``, ``FACE-ROLL``: head rotation in degrees from landmarks.
- ``FACE-EYES-OPEN``: eye aspect ratio of the more closed eye (68-point landmarks only).
- ``IMG-SHARPNESS``: Laplacian energy relative to contrast, on the face at a fixed scale.
- ``IMG-EXPOSURE``: mean brightness of the face and the share of clipped pixels.
- ``IMG-CONTRAST``: spread (5th to 95th percentile) of brightness in the face.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum, unique

import numpy as np
import numpy.typing as npt

from workstation.captures import Frame
from workstation.face.templates import FaceBox, FaceDetection, Landmarks, LandmarkScheme, RgbImage

logger = logging.getLogger(__name__)


@unique
class CheckStatus(Enum):
    PASS = "pass"  # noqa: S105 (a status, not a password)
    WARN = "warn"
    FAIL = "fail"
    NOT_MEASURED = "not-measured"


@dataclass(frozen=True)
class QualityLimits:
    """Limits for the quality checks; defaults as documented in ``docs/face.md``.

    :param min_inter_eye_px: ICAO minimum of 90 px between eye centres.
    :param max_yaw_deg: left-right head turn allowed.
    :param max_pitch_deg: up-down nod allowed.
    :param max_roll_deg: in-plane tilt allowed (ISO/IEC 19794-5 allows 8 degrees).
    :param min_eye_aspect: eye aspect ratio below which an eye counts as closed.
    :param min_sharpness: lowest acceptable sharpness measure.
    :param exposure_range: acceptable mean face brightness (0-255).
    :param max_clipped: largest share of face pixels at 0-5 or 250-255.
    :param min_contrast: smallest acceptable 5th-95th percentile spread (0-255).
    """

    min_inter_eye_px: float = 90.0
    max_yaw_deg: float = 15.0
    max_pitch_deg: float = 20.0
    max_roll_deg: float = 8.0
    min_eye_aspect: float = 0.15
    min_sharpness: float = 0.25
    exposure_range: tuple[float, float] = (70.0, 200.0)
    max_clipped: float = 0.05
    min_contrast: float = 60.0


@dataclass(frozen=True)
class QualityCheck:
    """The outcome of one check.

    :param code: stable code, e.g. ``"FACE-SIZE"``.
    :param status: pass, warn, fail or not measured.
    :param value: the measured value, ``None`` when not measured.
    :param limit: the limit in plain words, e.g. ``">= 90 px"``.
    :param hint: English guidance for logs and the command line; the UI translates ``code``
        and ``status`` instead.
    """

    code: str
    status: CheckStatus
    value: float | None
    limit: str
    hint: str = ""


@dataclass(frozen=True)
class QualityReport:
    """All checks on one frame, in a fixed order.

    :param detection: the face the checks measured (the largest), or ``None``.
    """

    checks: tuple[QualityCheck, ...]
    detection: FaceDetection | None = None
    face_count: int = 0
    sharpness: float = 0.0
    inter_eye_px: float = 0.0

    def check(self, code: str) -> QualityCheck:
        """The check with this code.

        :raises KeyError: for an unknown code.
        """
        for c in self.checks:
            if c.code == code:
                return c
        raise KeyError(code)

    @property
    def failures(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.checks if c.status is CheckStatus.FAIL)

    @property
    def warnings(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.checks if c.status is CheckStatus.WARN)

    @property
    def notes(self) -> tuple[str, ...]:
        """Codes of checks that did not pass (for ``FaceCapture.quality_notes``)."""
        return tuple(
            c.code for c in self.checks if c.status in (CheckStatus.WARN, CheckStatus.FAIL)
        )

    @property
    def acceptable(self) -> bool:
        """No check failed (warnings allowed): the frame may be used with notes."""
        return not self.failures

    @property
    def all_passed(self) -> bool:
        """Every measured check passed."""
        return not self.notes

    def rank_key(self) -> tuple[int, int, float]:
        """Sort key, larger is better: fewer failures, fewer warnings, then sharper and larger."""
        return (-len(self.failures), -len(self.warnings), self.sharpness * self.inter_eye_px)


def _grey(image: RgbImage) -> npt.NDArray[np.float32]:
    rgb = image.astype(np.float32)
    return rgb[..., 0] * 0.299 + rgb[..., 1] * 0.587 + rgb[..., 2] * 0.114


def _clamped(box: FaceBox, width: int, height: int) -> FaceBox:
    return FaceBox(
        max(0, box.left), max(0, box.top), min(width, box.right), min(height, box.bottom)
    )


def _inner_face(box: FaceBox, width: int, height: int) -> FaceBox:
    """The central part of a detector box: skin, eyes, nose, mouth, little background."""
    dx, dy = box.width // 6, box.height // 8
    return _clamped(
        FaceBox(box.left + dx, box.top + dy, box.right - dx, box.bottom - dy), width, height
    )


def _block_mean(grey: npt.NDArray[np.float32], factor: int) -> npt.NDArray[np.float32]:
    if factor <= 1:
        return grey
    h, w = (grey.shape[0] // factor) * factor, (grey.shape[1] // factor) * factor
    return grey[:h, :w].reshape(h // factor, factor, w // factor, factor).mean(axis=(1, 3))


def sharpness(grey_face: npt.NDArray[np.float32], inter_eye_px: float) -> float:
    """Standard deviation of the 4-neighbour Laplacian divided by that of the pixels.

    The face is first averaged down in whole-pixel blocks so that the eyes are about 40 px
    apart, which makes the measure comparable across face sizes; dividing by the pixel
    spread makes it independent of contrast.

    :param grey_face: grey pixels of the face region.
    :param inter_eye_px: the eye distance in that region, for the scale normalisation.
    """
    small = _block_mean(grey_face, max(1, int(inter_eye_px // 40)))
    if min(small.shape) < 3:
        return 0.0
    lap = (
        small[1:-1, :-2]
        + small[1:-1, 2:]
        + small[:-2, 1:-1]
        + small[2:, 1:-1]
        - 4 * small[1:-1, 1:-1]
    )
    spread = float(small.std())
    return float(lap.std()) / spread if spread > 1e-6 else 0.0


def eye_aspect_ratio(landmarks: Landmarks) -> float | None:
    """Eye aspect ratio of the more closed eye: eye height over width (about 0.3 open, <0.15 shut).

    :param landmarks: 68-point landmarks; ``None`` is returned for other schemes.
    """
    if landmarks.scheme is not LandmarkScheme.IBUG_68:
        return None
    p = landmarks.points
    ratios = []
    for start in (36, 42):
        e = p[start : start + 6]
        vertical = np.linalg.norm(e[1] - e[5]) + np.linalg.norm(e[2] - e[4])
        horizontal = np.linalg.norm(e[0] - e[3])
        ratios.append(vertical / (2 * horizontal) if horizontal > 0 else 0.0)
    return float(min(ratios))


# A generic head (millimetres; x to the image's right, y up, z toward the camera) for the
# iBUG points nose tip, chin, outer eye corners and mouth corners. Good to a few degrees,
# which is all a booth prompt needs.
_HEAD_MODEL_POINTS = (30, 8, 36, 45, 48, 54)
_HEAD_MODEL = np.array(
    [
        [0.0, 0.0, 0.0],
        [0.0, -63.6, -12.5],
        [-43.3, 32.7, -26.0],
        [43.3, 32.7, -26.0],
        [-28.9, -28.9, -24.1],
        [28.9, -28.9, -24.1],
    ]
)


def rotation_from_angles(yaw: float, pitch: float, roll: float) -> npt.NDArray[np.float64]:
    """Rotation matrix ``Rz(roll) @ Ry(yaw) @ Rx(pitch)`` from angles in degrees (for tests)."""
    y, p, r = np.radians([yaw, pitch, roll])
    rx = np.array([[1, 0, 0], [0, math.cos(p), -math.sin(p)], [0, math.sin(p), math.cos(p)]])
    ry = np.array([[math.cos(y), 0, math.sin(y)], [0, 1, 0], [-math.sin(y), 0, math.cos(y)]])
    rz = np.array([[math.cos(r), -math.sin(r), 0], [math.sin(r), math.cos(r), 0], [0, 0, 1]])
    return rz @ ry @ rx


def head_pose(landmarks: Landmarks) -> tuple[float | None, float | None, float]:
    """Estimate ``(yaw, pitch, roll)`` in degrees; 0, 0, 0 is a frontal, upright face.

    Positive pitch is the face turned down; the checks compare absolute values only.

    68-point landmarks: a weak-perspective fit of a generic head to six points. 5-point
    landmarks: roll from the eye line, a rough yaw from the nose's offset, no pitch.

    :param landmarks: landmarks in image coordinates.
    """
    left_eye, right_eye = landmarks.eye_centres()
    # Image y points down; negate so that all three angles share the head model's axes.
    roll_eyes = -math.degrees(math.atan2(right_eye[1] - left_eye[1], right_eye[0] - left_eye[0]))
    if landmarks.scheme is LandmarkScheme.DLIB_5:
        ied = float(np.hypot(*(right_eye - left_eye)))
        mid = (left_eye + right_eye) / 2
        # The point under the nose sits about 0.28 eye-distances in front of the eye corners.
        offset = (landmarks.points[4][0] - mid[0]) / ied if ied > 0 else 0.0
        yaw5 = math.degrees(math.asin(max(-1.0, min(1.0, offset / 0.28))))
        return yaw5, None, roll_eyes
    image = landmarks.points[list(_HEAD_MODEL_POINTS)] * np.array([1.0, -1.0])
    model = _HEAD_MODEL - _HEAD_MODEL.mean(axis=0)
    solution, *_ = np.linalg.lstsq(model, image - image.mean(axis=0), rcond=None)
    u, _, vt = np.linalg.svd(solution.T, full_matrices=False)
    top = u @ vt
    rotation = np.vstack([top, np.cross(top[0], top[1])])
    yaw = math.degrees(math.asin(max(-1.0, min(1.0, -rotation[2, 0]))))
    pitch = math.degrees(math.atan2(rotation[2, 1], rotation[2, 2]))
    return yaw, pitch, roll_eyes


def _status(ok: bool) -> CheckStatus:
    return CheckStatus.PASS if ok else CheckStatus.WARN


def _not_measured(code: str, limit: str, hint: str = "") -> QualityCheck:
    return QualityCheck(code, CheckStatus.NOT_MEASURED, None, limit, hint)


_FACE_CHECKS = (
    "FACE-SIZE",
    "FACE-YAW",
    "FACE-PITCH",
    "FACE-ROLL",
    "FACE-EYES-OPEN",
    "IMG-SHARPNESS",
    "IMG-EXPOSURE",
    "IMG-CONTRAST",
)
"""Every check code after ``FACE-COUNT``, in report order."""

CHECK_CODES = ("FACE-COUNT", *_FACE_CHECKS)
"""All check codes in the order a report lists them."""


def assess_quality(
    image: RgbImage | Frame,
    detections: Sequence[FaceDetection],
    *,
    capture_scale: float = 1.0,
    limits: QualityLimits | None = None,
) -> QualityReport:
    """Run every quality check on one frame.

    Cheap (a few milliseconds at 640x480) and free of shared state, so a preview worker can
    call it for each frame.

    :param image: the RGB frame the detections were made on.
    :param detections: faces found in it, e.g. ``FaceEncoder.detect(image)``.
    :param capture_scale: capture width divided by this frame's width, so a preview frame's
        face size is judged as it will be in the full-resolution capture.
    :param limits: the limits to apply; the documented defaults when ``None``.
    """
    pixels = image.image if isinstance(image, Frame) else image
    limits = limits or QualityLimits()
    count = len(detections)
    if count == 1:
        count_check = QualityCheck("FACE-COUNT", CheckStatus.PASS, 1.0, "exactly 1")
    else:
        hint = "no face found" if count == 0 else "more than one face in view"
        count_check = QualityCheck("FACE-COUNT", CheckStatus.FAIL, float(count), "exactly 1", hint)
    if count == 0:
        checks = (count_check, *(_not_measured(c, "", "no face") for c in _FACE_CHECKS))
        return QualityReport(checks=checks, detection=None, face_count=0)
    face = max(detections, key=lambda d: d.box.area)
    height, width = pixels.shape[:2]
    ied = face.landmarks.inter_eye_distance()
    ied_capture = ied * capture_scale
    yaw, pitch, roll = head_pose(face.landmarks)
    ear = eye_aspect_ratio(face.landmarks)

    inner = _inner_face(face.box, width, height)
    grey = _grey(pixels[inner.top : inner.bottom, inner.left : inner.right])
    if grey.size == 0:
        grey = np.zeros((1, 1), dtype=np.float32)
    sharp = sharpness(grey, ied)
    mean = float(grey.mean())
    clipped = float(np.mean((grey <= 5) | (grey >= 250)))
    p5, p95 = (float(v) for v in np.percentile(grey, [5, 95]))
    low, high = limits.exposure_range

    def angle(code: str, value: float | None, limit: float, hint: str) -> QualityCheck:
        text = f"|angle| <= {limit:g} deg"
        if value is None:
            return _not_measured(code, text, "needs 68-point landmarks")
        ok = abs(value) <= limit
        return QualityCheck(code, _status(ok), round(value, 1), text, "" if ok else hint)

    if ied_capture >= limits.min_inter_eye_px:
        size_hint = ""
    else:
        size_hint = "face too small: come closer or use a higher resolution"
    checks = (
        count_check,
        QualityCheck(
            "FACE-SIZE",
            _status(ied_capture >= limits.min_inter_eye_px),
            round(ied_capture, 1),
            f">= {limits.min_inter_eye_px:g} px between eye centres",
            size_hint,
        ),
        angle("FACE-YAW", yaw, limits.max_yaw_deg, "look straight at the camera (turned sideways)"),
        angle("FACE-PITCH", pitch, limits.max_pitch_deg, "head tilted up or down"),
        angle("FACE-ROLL", roll, limits.max_roll_deg, "head tilted to one side"),
        (
            _not_measured(
                "FACE-EYES-OPEN", f">= {limits.min_eye_aspect:g}", "needs 68-point landmarks"
            )
            if ear is None
            else QualityCheck(
                "FACE-EYES-OPEN",
                _status(ear >= limits.min_eye_aspect),
                round(ear, 3),
                f"eye aspect ratio >= {limits.min_eye_aspect:g}",
                "" if ear >= limits.min_eye_aspect else "eyes closed",
            )
        ),
        QualityCheck(
            "IMG-SHARPNESS",
            _status(sharp >= limits.min_sharpness),
            round(sharp, 3),
            f">= {limits.min_sharpness:g}",
            "" if sharp >= limits.min_sharpness else "image blurred: hold still or refocus",
        ),
        QualityCheck(
            "IMG-EXPOSURE",
            _status(low <= mean <= high and clipped <= limits.max_clipped),
            round(mean, 1),
            f"mean {low:g}-{high:g}, clipped <= {limits.max_clipped:.0%}",
            ""
            if low <= mean <= high and clipped <= limits.max_clipped
            else ("face too dark" if mean < (low + high) / 2 else "face too bright"),
        ),
        QualityCheck(
            "IMG-CONTRAST",
            _status(p95 - p5 >= limits.min_contrast),
            round(p95 - p5, 1),
            f"5-95 percentile spread >= {limits.min_contrast:g}",
            "" if p95 - p5 >= limits.min_contrast else "low contrast: check the lighting",
        ),
    )
    return QualityReport(
        checks=checks, detection=face, face_count=count, sharpness=sharp, inter_eye_px=ied_capture
    )


@dataclass
class BestFrameSelector:
    """Keeps the best frame offered during a short window, and says when to capture.

    Feed it every preview frame with its report. :meth:`offer` returns ``True`` once the
    face has passed every check for ``stable_frames`` frames in a row, or once ``window``
    seconds have passed since the first frame with a face and some frame was acceptable.

    :param window: seconds to wait for a fully passing face before settling for the best.
    :param stable_frames: consecutive fully passing frames that trigger capture.
    """

    window: float = 3.0
    stable_frames: int = 3
    _best: tuple[Frame, QualityReport] | None = field(default=None, init=False)
    _started: float | None = field(default=None, init=False)
    _streak: int = field(default=0, init=False)

    def offer(self, frame: Frame, report: QualityReport) -> bool:
        """Consider a frame; ``True`` means "capture now".

        :param frame: the frame.
        :param report: its quality report.
        """
        if report.face_count == 0:
            self._streak = 0
            return False
        if self._started is None:
            self._started = frame.timestamp
        if self._best is None or report.rank_key() > self._best[1].rank_key():
            self._best = (frame, report)
        self._streak = self._streak + 1 if report.all_passed else 0
        if self._streak >= self.stable_frames:
            return True
        timed_out = frame.timestamp - self._started >= self.window
        return timed_out and self._best[1].acceptable

    @property
    def best(self) -> tuple[Frame, QualityReport] | None:
        """The best frame so far with its report."""
        return self._best

    def reset(self) -> None:
        """Start a new window (e.g. for the next traveller)."""
        self._best, self._started, self._streak = None, None, 0


def select_best(candidates: Sequence[tuple[Frame, QualityReport]]) -> int:
    """Index of the best of several frames by :meth:`QualityReport.rank_key`.

    :raises ValueError: for an empty sequence.
    """
    if not candidates:
        raise ValueError("no frames")
    return max(range(len(candidates)), key=lambda i: candidates[i][1].rank_key())
