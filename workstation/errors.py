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
