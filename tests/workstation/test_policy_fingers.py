"""The booth's finger capture thresholds live in the operational policy."""

from __future__ import annotations

import pytest

from workstation.policy import Policy


def test_defaults_are_the_verification_starting_values() -> None:
    policy = Policy()
    assert (policy.landing_finger_min_quality, policy.landing_finger_attempts) == (30, 2)


def test_stored_values_are_used() -> None:
    policy = Policy.from_mapping({"landing_finger_min_quality": 45, "landing_finger_attempts": 3})
    assert (policy.landing_finger_min_quality, policy.landing_finger_attempts) == (45, 3)


@pytest.mark.parametrize(
    "values",
    [
        {"landing_finger_min_quality": 101},
        {"landing_finger_min_quality": -1},
        {"landing_finger_min_quality": 40.5},
        {"landing_finger_attempts": 0},
    ],
)
def test_out_of_range_values_are_refused(values: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Policy.from_mapping(values)
