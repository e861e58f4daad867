"""The landing (entry) examination as a state machine saved after every step.

Steps: document -> face -> fingerprints -> checks -> decision. Recording an earlier step
again (a re-read document, a retaken face) clears what was derived from it, so checks always
describe the data the decision is made on. A restart resumes the open case from its last
saved state (:meth:`LandingExamination.resume`).
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import uuid
from collections.abc import Sequence

from workstation.audit import AuditEvent
from workstation.captures import FaceCapture, Finger, FingerCapture
from workstation.cases import (
    BiometricSearch,
    Case,
    ChecksOutcome,
    DecisionRecord,
    LandingState,
    Workflow,
)
from workstation.decisions import Decision, DecisionKind
from workstation.documents import AccessKey, DocumentData
from workstation.errors import InvalidTransition, PolicyViolation, WatchlistStale
from workstation.face.verification import FaceVerifier
from workstation.operators import Operator
from workstation.policy import Policy
from workstation.ports import (
    Clock,
    DocumentReader,
    FingerprintScanner,
    InspectionStore,
    Progress,
    WatchlistStore,
)
from workstation.watchlist import (
    Freshness,
    WatchlistAction,
    WatchlistHit,
    freshness,
    rank_hits,
    screen,
    screen_lists,
)
from workstation.watchlist_biometrics import BiometricScreen, biometric_hits

logger = logging.getLogger(__name__)

BOOTH_FINGERS: tuple[Finger, ...] = (Finger.RIGHT_INDEX, Finger.LEFT_INDEX)
"""The booth takes both index fingers."""

_ORDER = list(LandingState)


class LandingExamination:
    """One traveller's landing examination.

    :param store: where every step is saved, with its audit entry.
    :param watchlist: the local watchlist the checks run against.
    :param operator: the logged-in inspector; recorded on every step.
    :param face: compares the live face with the document photo during the checks;
        ``None`` leaves the face unchecked (recorded as such).
    :param biometrics: searches the live face and fingers against the watchlist's
        references during the checks; ``None`` leaves that search out (recorded as such).
    """

    def __init__(
        self,
        case: Case,
        store: InspectionStore,
        watchlist: WatchlistStore,
        clock: Clock,
        policy: Policy,
        operator: Operator,
        face: FaceVerifier | None = None,
        biometrics: BiometricScreen | None = None,
    ) -> None:
        self._case = case
        self._face = face
        self._biometrics = biometrics
        self._store = store
        self._watchlist = watchlist
        self._clock = clock
        self._policy = policy
        self._operator = operator

    @classmethod
    def start(
        cls,
        store: InspectionStore,
        watchlist: WatchlistStore,
        clock: Clock,
        policy: Policy,
        operator: Operator,
        *,
        training: bool,
        face: FaceVerifier | None = None,
        biometrics: BiometricScreen | None = None,
    ) -> LandingExamination:
        """Open a new case (saved at once, so even an empty case is never lost).

        :param training: the case runs on simulated devices; marked on every record.
        """
        case = Case(
            case_id=str(uuid.uuid4()),
            workflow=Workflow.LANDING,
            state=LandingState.DOCUMENT,
            operator_id=operator.operator_id,
            opened_at=clock.now(),
            training=training,
        )
        store.save_case(case, AuditEvent("case.opened", {"training": training}))
        return cls(case, store, watchlist, clock, policy, operator, face, biometrics)

    @classmethod
    def resume(
        cls,
        case_id: str,
        store: InspectionStore,
        watchlist: WatchlistStore,
        clock: Clock,
        policy: Policy,
        operator: Operator,
        face: FaceVerifier | None = None,
        biometrics: BiometricScreen | None = None,
    ) -> LandingExamination:
        """Continue a saved case from its last state.

        :raises CaseNotFound: no such case.
        :raises InvalidTransition: the case is closed or not a landing case.
        """
        case = store.load_case(case_id)
        if case.workflow is not Workflow.LANDING or case.state is LandingState.CLOSED:
            raise InvalidTransition("only open landing cases can be resumed")
        store.save_case(case, AuditEvent("case.resumed", {"state": case.state.value}))
        return cls(case, store, watchlist, clock, policy, operator, face, biometrics)

    @property
    def case(self) -> Case:
        return self._case

    @property
    def state(self) -> LandingState:
        return self._case.state

    @property
    def policy(self) -> Policy:
        """The policy this case runs under (capture thresholds for the screen)."""
        return self._policy

    def _require(self, earliest: LandingState) -> None:
        if self._case.state is LandingState.CLOSED:
            raise InvalidTransition("the case is closed")
        if _ORDER.index(self._case.state) < _ORDER.index(earliest):
            raise InvalidTransition(
                f"step needs state {earliest.value}, case is {self._case.state.value}"
            )

    def _save(self, case: Case, event: AuditEvent) -> None:
        self._store.save_case(case, event)
        self._case = case
        logger.info("case %s -> %s", case.case_id, case.state.value)

    # Steps

    def read_document(
        self,
        reader: DocumentReader,
        access: AccessKey | None = None,
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> DocumentData:
        """Read the presented document and record it (see :meth:`record_document`)."""
        self._require(LandingState.DOCUMENT)
        document = reader.read(access, stop, progress)
        self.record_document(document)
        return document

    def record_document(self, document: DocumentData) -> None:
        """Record the document; checks are cleared, captures kept."""
        self._require(LandingState.DOCUMENT)
        case = _advance(dataclasses.replace(self._case, document=document, checks=None))
        self._save(
            case,
            AuditEvent(
                "document.recorded",
                {
                    "kind": document.kind.value,
                    "source": document.source.value,
                    "chip_verdict": document.chip_verdict,
                    "chip_access": document.chip_access,
                },
            ),
        )

    def record_face(self, capture: FaceCapture) -> None:
        """Record the captured face (a retake replaces the previous one)."""
        self._require(LandingState.FACE)
        case = _advance(dataclasses.replace(self._case, face=capture, checks=None))
        self._save(
            case, AuditEvent("face.captured", {"quality_notes": list(capture.quality_notes)})
        )

    def capture_fingerprints(
        self,
        scanner: FingerprintScanner,
        fingers: Sequence[Finger] = BOOTH_FINGERS,
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> tuple[FingerCapture, ...]:
        """Capture fingers on the scanner and record them."""
        self._require(LandingState.FINGERPRINTS)
        captures = scanner.capture(fingers, stop, progress)
        self.record_fingerprints(captures)
        return captures

    def record_fingerprints(self, captures: Sequence[FingerCapture]) -> None:
        """Record finger captures, exceptions included."""
        self._require(LandingState.FINGERPRINTS)
        case = _advance(dataclasses.replace(self._case, fingers=tuple(captures), checks=None))
        self._save(
            case,
            AuditEvent(
                "fingers.captured",
                {
                    "fingers": [c.finger.value for c in captures],
                    "exceptions": [c.exception.value for c in captures if c.exception],
                },
            ),
        )

    def run_checks(self) -> ChecksOutcome:
        """Screen the holder against the local watchlist and record the outcome."""
        self._require(LandingState.CHECKS)
        document = self._case.document
        if document is None:
            raise InvalidTransition("checks need a document")
        now = self._clock.now()
        version = self._watchlist.current_version()
        persons, lost = self._watchlist.candidates(document, self._policy)
        # Deferments concern departures; at landing the invalidated-card and the
        # landing-refusal policy lists apply.
        cards, _deferments, policy_lists = self._watchlist.lists(document)
        biometric_hits_, searched = self._search_biometrics()
        hits = rank_hits(
            (
                *screen(document, persons, lost, self._policy),
                *screen_lists(document, cards, (), policy_lists, self._policy),
                *biometric_hits_,
            )
        )
        face = (
            self._face.verify(self._case.face.image, document.portrait)
            if self._face is not None and self._case.face is not None
            else None
        )
        outcome = ChecksOutcome(
            hits=hits,
            watchlist=version,
            freshness=freshness(version, now, self._policy),
            checked_at=now,
            document_expired=document.is_expired(now.date()),
            face=face,
            biometrics=searched,
        )
        case = dataclasses.replace(self._case, checks=outcome, state=LandingState.DECISION)
        self._save(
            case,
            AuditEvent(
                "checks.completed",
                {
                    "hits": [[h.kind.value, h.entry_id, h.action.value] for h in outcome.hits],
                    "watchlist_version": version.version,
                    "freshness": outcome.freshness.value,
                    "face": face.outcome.value if face else None,
                    "biometrics": None
                    if searched is None
                    else {"version": searched.version, "probes": list(searched.probes)},
                },
            ),
        )
        return outcome

    def _search_biometrics(self) -> tuple[tuple[WatchlistHit, ...], BiometricSearch | None]:
        if self._biometrics is None:
            return (), None
        face = self._case.face.image if self._case.face is not None else None
        matches, searched = self._biometrics.screen(face, self._case.fingers, self._policy)
        persons = self._watchlist.persons(sorted({m.entry_id for m in matches}))
        return biometric_hits(matches, {p.entry_id: p for p in persons}), searched

    def decide(self, decision: Decision) -> DecisionRecord:
        """Record the officer's decision and close the case.

        :raises WatchlistStale: the watchlist is past the policy's block age.
        :raises PolicyViolation: a permit while a refuse/refer hit is open (unless the
            policy allows it) or for an expired document.
        """
        self._require(LandingState.DECISION)
        checks = self._case.checks
        if checks is None:
            raise InvalidTransition("a decision needs completed checks")
        now = self._clock.now()
        if freshness(checks.watchlist, now, self._policy) is Freshness.STALE_BLOCK:
            raise WatchlistStale("watchlist older than the block age")
        if decision.kind is DecisionKind.PERMIT_LANDING:
            blocking = [h for h in checks.hits if h.action is not WatchlistAction.NOTIFY]
            if blocking and not self._policy.permit_with_open_hits:
                raise PolicyViolation("permit with an open watchlist hit")
            if checks.document_expired:
                raise PolicyViolation("permit on an expired document")
            document = self._case.document
            if document is not None and document.chip_rejected:
                raise PolicyViolation("permit on a document whose chip failed verification")
            if (
                checks.face is not None
                and checks.face.blocks_permit
                and not self._policy.permit_with_face_mismatch
            ):
                raise PolicyViolation("permit when the face does not match the document")
        record = DecisionRecord(
            case_id=self._case.case_id,
            decision=decision,
            operator_id=self._operator.operator_id,
            decided_at=now,
            watchlist_version=checks.watchlist.version,
            watchlist_age_seconds=int(checks.watchlist.age(now).total_seconds()),
            training=self._case.training,
        )
        case = dataclasses.replace(self._case, decision=record, state=LandingState.CLOSED)
        self._store.record_decision(
            case,
            record,
            AuditEvent(
                "decision.recorded",
                {
                    "kind": decision.kind.value,
                    "status": decision.status_code,
                    "period": decision.period,
                    "reason": decision.reason_code,
                    "watchlist_version": record.watchlist_version,
                    "training": record.training,
                },
            ),
        )
        self._case = case
        logger.info("case %s decided: %s", case.case_id, decision.kind.value)
        return record


def _advance(case: Case) -> Case:
    """Advance to the first step whose data is missing (checks once all captures exist)."""
    if case.document is None:
        state = LandingState.DOCUMENT
    elif case.face is None:
        state = LandingState.FACE
    elif not case.fingers:
        state = LandingState.FINGERPRINTS
    else:
        state = LandingState.CHECKS
    return dataclasses.replace(case, state=state)
