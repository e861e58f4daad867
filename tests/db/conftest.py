"""Helpers for tests that run landing cases on the real store."""

from __future__ import annotations

from sqlite_utils import Database

from db.store import SqliteInspectionStore, SqliteOperators, SqliteWatchlist
from tests.conftest import FakeClock
from workstation.face.verification import FaceVerifier
from workstation.landing import LandingExamination
from workstation.watchlist_biometrics import BiometricScreen


def start_landing(
    db: Database,
    clock: FakeClock,
    *,
    training: bool = True,
    face: FaceVerifier | None = None,
    biometrics: BiometricScreen | None = None,
) -> LandingExamination:
    """A new landing case by the demo inspector, under the stored policy."""
    operators = SqliteOperators(db, clock)
    found = operators.find("inspector")
    assert found is not None, "the demo database has an inspector"
    return LandingExamination.start(
        SqliteInspectionStore(db, clock),
        SqliteWatchlist(db, clock),
        clock,
        operators.load_policy(),
        found[0],
        training=training,
        face=face,
        biometrics=biometrics,
    )
