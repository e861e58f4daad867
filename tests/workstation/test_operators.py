from __future__ import annotations

import datetime as dt

import pytest

from workstation.operators import LoginState, hash_password, verify_password
from workstation.policy import Policy


def test_password_roundtrip_and_salting() -> None:
    stored = hash_password("correct horse", n=2**10)
    assert verify_password("correct horse", stored)
    assert not verify_password("correct hors", stored)
    assert stored != hash_password("correct horse", n=2**10)


@pytest.mark.parametrize("stored", ["", "md5$abc", "scrypt$1$2"])
def test_malformed_hash_never_verifies(stored: str) -> None:
    assert not verify_password("x", stored)


def test_lockout_after_policy_limit() -> None:
    policy = Policy(max_failed_logins=3, lockout_minutes=10)
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    state = LoginState()
    for remaining in (2, 1):
        state = state.after_failure(now, policy)
        assert state.remaining_attempts(policy) == remaining
        assert not state.is_locked(now)
    state = state.after_failure(now, policy)
    assert state.is_locked(now + dt.timedelta(minutes=9))
    assert not state.is_locked(now + dt.timedelta(minutes=10))


@pytest.mark.parametrize(
    "values",
    [
        {"nope": 1},
        {"max_failed_logins": "5"},
        {"name_match_threshold": 0},
        {"watchlist_warn_hours": 10, "watchlist_block_hours": 5},
        {"bac_allowed": 1},
    ],
)
def test_policy_rejects_bad_values(values: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        Policy.from_mapping(values)


def test_policy_roundtrip() -> None:
    policy = Policy(name_match_threshold=0.9, idle_lock_minutes=3)
    assert Policy.from_mapping(policy.as_mapping()) == policy
    assert Policy.from_mapping({"name_match_threshold": 1}).name_match_threshold == 1.0
