"""A traveller whose face and finger are on the watchlist: candidates side by side.

The example watchlist (published with dlib and mindtct templates) lists the demo face and the
simulated scanner's right index finger, so the simulated traveller is a biometric hit.
"""

from __future__ import annotations

import time

from db.watchlist_sync import apply_bundle
from devices.biometrics.dlib_encoder import DlibFaceEncoder
from devices.fingerprint.nbis_backend import NbisMinutiaeExtractor
from tests.conftest import REPO
from tests.ui.conftest import log_in
from tests.ui.test_landing_e2e import TIMEOUT, _drive_to_decision
from ui.app import Services
from ui.main_window import MainWindow
from workstation.decisions import DecisionKind
from workstation.watchlist import HitKind
from workstation.watchlist_biometrics import add_templates
from workstation.watchlist_source import encode_snapshot, load_source


def _list_example(services: Services) -> None:
    records = load_source(REPO / "examples" / "watchlist")
    add_templates(records, DlibFaceEncoder().encode, NbisMinutiaeExtractor().extract)
    bundle = encode_snapshot(1000, services.clock.now(), records)
    apply_bundle(services.db, bundle, services.clock, "test")


def test_biometric_candidates_shown_beside_the_capture(
    qtbot, window: MainWindow, services: Services
) -> None:  # type: ignore[no-untyped-def]
    log_in(qtbot, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=TIMEOUT)
    _list_example(services)
    assert services.loader is not None
    services.loader.refresh()  # the loader would notice within its poll interval anyway
    deadline = time.monotonic() + 60
    while services.biometrics.version != 1000 and time.monotonic() < deadline:
        qtbot.wait(50)
    assert services.biometrics.report.faces == 1 and services.biometrics.report.fingers == 1

    _drive_to_decision(qtbot, window, specimen=0)
    landing = window.landing
    assert landing._exam is not None and landing._exam.case.checks is not None
    kinds = {h.kind for h in landing._exam.case.checks.hits if h.entry_id == "EX-0001"}
    assert {HitKind.FACE, HitKind.FINGERPRINT} <= kinds
    # One card per biometric hit, each with the traveller's capture and the watchlist image.
    cards = landing.candidates.cards
    assert landing.candidates.isVisible() and len(cards) == 2
    assert all(c.live.has_image() and c.reference.has_image() for c in cards)
    assert "KOWALSKI" in cards[0].title.text()
    assert "1" in landing.biometric_label.text()  # searched against 1 face and 1 finger
    # A refuse-level hit: refer is pre-selected, not permit.
    assert landing.kind_buttons[DecisionKind.REFER_SECONDARY].isChecked()
