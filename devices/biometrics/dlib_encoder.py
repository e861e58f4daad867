"""The dlib face encoder: HOG (and MMOD fallback) detection, landmarks, ResNet embeddings.

The only module in the repository that imports dlib. Model files come from the
``face_recognition_models`` distribution, located without importing that package (its
``__init__`` needs ``pkg_resources``, gone from setuptools 81), so nothing is downloaded.

Models and licences: encodings use the 5-point landmark model and the ResNet recogniser
(both public domain). Quality checks use the 68-point model by default, which was trained on
iBUG 300-W, whose licence excludes commercial use: pass
``quality_landmarks=LandmarkScheme.DLIB_5`` to run without it (then eyes-open, pitch and
liveness are not measured).
"""

from __future__ import annotations

import importlib.util
import io
import logging
from pathlib import Path

import dlib
import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from workstation.face import (
    FaceBox,
    FaceDetection,
    FaceTemplate,
    ImageUnreadable,
    Landmarks,
    LandmarkScheme,
    NoFaceFound,
    RgbImage,
)

logger = logging.getLogger(__name__)

ENCODER_NAME = "dlib-resnet-v1/5pt/flip+equalised-mean"
"""Name written into calibration tables: dlib ResNet v1, 5-point alignment, mean of three
views: the face, its mirror image and the face with its brightness histogram equalised."""

_EQUALISE_STATS_MARGIN = 0.25
"""The equalised view's histogram is taken over the face box grown by this share of its
size on every side (face-centred, so a live frame's background does not weigh in)."""

_EQUALISE_CROP_MARGIN = 0.5
"""...and applied to the box grown by this share, enough for the chip's padding."""

_DETECT_MAX_SIDE = 640
"""Captured frames are detected on a copy at most this wide or high, then landmarks and
encoding use full resolution: upsampling a 1920x1080 frame would take most of a second."""

_SMALL_SIDE = 400
"""Below this size (chip and card photos) a second HOG upsampling and the MMOD CNN
detector are tried when HOG finds nothing."""

_CHIP_SIZE = 150
_CHIP_PADDING = 0.25


