"""Cases: one traveller transaction, its saved workflow state, checks and decision."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum, unique

from workstation.captures import FaceCapture, FingerCapture
from workstation.decisions import Decision
from workstation.documents import DocumentData
from workstation.face.verification import FaceVerification
from workstation.watchlist import Freshness, WatchlistHit, WatchlistVersion


@unique
class Workflow(Enum):
    LANDING = "landing"
    DEPARTURE = "departure"
    SECONDARY = "secondary"
    PATROL = "patrol"
    ENROLMENT = "enrolment"
    BIO_CART = "bio_cart"
    MANIFEST = "manifest"


@unique
class LandingState(Enum):
    """States of the landing examination, in order; saved after every step."""

    DOCUMENT = "document"
    FACE = "face"
    FINGERPRINTS = "fingerprints"
    CHECKS = "checks"
    DECISION = "decision"
    CLOSED = "closed"


@dataclass(frozen=True)
class BiometricSearch:
    """What the 1:N search of the watchlist's face and finger references covered.

    :param version: the watchlist version whose references were searched.
    :param faces: face references searched.
    :param fingers: finger references searched.
    :param probes: what of the traveller was searched: ``"face"``, ``"finger_7"``...
    :param loaded: ``False`` while the references are still being loaded at start (nothing
        was searched).
    """

    version: int
    faces: int
    fingers: int
    probes: tuple[str, ...]
    loaded: bool = True


@dataclass(frozen=True)
class ChecksOutcome:
    """Everything the checks step found, with the watchlist it ran against.

    :param document_expired: the document's expiry date has passed.
    """

    hits: tuple[WatchlistHit, ...]
    watchlist: WatchlistVersion
    freshness: Freshness
    checked_at: dt.datetime
    document_expired: bool = False
    face: FaceVerification | None = None
    """Live face against the document photo; ``None`` when no face matcher is configured."""
    biometrics: BiometricSearch | None = None
    """The 1:N search of the watchlist's references; ``None`` when none is configured."""


@dataclass(frozen=True)
class DecisionRecord:
    """A stored decision: what, by whom, when, against which watchlist, in which mode."""

    case_id: str
    decision: Decision
    operator_id: str
    decided_at: dt.datetime
    watchlist_version: int
    watchlist_age_seconds: int
    training: bool


@dataclass(frozen=True)
class Case:
    """One traveller transaction as saved after each step.

    ``training`` marks cases run on simulated devices; it is stored with every record
    derived from the case.
    """

    case_id: str
    workflow: Workflow
    state: LandingState
    operator_id: str
    opened_at: dt.datetime
    training: bool
    document: DocumentData | None = None
    face: FaceCapture | None = None
    fingers: tuple[FingerCapture, ...] = field(default=())
    checks: ChecksOutcome | None = None
    decision: DecisionRecord | None = None
