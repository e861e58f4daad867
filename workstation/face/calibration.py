"""Turning similarity scores into calibrated false-match strengths.

A :class:`CalibrationTable` maps a score to the false-match rate (FMR) the encoder showed at
that score on a documented evaluation set: the fraction of different-person pairs that
scored at least as high. It is computed by ``sekisho face evaluate DIR
--write-calibration FILE`` and one table ships as ``workstation/face/calibration.json``.

NOTE: a table cannot show rates below ``1 / impostor_count``. Scores above the highest
impostor score are reported as "rarer than" that bound, never extrapolated.
"""

from __future__ import annotations

import importlib.resources
import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, unique
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from workstation.face.evaluation import threshold_at_fmr
from workstation.face.templates import FaceTemplate, similarity

logger = logging.getLogger(__name__)

CALIBRATION_FORMAT = "sekisho-face-calibration/1"

_LEVELS_PER_DECADE = 10


@dataclass(frozen=True)
class CalibrationPoint:
    """At ``threshold``, the calibration set showed this FMR and FNMR."""

    threshold: float
    fmr: float
    fnmr: float


@dataclass(frozen=True)
class CalibrationTable:
    """Score to false-match rate, measured on one evaluation set with one encoder.

    :param source: what the set was and the command that produced the table.
    :param encoder: the encoder name the scores came from; scores of another encoder do not
        fit this table.
    :param genuine_count: number of genuine comparisons measured.
    :param impostor_count: number of impostor comparisons measured.
    :param max_impostor_score: the highest impostor score seen.
    :param points: thresholds in increasing order with the FMR and FNMR measured there.
    """

    source: str
    encoder: str
    genuine_count: int
    impostor_count: int
    max_impostor_score: float
    points: tuple[CalibrationPoint, ...]

    def __post_init__(self) -> None:
        if not self.points:
            raise ValueError("a calibration table needs at least one point")
        thresholds = [p.threshold for p in self.points]
        fmrs = [p.fmr for p in self.points]
        if thresholds != sorted(thresholds) or fmrs != sorted(fmrs, reverse=True):
            raise ValueError("calibration points must rise in threshold and fall in FMR")

    @property
    def resolution(self) -> float:
        """The smallest FMR this table can show: one impostor in ``impostor_count``."""
        return 1.0 / self.impostor_count

    @classmethod
    def from_scores(
        cls, genuine: npt.ArrayLike, impostor: npt.ArrayLike, *, source: str, encoder: str
    ) -> CalibrationTable:
        """Build a table from measured scores.

        :param genuine: same-person similarity scores.
        :param impostor: different-person similarity scores.
        :param source: description of the set and command, stored with the table.
        :param encoder: the encoder's name.
        """
        g = np.sort(np.asarray(genuine, dtype=np.float64).reshape(-1))
        i = np.sort(np.asarray(impostor, dtype=np.float64).reshape(-1))
        if g.size == 0 or i.size == 0:
            raise ValueError("calibration needs genuine and impostor scores")
        decades = math.log10(i.size)
        targets = 10.0 ** -np.arange(0.3, decades + 1e-9, 1.0 / _LEVELS_PER_DECADE)
        points: dict[float, CalibrationPoint] = {}
        for target in [*targets, 1.0 / i.size]:
            t = threshold_at_fmr(i, float(target))
            fmr = float(i.size - np.searchsorted(i, t, side="left")) / i.size
            if fmr == 0.0:
                continue
            fnmr = float(np.searchsorted(g, t, side="left")) / g.size
            points[t] = CalibrationPoint(t, fmr, fnmr)
        return cls(
            source=source,
            encoder=encoder,
            genuine_count=int(g.size),
            impostor_count=int(i.size),
            max_impostor_score=float(i[-1]),
            points=tuple(points[t] for t in sorted(points)),
        )

    def false_match_rate(self, score: float) -> tuple[float, bool]:
        """The estimated FMR of a threshold placed at ``score``.

        :param score: a similarity score.
        :returns: ``(fmr, beyond)``; ``beyond`` is ``True`` when ``score`` exceeds every
            impostor score of the set, and ``fmr`` is then the upper bound :attr:`resolution`.
        """
        if score > self.max_impostor_score:
            return self.resolution, True
        xs = np.array([p.threshold for p in self.points])
        ys = np.log10([p.fmr for p in self.points])
        if score <= xs[0]:
            return self.points[0].fmr, False
        # Interpolate log10(FMR) between measured points, which the empirical tail follows
        # closely; never beyond the last one.
        return float(10.0 ** np.interp(score, xs, ys)), False

    def threshold_for_fmr(self, target: float) -> float:
        """The lowest measured threshold whose FMR is at most ``target``.

        :param target: the false-match rate allowed, e.g. ``0.0005``.
        :raises ValueError: if ``target`` is below :attr:`resolution`, which this set cannot
            support.
        """
        if target < self.resolution:
            raise ValueError(
                f"FMR {target:g} is below what the calibration set can show ({self.resolution:g})"
            )
        for point in self.points:
            if point.fmr <= target * (1 + 1e-9):
                return point.threshold
        return self.points[-1].threshold

    def expected_fnmr(self, threshold: float) -> float:
        """FNMR measured on the calibration set at the nearest point at or below ``threshold``."""
        candidates = [p for p in self.points if p.threshold <= threshold]
        return candidates[-1].fnmr if candidates else self.points[0].fnmr

    def to_json(self) -> str:
        """Serialise (the shipped ``calibration.json`` format)."""
        doc: dict[str, Any] = {
            "format": CALIBRATION_FORMAT,
            "source": self.source,
            "encoder": self.encoder,
            "similarity": "cosine of unit templates; higher means more alike",
            "genuine_count": self.genuine_count,
            "impostor_count": self.impostor_count,
            "max_impostor_score": self.max_impostor_score,
            "points": [
                {"threshold": p.threshold, "fmr": p.fmr, "fnmr": p.fnmr} for p in self.points
            ],
        }
        return json.dumps(doc, indent=1) + "\n"

    @classmethod
    def from_json(cls, text: str) -> CalibrationTable:
        """Parse :meth:`to_json` output.

        :raises ValueError: on another format or missing fields.
        """
        doc = json.loads(text)
        if not isinstance(doc, dict) or doc.get("format") != CALIBRATION_FORMAT:
            raise ValueError("not a Sekisho face calibration table")
        try:
            return cls(
                source=str(doc["source"]),
                encoder=str(doc["encoder"]),
                genuine_count=int(doc["genuine_count"]),
                impostor_count=int(doc["impostor_count"]),
                max_impostor_score=float(doc["max_impostor_score"]),
                points=tuple(
                    CalibrationPoint(float(p["threshold"]), float(p["fmr"]), float(p["fnmr"]))
                    for p in doc["points"]
                ),
            )
        except (KeyError, TypeError) as e:
            raise ValueError(f"incomplete calibration table: {e}") from e


