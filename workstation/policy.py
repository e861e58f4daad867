"""Operational policy: thresholds and rules, loaded from the database (never user preferences)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Policy:
    """The rules a workstation applies. Defaults are the shipped policy; the database overrides.

    :param name_match_threshold: minimum name similarity (0..1) for a biographic watchlist hit.
    :param birth_date_tolerance_days: a watchlist date of birth within this many days matches.
    :param watchlist_warn_hours: a watchlist older than this shows a warning.
    :param watchlist_block_hours: a watchlist older than this blocks decisions.
    :param max_failed_logins: failed logins before the account locks.
    :param lockout_minutes: how long a locked account stays locked.
    :param idle_lock_minutes: inactivity before the screen locks.
    :param permit_with_open_hits: whether an inspector may permit landing while a
        refuse- or refer-level watchlist hit is unresolved (False: refer instead).
    :param bac_allowed: whether e-passports may be read with BAC when PACE is unavailable.
    :param face_target_fmr: the false-match rate the face 1:1 threshold is set for
        (0.05 %, the EU Entry/Exit System's requirement).
    :param permit_with_face_mismatch: whether a permit may be recorded when the live face
        does not match the document photo (False: refer instead).
    :param face_watchlist_fmr: the false-match rate per comparison the face 1:N watchlist
        threshold is set for; a search over N references has about N times this chance of
        a false candidate, so it is far below the 1:1 rate.
    :param finger_watchlist_threshold: the 1:1 finger matcher's similarity at or above which
        a watchlist finger is a candidate (see docs/fingerprints.md for the score scale).
    :param watchlist_candidates: the most candidates a 1:N search shows per modality.
    :param landing_finger_min_quality: the lowest quality (NFIQ 2 scale, 0-100) a booth
        finger capture must reach; below it the capture panel asks for a retake or an
        exception (missing, injured, unusable).
    :param landing_finger_attempts: captures of one finger after which the panel suggests
        recording it as unusable instead of trying again.
    """

    name_match_threshold: float = 0.85
    birth_date_tolerance_days: int = 366
    watchlist_warn_hours: int = 24
    watchlist_block_hours: int = 72
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    idle_lock_minutes: int = 5
    permit_with_open_hits: bool = False
    bac_allowed: bool = True
    retention_days: int = 90
    face_target_fmr: float = 0.0005
    permit_with_face_mismatch: bool = False
    face_watchlist_fmr: float = 0.0001
    finger_watchlist_threshold: float = 0.05
    watchlist_candidates: int = 5
    landing_finger_min_quality: int = 30
    landing_finger_attempts: int = 2

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> Policy:
        """Build a policy from stored pairs; unknown keys or wrong types raise ValueError."""
        fields = {f.name: f for f in dataclasses.fields(cls)}
        kwargs: dict[str, Any] = {}
        for key, value in values.items():
            if key not in fields:
                raise ValueError(f"unknown policy key: {key}")
            default = getattr(cls, key)
            expected = type(default)
            if expected is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if type(value) is not expected:
                raise ValueError(f"policy {key} must be {expected.__name__}")
            kwargs[key] = value
        policy = cls(**kwargs)
        if not 0.0 < policy.name_match_threshold <= 1.0:
            raise ValueError("name_match_threshold must be in (0, 1]")
        if not 0.0 < policy.face_target_fmr < 0.5:
            raise ValueError("face_target_fmr must be in (0, 0.5)")
        if not 0.0 < policy.face_watchlist_fmr < 0.5:
            raise ValueError("face_watchlist_fmr must be in (0, 0.5)")
        if policy.watchlist_candidates < 1:
            raise ValueError("watchlist_candidates must be at least 1")
        if not 0 <= policy.landing_finger_min_quality <= 100:
            raise ValueError("landing_finger_min_quality must be in [0, 100]")
        if policy.landing_finger_attempts < 1:
            raise ValueError("landing_finger_attempts must be at least 1")
        if policy.watchlist_block_hours < policy.watchlist_warn_hours:
            raise ValueError("watchlist_block_hours must not be below watchlist_warn_hours")
        return policy

    def as_mapping(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
