"""Split-half (held-out) error rates."""

from __future__ import annotations

import numpy as np
import pytest

from workstation.face import held_out_rates


def four_people() -> tuple[np.ndarray, list[str]]:
    """Two samples each of A, B, C, D. Genuine pairs score 0.9, except D's (0.3); impostor
    pairs score 0, except A against B (0.5)."""
    labels = [p for p in "ABCD" for _ in range(2)]
    scores = np.zeros((8, 8))
    for i, a in enumerate(labels):
        for j, b in enumerate(labels):
            if a == b:
                scores[i, j] = 0.3 if a == "D" else 0.9
            elif {a, b} == {"A", "B"}:
                scores[i, j] = 0.5
    return scores, labels


def test_held_out_rates_match_the_halvings_worked_out_by_hand() -> None:
    scores, labels = four_people()
    rates = held_out_rates(scores, labels, 0.0, splits=3000, seed=1)
    # Three halvings, each measured both ways. {A,B} trains a threshold above 0.5, which
    # rejects D's pair (FNMR 1/2 on {C,D}); {C,D} trains one just above 0, which accepts
    # A against B (FMR 1 on {A,B}). The other four measurements make no error.
    assert rates.fnmr_mean == pytest.approx(1 / 12, abs=0.01)
    assert rates.fmr_mean == pytest.approx(1 / 6, abs=0.02)
    assert rates.fnmr_low == 0.0 and rates.fnmr_high == 0.5
    assert rates.splits == 3000 and rates.target_fmr == 0.0


def test_held_out_rates_do_not_depend_on_sample_order() -> None:
    scores, labels = four_people()
    order = np.random.default_rng(3).permutation(8)
    shuffled = scores[np.ix_(order, order)]
    a = held_out_rates(scores, labels, 0.0, seed=5)
    b = held_out_rates(shuffled, [labels[n] for n in order], 0.0, seed=5)
    assert a == b


def test_held_out_rates_refuse_too_few_people() -> None:
    scores, labels = four_people()
    with pytest.raises(ValueError):
        held_out_rates(scores[:6, :6], labels[:6], 0.001)
    with pytest.raises(ValueError):
        held_out_rates(scores, labels[:7], 0.001)