def models_dir() -> Path:
    """Directory holding the ``face_recognition_models`` ``.dat`` files.

    :raises FileNotFoundError: if the distribution is not installed.
    """
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("face_recognition_models is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "models"


def _as_rgb(image: bytes | RgbImage) -> RgbImage:
    if isinstance(image, bytes | bytearray | memoryview):
        try:
            with Image.open(io.BytesIO(bytes(image))) as decoded:
                oriented = ImageOps.exif_transpose(decoded)
                return np.asarray(oriented.convert("RGB"), dtype=np.uint8)
        except (UnidentifiedImageError, OSError, ValueError) as e:
            raise ImageUnreadable(f"cannot decode image: {type(e).__name__}") from e
    array = np.asarray(image)
    if array.dtype != np.uint8:
        raise ImageUnreadable(f"image must be uint8, not {array.dtype}")
    if array.ndim == 2:
        array = np.repeat(array[:, :, None], 3, axis=2)
    if array.ndim != 3 or array.shape[2] not in (3, 4) or min(array.shape[:2]) < 8:
        raise ImageUnreadable(f"not an RGB image: shape {array.shape}")
    return np.ascontiguousarray(array[:, :, :3])


def _resized(image: RgbImage, factor: float) -> RgbImage:
    height, width = image.shape[:2]
    size = (max(1, round(width * factor)), max(1, round(height * factor)))
    return np.asarray(Image.fromarray(image).resize(size, Image.Resampling.BILINEAR))


def _rect(box: FaceBox) -> dlib.rectangle:
    return dlib.rectangle(box.left, box.top, box.right, box.bottom)


def _box(rect: dlib.rectangle, factor: float = 1.0) -> FaceBox:
    return FaceBox(
        round(rect.left() / factor),
        round(rect.top() / factor),
        round((rect.right() + 1) / factor),
        round((rect.bottom() + 1) / factor),
    )


def _grown(rect: dlib.rectangle, margin: float, height: int, width: int) -> tuple[int, ...]:
    """``(top, left, bottom, right)`` of ``rect`` grown by ``margin`` of its size, clipped."""
    dx, dy = round(rect.width() * margin), round(rect.height() * margin)
    return (
        max(0, rect.top() - dy),
        max(0, rect.left() - dx),
        min(height, rect.bottom() + 1 + dy),
        min(width, rect.right() + 1 + dx),
    )


def _equalised_region(rgb: RgbImage, rect: dlib.rectangle) -> tuple[RgbImage, dlib.rectangle]:
    """The region around the face with its luma histogram equalised (PIL's algorithm on
    the Y channel, so colours keep their hue), and the face box in the region's coordinates.
    """
    height, width = rgb.shape[:2]
    top, left, bottom, right = _grown(rect, _EQUALISE_CROP_MARGIN, height, width)
    s_top, s_left, s_bottom, s_right = _grown(rect, _EQUALISE_STATS_MARGIN, height, width)
    y, cb, cr = Image.fromarray(rgb[top:bottom, left:right]).convert("YCbCr").split()
    mask = Image.new("L", y.size, 0)
    mask.paste(255, (s_left - left, s_top - top, s_right - left, s_bottom - top))
    equalised = Image.merge("YCbCr", (ImageOps.equalize(y, mask), cb, cr)).convert("RGB")
    local = dlib.rectangle(
        rect.left() - left, rect.top() - top, rect.right() - left, rect.bottom() - top
    )
    return np.asarray(equalised), local


def _unit(vector: object) -> np.ndarray:
    array = np.asarray(vector, dtype=np.float64)
    return array / np.linalg.norm(array)


def _points(shape: dlib.full_object_detection) -> np.ndarray:
    return np.array([(p.x, p.y) for p in shape.parts()], dtype=np.float64)


class DlibFaceEncoder:
    """:class:`~workstation.face.FaceEncoder` on dlib.

    :param quality_landmarks: landmarks reported with detections; 68-point (iBUG licence,
        see the module docstring) or 5-point.
    :param flip_average: add the mirrored face as a view (one more network pass).
    :param equalised_view: add the face with its brightness histogram equalised, aligned on
        its own landmarks, as a view (one more pass). The template is the mean of the
        views' unit embeddings; the shipped calibration was made with both views on.
    :param mmod_fallback: try the CNN detector on small images where HOG finds nothing.
    :param model_path: the models directory; found automatically when ``None``.
    NOTE: dlib objects are not documented as thread-safe; use one encoder per thread.
    """

    name = ENCODER_NAME

    def __init__(
        self,
        *,
        quality_landmarks: LandmarkScheme = LandmarkScheme.IBUG_68,
        flip_average: bool = True,
        equalised_view: bool = True,
        mmod_fallback: bool = True,
        model_path: Path | None = None,
    ) -> None:
        path = model_path or models_dir()
        self._hog = dlib.get_frontal_face_detector()
        self._shape5 = dlib.shape_predictor(str(path / "shape_predictor_5_face_landmarks.dat"))
        self._quality_scheme = quality_landmarks
        self._shape68 = (
            dlib.shape_predictor(str(path / "shape_predictor_68_face_landmarks.dat"))
            if quality_landmarks is LandmarkScheme.IBUG_68
            else None
        )
        self._resnet = dlib.face_recognition_model_v1(
            str(path / "dlib_face_recognition_resnet_model_v1.dat")
        )
        self._mmod_path = path / "mmod_human_face_detector.dat" if mmod_fallback else None
        self._mmod: dlib.cnn_face_detection_model_v1 | None = None
        self._flip = flip_average
        self._equalise = equalised_view
        views = [v for v, on in (("flip", flip_average), ("equalised", equalised_view)) if on]
        self.name = ENCODER_NAME.rsplit("/", 1)[0] + (f"/{'+'.join(views)}-mean" if views else "")

    def detect(self, image: RgbImage, *, upsample: bool = False) -> tuple[FaceDetection, ...]:
        """Every face, largest first.

        :param image: RGB ``uint8`` array.
        :param upsample: ``False``: HOG at the frame's own size (preview, about 25 ms at
            640x480). ``True``: HOG upsampled once on a copy at most 640 px wide, and on small
            images a second upsampling and the MMOD detector if still nothing is found.
        :raises ImageUnreadable: if ``image`` is not an RGB array.
        """
        rgb = _as_rgb(image)
        scored = self._find(rgb, upsample)
        detections = []
        for rect, confidence in scored:
            detections.append(
                FaceDetection(
                    box=_box(rect),
                    landmarks=self._landmarks(rgb, rect),
                    confidence=float(confidence),
                )
            )
        detections.sort(key=lambda d: d.box.area, reverse=True)
        return tuple(detections)

    def encode(
        self, image: bytes | RgbImage, detection: FaceDetection | None = None
    ) -> FaceTemplate:
        """Template of the largest face (or of ``detection``).

        :param image: encoded bytes or an RGB array.
        :param detection: a detection made on this same image, to skip detecting again.
        :raises NoFaceFound: if no face is found.
        :raises ImageUnreadable: if the image cannot be decoded.
        """
        rgb = _as_rgb(image)
        if detection is not None:
            rect = _rect(detection.box)
        else:
            found = self._find(rgb, upsample=True)
            if not found:
                raise NoFaceFound("no face in image")
            rect = max((r for r, _ in found), key=lambda r: r.area())
        chip = dlib.get_face_chip(rgb, self._shape5(rgb, rect), _CHIP_SIZE, _CHIP_PADDING)
        views = [chip]
        if self._flip:
            views.append(np.ascontiguousarray(chip[:, ::-1]))
        if self._equalise:
            region, local = _equalised_region(rgb, rect)
            shape = self._shape5(region, local)
            views.append(dlib.get_face_chip(region, shape, _CHIP_SIZE, _CHIP_PADDING))
        vector = sum(_unit(self._resnet.compute_face_descriptor(view)) for view in views)
        return FaceTemplate(np.asarray(vector, dtype=np.float32))

    def _landmarks(self, rgb: RgbImage, rect: dlib.rectangle) -> Landmarks:
        if self._shape68 is not None:
            return Landmarks(_points(self._shape68(rgb, rect)), LandmarkScheme.IBUG_68)
        return Landmarks(_points(self._shape5(rgb, rect)), LandmarkScheme.DLIB_5)

    def _find(self, rgb: RgbImage, upsample: bool) -> list[tuple[dlib.rectangle, float]]:
        """Detector rectangles in ``rgb`` coordinates with their scores."""
        if not upsample:
            return self._hog_run(rgb, 0, 1.0)
        height, width = rgb.shape[:2]
        factor = min(1.0, _DETECT_MAX_SIDE / max(height, width))
        small = _resized(rgb, factor) if factor < 1.0 else rgb
        found = self._hog_run(small, 1, factor)
        if found or max(small.shape[:2]) > _SMALL_SIDE:
            return found
        found = self._hog_run(small, 2, factor)
        if found or self._mmod_path is None:
            return found
        if self._mmod is None:
            self._mmod = dlib.cnn_face_detection_model_v1(str(self._mmod_path))
        logger.debug("HOG found no face; trying MMOD")
        return [
            (self._scaled_rect(d.rect, factor), float(d.confidence)) for d in self._mmod(small, 1)
        ]

    def _hog_run(
        self, image: RgbImage, upsample: int, factor: float
    ) -> list[tuple[dlib.rectangle, float]]:
        rects, scores, _ = self._hog.run(image, upsample, 0.0)
        return [
            (self._scaled_rect(r, factor), float(s)) for r, s in zip(rects, scores, strict=True)
        ]

    @staticmethod
    def _scaled_rect(rect: dlib.rectangle, factor: float) -> dlib.rectangle:
        if factor == 1.0:
            return rect
        return dlib.rectangle(
            round(rect.left() / factor),
            round(rect.top() / factor),
            round(rect.right() / factor),
            round(rect.bottom() / factor),
        )
