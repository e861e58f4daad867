"""The outbox list: real items pushed to a real hub (PostgreSQL on loopback) in all four
statuses, filtered by status, kept current while open, without payloads."""

from __future__ import annotations

import base64
from collections.abc import Iterator

import pytest

from db import audit_trail
from db.hub.server import HubServer, register
from db.outbox import enqueue, push
from tests.db.pg_server import postgres_server
from tests.ui.conftest import log_in
from ui.app import Services
from ui.main_window import MainWindow
from ui.outbox_view import OutboxPage

TIMEOUT = 40_000
PAYLOAD_NAME = "PAYLOAD-ONLY-ERIKSSON"  # in payloads, never on screen


@pytest.fixture
def hub() -> Iterator[tuple[HubServer, str]]:
    with postgres_server() as dsn:
        server = HubServer(dsn, port=0)
        server.start_background()
        yield server, dsn
        server.shutdown()
        server.server_close()


def _cells(page: OutboxPage) -> list[list[str]]:
    model = page.model
    return [[model.text(r, c) for c in range(model.columnCount())] for r in range(model.rowCount())]


def _fill_outbox(services: Services, hub: HubServer, dsn: str) -> None:
    """Acknowledged and rejected by the hub, sent to a hub that did not answer, queued."""
    db, clock = services.db, services.clock
    ((key_id, public),) = audit_trail.public_keys(db).items()
    register(dsn, key_id, base64.b64encode(public).decode(), "booth 1")
    with db.atomic():
        for i in (1, 2):
            enqueue(db, clock, "encounter", f"E-{i}", {"name": PAYLOAD_NAME})
        enqueue(db, clock, "bogus", "B-1", {"name": PAYLOAD_NAME})
    report = push(db, clock, hub.url)
    assert (report.acknowledged, report.rejected) == (2, 1)
    with db.atomic():
        enqueue(db, clock, "encounter", "E-3", {"name": PAYLOAD_NAME})
    unanswered = push(db, clock, "http://127.0.0.1:9", retries=1)
    assert unanswered.remaining == 1  # marked sent, no answer
    with db.atomic():
        enqueue(db, clock, "decision", "D-1", {"name": PAYLOAD_NAME})


def test_outbox_list_by_status_refreshed_while_open(
    qtbot, window: MainWindow, services: Services, hub: tuple[HubServer, str]
) -> None:  # type: ignore[no-untyped-def]
    window.set_language("en")
    log_in(qtbot, window)
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home, timeout=TIMEOUT)
    assert window.workers.wait(10_000)  # the home screen's reads are done
    window.workers.run("db", lambda: _fill_outbox(services, *hub))
    assert window.workers.wait(60_000)

    page = window.outbox
    window.home.outbox_button.click()
    assert window.stack.currentWidget() is page
    qtbot.waitUntil(lambda: page.model.rowCount() == 5, timeout=TIMEOUT)
    rows = {cells[1]: cells for cells in _cells(page)}  # by record ID
    assert [rows[i][2] for i in ("E-1", "E-2", "B-1", "E-3", "D-1")] == [
        "acknowledged",
        "acknowledged",
        "rejected",
        "sent, awaiting answer",
        "queued",
    ]
    assert rows["B-1"][4] == "unknown item type"  # the hub's answer
    assert rows["E-3"][0] == "Encounter" and rows["D-1"][0] == "Decision"
    assert [rows[i][3] for i in ("E-1", "B-1", "E-3", "D-1")] == ["1", "1", "1", "0"]
    assert rows["D-1"][6] == "" and rows["E-3"][6] != ""  # never attempted / last attempt
    assert all(PAYLOAD_NAME not in cell for cells in _cells(page) for cell in cells)
    assert page.status_filter.itemText(3) == "acknowledged (2)"

    page.status_filter.setCurrentIndex(page.status_filter.findData("rejected"))
    qtbot.waitUntil(lambda: [c[1] for c in _cells(page)] == ["B-1"], timeout=TIMEOUT)
    page.status_filter.setCurrentIndex(page.status_filter.findData("queued"))
    qtbot.waitUntil(lambda: [c[1] for c in _cells(page)] == ["D-1"], timeout=TIMEOUT)

    # A decision recorded meanwhile (here: queued on the database thread) shows up by itself.
    page.timer.setInterval(200)
    db, clock = services.db, services.clock

    def queue_another() -> None:
        with db.atomic():
            enqueue(db, clock, "decision", "D-2", {"name": PAYLOAD_NAME})

    window.workers.run("db", queue_another)
    qtbot.waitUntil(lambda: [c[1] for c in _cells(page)] == ["D-2", "D-1"], timeout=TIMEOUT)
    assert page.status_filter.itemText(0) == "All (6)"

    page.back.click()
    assert window.stack.currentWidget() is window.home and not page.timer.isActive()
    outbox = window.home._status_rows["outbox"][1]
    qtbot.waitUntil(lambda: outbox.text().startswith("2 queued · 1 sent"), timeout=TIMEOUT)
