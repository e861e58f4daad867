"""Face 1:1 in the landing checks: a mismatch blocks a permit and is recorded with the checks.

The encoder here is a scripted implementation of the FaceEncoder port (the dlib encoder has
its own tests); the store is the real SQLite one.
"""

from __future__ import annotations

import numpy as np
import pytest
from sqlite_utils import Database

from db.store import SqliteInspectionStore, SqliteOperators
from devices.documents.fake import SimulatedDocumentReader
from devices.fingerprint.fake import SimulatedFingerprintScanner
from tests.conftest import FakeClock
from tests.db.conftest import start_landing
from workstation.captures import FaceCapture
from workstation.decisions import Decision, DecisionKind
from workstation.errors import PolicyViolation
from workstation.face import FaceMatcher, FaceTemplate, NoFaceFound, load_calibration
from workstation.face.verification import FaceOutcome, FaceVerifier


class ScriptedEncoder:
    """Maps image bytes to fixed templates; unknown bytes have no face."""

    name = "scripted"

    def __init__(self, templates: dict[bytes, np.ndarray]) -> None:
        self.templates = templates

    def detect(self, image, *, upsample=False):  # type: ignore[no-untyped-def]
        return ()

    def encode(self, image, detection=None) -> FaceTemplate:  # type: ignore[no-untyped-def]
        vector = self.templates.get(bytes(image))
        if vector is None:
            raise NoFaceFound("no face")
        return FaceTemplate(vector.astype(np.float32))


def _unit(seed: int) -> np.ndarray:
    v = np.random.default_rng(seed).normal(size=128)
    return v / np.linalg.norm(v)


@pytest.mark.parametrize(
    ("live", "outcome", "permit_allowed"),
    [
        (b"same-person", FaceOutcome.MATCH, True),
        (b"other-person", FaceOutcome.NO_MATCH, False),
        (b"no-face", FaceOutcome.NO_FACE_LIVE, True),
    ],
)
def test_face_check_outcomes(
    demo_db: Database, clock: FakeClock, live: bytes, outcome: FaceOutcome, permit_allowed: bool
) -> None:
    reader = SimulatedDocumentReader(today=clock.now().date())
    portrait = reader.document(0).portrait
    assert portrait is not None
    person = _unit(1)
    encoder = ScriptedEncoder(
        {
            portrait: person,
            b"same-person": person * 0.98 + _unit(2) * 0.02,
            b"other-person": _unit(3),
        }
    )
    policy = SqliteOperators(demo_db, clock).load_policy()
    verifier = FaceVerifier(
        lambda: encoder, FaceMatcher(load_calibration(), policy.face_target_fmr)
    )
    store = SqliteInspectionStore(demo_db, clock)
    exam = start_landing(demo_db, clock, face=verifier)
    exam.read_document(reader)
    exam.record_face(FaceCapture(live, "image/png", 640, 480, clock.now()))
    exam.capture_fingerprints(SimulatedFingerprintScanner())
    checks = exam.run_checks()
    assert checks.face is not None and checks.face.outcome is outcome
    assert store.load_case(exam.case.case_id).checks == checks  # stored with the case
    permit = Decision(DecisionKind.PERMIT_LANDING, "TEMPORARY_VISITOR", "P90D")
    if permit_allowed:
        exam.decide(permit)
    else:
        with pytest.raises(PolicyViolation):
            exam.decide(permit)
        exam.decide(Decision(DecisionKind.REFER_SECONDARY, reason_code="R-BIOMETRIC"))
