"""Presentation-attack basics: is there a living, moving face, or a flat picture?

Method: over a short window of preview frames (about 2 s) the check collects 68-point
landmarks and looks for either of two signs of life.

1. **Non-rigid motion.** A printed photo or a still image on a screen is flat. However it is
   moved, turned or tilted in front of the camera, its landmarks move together by an affine
   map (exactly so under the weak-perspective view of a booth camera). A real head is not
   flat: a slight turn shifts the nose against the cheeks, and the face changes expression.
   The check fits an affine map from the first frame's landmarks to each later frame's and
   measures what the map cannot explain (RMS residual divided by the eye distance).
2. **Blinks.** The eye aspect ratio drops well below its own median and recovers.

What it does NOT catch (documented for operators in ``docs/face.md``): a video of the person
replayed on a screen or tablet (it shows both motion and blinks); a 3-D mask; a photo that is
bent or waved so it deforms; a photo with the eyes cut out worn over a real face; a morphed
document photo (that is a 1:1 problem, not liveness); injected camera streams. It is a
deterrent against the casual photo or phone picture held up, not a certified ISO/IEC 30107
presentation-attack detector.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import Enum, unique

import numpy as np
import numpy.typing as npt

from workstation.face.quality import eye_aspect_ratio
from workstation.face.templates import Landmarks, LandmarkScheme

logger = logging.getLogger(__name__)


@unique
class LivenessStatus(Enum):
    LIVE = "live"
    """Non-rigid motion or a blink was seen."""
    STILL = "still"
    """Enough frames, but nothing a flat picture could not do: refuse or ask to blink/turn."""
    INSUFFICIENT = "insufficient"
    """Too few frames with a face (or no 68-point landmarks) to say."""


@dataclass(frozen=True)
class LivenessResult:
    """The verdict over the frames observed so far.

    :param status: live, still, or insufficient.
    :param blinks: blinks counted.
    :param non_rigid_motion: the 90th percentile of per-frame affine residuals, in eye
        distances (a flat picture stays near landmark noise, about 0.01).
    :param frames: frames with a face observed.
    :param duration: seconds between the first and last of them.
    """

    status: LivenessStatus
    blinks: int
    non_rigid_motion: float
    frames: int
    duration: float

    @property
    def code(self) -> str:
        """Stable code: ``PAD-LIVE``, ``PAD-STILL`` or ``PAD-INSUFFICIENT``."""
        return f"PAD-{self.status.name.replace('_', '-')}"


def affine_residual(reference: npt.NDArray[np.float64], points: npt.NDArray[np.float64]) -> float:
    """RMS distance left after the best affine map from ``reference`` onto ``points``.

    :param reference: (n, 2) points, n >= 4.
    :param points: (n, 2) corresponding points.
    """
    design = np.hstack([reference, np.ones((reference.shape[0], 1))])
    solution, *_ = np.linalg.lstsq(design, points, rcond=None)
    residual = points - design @ solution
    return float(np.sqrt(np.mean(np.sum(residual**2, axis=1))))


def count_blinks(ratios: npt.ArrayLike, closed_fraction: float = 0.7) -> int:
    """Count closings: the eye aspect ratio falls below ``closed_fraction`` of its median and
    rises back above the midpoint between that level and the median.

    :param ratios: eye aspect ratios in time order.
    :param closed_fraction: how far below the median counts as closed.
    """
    series = np.asarray(ratios, dtype=np.float64)
    if series.size < 3:
        return 0
    median = float(np.median(series))
    closed_below = closed_fraction * median
    open_above = (closed_below + median) / 2
    blinks, closed = 0, False
    for value in series:
        if not closed and value < closed_below:
            closed = True
        elif closed and value > open_above:
            closed = False
            blinks += 1
    return blinks


class LivenessCheck:
    """Collects landmarks over preview frames and judges liveness.

    Not thread-safe: feed it from the preview worker only.

    :param min_frames: frames with a face needed before a verdict.
    :param min_duration: seconds those frames must span.
    :param motion_threshold: non-rigid motion (in eye distances) that counts as live; above
        the landmark noise of a still picture (measured in ``docs/face.md``).
    :param closed_fraction: see :func:`count_blinks`.
    :param max_frames: frames kept (oldest dropped).
    """

    def __init__(
        self,
        *,
        min_frames: int = 8,
        min_duration: float = 1.5,
        motion_threshold: float = 0.035,
        closed_fraction: float = 0.7,
        max_frames: int = 90,
    ) -> None:
        self.min_frames = min_frames
        self.min_duration = min_duration
        self.motion_threshold = motion_threshold
        self.closed_fraction = closed_fraction
        self.max_frames = max_frames
        self._times: list[float] = []
        self._points: list[npt.NDArray[np.float64]] = []
        self._ratios: list[float] = []

    def reset(self) -> None:
        """Forget every frame (next traveller)."""
        self._times.clear()
        self._points.clear()
        self._ratios.clear()

    def observe(self, timestamp: float, landmarks: Landmarks | None) -> None:
        """Record one preview frame.

        :param timestamp: the frame's time in seconds.
        :param landmarks: the single face's 68-point landmarks; ``None`` (no face, several
            faces) or 5-point landmarks are ignored.
        """
        if landmarks is None or landmarks.scheme is not LandmarkScheme.IBUG_68:
            return
        ratio = eye_aspect_ratio(landmarks)
        self._times.append(timestamp)
        self._points.append(np.asarray(landmarks.points, dtype=np.float64))
        self._ratios.append(ratio if ratio is not None else 0.0)
        if len(self._times) > self.max_frames:
            del self._times[0], self._points[0], self._ratios[0]

    def result(self) -> LivenessResult:
        """The verdict over the frames observed so far."""
        frames = len(self._times)
        duration = self._times[-1] - self._times[0] if frames else 0.0
        if frames < 2:
            return LivenessResult(LivenessStatus.INSUFFICIENT, 0, 0.0, frames, duration)
        reference = self._points[0]
        left, right = Landmarks(reference, LandmarkScheme.IBUG_68).eye_centres()
        scale = max(float(np.hypot(*(right - left))), 1.0)
        residuals = [affine_residual(reference, p) / scale for p in self._points[1:]]
        motion = float(np.percentile(residuals, 90))
        blinks = count_blinks(self._ratios, self.closed_fraction)
        if motion >= self.motion_threshold or blinks > 0:
            status = LivenessStatus.LIVE
        elif frames >= self.min_frames and duration >= self.min_duration:
            status = LivenessStatus.STILL
        else:
            status = LivenessStatus.INSUFFICIENT
        return LivenessResult(status, blinks, motion, frames, duration)
