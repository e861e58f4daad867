"""Log in and complete whole landing cases on simulated devices, then look in the database."""

from __future__ import annotations

import json

from db import audit_trail
from tests.ui.conftest import log_in
from ui.app import Services
from ui.main_window import MainWindow
from workstation.cases import LandingState
from workstation.decisions import DecisionKind

TIMEOUT = 40_000


def _drive_to_decision(qtbot, win: MainWindow, specimen: int) -> None:  # type: ignore[no-untyped-def]
    landing = win.landing
    landing.specimen.setCurrentIndex(specimen)
    win.home.tiles["landing"].click()
    qtbot.waitUntil(
        lambda: landing._exam is not None and landing._exam.state is LandingState.FACE,
        timeout=TIMEOUT,
    )
    qtbot.waitUntil(lambda: landing._last_frame is not None, timeout=TIMEOUT)  # live preview runs
    # No click: the best frame is captured automatically once the quality checks allow it,
    # then fingers are taken and the checks run by themselves.
    # Rendered, not only reached: the record button is enabled by the render after checks.
    qtbot.waitUntil(landing.record_button.isEnabled, timeout=TIMEOUT)
    assert landing._exam is not None and landing._exam.state is LandingState.DECISION


def test_clean_landing_case_end_to_end(qtbot, window: MainWindow, services: Services) -> None:  # type: ignore[no-untyped-def]
    log_in(qtbot, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=TIMEOUT)
    assert window.operator is not None and window.operator.operator_id == "inspector"

    _drive_to_decision(qtbot, window, specimen=0)
    landing = window.landing
    # Nothing on the watchlist: permit is pre-selected with the default status and period.
    assert landing.kind_buttons[DecisionKind.PERMIT_LANDING].isChecked()
    assert landing.status_combo.currentData() == "TEMPORARY_VISITOR"
    assert landing.period_combo.currentData() == "P90D"
    # The live face (the demo camera) is the person on the chip photo (the same demo face).
    assert landing._exam is not None and landing._exam.case.checks is not None
    face = landing._exam.case.checks.face
    assert face is not None and face.outcome.value == "match"
    assert face.strength_code.startswith("FMR-")
    landing.record_button.click()
    qtbot.waitUntil(landing.next_button.isVisible, timeout=TIMEOUT)
    assert landing._exam is not None and landing._exam.case.decision is not None
    case_id = landing._exam.case.case_id

    row = services.db.execute(
        "SELECT kind, status_code, period, operator_id, training FROM decisions WHERE case_id = ?",
        [case_id],
    ).fetchone()
    assert row == ("permit_landing", "TEMPORARY_VISITOR", "P90D", "inspector", 1)
    actions = [e.action for e in audit_trail.entries(services.db, case_id)]
    assert actions[0] == "case.opened" and actions[-1] == "decision.recorded"
    assert {"document.recorded", "face.captured", "fingers.captured", "checks.completed"} <= set(
        actions
    )
    assert audit_trail.verify(services.db).ok
    captures = dict(
        services.db.execute(
            "SELECT kind, count(*) FROM captures WHERE case_id = ? GROUP BY kind", [case_id]
        ).fetchall()
    )
    assert captures == {"face": 1, "finger": 2, "portrait": 1}

    # Back home, the decision waits in the outbox for upload.
    landing.back.click()
    outbox = window.home._status_rows["outbox"][1]
    qtbot.waitUntil(lambda: outbox.text().startswith("1 queued"), timeout=TIMEOUT)


def test_watchlist_hit_blocks_permit_and_referral_is_stored(
    qtbot, window: MainWindow, services: Services
) -> None:  # type: ignore[no-untyped-def]
    log_in(qtbot, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=TIMEOUT)
    _drive_to_decision(qtbot, window, specimen=1)  # document number on the watchlist
    landing = window.landing
    assert landing.hits.count() == 1
    assert landing.kind_buttons[DecisionKind.REFER_SECONDARY].isChecked()

    landing.kind_buttons[DecisionKind.PERMIT_LANDING].setChecked(True)
    landing.record_button.click()
    qtbot.waitUntil(lambda: "[DEC-POLICY]" in landing.decision_error.text(), timeout=TIMEOUT)
    assert landing._exam is not None and landing._exam.case.decision is None

    landing.kind_buttons[DecisionKind.REFER_SECONDARY].setChecked(True)
    landing.reason_combo.setCurrentIndex(landing.reason_combo.findData("R-WATCHLIST"))
    landing.record_button.click()
    qtbot.waitUntil(
        lambda: landing._exam is not None and landing._exam.case.decision is not None,
        timeout=TIMEOUT,
    )
    case_id = landing._exam.case.case_id
    kind, reason = services.db.execute(
        "SELECT kind, reason_code FROM decisions WHERE case_id = ?", [case_id]
    ).fetchone()
    assert (kind, reason) == ("refer_secondary", "R-WATCHLIST")
    checks = json.loads(
        services.db.execute("SELECT checks FROM cases WHERE case_id = ?", [case_id]).fetchone()[0]
    )
    assert checks["hits"][0]["kind"] == "document_number"


def test_wrong_password_then_lockout_message(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    log_in(qtbot, window, password="wrong")
    qtbot.waitUntil(
        lambda: "[" not in window.login.error.text() and window.login.error.text() != "",
        timeout=TIMEOUT,
    )
    assert window.stack.currentWidget() is window.login
    assert "4" in window.login.error.text()


def test_language_switch_retranslates(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.set_language("ja")
    assert window.login.submit.text() == "ログイン"
    window.set_language("en")
    assert window.login.submit.text() == "Log in"


def test_idle_lock_keeps_the_case(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    log_in(qtbot, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=TIMEOUT)
    window.lock()
    assert window.stack.currentWidget() is window.login
    assert window.login.operator_id.isReadOnly()
    log_in(qtbot, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=TIMEOUT)
