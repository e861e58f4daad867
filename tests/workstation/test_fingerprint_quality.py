from __future__ import annotations

import numpy as np
import pytest

from workstation.captures import Finger, FingerCapture, FingerException
from workstation.fingerprint.quality import (
    FingerIssue,
    FingerQualityPolicy,
    alteration_signals,
    assess,
)
from workstation.fingerprint.template import FingerTemplate

L, R = Finger.LEFT_INDEX, Finger.RIGHT_INDEX
POLICY = FingerQualityPolicy(min_quality=40)


def cap(
    finger: Finger, quality: int | None = 60, exc: FingerException | None = None
) -> FingerCapture:
    if exc is not None:
        return FingerCapture(finger, None, "", None, exc)
    return FingerCapture(finger, b"png", "image/png", quality)


@pytest.mark.parametrize(
    ("captures", "complete", "acceptable", "retry", "exceptions"),
    [
        ([cap(L), cap(R)], True, True, (), ()),
        ([cap(L, 39), cap(R)], True, False, (L,), ()),
        ([cap(L, 40), cap(R, 41)], True, True, (), ()),
        ([cap(L)], False, False, (), ()),
        ([cap(L), cap(R), cap(R)], False, False, (), ()),
        ([cap(L), cap(R), cap(Finger.LEFT_THUMB)], False, False, (), ()),
        ([cap(L, exc=FingerException.INJURED), cap(R)], True, True, (), (L,)),
    ],
)
def test_assess(
    captures: list[FingerCapture],
    complete: bool,
    acceptable: bool,
    retry: tuple[Finger, ...],
    exceptions: tuple[Finger, ...],
) -> None:
    result = assess(captures, [L, R], POLICY)
    assert (result.complete, result.acceptable) == (complete, acceptable)
    assert result.retry == retry
    assert result.exceptions == exceptions


def test_exceptions_can_be_forbidden_by_policy() -> None:
    strict = FingerQualityPolicy(min_quality=40, allow_exceptions=False)
    result = assess([cap(L, exc=FingerException.MISSING), cap(R)], [L, R], strict)
    assert result.complete and not result.acceptable
    finding = next(f for f in result.findings if f.finger is L)
    assert FingerIssue.EXCEPTION in finding.issues


def test_missing_capture_is_reported_per_finger() -> None:
    result = assess([cap(R)], [L, R], POLICY)
    assert result.findings[0].issues == (FingerIssue.MISSING_CAPTURE,)


@pytest.mark.parametrize("workflow", ["enrolment", "verification"])
def test_recommended_policies(workflow: str) -> None:
    assert 0 < FingerQualityPolicy.recommended(workflow).min_quality <= 100


def test_unknown_workflow() -> None:
    with pytest.raises(ValueError, match="unknown workflow"):
        FingerQualityPolicy.recommended("picnic")


def _natural(seed: int = 0) -> FingerTemplate:
    # minutiae on a jittered grid about 35 px apart: natural ridge-detail density
    rng = np.random.default_rng(seed)
    gx, gy = np.meshgrid(np.arange(40, 280, 35), np.arange(40, 380, 35))
    pts = np.column_stack([gx.ravel(), gy.ravel()]) + rng.normal(0, 4, (gx.size, 2))
    return FingerTemplate(np.column_stack([pts, rng.uniform(0, 6.28, len(pts))]))


def _scarred(seed: int = 0) -> FingerTemplate:
    # a scar: a line of facing minutia pairs (ridges cut across)
    base = _natural(seed).minutiae
    xs = np.arange(60, 240, 8.0)
    top = np.column_stack([xs, np.full_like(xs, 200.0), np.full_like(xs, np.pi / 2)])
    bottom = np.column_stack([xs, np.full_like(xs, 206.0), np.full_like(xs, -np.pi / 2)])
    return FingerTemplate(np.vstack([base, top, bottom]))


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_alteration_warning(seed: int) -> None:
    assert not alteration_signals(_natural(seed), nfiq2=70).suspect
    scarred = alteration_signals(_scarred(seed), nfiq2=70)
    assert scarred.suspect
    assert scarred.opposed_pairs > 0.25
    # the same clutter on a very poor impression is explained by quality, not alteration
    assert not alteration_signals(_scarred(seed), nfiq2=10).suspect
