"""Ports: what the core needs from devices and storage, as Protocols.

Each port's docstring lists the errors an adapter may raise; adapters raise nothing else.
Every blocking call takes ``stop`` (set it to cancel) and raises
:class:`~workstation.errors.CaptureCancelled` when stopped.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Protocol, runtime_checkable

from workstation.audit import AuditEvent
from workstation.captures import Finger, FingerCapture, Frame
from workstation.cases import Case, DecisionRecord, Workflow
from workstation.documents import AccessKey, DocumentData
from workstation.operators import LoginState, Operator
from workstation.policy import Policy
from workstation.watchlist import (
    DefermentEntry,
    InvalidatedCard,
    LostDocument,
    PolicyListEntry,
    WatchlistPerson,
    WatchlistVersion,
)

Progress = Callable[[str, float], None]
"""Progress callback: a stable step code (``"chip.dg2"``) and a fraction 0..1."""


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """The current time, timezone-aware UTC."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> dt.datetime:
        return dt.datetime.now(dt.UTC)


class DocumentReader(Protocol):
    """Reads a travel document or residence card.

    Raises :class:`~workstation.errors.NoDocument`,
    :class:`~workstation.errors.DocumentUnreadable`,
    :class:`~workstation.errors.ChipAuthenticationFailed`,
    :class:`~workstation.errors.DeviceUnavailable`, :class:`~workstation.errors.DeviceBusy`
    and :class:`~workstation.errors.CaptureCancelled`.
    """

    name: str
    simulated: bool

    def read(
        self,
        access: AccessKey | None = None,
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> DocumentData:
        """Read the document currently presented.

        :param access: the chip access key; ``None`` lets the reader use what it can
            find itself (an MRZ it scanned, or a simulated document).
        """
        ...


class FaceCamera(Protocol):
    """A camera. Raises :class:`~workstation.errors.DeviceUnavailable` and
    :class:`~workstation.errors.CaptureFailed`."""

    name: str
    simulated: bool

    def frames(self, stop: threading.Event) -> Iterator[Frame]:
        """Yield preview frames until ``stop`` is set."""
        ...

    def capture(self, stop: threading.Event | None = None) -> Frame:
        """One frame at the camera's full resolution."""
        ...


class FingerprintScanner(Protocol):
    """A fingerprint scanner. Raises :class:`~workstation.errors.DeviceUnavailable`,
    :class:`~workstation.errors.DeviceBusy`, :class:`~workstation.errors.CaptureFailed`
    and :class:`~workstation.errors.CaptureCancelled`."""

    name: str
    simulated: bool

    def capture(
        self,
        fingers: Sequence[Finger],
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> tuple[FingerCapture, ...]:
        """Capture exactly the fingers asked for, in that order."""
        ...


@runtime_checkable
class FingerprintPreview(Protocol):
    """Optional: a fingerprint scanner that can also show the finger live before and while
    it captures (SBI ``STREAM``). Check with ``isinstance(scanner, FingerprintPreview)``.

    Raises :class:`~workstation.errors.DeviceUnavailable` and
    :class:`~workstation.errors.CaptureFailed` (the live image stalled, or the device broke
    the protocol).
    """

    def preview(self, finger: Finger, stop: threading.Event) -> Iterator[bytes]:
        """Yield encoded preview images (JPEG or PNG) of where ``finger`` is placed until
        ``stop`` is set. May run on another thread while
        :meth:`FingerprintScanner.capture` runs."""
        ...


class InspectionStore(Protocol):
    """Durable storage of cases, decisions and their audit trail.

    Each method writes its rows and the audit entry in one transaction that is durable
    (fsync'd) when the call returns. Raises :class:`~workstation.errors.StorageError` and,
    for lookups, :class:`~workstation.errors.CaseNotFound`.
    """

    def save_case(self, case: Case, event: AuditEvent) -> None:
        """Insert or update a case with its captures and audit the step."""
        ...

    def record_decision(self, case: Case, record: DecisionRecord, event: AuditEvent) -> None:
        """Store the decision, close the case and audit it, atomically."""
        ...

    def load_case(self, case_id: str) -> Case: ...

    def open_cases(self, workflow: Workflow, operator_id: str | None = None) -> list[Case]:
        """Cases not yet closed, oldest first (for resuming after a restart)."""
        ...


class WatchlistStore(Protocol):
    """The local watchlist. Raises :class:`~workstation.errors.StorageError`."""

    def current_version(self) -> WatchlistVersion: ...

    def candidates(
        self, document: DocumentData, policy: Policy
    ) -> tuple[list[WatchlistPerson], list[LostDocument]]:
        """Entries that could match: same document number, or a birth date within the
        policy's tolerance (or unknown). Scoring is :func:`workstation.watchlist.screen`."""
        ...

    def lists(
        self, document: DocumentData
    ) -> tuple[list[InvalidatedCard], list[DefermentEntry], list[PolicyListEntry]]:
        """Invalidated cards, deferments and policy-list lines that could concern the
        holder (see :func:`workstation.watchlist.screen_lists`)."""
        ...

    def persons(self, entry_ids: Sequence[str]) -> list[WatchlistPerson]:
        """The listed persons with these entry IDs (unknown IDs are left out)."""
        ...


class OperatorDirectory(Protocol):
    """Operator accounts. Raises :class:`~workstation.errors.StorageError`."""

    def find(self, operator_id: str) -> tuple[Operator, str, LoginState] | None:
        """The operator, their password hash and login state, or ``None``."""
        ...

    def save_login(self, operator_id: str, state: LoginState, event: AuditEvent) -> None:
        """Persist the login state and audit the attempt."""
        ...


class PolicySource(Protocol):
    def load_policy(self) -> Policy: ...
