"""Synthetic enrolled fingers for speed benchmarks and tests of the 1:N index.

They are derived from real encoded fingers by perturbation: each copy keeps a random 70-95 %
of the cylinders, flips 8 % of their valid bits, and moves the minutiae by a random rotation
and translation. They exercise the index exactly as real fingers do (same sizes, same bucket
statistics) but carry no accuracy meaning.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

import numpy as np

from workstation.fingerprint.index import EncodedFinger

logger = logging.getLogger(__name__)


def perturbed_copies(
    sources: Sequence[EncodedFinger], count: int, seed: int = 0
) -> list[EncodedFinger]:
    """``count`` perturbed copies of randomly chosen ``sources``.

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
