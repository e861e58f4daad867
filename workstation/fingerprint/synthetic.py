"""Synthetic fingers: background galleries for 1:N evaluation, and speed benchmarks.

Two kinds:

- :func:`model_fingers` draws new minutiae sets from a ridge-flow model: the orientation field
  of a fingerprint class (arch, left or right loop, whorl) from the zero-pole model of
  Sherlock and Monro ("A model for interpreting fingerprint topology", Pattern Recognition
  26(7), 1993) with a random low-frequency wobble; minutiae placed at random at least 8 px
  apart inside the footprint of a real template, pointing along the flow (either way). The
  number of minutiae and the footprint come from a real "donor" template, so the gallery has
  the same sizes and shapes as the real one; nothing else of the donor is kept. They are new
  identities, used as non-mated background for identification rates.
- :func:`perturbed_copies` makes near-duplicates of real encoded fingers (speed benchmarks):
  they exercise the index exactly as real fingers do but carry no accuracy meaning.

NOTE: model fingers are minutiae only: they have no ridge noise, no mindtct artefacts and no
distortion. Their impostor scores against real probes are measured beside real impostor
scores by ``sekisho finger evaluate-1n`` (they came out slightly lower, i.e. a model
background is somewhat easier than a real one of the same size).
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from workstation.fingerprint import mcc
from workstation.fingerprint.index import EncodedFinger
from workstation.fingerprint.template import FingerTemplate

logger = logging.getLogger(__name__)

# pattern classes and their approximate share in the population
_CLASSES = ("arch", "left_loop", "right_loop", "whorl")
_CLASS_SHARE = (0.08, 0.33, 0.31, 0.28)
_MIN_GAP = 8.0  # px: minutiae closer than about one ridge period are rare
_DIRECTION_NOISE = 0.12  # radians


def _singularities(
    rng: np.random.Generator, kind: str, cx: float, cy: float
) -> tuple[list[complex], list[complex]]:
    """Cores and deltas of one pattern class around a centre (y pointing up)."""
    cores: list[complex] = []
    deltas: list[complex] = []
    if kind == "arch":
        # a core with its delta just below it, both outside the print: gently curved ridges
        cores.append(complex(cx, cy - rng.uniform(120, 220)))
        deltas.append(complex(cx + rng.normal(0, 10), cy - rng.uniform(230, 320)))
    elif kind in ("left_loop", "right_loop"):
        side = -1 if kind == "left_loop" else 1
        cores.append(complex(cx, cy))
        deltas.append(complex(cx + side * rng.uniform(60, 150), cy - rng.uniform(100, 190)))
    else:
        gap = rng.uniform(8, 30)
        tilt = rng.normal(0, 10)
        cores += [complex(cx - tilt, cy + gap), complex(cx + tilt, cy - gap)]
        deltas += [
            complex(cx - rng.uniform(80, 150), cy - rng.uniform(100, 180)),
            complex(cx + rng.uniform(80, 150), cy - rng.uniform(100, 180)),
        ]
    return cores, deltas


def ridge_orientation(
    xy: npt.NDArray[np.float64],
    cores: Sequence[complex],
    deltas: Sequence[complex],
    rotation: float = 0.0,
    waves: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.float64]:
    """Ridge direction (radians, modulo π) of the zero-pole model at points ``xy`` (y up).

    :param cores: core positions as complex numbers.
    :param deltas: delta positions.
    :param rotation: global rotation of the pattern.
    :param waves: rows of (amplitude, angular frequency, direction, phase) added as a wobble.
    """
    z = xy[:, 0] + 1j * xy[:, 1]
    theta = np.full(len(z), rotation, dtype=np.float64)
    for c in cores:
        theta += 0.5 * np.angle(z - c)
    for d in deltas:
        theta -= 0.5 * np.angle(z - d)
    if waves is not None:
        for amp, freq, direction, phase in waves:
            along = xy[:, 0] * math.cos(direction) + xy[:, 1] * math.sin(direction)
            theta += amp * np.sin(freq * along + phase)
    return theta


def _inside(hull: npt.NDArray[np.float64], pts: npt.NDArray[np.float64]) -> npt.NDArray[np.bool_]:
    if len(hull) < 3:
        return np.ones(len(pts), dtype=bool)
    edges = np.roll(hull, -1, axis=0) - hull
    rel = pts[:, None, :] - hull[None, :, :]
    cross = edges[None, :, 0] * rel[..., 1] - edges[None, :, 1] * rel[..., 0]
    return np.asarray((cross >= 0).all(axis=1) | (cross <= 0).all(axis=1))


def _spread(
    rng: np.random.Generator, hull: npt.NDArray[np.float64], count: int
) -> npt.NDArray[np.float64]:
    """Up to ``count`` random points inside ``hull``, at least :data:`_MIN_GAP` apart."""
    lo, hi = hull.min(axis=0), hull.max(axis=0)
    chosen = np.zeros((0, 2))
    for _ in range(20):
        if len(chosen) >= count:
            break
        batch = lo + (hi - lo) * rng.random((count * 3, 2))
        for p in batch[_inside(hull, batch)]:
            if len(chosen) >= count:
                break
            if len(chosen) and np.min(np.hypot(*(chosen - p).T)) < _MIN_GAP:
                continue
            chosen = np.vstack([chosen, p])
    return chosen


def model_finger(rng: np.random.Generator, donor: FingerTemplate) -> FingerTemplate:
    """One new finger shaped like ``donor`` (minutiae count ±15 %, footprint), see module doc.

    :param rng: the random generator.
    :param donor: a real template giving the count, footprint, image size and resolution.
    """
    if len(donor) < 3:
        raise ValueError("a donor needs at least three minutiae")
    hull = mcc._convex_hull(donor.minutiae[:, :2])
    count = max(8, round(len(donor) * rng.uniform(0.85, 1.15)))
    lo, hi = donor.minutiae[:, :2].min(axis=0), donor.minutiae[:, :2].max(axis=0)
    centre = lo + (hi - lo) * rng.uniform(0.3, 0.7, 2)
    kind = _CLASSES[int(rng.choice(len(_CLASSES), p=_CLASS_SHARE))]
    cores, deltas = _singularities(rng, kind, float(centre[0]), float(-centre[1]))
    waves = np.column_stack(
        [
            rng.normal(0, 0.12, 3),
            2 * math.pi / rng.uniform(120, 400, 3),
            rng.uniform(0, 2 * math.pi, 3),
            rng.uniform(0, 2 * math.pi, 3),
        ]
    )
    pts = _spread(rng, hull, count)
    theta = ridge_orientation(
        np.column_stack([pts[:, 0], -pts[:, 1]]), cores, deltas, rng.normal(0, 0.25), waves
    )
    # endings and bifurcations point either way along the ridge
    angles = (
        theta + math.pi * rng.integers(0, 2, len(pts)) + rng.normal(0, _DIRECTION_NOISE, len(pts))
    )
    return FingerTemplate(
        np.column_stack([pts, angles]),
        width=donor.width,
        height=donor.height,
        resolution=donor.resolution,
    )


def model_fingers(
    donors: Sequence[FingerTemplate], count: int, seed: int = 0
) -> list[FingerTemplate]:
    """``count`` model fingers, each shaped like a randomly chosen donor.

    :param donors: real templates (at least three minutiae each) giving sizes and footprints.
    :param count: how many fingers to draw.
    :param seed: random seed; the same donors and seed give the same fingers.
    """
    usable = [d for d in donors if len(d) >= 3]
    if not usable:
        raise ValueError("need at least one donor template with three minutiae")
    rng = np.random.default_rng(seed)
    return [model_finger(rng, usable[int(rng.integers(len(usable)))]) for _ in range(count)]


def perturbed_copies(
    sources: Sequence[EncodedFinger], count: int, seed: int = 0
) -> list[EncodedFinger]:
    """``count`` perturbed copies of randomly chosen ``sources`` (for speed benchmarks).

    Each copy keeps a random 70-95 % of the cylinders, flips 8 % of their valid bits, and
    moves the minutiae by a random rotation and translation.

    :param sources: real encoded fingers (see :func:`~workstation.fingerprint.index.encode_finger`).
    :param count: how many copies to make.
    :param seed: random seed, for reproducible benchmarks.
    """
    if not sources:
        raise ValueError("need at least one source finger")
    rng = np.random.default_rng(seed)
    out: list[EncodedFinger] = []
    for _ in range(count):
        src = sources[int(rng.integers(len(sources)))]
        n = len(src.bits)
        keep = np.sort(rng.choice(n, size=max(1, int(n * rng.uniform(0.7, 0.95))), replace=False))
        bits = np.unpackbits(src.bits[keep], axis=1)
        valid = np.repeat(
            np.unpackbits(src.masks[keep], axis=1),
            bits.shape[1] // (8 * src.masks.shape[1]),
            axis=1,
        )
        flips = (rng.random(bits.shape) < 0.08) & (valid > 0)
        bits = np.packbits(bits ^ flips.astype(np.uint8), axis=1)
        angle = rng.uniform(-np.pi / 6, np.pi / 6)
        rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
        points = (src.points[keep] @ rot.T + rng.normal(0, 30, 2)).astype(np.float32)
        angles = np.mod(src.angles[keep] + angle, 2 * np.pi).astype(np.float32)
        out.append(EncodedFinger(bits, src.masks[keep].copy(), points, angles))
    return out
