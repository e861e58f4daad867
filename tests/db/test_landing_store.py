"""The landing workflow over the real SQLite store (tier 1: no Qt, no hardware)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from sqlite_utils import Database

from db import audit_trail
from db.store import SqliteInspectionStore, SqliteOperators, SqliteWatchlist
from devices.documents.fake import SimulatedDocumentReader
from devices.fingerprint.fake import SimulatedFingerprintScanner
from tests.conftest import FakeClock
from workstation.captures import FaceCapture, Finger
from workstation.cases import LandingState, Workflow
from workstation.decisions import Decision, DecisionKind
from workstation.errors import (
    CaseNotFound,
    InvalidTransition,
    PolicyViolation,
    WatchlistStale,
)
from workstation.landing import LandingExamination
from workstation.watchlist import HitKind, WatchlistAction

PERMIT = Decision(DecisionKind.PERMIT_LANDING, "TEMPORARY_VISITOR", "P90D")
CLEAN, WATCHLIST_DOC, WATCHLIST_NAME, STOLEN = 0, 1, 2, 3


@pytest.fixture
def parts(demo_db: Database, clock: FakeClock):  # type: ignore[no-untyped-def]
    operators = SqliteOperators(demo_db, clock)
    found = operators.find("inspector")
    assert found is not None
    return (
        SqliteInspectionStore(demo_db, clock),
        SqliteWatchlist(demo_db, clock),
        clock,
        operators.load_policy(),
        found[0],
    )


def _face(clock: FakeClock) -> FaceCapture:
    return FaceCapture(b"\x89PNG-face", "image/png", 640, 480, clock.now())


def _through_checks(parts, specimen: int) -> LandingExamination:  # type: ignore[no-untyped-def]
    store, watchlist, clock, policy, operator = parts
    exam = LandingExamination.start(store, watchlist, clock, policy, operator, training=True)
    reader = SimulatedDocumentReader(today=clock.now().date())
    reader.select(specimen)
    exam.read_document(reader)
    exam.record_face(_face(clock))
    exam.capture_fingerprints(SimulatedFingerprintScanner())
    assert exam.state is LandingState.CHECKS
    exam.run_checks()
    return exam


def test_clean_case_is_stored_with_audit_and_outbox(parts, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    exam = _through_checks(parts, CLEAN)
    assert exam.case.checks is not None and exam.case.checks.hits == ()
    record = exam.decide(PERMIT)
    assert record.training and record.watchlist_version == 1

    stored = parts[0].load_case(exam.case.case_id)
    assert stored.state is LandingState.CLOSED
    assert stored.decision == record
    assert stored.document == exam.case.document
    assert stored.face == exam.case.face
    assert [f.finger for f in stored.fingers] == [Finger.RIGHT_INDEX, Finger.LEFT_INDEX]

    actions = [e.action for e in audit_trail.entries(demo_db, exam.case.case_id)]
    assert actions == [
        "case.opened",
        "document.recorded",
        "face.captured",
        "fingers.captured",
        "checks.completed",
        "decision.recorded",
    ]
    assert audit_trail.verify(demo_db).ok
    outbox = list(demo_db.query("SELECT item_type, item_id, status FROM outbox"))
    assert outbox == [{"item_type": "decision", "item_id": exam.case.case_id, "status": "queued"}]


@pytest.mark.parametrize(
    ("specimen", "kind", "action"),
    [
        (WATCHLIST_DOC, HitKind.DOCUMENT_NUMBER, WatchlistAction.REFUSE),
        (WATCHLIST_NAME, HitKind.BIOGRAPHIC, WatchlistAction.REFER),
        (STOLEN, HitKind.LOST_STOLEN_DOCUMENT, WatchlistAction.REFER),
    ],
)
def test_hits_block_a_permit_but_allow_referral(parts, specimen, kind, action) -> None:  # type: ignore[no-untyped-def]
    exam = _through_checks(parts, specimen)
    assert exam.case.checks is not None
    assert (exam.case.checks.hits[0].kind, exam.case.checks.hits[0].action) == (kind, action)
    with pytest.raises(PolicyViolation):
        exam.decide(PERMIT)
    assert exam.state is LandingState.DECISION  # nothing recorded by the refused attempt
    exam.decide(Decision(DecisionKind.REFER_SECONDARY, reason_code="R-WATCHLIST"))
    assert exam.state is LandingState.CLOSED


def test_stale_watchlist_blocks_decisions(parts) -> None:  # type: ignore[no-untyped-def]
    exam = _through_checks(parts, CLEAN)
    parts[2].advance(hours=parts[3].watchlist_block_hours + 1)
    with pytest.raises(WatchlistStale):
        exam.decide(PERMIT)


def test_restart_resumes_the_open_case(parts) -> None:  # type: ignore[no-untyped-def]
    store, watchlist, clock, policy, operator = parts
    exam = LandingExamination.start(store, watchlist, clock, policy, operator, training=True)
    exam.read_document(SimulatedDocumentReader(today=clock.now().date()))
    exam.record_face(_face(clock))
    # "Restart": a new workflow object from what the store holds.
    (open_case,) = store.open_cases(Workflow.LANDING)
    resumed = LandingExamination.resume(
        open_case.case_id, store, watchlist, clock, policy, operator
    )
    assert resumed.state is LandingState.FINGERPRINTS
    assert resumed.case.face == exam.case.face
    resumed.capture_fingerprints(SimulatedFingerprintScanner())
    resumed.run_checks()
    resumed.decide(PERMIT)
    assert store.open_cases(Workflow.LANDING) == []
    with pytest.raises(InvalidTransition):
        LandingExamination.resume(open_case.case_id, store, watchlist, clock, policy, operator)


def test_steps_out_of_order_are_refused(parts) -> None:  # type: ignore[no-untyped-def]
    store, watchlist, clock, policy, operator = parts
    exam = LandingExamination.start(store, watchlist, clock, policy, operator, training=False)
    with pytest.raises(InvalidTransition):
        exam.record_face(_face(clock))
    with pytest.raises(InvalidTransition):
        exam.run_checks()
    with pytest.raises(InvalidTransition):
        exam.decide(PERMIT)


def test_rereading_the_document_clears_checks(parts) -> None:  # type: ignore[no-untyped-def]
    exam = _through_checks(parts, WATCHLIST_DOC)
    reader = SimulatedDocumentReader(today=parts[2].now().date())
    reader.select(CLEAN)
    exam.read_document(reader)
    assert exam.case.checks is None and exam.state is LandingState.CHECKS
    assert exam.run_checks().hits == ()


def test_unknown_case(parts) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CaseNotFound):
        parts[0].load_case("nope")


def test_expired_document_cannot_be_permitted(parts) -> None:  # type: ignore[no-untyped-def]
    store, watchlist, clock, policy, operator = parts
    exam = LandingExamination.start(store, watchlist, clock, policy, operator, training=True)
    document = SimulatedDocumentReader(today=clock.now().date()).document(CLEAN)
    exam.record_document(dataclasses.replace(document, expiry_date=dt.date(2020, 1, 1)))
    exam.record_face(_face(clock))
    exam.capture_fingerprints(SimulatedFingerprintScanner(missing=[Finger.LEFT_INDEX]))
    outcome = exam.run_checks()
    assert outcome.document_expired
    with pytest.raises(PolicyViolation):
        exam.decide(PERMIT)
    stored = store.load_case(exam.case.case_id)
    assert stored.fingers[1].exception is not None


def test_history_lists_cases(parts, demo_db: Database) -> None:  # type: ignore[no-untyped-def]
    _through_checks(parts, CLEAN).decide(PERMIT)
    (summary,) = parts[0].recent_cases()
    assert summary.decision is DecisionKind.PERMIT_LANDING
    assert summary.traveller == "ERIKSSON, ANNA MARIA"
    payloads = [json.loads(e.payload) for e in audit_trail.entries(demo_db)]
    assert not any("ERIKSSON" in json.dumps(p) for p in payloads)  # no personal data in audit
