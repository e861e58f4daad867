from __future__ import annotations

import datetime as dt

from sqlite_utils import Database

from db.statistics import booth_statistics
from devices.documents.fake import SimulatedDocumentReader
from devices.fingerprint.fake import SimulatedFingerprintScanner
from tests.conftest import FakeClock
from tests.db.conftest import start_landing
from workstation.captures import FaceCapture
from workstation.decisions import Decision, DecisionKind


def _case(db: Database, clock: FakeClock, *, training: bool, minutes: float, decide: bool) -> None:
    exam = start_landing(db, clock, training=training)
    reader = SimulatedDocumentReader(today=clock.now().date())
    reader.select(4)
    exam.read_document(reader)
    exam.record_face(FaceCapture(b"f", "image/png", 1, 1, clock.now()))
    exam.capture_fingerprints(SimulatedFingerprintScanner())
    exam.run_checks()
    clock.advance(minutes=minutes)
    if decide:
        exam.decide(Decision(DecisionKind.PERMIT_LANDING, "TEMPORARY_VISITOR", "P90D"))


def test_figures_leave_training_out(demo_db: Database, clock: FakeClock) -> None:
    start = clock.now()
    _case(demo_db, clock, training=False, minutes=1, decide=True)
    _case(demo_db, clock, training=False, minutes=3, decide=True)
    _case(demo_db, clock, training=True, minutes=9, decide=True)
    _case(demo_db, clock, training=False, minutes=1, decide=False)
    stats = booth_statistics(demo_db, start, start + dt.timedelta(days=1))
    assert stats.decided == {DecisionKind.PERMIT_LANDING: 2}
    assert stats.total == 2
    assert stats.median_seconds == 120.0
    assert stats.open_cases == 1
    empty = booth_statistics(demo_db, start - dt.timedelta(days=2), start - dt.timedelta(days=1))
    assert (empty.total, empty.median_seconds, empty.p90_seconds) == (0, None, None)
