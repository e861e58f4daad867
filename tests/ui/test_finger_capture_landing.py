"""The capture panel inside the landing screen, in training mode (simulated devices)."""

from __future__ import annotations

from tests.ui.conftest import log_in
from ui.app import Services
from ui.finger_capture import Phase
from ui.main_window import MainWindow
from workstation.captures import FingerException
from workstation.cases import LandingState
from workstation.landing import BOOTH_FINGERS

RIGHT, LEFT = BOOTH_FINGERS
TIMEOUT = 40_000


def test_auto_flow_then_an_exception_is_recorded_checked_and_resumed(
    qtbot, window: MainWindow, services: Services
) -> None:
    log_in(qtbot, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=TIMEOUT)
    landing = window.landing
    panel = landing.finger_panel
    window.home.tiles["landing"].click()
    # no click: document, face and both fingers are taken and the checks run by themselves
    qtbot.waitUntil(landing.record_button.isEnabled, timeout=TIMEOUT)
    exam = landing._exam
    assert exam is not None and exam.state is LandingState.DECISION
    assert all(panel.accepted(f) for f in BOOTH_FINGERS)
    assert panel.policy.min_quality == exam.policy.landing_finger_min_quality
    assert landing.finger_card.badge.text() == "Recorded"
    first_checks = exam.case.checks
    assert first_checks is not None

    # the officer sees the left index is bandaged: an exception replaces its image
    panel.views[LEFT].exception_actions[FingerException.INJURED].trigger()
    qtbot.waitUntil(
        lambda: (
            exam.case.fingers[1].exception is FingerException.INJURED
            and exam.state is LandingState.DECISION
            and exam.case.checks is not None
            and exam.case.checks.checked_at > first_checks.checked_at
            and landing.record_button.isEnabled()
        ),
        timeout=TIMEOUT,
    )
    assert landing.finger_card.badge.text() == "Recorded, with exceptions"
    rows = services.db.execute(
        "SELECT finger, image IS NULL, exception FROM captures "
        "WHERE case_id = ? AND kind = 'finger' ORDER BY finger",
        [exam.case.case_id],
    ).fetchall()
    assert rows == [(RIGHT.value, 0, None), (LEFT.value, 1, "injured")]

    # leaving the case stops the scanner; resuming it shows what was recorded
    recorded = exam.case.fingers
    landing.back.click()
    assert all(s.phase is not Phase.LIVE for s in panel.slots.values())
    landing.open_case(exam.case.case_id)
    qtbot.waitUntil(
        lambda: landing._exam is not None and landing._exam is not exam, timeout=TIMEOUT
    )
    qtbot.waitUntil(landing.record_button.isEnabled, timeout=TIMEOUT)
    assert tuple(panel.slots[f].result for f in BOOTH_FINGERS) == recorded
    assert panel.views[RIGHT].image.has_image() and not panel.views[LEFT].image.has_image()
    assert panel.views[LEFT].badge.text() == "Injured finger"
    assert panel.captures() == recorded
