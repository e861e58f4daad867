"""The chip's verdict travels with the document and a failed chip blocks a permit."""

from __future__ import annotations

import pytest
from sqlite_utils import Database

from db.store import SqliteInspectionStore
from devices.documents.fake import SPECIMENS, SimulatedDocumentReader
from devices.fingerprint.fake import SimulatedFingerprintScanner
from tests.conftest import FakeClock
from tests.db.conftest import start_landing
from workstation.captures import FaceCapture
from workstation.decisions import Decision, DecisionKind
from workstation.errors import PolicyViolation

FORGED = next(i for i, s in enumerate(SPECIMENS) if s.purpose == "forged chip")
BAC = next(i for i, s in enumerate(SPECIMENS) if s.purpose == "BAC only")


@pytest.mark.parametrize(("specimen", "permitted"), [(0, True), (BAC, True), (FORGED, False)])
def test_chip_verdict_and_permit(
    demo_db: Database, clock: FakeClock, specimen: int, permitted: bool
) -> None:
    store = SqliteInspectionStore(demo_db, clock)
    exam = start_landing(demo_db, clock)
    reader = SimulatedDocumentReader(today=clock.now().date())
    reader.select(specimen)
    document = exam.read_document(reader)
    assert document.chip_rejected is (not permitted)
    exam.record_face(FaceCapture(b"face", "image/png", 1, 1, clock.now()))
    exam.capture_fingerprints(SimulatedFingerprintScanner())
    exam.run_checks()
    stored = store.load_case(exam.case.case_id).document
    assert stored is not None
    assert (stored.chip_verdict, stored.chip_access) == (
        document.chip_verdict,
        document.chip_access,
    )
    permit = Decision(DecisionKind.PERMIT_LANDING, "TEMPORARY_VISITOR", "P90D")
    if permitted:
        exam.decide(permit)
    else:
        with pytest.raises(PolicyViolation):
            exam.decide(permit)
        exam.decide(Decision(DecisionKind.REFER_SECONDARY, reason_code="R-DOCUMENT"))


def test_landing_refusal_policy_list_hit(demo_db: Database, clock: FakeClock) -> None:
    """A nationality on a landing-restriction list is a hit at the landing checks."""
    demo_db.execute(
        "INSERT INTO watchlist_policy_lists (list, code, action, note) "
        "VALUES ('nationality', 'UTO', 'refer', 'entry restriction')"
    )
    demo_db.conn.commit()
    exam = start_landing(demo_db, clock)
    reader = SimulatedDocumentReader(today=clock.now().date())
    exam.read_document(reader)
    exam.record_face(FaceCapture(b"face", "image/png", 1, 1, clock.now()))
    exam.capture_fingerprints(SimulatedFingerprintScanner())
    hits = exam.run_checks().hits
    assert [h.kind.value for h in hits] == ["policy_list"]
    with pytest.raises(PolicyViolation):
        exam.decide(Decision(DecisionKind.PERMIT_LANDING, "TEMPORARY_VISITOR", "P90D"))
