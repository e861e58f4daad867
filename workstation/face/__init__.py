"""Face biometrics core: templates, 1:1 matching, 1:N search, quality and liveness.

Pure numpy; the dlib encoder lives in ``devices/biometrics`` and cameras in
``devices/camera``. See ``docs/face.md`` for the measures, limits and calibration.
"""

from __future__ import annotations

from workstation.face.calibration import (
    CalibrationPoint,
    CalibrationTable,
    FaceMatcher,
    MatchDecision,
    MatchResult,
    MatchStrength,
    load_calibration,
    threshold_for_fmr,
)
from workstation.face.evaluation import (
    ErrorRates,
    HeldOutRates,
    error_rates,
    held_out_rates,
    rank_one_rate,
)
from workstation.face.gallery import FaceGallery, GalleryHit
from workstation.face.liveness import LivenessCheck, LivenessResult, LivenessStatus
from workstation.face.quality import (
    CHECK_CODES,
    BestFrameSelector,
    CheckStatus,
    QualityCheck,
    QualityLimits,
    QualityReport,
    assess_quality,
    head_pose,
    select_best,
)
from workstation.face.templates import (
    TEMPLATE_DIMENSIONS,
    FaceBox,
    FaceDetection,
    FaceEncoder,
    FaceTemplate,
    ImageUnreadable,
    Landmarks,
    LandmarkScheme,
    NoFaceFound,
    RgbImage,
    similarity,
)

__all__ = [
    "CHECK_CODES",
    "TEMPLATE_DIMENSIONS",
    "BestFrameSelector",
    "CalibrationPoint",
    "CalibrationTable",
    "CheckStatus",
    "ErrorRates",
    "FaceBox",
    "FaceDetection",
    "FaceEncoder",
    "FaceGallery",
    "FaceMatcher",
    "FaceTemplate",
    "GalleryHit",
    "HeldOutRates",
    "ImageUnreadable",
    "Landmarks",
    "LandmarkScheme",
    "LivenessCheck",
    "LivenessResult",
    "LivenessStatus",
    "MatchDecision",
    "MatchResult",
    "MatchStrength",
    "NoFaceFound",
    "QualityCheck",
    "QualityLimits",
    "QualityReport",
    "RgbImage",
    "assess_quality",
    "error_rates",
    "head_pose",
    "held_out_rates",
    "load_calibration",
    "rank_one_rate",
    "select_best",
    "similarity",
    "threshold_for_fmr",
]
