from __future__ import annotations

import math

import numpy as np
import pytest

from tests.workstation.test_fingerprint_matching import moved, random_template
from workstation.fingerprint import evaluation, mcc, synthetic
from workstation.fingerprint.template import FingerTemplate


def test_fvc_identification_split() -> None:
    names = ["102_3", "101_1", "101_2", "102_1", "101_8", "readme", "103_2"]
    enrolled, probes = evaluation.fvc_identification_split(names)
    # the lowest impression of each finger is enrolled, even when it is not "_1"
    assert enrolled == {"101": "101_1", "102": "102_1", "103": "103_2"}
    assert probes == {"101_2": "101", "101_8": "101", "102_3": "102"}


def test_identification_rates_count_misses_and_penetration() -> None:
    outcomes = [
        evaluation.ProbeOutcome("a", 0, 0, 0.1),
        evaluation.ProbeOutcome("b", 3, 40, 0.3),
        evaluation.ProbeOutcome("c", None, 700, 0.2),
        evaluation.ProbeOutcome("d", None, None),  # failure to acquire
    ]
    r = evaluation.identification_rates(
        outcomes, gallery=1000, candidates=500, penetrations=(0.01, 0.1)
    )
    assert (r.probes, r.gallery, r.candidates) == (4, 1000, 500)
    assert r.rank1 == 0.25
    assert r.rank10 == 0.5
    assert r.preselected == 0.5
    assert r.hit_rates == ((0.01, 0.25), (0.1, 0.5))
    assert r.median_seconds == pytest.approx(0.15)
    with pytest.raises(ValueError, match="probe"):
        evaluation.identification_rates([], 10, 5)
    with pytest.raises(ValueError, match="empty"):
        evaluation.identification_rates(outcomes, 0, 5)


@pytest.fixture(scope="module")
def donors() -> list[FingerTemplate]:
    return [random_template(30 + 5 * s, seed=s) for s in range(4)]


def test_model_fingers_follow_their_donors(donors: list[FingerTemplate]) -> None:
    fingers = synthetic.model_fingers(donors, 40, seed=5)
    assert len(fingers) == 40
    counts = {len(d) for d in donors}
    lo, hi = min(counts) * 0.85 - 1, max(counts) * 1.15 + 1
    for f in fingers:
        assert lo <= len(f) <= hi
        assert (f.width, f.height) == (300, 400)
        gaps = np.hypot(*(f.minutiae[:, None, :2] - f.minutiae[None, :, :2]).transpose(2, 0, 1))
        np.fill_diagonal(gaps, np.inf)
        assert gaps.min() >= 8.0
        # inside the donors' area (random_template draws x in 40-260, y in 40-360)
        assert f.minutiae[:, 0].min() >= 40 and f.minutiae[:, 0].max() <= 260
        assert f.minutiae[:, 1].min() >= 40 and f.minutiae[:, 1].max() <= 360
    again = synthetic.model_fingers(donors, 40, seed=5)
    assert all(np.array_equal(a.minutiae, b.minutiae) for a, b in zip(fingers, again, strict=True))
    # a smaller draw with the same seed is a prefix of a larger one (cached chunks rely on it)
    prefix = synthetic.model_fingers(donors, 7, seed=5)
    assert all(
        np.array_equal(a.minutiae, b.minutiae) for a, b in zip(prefix, fingers[:7], strict=True)
    )


def test_model_fingers_are_new_identities(donors: list[FingerTemplate]) -> None:
    fingers = synthetic.model_fingers(donors[:1], 5, seed=2)
    mate = mcc.match_templates(donors[0], moved(donors[0], 0.3, 10, -5, drop=0.1, jitter=1.0))
    for f in fingers:
        assert mcc.match_templates(donors[0], f) < mate / 3


def test_ridge_orientation_of_a_loop_turns_around_its_core() -> None:
    # half a turn around a lone core: the zero-pole model's signature
    around = np.array([[10.0, 0.0], [0.0, 10.0], [-10.0, 0.0], [0.0, -10.0]])
    theta = synthetic.ridge_orientation(around, cores=[0j], deltas=[])
    steps = np.diff(np.unwrap(2 * theta)) / 2
    assert np.allclose(steps, math.pi / 4)


def test_model_fingers_need_usable_donors() -> None:
    tiny = FingerTemplate(np.array([[10.0, 10.0, 0.0]]))
    with pytest.raises(ValueError, match="donor"):
        synthetic.model_fingers([tiny], 3)
    with pytest.raises(ValueError, match="donor"):
        synthetic.model_finger(np.random.default_rng(0), tiny)
