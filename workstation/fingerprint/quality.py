"""Quality gates for finger captures, and the altered-fingerprint warning.

Thresholds come from the caller's policy (a :class:`FingerQualityPolicy` per workflow);
nothing here decides what is good enough on its own. :meth:`FingerQualityPolicy.recommended`
gives the starting values documented in ``docs/fingerprints.md`` for the policy loader.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, unique

import numpy as np

from workstation.captures import Finger, FingerCapture, FingerException
from workstation.fingerprint.template import DEFAULT_RESOLUTION_PPCM, FingerTemplate

logger = logging.getLogger(__name__)


@unique
class FingerIssue(Enum):
    """Stable codes of per-finger findings (``ui/messages.py`` turns them into text)."""

    LOW_QUALITY = "FP-QUALITY-LOW"
    EXCEPTION = "FP-EXCEPTION"
    MISSING_CAPTURE = "FP-NOT-CAPTURED"
    UNEXPECTED = "FP-UNEXPECTED"
    DUPLICATE = "FP-DUPLICATE"
    ALTERED_SUSPECT = "FP-ALTERED-SUSPECT"


@dataclass(frozen=True)
class FingerQualityPolicy:
    """Quality rules of one workflow.

    :param min_quality: lowest acceptable NFIQ 2 score (0-100) per finger.
    :param max_attempts: captures per finger before the operator may accept the best one.
    :param allow_exceptions: whether missing/injured fingers may be declared in this workflow.
    """

    min_quality: int
    max_attempts: int = 3
    allow_exceptions: bool = True

    @classmethod
    def recommended(cls, workflow: str) -> FingerQualityPolicy:
        """Starting values: enrolment 40, verification 30 (NFIQ 2 scale).

        :param workflow: ``"enrolment"`` or ``"verification"``.
        """
        if workflow == "enrolment":
            return cls(min_quality=40, max_attempts=3)
        if workflow == "verification":
            return cls(min_quality=30, max_attempts=2)
        raise ValueError(f"unknown workflow {workflow!r}")


@dataclass(frozen=True)
class FingerFinding:
    """What the gate found for one finger (``issues`` empty = fine)."""

    finger: Finger
    quality: int | None
    exception: FingerException | None
    issues: tuple[FingerIssue, ...] = ()


@dataclass(frozen=True)
class QualityAssessment:
    """The gate's verdict for one capture set.

    :param complete: every requested finger is there exactly once, captured or declared.
    :param acceptable: complete, and every captured finger meets the threshold.
    :param exceptions: fingers declared missing/injured/unusable (shown everywhere).
    :param retry: captured fingers below the threshold, to capture again.
    """

    findings: tuple[FingerFinding, ...]
    complete: bool
    acceptable: bool
    exceptions: tuple[Finger, ...]
    retry: tuple[Finger, ...]


def assess(
    captures: Sequence[FingerCapture],
    requested: Sequence[Finger],
    policy: FingerQualityPolicy,
) -> QualityAssessment:
    """Check the exact finger count, exceptions and per-finger quality.

    :param captures: what the scanner returned.
    :param requested: the fingers the workflow asked for.
    :param policy: this workflow's thresholds.
    """
    by_finger: dict[Finger, list[FingerCapture]] = {}
    for c in captures:
        by_finger.setdefault(c.finger, []).append(c)
    findings: list[FingerFinding] = []
    complete = True
    acceptable = True
    retry: list[Finger] = []
    exceptions: list[Finger] = []
    for finger in requested:
        got = by_finger.get(finger, [])
        if not got:
            findings.append(FingerFinding(finger, None, None, (FingerIssue.MISSING_CAPTURE,)))
            complete = acceptable = False
            continue
        c = got[0]
        issues: list[FingerIssue] = []
        if len(got) > 1:
            issues.append(FingerIssue.DUPLICATE)
            complete = acceptable = False
        if c.exception is not None:
            issues.append(FingerIssue.EXCEPTION)
            exceptions.append(finger)
            if not policy.allow_exceptions:
                acceptable = False
        elif c.quality is None or c.quality < policy.min_quality:
            issues.append(FingerIssue.LOW_QUALITY)
            retry.append(finger)
            acceptable = False
        findings.append(FingerFinding(finger, c.quality, c.exception, tuple(issues)))
    for finger, got in by_finger.items():
        if finger not in requested:
            findings.append(
                FingerFinding(finger, got[0].quality, got[0].exception, (FingerIssue.UNEXPECTED,))
            )
            complete = acceptable = False
    return QualityAssessment(tuple(findings), complete, acceptable, tuple(exceptions), tuple(retry))


@dataclass(frozen=True)
class AlterationSignals:
    """Minutiae statistics behind the altered-fingerprint warning.

    :param peak_density: most minutiae found within a 40-pixel radius (500 dpi).
    :param opposed_pairs: share of minutiae with an opposite-facing minutia within 12 pixels
        (the broken-ridge pattern that scars and cuts leave).
    :param suspect: whether the warning should be shown.
    """

    peak_density: int
    opposed_pairs: float
    suspect: bool


def alteration_signals(
    template: FingerTemplate,
    nfiq2: int | None = None,
    density_limit: int = 14,
    opposed_limit: float = 0.25,
) -> AlterationSignals:
    """A warning heuristic for obliterated or distorted fingerprints.

    Scars, burns and cuts break ridges into many short pieces: mindtct then reports clusters
    of minutiae far denser than natural ridge detail, many of them in facing pairs. This
    flags such clusters for the operator (and secondary inspection). NOTE: it is a warning,
    not a decision: it was not validated on altered-fingerprint data, which the project does
    not have; poor-quality impressions also trigger it, so it is only raised when NFIQ 2 is
    not already explaining the clutter (``nfiq2`` above 20 or unknown).

    :param template: minutiae from the workstation's own extractor.
    :param nfiq2: the impression's NFIQ 2 score, if known.
    """
    t = template.scaled_to(DEFAULT_RESOLUTION_PPCM)
    m = t.minutiae
    if len(m) < 2:
        return AlterationSignals(len(m), 0.0, False)
    d = np.hypot(m[:, None, 0] - m[None, :, 0], m[:, None, 1] - m[None, :, 1])
    peak = int((d <= 40).sum(axis=1).max())
    facing = np.abs(np.mod(m[:, None, 2] - m[None, :, 2] + np.pi, 2 * np.pi) - np.pi) > 2.6
    np.fill_diagonal(d, np.inf)
    opposed = float(((d <= 12) & facing).any(axis=1).mean())
    clutter = peak > density_limit or opposed > opposed_limit
    explained = nfiq2 is not None and nfiq2 <= 20
    return AlterationSignals(peak, opposed, clutter and not explained)