def load_calibration(path: Path | None = None) -> CalibrationTable:
    """Load a calibration table; the one shipped in this package when ``path`` is ``None``.

    :param path: a JSON file written by ``sekisho face evaluate --write-calibration``.
    """
    if path is None:
        text = (importlib.resources.files("workstation.face") / "calibration.json").read_text(
            encoding="utf-8"
        )
    else:
        text = path.read_text(encoding="utf-8")
    return CalibrationTable.from_json(text)


def threshold_for_fmr(target: float, table: CalibrationTable | None = None) -> float:
    """The similarity threshold for a false-match rate of at most ``target``.

    :param target: e.g. ``0.0005`` for FMR 0.05 %.
    :param table: the calibration to use; the shipped one when ``None``.
    """
    return (table or load_calibration()).threshold_for_fmr(target)


_ROUND_STEPS = (1, 2, 5)


def _round_odds(one_in: float, *, down: bool) -> int:
    """Round ``one_in`` to the 1-2-5 series (nearest in log scale, or down)."""
    one_in = max(one_in, 1.0)
    candidates = [s * 10**e for e in range(0, 13) for s in _ROUND_STEPS]
    if down:
        return max(c for c in candidates if c <= one_in * (1 + 1e-9))
    return min(candidates, key=lambda c: abs(math.log10(c) - math.log10(one_in)))


