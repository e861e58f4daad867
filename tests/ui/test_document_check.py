"""The Document check screen reads simulated residence cards through the real card stack
(authentication, secure messaging, signature and chain) and says what it found."""

from __future__ import annotations

import pytest

from tests.ui.conftest import log_in
from ui.main_window import MainWindow

TIMEOUT = 30_000


@pytest.mark.parametrize(
    ("card", "number", "badge", "failed_checks"),
    [
        (0, None, "Genuine", 0),
        (1, None, "Genuine", 0),
        (2, None, "Not verified", 1),  # data changed after signing
        (3, None, "Check manually", 0),  # under 16: no signature, not forged
        (4, None, "Not verified", 1),  # unknown CA
        (0, "AA12345678BC", "Not verified", 1),  # wrong card number
    ],
)
def test_card_verdicts(
    qtbot, window: MainWindow, card: int, number: str | None, badge: str, failed_checks: int
) -> None:  # type: ignore[no-untyped-def]
    log_in(qtbot, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=TIMEOUT)
    window.home.tiles["document_check"].click()
    page = window.document_check
    assert window.stack.currentWidget() is page
    page.training.setCurrentIndex(card)
    if number is not None:
        page.card_number.setText(number)
    page.read_button.click()
    qtbot.waitUntil(lambda: page.result_card.badge.isVisible(), timeout=TIMEOUT)
    assert page.result_card.badge.text() == badge
    failed = [page.checks.item(i).text() for i in range(page.checks.count())]
    assert sum("FAILED" in text for text in failed) == failed_checks
    if number is None and card in (0, 2, 4):
        assert page.front.has_image()  # generation 1 carries the card face as an MMR TIFF
    if number is None and card in (0, 1, 2, 4):
        assert page.face.has_image()  # the JPEG 2000 photo, decoded


def test_card_number_is_validated_before_reading(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    page = window.document_check
    page.card_number.setText("AB1234")
    assert not page.read_button.isEnabled()
    page.card_number.setText("ab 12345678 cd")
    assert page.read_button.isEnabled()
