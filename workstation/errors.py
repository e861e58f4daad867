"""Domain errors with stable codes.

Every error the core or an adapter raises toward the UI is a :class:`WorkstationError`
subclass with a stable ``code`` (for example ``"DOC-CHIP-AUTH"``). ``ui/messages.py`` is the
one place that turns codes into translated operator text; the English ``str()`` of an error
is for logs and the command line and never contains personal data.
"""

from __future__ import annotations

from typing import ClassVar


class WorkstationError(Exception):
    """Base of every error the workstation reports to an operator.

    :param detail: a short technical detail for logs; never personal data.
    """

    code: ClassVar[str] = "WS-ERROR"

    def __init__(self, detail: str = "") -> None:
        super().__init__(detail or self.code)
        self.detail = detail


# Documents and devices


class DocumentError(WorkstationError):
    code = "DOC-ERROR"


class NoDocument(DocumentError):
    """No document is on (or in) the reader."""

    code = "DOC-ABSENT"


class DocumentUnreadable(DocumentError):
    """The document or its chip could not be read."""

    code = "DOC-UNREADABLE"


class InvalidMrz(DocumentError):
    """A machine-readable zone failed to parse or a check digit is wrong."""

    code = "DOC-MRZ-INVALID"


class ChipAuthenticationFailed(DocumentError):
    """The chip refused the access key (BAC, PACE or card-number authentication)."""

    code = "DOC-CHIP-AUTH"


class DeviceError(WorkstationError):
    code = "DEV-ERROR"


class DeviceUnavailable(DeviceError):
    """The device is not connected, or disappeared."""

    code = "DEV-UNAVAILABLE"


class DeviceBusy(DeviceError):
    """Another program holds the device."""

    code = "DEV-BUSY"


class CaptureFailed(DeviceError):
    """A capture ran but produced nothing usable."""

    code = "DEV-CAPTURE-FAILED"


class CaptureCancelled(DeviceError):
    """The operator (or a timeout) stopped a capture."""

    code = "DEV-CAPTURE-CANCELLED"


# Operators


class AuthenticationFailed(WorkstationError):
    """Wrong operator ID or password."""

    code = "AUTH-FAILED"

    def __init__(self, detail: str = "", remaining_attempts: int | None = None) -> None:
        super().__init__(detail)
        self.remaining_attempts = remaining_attempts


class AccountLocked(WorkstationError):
    """Too many failed logins; the account is locked until ``until`` (ISO 8601, UTC)."""

    code = "AUTH-LOCKED"

    def __init__(self, detail: str = "", until: str = "") -> None:
        super().__init__(detail)
        self.until = until


class PermissionDenied(WorkstationError):
    """The operator's role does not allow this action."""

    code = "AUTH-ROLE"


# Cases and decisions


class CaseNotFound(WorkstationError):
    code = "CASE-NOT-FOUND"


class InvalidTransition(WorkstationError):
    """A workflow step was attempted in a state that does not allow it."""

    code = "CASE-STATE"


class InvalidDecision(WorkstationError):
    """A decision is incomplete or contradicts the code lists (e.g. a period not allowed)."""

    code = "DEC-INVALID"


class PolicyViolation(WorkstationError):
    """The policy forbids this decision (e.g. a permit while a refuse-level hit is open)."""

    code = "DEC-POLICY"


class WatchlistStale(PolicyViolation):
    """The local watchlist is older than the policy allows for decisions."""

    code = "WL-STALE"


# Storage


class StorageError(WorkstationError):
    """The database could not be opened or written."""

    code = "DB-ERROR"


class AuditChainBroken(StorageError):
    """The audit log's hash chain does not verify."""

    code = "DB-AUDIT-BROKEN"


# Watchlist distribution


class WatchlistError(WorkstationError):
    code = "WL-ERROR"


class WatchlistSourceInvalid(WatchlistError):
    """A watchlist source or bundle is malformed (publisher side, or a corrupt bundle)."""

    code = "WL-SOURCE-INVALID"


class WatchlistUntrusted(WatchlistError):
    """The update failed TUF verification: bad signature, tampered file, replayed or
    rolled-back metadata, or a version older than the one applied."""

    code = "WL-UNTRUSTED"


class WatchlistExpired(WatchlistUntrusted):
    """The repository's signed metadata has expired (a frozen or abandoned mirror)."""

    code = "WL-EXPIRED"


class WatchlistUnavailable(WatchlistError):
    """The repository could not be reached or read (network down, media missing)."""

    code = "WL-UNAVAILABLE"


class WatchlistNotBootstrapped(WatchlistError):
    """No trusted root is stored yet; the first sync needs ``--root``."""

    code = "WL-NO-ROOT"


class WatchlistApplyFailed(WatchlistError):
    """A verified bundle could not be applied; the previous version is still in use."""

    code = "WL-APPLY-FAILED"


# Keys and encryption


class DatabaseLocked(StorageError):
    """The database is encrypted and no operator has unlocked it."""

    code = "DB-LOCKED"


class KeyringError(StorageError):
    """The keyring file beside the database is missing, unreadable or inconsistent."""

    code = "DB-KEYRING"


class AuditSignatureInvalid(AuditChainBroken):
    """An audit checkpoint's signature does not verify with the workstation key."""

    code = "DB-AUDIT-SIGNATURE"


# Store and forward


class OutboxError(WorkstationError):
    code = "SYNC-ERROR"


class HubUnavailable(OutboxError):
    """The hub could not be reached; items stay queued and are retried."""

    code = "SYNC-HUB-UNAVAILABLE"


class HubRejected(OutboxError):
    """The hub refused a batch (unknown workstation, bad signature, malformed)."""

    code = "SYNC-HUB-REJECTED"
