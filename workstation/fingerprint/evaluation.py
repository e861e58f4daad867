"""Verification error rates and the FVC protocol.

FVC2002 protocol (Maio et al., "FVC2002: Second Fingerprint Verification Competition"):
genuine comparisons are all pairs of impressions of the same finger; impostor comparisons are
the first impression of each finger against the first impression of every other finger. An
impression that cannot be processed is a failure to acquire: every comparison it takes part
in is scored as the lowest similarity (0) and counted, never dropped.

Error rates follow FVC's definitions: FMR(t) is the share of impostor scores at or above
``t``; FNMR(t) the share of genuine scores below ``t``. The EER is the midpoint of FVC's
[EER_low, EER_high] interval. FMR100 / FMR1000 are the lowest FNMR with FMR at most 1 % /
0.1 %; ZeroFMR the lowest FNMR with no false match. With only 45 impostor comparisons per
FVC B set, FMR100, FMR1000 and ZeroFMR coincide: one false match is already 2.2 %.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Generic, TypeVar

import numpy as np
import numpy.typing as npt

logger = logging.getLogger(__name__)

T = TypeVar("T")

_FVC_NAME = re.compile(r"^(?P<finger>\d+)_(?P<impression>\d+)$")


@dataclass(frozen=True)
class Comparison:
    """One scored comparison.

    :param probe: the probe's sample name (``"101_2"``).
    :param reference: the reference's sample name.
    :param genuine: both come from the same finger.
    :param score: similarity; 0 when either side failed to acquire.
    """

    probe: str
    reference: str
    genuine: bool
    score: float


@dataclass(frozen=True)
class ErrorRates:
    """Verification accuracy of a set of comparisons (rates are fractions, not percent).

    :param failures_to_acquire: sample names that could not be processed.
    """

    genuine: int
    impostor: int
    eer: float
    fmr100: float
    fmr1000: float
    zero_fmr: float
    eer_threshold: float
    failures_to_acquire: tuple[str, ...] = ()


def parse_fvc_name(name: str) -> tuple[str, int] | None:
    """``"101_3"`` → ``("101", 3)``; ``None`` for names outside the FVC layout."""
    m = _FVC_NAME.match(name)
    if m is None:
        return None
    return m["finger"], int(m["impression"])


def fvc_pairs(names: Sequence[str]) -> list[tuple[str, str, bool]]:
    """The FVC protocol's comparisons for a set of sample names.

    :param names: names like ``"101_1"``; others are ignored (and logged).
    :returns: ``(probe, reference, genuine)`` triples: all same-finger pairs, then the first
        impression of each finger against the first impression of every later finger.
    """
    fingers: dict[str, list[tuple[int, str]]] = {}
    for name in names:
        parsed = parse_fvc_name(name)
        if parsed is None:
            logger.info("skipping a sample name outside the FVC layout")
            continue
        fingers.setdefault(parsed[0], []).append((parsed[1], name))
    pairs: list[tuple[str, str, bool]] = []
    ordered = sorted(fingers)
    for finger in ordered:
        impressions = [n for _, n in sorted(fingers[finger])]
        pairs.extend((a, b, True) for a, b in combinations(impressions, 2))
    firsts = [sorted(fingers[f])[0][1] for f in ordered]
    pairs.extend((a, b, False) for a, b in combinations(firsts, 2))
    return pairs


@dataclass(frozen=True)
class _Sample(Generic[T]):
    item: T | None


def score_pairs(
    samples: Mapping[str, T | None],
    pairs: Sequence[tuple[str, str, bool]],
    compare: Callable[[T, T], float],
) -> list[Comparison]:
    """Score protocol pairs; a missing sample (failure to acquire) scores 0.

    :param samples: sample name → prepared sample, or ``None`` when it failed to acquire.
    :param pairs: ``(probe, reference, genuine)`` triples, e.g. from :func:`fvc_pairs`.
    :param compare: the similarity function.
    """
    out: list[Comparison] = []
    for probe, reference, genuine in pairs:
        a, b = samples.get(probe), samples.get(reference)
        score = 0.0 if a is None or b is None else float(compare(a, b))
        out.append(Comparison(probe, reference, genuine, score))
    return out


def error_rates(
    genuine: npt.ArrayLike, impostor: npt.ArrayLike, failures: Sequence[str] = ()
) -> ErrorRates:
    """EER, FMR100, FMR1000 and ZeroFMR from similarity scores.

    :param genuine: genuine comparison scores (higher = more similar).
    :param impostor: impostor comparison scores.
    :param failures: names of samples that failed to acquire (reported only).
    """
    g = np.sort(np.asarray(genuine, dtype=np.float64))
    i = np.sort(np.asarray(impostor, dtype=np.float64))
    if g.size == 0 or i.size == 0:
        raise ValueError("need genuine and impostor scores")
    thresholds = np.unique(np.concatenate([g, i, [np.inf]]))
    fmr = 1.0 - np.searchsorted(i, thresholds, side="left") / i.size
    fnmr = np.searchsorted(g, thresholds, side="left") / g.size
    # FVC: t1 = last threshold with FNMR <= FMR, t2 = first with FNMR >= FMR
    below = np.nonzero(fnmr <= fmr)[0]
    above = np.nonzero(fnmr >= fmr)[0]
    k1 = below[-1] if below.size else 0
    k2 = above[0] if above.size else len(thresholds) - 1
    if fnmr[k1] + fmr[k1] <= fnmr[k2] + fmr[k2]:
        low, high = fnmr[k1], fmr[k1]
    else:
        low, high = fmr[k2], fnmr[k2]
    eer = (low + high) / 2

    def fnmr_at(limit: float) -> float:
        ok = fmr <= limit + 1e-12
        return float(fnmr[ok].min())

    return ErrorRates(
        genuine=int(g.size),
        impostor=int(i.size),
        eer=float(eer),
        fmr100=fnmr_at(0.01),
        fmr1000=fnmr_at(0.001),
        zero_fmr=fnmr_at(0.0),
        eer_threshold=float(thresholds[k1]),
        failures_to_acquire=tuple(failures),
    )


def rates_of(comparisons: Sequence[Comparison], failures: Sequence[str] = ()) -> ErrorRates:
    """:func:`error_rates` of scored comparisons."""
    return error_rates(
        [c.score for c in comparisons if c.genuine],
        [c.score for c in comparisons if not c.genuine],
        failures,
    )


# 1:N identification


@dataclass(frozen=True)
class ProbeOutcome:
    """Where one identification probe's mate ended up.

    :param probe: the probe's sample name.
    :param rank: 0-based position of the mate in the returned hits, ``None`` when it was not
        returned (or the probe or its mate failed to acquire).
    :param preselection_rank: 0-based position of the mate in the pre-selection order,
        ``None`` when it got no vote (or failed to acquire).
    :param seconds: search time.
    """

    probe: str
    rank: int | None
    preselection_rank: int | None
    seconds: float = 0.0


@dataclass(frozen=True)
class IdentificationRates:
    """Closed-set identification accuracy of a set of probes (rates are fractions).

    :param probes: number of probes (failures to acquire included, as misses).
    :param gallery: enrolled fingers searched.
    :param rank1: share of probes whose mate came first.
    :param rank10: share whose mate was among the first ten.
    :param candidates: fingers passed from the pre-selection to scoring.
    :param preselected: share of probes whose mate was among those candidates.
    :param hit_rates: ``(penetration, share of mates pre-selected within it)`` pairs.
    :param median_seconds: median search time.
    """

    probes: int
    gallery: int
    rank1: float
    rank10: float
    candidates: int
    preselected: float
    hit_rates: tuple[tuple[float, float], ...]
    median_seconds: float


def fvc_identification_split(names: Sequence[str]) -> tuple[dict[str, str], dict[str, str]]:
    """Enrol the first impression of every finger; the others are probes.

    :param names: sample names like ``"101_1"`` (others are ignored).
    :returns: ``(finger -> enrolled sample, probe sample -> finger)``.
    """
    fingers: dict[str, list[tuple[int, str]]] = {}
    for name in names:
        parsed = parse_fvc_name(name)
        if parsed is not None:
            fingers.setdefault(parsed[0], []).append((parsed[1], name))
    enrolled: dict[str, str] = {}
    probes: dict[str, str] = {}
    for finger, impressions in fingers.items():
        ordered = [n for _, n in sorted(impressions)]
        enrolled[finger] = ordered[0]
        probes.update((n, finger) for n in ordered[1:])
    return enrolled, probes


def identification_rates(
    outcomes: Sequence[ProbeOutcome],
    gallery: int,
    candidates: int,
    penetrations: Sequence[float] = (0.001, 0.01, 0.05, 0.1),
) -> IdentificationRates:
    """Rank-1, rank-10 and pre-selection hit rates of identification probes.

    :param outcomes: one per probe; failures to acquire carry ``None`` ranks and count as misses.
    :param gallery: enrolled fingers searched.
    :param candidates: fingers the pre-selection passes on (its operating point).
    :param penetrations: fractions of the gallery at which to report the hit rate.
    """
    if not outcomes:
        raise ValueError("need at least one probe")
    if gallery <= 0:
        raise ValueError("the gallery is empty")
    total = len(outcomes)

    def share(limit: float, ranks: Sequence[int | None]) -> float:
        return sum(r is not None and r < limit for r in ranks) / total

    final = [o.rank for o in outcomes]
    pre = [o.preselection_rank for o in outcomes]
    return IdentificationRates(
        probes=total,
        gallery=gallery,
        rank1=share(1, final),
        rank10=share(10, final),
        candidates=candidates,
        preselected=share(candidates, pre),
        hit_rates=tuple((p, share(max(1.0, p * gallery), pre)) for p in penetrations),
        median_seconds=float(np.median([o.seconds for o in outcomes])),
    )
