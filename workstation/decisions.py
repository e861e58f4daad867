"""Examination decisions and the rules that validate them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, unique

from workstation.codes import REFERRAL_REASONS, REFUSAL_REASONS, status_by_code
from workstation.errors import InvalidDecision


@unique
class DecisionKind(Enum):
    PERMIT_LANDING = "permit_landing"
    REFER_SECONDARY = "refer_secondary"
    REFUSE_LANDING = "refuse_landing"


_REFER_CODES = frozenset(r.code for r in REFERRAL_REASONS)
_REFUSE_CODES = frozenset(r.code for r in REFUSAL_REASONS)


@dataclass(frozen=True)
class Decision:
    """What the officer decided. Construction validates against the code lists.

    :param status_code: status of residence granted (permit only).
    :param period: period of stay granted, one of the status's periods (permit only).
    :param reason_code: referral or refusal reason (refer/refuse only).
    :raises InvalidDecision: a missing or contradictory field.
    """

    kind: DecisionKind
    status_code: str | None = None
    period: str | None = None
    reason_code: str | None = None
    note: str = ""

    def __post_init__(self) -> None:
        if self.kind is DecisionKind.PERMIT_LANDING:
            status = status_by_code(self.status_code or "")
            if status is None or not status.grantable_at_landing:
                raise InvalidDecision("permit needs a status of residence grantable at landing")
            if self.period not in status.periods:
                raise InvalidDecision("period of stay not allowed for this status")
            if self.reason_code is not None:
                raise InvalidDecision("a permit carries no reason code")
        else:
            allowed = _REFER_CODES if self.kind is DecisionKind.REFER_SECONDARY else _REFUSE_CODES
            if self.reason_code not in allowed:
                raise InvalidDecision("a referral or refusal needs a reason code from its list")
            if self.status_code is not None or self.period is not None:
                raise InvalidDecision("only a permit carries a status and period of stay")
            if self.reason_code in {"R-OTHER", "X-OTHER"} and not self.note.strip():
                raise InvalidDecision("reason 'other' needs a note")
        if len(self.note) > 2000:
            raise InvalidDecision("note longer than 2000 characters")
