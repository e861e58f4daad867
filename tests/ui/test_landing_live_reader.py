"""With a live e-passport reader the screen waits for the MRZ instead of reading blindly,
and opens the chip with the MRZ the officer entered."""

from __future__ import annotations

import threading

from devices.documents.fake import SimulatedDocumentReader
from tests.ui.conftest import log_in
from ui.main_window import MainWindow
from workstation.documents import AccessKey, DocumentData, Mrz, MrzAccessKey
from workstation.ports import Progress

TIMEOUT = 30_000


class LiveLikeReader:
    """A reader that, like a real chip, opens only with an access key."""

    simulated = False
    name = "live-like reader"

    def __init__(self) -> None:
        self.accesses: list[AccessKey | None] = []
        self._specimen = SimulatedDocumentReader()

    def read(
        self,
        access: AccessKey | None = None,
        stop: threading.Event | None = None,
        progress: Progress | None = None,
    ) -> DocumentData:
        self.accesses.append(access)
        return self._specimen.document(0)


def test_live_reader_waits_for_the_mrz(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    reader = LiveLikeReader()
    window.landing._devices.reader = reader
    log_in(qtbot, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=TIMEOUT)
    window.home.tiles["landing"].click()
    landing = window.landing
    qtbot.waitUntil(lambda: "MRZ" in landing.doc_status.text(), timeout=TIMEOUT)
    assert reader.accesses == []  # nothing sent to the chip without a key

    document = reader._specimen.document(0)
    assert document.mrz is not None
    key = MrzAccessKey.from_mrz(Mrz.parse(document.mrz.text))
    landing._read_document(key)
    qtbot.waitUntil(lambda: landing.doc_card.badge.isVisible(), timeout=TIMEOUT)
    assert reader.accesses == [key]