@dataclass(frozen=True)
class MatchStrength:
    """A false-match rate said plainly: "about 1 in 10,000".

    :param one_in: the rate as "1 in N", rounded to 1, 2 or 5 times a power of ten.
    :param beyond_calibration: the score was higher than any different-person score in the
        calibration set, so the rate is only known to be below ``1 in one_in``.
    """

    one_in: int
    beyond_calibration: bool = False

    @classmethod
    def from_fmr(cls, fmr: float, beyond_calibration: bool = False) -> MatchStrength:
        """Round an FMR into a strength.

        :param fmr: estimated false-match rate (0, 1].
        :param beyond_calibration: ``fmr`` is an upper bound (see :class:`CalibrationTable`).
        """
        odds = 1.0 / max(fmr, 1e-12)
        return cls(_round_odds(odds, down=beyond_calibration), beyond_calibration)

    @property
    def code(self) -> str:
        """Stable code for translation: ``FMR-1IN-10000`` or ``FMR-BEYOND-1IN-50000``."""
        return f"FMR-{'BEYOND-' if self.beyond_calibration else ''}1IN-{self.one_in}"

    @property
    def text(self) -> str:
        """English text for logs and the command line (the UI translates :attr:`code`)."""
        if self.beyond_calibration:
            return f"rarer than 1 in {self.one_in:,} (beyond the calibration set)"
        return f"about 1 in {self.one_in:,}"


@unique
class MatchDecision(Enum):
    MATCH = "match"
    NO_MATCH = "no-match"


@dataclass(frozen=True)
class MatchResult:
    """The outcome of one comparison.

    :param score: cosine similarity (higher means more alike).
    :param threshold: the threshold in force.
    :param decision: ``MATCH`` when ``score >= threshold``.
    :param false_match_rate: estimated probability that a different person scores this high.
    :param strength: that rate said plainly.
    """

    score: float
    threshold: float
    decision: MatchDecision
    false_match_rate: float
    strength: MatchStrength

    @property
    def matched(self) -> bool:
        return self.decision is MatchDecision.MATCH


class FaceMatcher:
    """1:1 decisions at a threshold set from a target false-match rate.

    :param calibration: the table for the encoder in use.
    :param target_fmr: the false-match rate the threshold is set for; take it from the
        policy. NOTE: the default 0.05 % is the product requirement, not dlib's 0.6 distance.
    """

    def __init__(self, calibration: CalibrationTable, target_fmr: float = 0.0005) -> None:
        self.calibration = calibration
        self.target_fmr = target_fmr
        self.threshold = calibration.threshold_for_fmr(target_fmr)

    def assess(self, score: float) -> MatchResult:
        """Decide on a score already computed.

        :param score: cosine similarity of two templates.
        """
        fmr, beyond = self.calibration.false_match_rate(score)
        decision = MatchDecision.MATCH if score >= self.threshold else MatchDecision.NO_MATCH
        return MatchResult(
            score, self.threshold, decision, fmr, MatchStrength.from_fmr(fmr, beyond)
        )

    def verify(self, probe: FaceTemplate, reference: FaceTemplate) -> MatchResult:
        """Compare a live capture with a reference (chip, card or any photo).

        :param probe: the live template.
        :param reference: the document's template.
        """
        return self.assess(similarity(probe, reference))

    def assess_many(self, scores: Sequence[float]) -> tuple[MatchResult, ...]:
        """:meth:`assess` for each score, e.g. 1:N candidates."""
        return tuple(self.assess(float(s)) for s in scores)
