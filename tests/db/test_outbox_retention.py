"""Retention: closed, delivered cases past the period are purged; the rest stay."""

from __future__ import annotations

import dataclasses

from db.retention import purge_closed_cases
from db.store import SqliteInspectionStore, SqliteOperators, SqliteWatchlist
from devices.documents.fake import SimulatedDocumentReader
from devices.fingerprint.fake import SimulatedFingerprintScanner
from tests.conftest import FakeClock
from workstation.captures import FaceCapture
from workstation.decisions import Decision, DecisionKind
from workstation.landing import LandingExamination


def test_purge_after_retention_period(demo_db, clock: FakeClock) -> None:  # type: ignore[no-untyped-def]
    operators = SqliteOperators(demo_db, clock)
    inspector = operators.find("inspector")
    assert inspector is not None
    policy = dataclasses.replace(operators.load_policy(), retention_days=30)
    store = SqliteInspectionStore(demo_db, clock)
    ids = []
    for _ in range(2):
        exam = LandingExamination.start(
            store, SqliteWatchlist(demo_db, clock), clock, policy, inspector[0], training=True
        )
        reader = SimulatedDocumentReader()
        reader.select(4)
        exam.read_document(reader)
        exam.record_face(FaceCapture(b"\x89PNG" + bytes(100), "image/png", 1, 1, clock.now()))
        exam.capture_fingerprints(SimulatedFingerprintScanner())
        exam.run_checks()
        exam.decide(Decision(DecisionKind.PERMIT_LANDING, "TEMPORARY_VISITOR", "P90D"))
        ids.append(exam.case.case_id)
    demo_db.execute("UPDATE outbox SET status = 'acknowledged' WHERE item_id = ?", [ids[0]])
    demo_db.conn.commit()
    assert purge_closed_cases(demo_db, clock, policy, "admin") == 0  # too recent
    clock.advance(days=31)
    assert purge_closed_cases(demo_db, clock, policy, "admin") == 1  # the undelivered stays
    remaining = [r[0] for r in demo_db.execute("SELECT case_id FROM cases")]
    assert remaining == [ids[1]]
    assert (
        demo_db.execute("SELECT count(*) FROM captures WHERE case_id = ?", [ids[0]]).fetchone()[0]
        == 0
    )
