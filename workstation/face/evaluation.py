"""Error-rate arithmetic for biometric evaluation (ISO/IEC 19795-1 terms).

Convention everywhere: a comparison is accepted when ``score >= threshold`` and scores are
similarities (higher means more alike). FMR(t) is the fraction of impostor scores ``>= t``;
FNMR(t) the fraction of genuine scores ``< t``.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)

Scores = npt.ArrayLike


def _sorted(scores: Scores, what: str) -> npt.NDArray[np.float64]:
    arr = np.sort(np.asarray(scores, dtype=np.float64).reshape(-1))
    if arr.size == 0:
        raise ValueError(f"no {what} scores")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{what} scores must be finite")
    return arr


def false_match_rate(impostor: Scores, threshold: float) -> float:
    """Fraction of impostor scores at or above ``threshold``.

    :param impostor: impostor (different-person) similarity scores.
    :param threshold: the acceptance threshold.
    """
    arr = _sorted(impostor, "impostor")
    return float(arr.size - np.searchsorted(arr, threshold, side="left")) / arr.size


def false_non_match_rate(genuine: Scores, threshold: float) -> float:
    """Fraction of genuine scores below ``threshold``.

    :param genuine: genuine (same-person) similarity scores.
    :param threshold: the acceptance threshold.
    """
    arr = _sorted(genuine, "genuine")
    return float(np.searchsorted(arr, threshold, side="left")) / arr.size


def threshold_at_fmr(impostor: Scores, target: float) -> float:
    """The lowest threshold whose false-match rate on ``impostor`` is at most ``target``.

    :param impostor: impostor similarity scores.
    :param target: the false-match rate allowed, for example ``0.0005`` for 0.05 %.
    :raises ValueError: if ``target`` is not in [0, 1).
    NOTE: with ``n`` impostor scores a target below ``1/n`` yields a threshold just above the
    highest impostor score: the data cannot show rates that small.
    """
    if not 0.0 <= target < 1.0:
        raise ValueError("target FMR must be in [0, 1)")
    arr = _sorted(impostor, "impostor")
    allowed = int(np.floor(target * arr.size + 1e-9))
    if allowed >= arr.size:
        return float(arr[0])
    # Accept strictly above the (allowed+1)-th highest score; ties stay on the reject side.
    return float(np.nextafter(arr[arr.size - allowed - 1], np.inf))


@dataclass(frozen=True)
class ErrorRates:
    """Summary of a verification experiment.

    :param eer: equal error rate (FMR and FNMR at the threshold where they are closest).
    :param eer_threshold: that threshold.
    :param fnmr_at_fmr: for each target FMR, ``(fnmr, threshold, achieved_fmr)``.
    """

    genuine_count: int
    impostor_count: int
    eer: float
    eer_threshold: float
    fnmr_at_fmr: dict[float, tuple[float, float, float]] = field(default_factory=dict)


def error_rates(
    genuine: Scores, impostor: Scores, fmr_targets: Sequence[float] = (0.001, 0.0005)
) -> ErrorRates:
    """EER and FNMR at fixed FMR targets.

    :param genuine: genuine similarity scores (failures to acquire included as the lowest score).
    :param impostor: impostor similarity scores (likewise).
    :param fmr_targets: FMR operating points to report.
    """
    g = _sorted(genuine, "genuine")
    i = _sorted(impostor, "impostor")
    thresholds = np.unique(np.concatenate([g, i, [np.nextafter(i[-1], np.inf)]]))
    fnmr = np.searchsorted(g, thresholds, side="left") / g.size
    fmr = (i.size - np.searchsorted(i, thresholds, side="left")) / i.size
    best = int(np.argmin(np.abs(fnmr - fmr)))
    at: dict[float, tuple[float, float, float]] = {}
    for target in fmr_targets:
        t = threshold_at_fmr(i, target)
        at[target] = (false_non_match_rate(g, t), t, false_match_rate(i, t))
    return ErrorRates(
        genuine_count=int(g.size),
        impostor_count=int(i.size),
        eer=float((fnmr[best] + fmr[best]) / 2),
        eer_threshold=float(thresholds[best]),
        fnmr_at_fmr=at,
    )


def rank_one_rate(
    scores: npt.ArrayLike, probe_labels: Sequence[object], gallery_labels: Sequence[object]
) -> float:
    """Closed-set rank-1 identification rate.

    :param scores: similarity matrix of shape (probes, gallery).
    :param probe_labels: the true subject of each probe.
    :param gallery_labels: the subject of each gallery entry.
    NOTE: a probe counts as identified only if its subject's best score is strictly higher
    than every other subject's; a tie (as for a failure to acquire, scored lowest everywhere)
    is a miss.
    """
    matrix = np.asarray(scores, dtype=np.float64)
    if matrix.shape != (len(probe_labels), len(gallery_labels)) or matrix.size == 0:
        raise ValueError("scores must be (probes, gallery) and not empty")
    hits = 0
    for p, label in enumerate(probe_labels):
        same = np.array([g == label for g in gallery_labels])
        if not same.any():
            raise ValueError("closed-set identification needs every probe's subject in the gallery")
        others = matrix[p, ~same]
        if others.size == 0 or matrix[p, same].max() > others.max():
            hits += 1
    return hits / len(probe_labels)


@dataclass(frozen=True)
class HeldOutRates:
    """Error rates at a threshold chosen on other people (split-half cross-validation).

    Each split divides the subjects at random into two halves; the threshold for
    ``target_fmr`` is chosen on the impostor scores of one half and FNMR and FMR are
    measured on the other half, then the other way round.

    :param splits: random splits made (each measured both ways).
    :param fnmr_mean: mean FNMR on the unseen half.
    :param fnmr_low: its 10th percentile over the measurements.
    :param fnmr_high: its 90th percentile.
    :param fmr_mean: mean FMR on the unseen half (what the target became on new people).
    """

    target_fmr: float
    splits: int
    fnmr_mean: float
    fnmr_low: float
    fnmr_high: float
    fmr_mean: float


def held_out_rates(
    scores: npt.ArrayLike,
    subjects: Sequence[object],
    target_fmr: float,
    *,
    splits: int = 100,
    seed: int = 0,
) -> HeldOutRates:
    """FNMR and FMR at a threshold set on half of the subjects, measured on the other half.

    :param scores: the (n, n) similarity matrix of every sample against every other (only
        the part above the diagonal is read).
    :param subjects: the subject of each sample.
    :param target_fmr: the FMR the threshold is set for on the training half.
    :param splits: how many random halvings; the result does not depend on the order of
        the samples, only on ``seed``.
    :param seed: seed of the random halvings.
    :raises ValueError: with fewer than four subjects, or a half without genuine pairs.
    """
    matrix = np.asarray(scores, dtype=np.float64)
    labels = np.asarray([str(s) for s in subjects])
    if matrix.shape != (labels.size, labels.size):
        raise ValueError("scores must be (n, n) for n subjects' samples")
    names, index = np.unique(labels, return_inverse=True)
    if names.size < 4:
        raise ValueError("held-out rates need at least four subjects")
    first, second = np.triu_indices(labels.size, 1)
    pair_scores = matrix[first, second]
    a, b = index[first], index[second]
    genuine = a == b
    rng = np.random.default_rng(seed)
    fnmrs: list[float] = []
    fmrs: list[float] = []
    for _ in range(splits):
        half = np.zeros(names.size, dtype=bool)
        half[rng.permutation(names.size)[: names.size // 2]] = True
        for train in (half, ~half):
            inside = train[a] & train[b]
            outside = ~train[a] & ~train[b]
            test_genuine = pair_scores[outside & genuine]
            if test_genuine.size == 0 or not np.any(inside & ~genuine):
                raise ValueError("each half needs genuine and impostor pairs")
            t = threshold_at_fmr(pair_scores[inside & ~genuine], target_fmr)
            fnmrs.append(float(np.mean(test_genuine < t)))
            fmrs.append(float(np.mean(pair_scores[outside & ~genuine] >= t)))
    return HeldOutRates(
        target_fmr=target_fmr,
        splits=splits,
        fnmr_mean=float(np.mean(fnmrs)),
        fnmr_low=float(np.percentile(fnmrs, 10)),
        fnmr_high=float(np.percentile(fnmrs, 90)),
        fmr_mean=float(np.mean(fmrs)),
    )
