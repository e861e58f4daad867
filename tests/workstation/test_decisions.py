from __future__ import annotations

import pytest

from workstation.codes import STATUSES, grantable_statuses, reason_by_code, status_by_code
from workstation.decisions import Decision, DecisionKind
from workstation.errors import InvalidDecision

PERMIT = DecisionKind.PERMIT_LANDING
REFER = DecisionKind.REFER_SECONDARY
REFUSE = DecisionKind.REFUSE_LANDING


@pytest.mark.parametrize(
    "decision",
    [
        Decision(PERMIT, "TEMPORARY_VISITOR", "P90D"),
        Decision(PERMIT, "STUDENT", "P4Y3M"),
        Decision(PERMIT, "LONG_TERM_RESIDENT", "DESIGNATED"),
        Decision(REFER, reason_code="R-WATCHLIST"),
        Decision(REFUSE, reason_code="X-FORGED-DOCUMENT"),
        Decision(REFER, reason_code="R-OTHER", note="asked for a second interview"),
    ],
)
def test_valid(decision: Decision) -> None:
    assert decision.kind in DecisionKind


@pytest.mark.parametrize(
    "kwargs",
    [
        {"kind": PERMIT},
        {"kind": PERMIT, "status_code": "TEMPORARY_VISITOR", "period": "P1Y"},
        {"kind": PERMIT, "status_code": "PERMANENT_RESIDENT", "period": "INDEFINITE"},
        {"kind": PERMIT, "status_code": "NO_SUCH", "period": "P90D"},
        {
            "kind": PERMIT,
            "status_code": "TEMPORARY_VISITOR",
            "period": "P90D",
            "reason_code": "R-OTHER",
        },
        {"kind": REFER},
        {"kind": REFER, "reason_code": "X-OTHER"},
        {"kind": REFUSE, "reason_code": "R-WATCHLIST"},
        {"kind": REFER, "reason_code": "R-OTHER"},
        {"kind": REFUSE, "reason_code": "X-OTHER", "note": "   "},
        {"kind": REFUSE, "reason_code": "X-FALSE-PURPOSE", "status_code": "STUDENT"},
        {"kind": REFER, "reason_code": "R-PURPOSE", "note": "x" * 2001},
    ],
)
def test_invalid(kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidDecision):
        Decision(**kwargs)  # type: ignore[arg-type]


def test_code_lists_are_consistent() -> None:
    codes = [s.code for s in STATUSES]
    assert len(codes) == len(set(codes))
    assert all(s.periods for s in STATUSES)
    assert status_by_code("PERMANENT_RESIDENT") not in grantable_statuses()
    assert status_by_code("TEMPORARY_VISITOR") in grantable_statuses()
    assert reason_by_code("X-OTHER") is not None
    assert reason_by_code("nope") is None
