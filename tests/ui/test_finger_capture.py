"""The two-index-finger capture panel, recording into a real landing case (real SQLite).

Two scanners: the simulated one of training mode, and a live SBI scanner talking to the SBI
device double over loopback HTTP (its admin endpoints and faults drive the bad cases).
"""

from __future__ import annotations

import http.client
import json
from collections.abc import Callable, Iterator

import pytest
from sqlite_utils import Database

from db import audit_trail
from db.store import SqliteInspectionStore, SqliteOperators, SqliteWatchlist
from devices.documents.fake import SimulatedDocumentReader
from devices.fingerprint.fake import SimulatedFingerprintScanner
from devices.fingerprint.sbi import SbiClient, SbiFingerprintScanner, SbiTimeouts, SbiTrust
from devices.fingerprint.sbi.base import SbiStreamStalled, SbiTamper, SbiUntrusted
from devices.fingerprint.sbi_double import Fault, SbiDeviceDouble
from tests.conftest import SHARED_DATA, FakeClock
from ui.finger_capture import FingerCapturePanel, Phase
from ui.messages import error_text, finger_hint_text
from ui.workers import Workers
from workstation.captures import FaceCapture, Finger, FingerCapture, FingerException
from workstation.cases import LandingState
from workstation.errors import DeviceBusy, DeviceUnavailable
from workstation.fingerprint.quality import FingerQualityPolicy
from workstation.landing import BOOTH_FINGERS, LandingExamination
from workstation.ports import FingerprintScanner

RIGHT, LEFT = BOOTH_FINGERS
TIMEOUT = 40_000
# away from the ranges of tests/devices/test_sbi.py and a real service on 4501
PORTS = range(4590, 4600)
FVC_DB1 = SHARED_DATA / "fingerprints" / "fvc2002" / "DB1_B"


@pytest.fixture
def exam(demo_db: Database, clock: FakeClock) -> LandingExamination:
    """A training case with document and face recorded, waiting for fingers."""
    operators = SqliteOperators(demo_db, clock)
    found = operators.find("inspector")
    assert found is not None
    exam = LandingExamination.start(
        SqliteInspectionStore(demo_db, clock),
        SqliteWatchlist(demo_db, clock),
        clock,
        operators.load_policy(),
        found[0],
        training=True,
    )
    exam.read_document(SimulatedDocumentReader(today=clock.now().date()))
    exam.record_face(FaceCapture(b"\x89PNG-face", "image/png", 640, 480, clock.now()))
    assert exam.state is LandingState.FINGERPRINTS
    return exam


@pytest.fixture
def workers(qtbot) -> Iterator[Workers]:
    pool = Workers()
    yield pool
    assert pool.wait(15_000), "a worker thread was still running after the test"


@pytest.fixture
def make_panel(
    qtbot, workers: Workers, exam: LandingExamination
) -> Iterator[Callable[[FingerprintScanner], FingerCapturePanel]]:
    """A panel for the case's booth fingers; a finished set is recorded as the screen does."""
    panels: list[FingerCapturePanel] = []

    def make(scanner: FingerprintScanner) -> FingerCapturePanel:
        panel = FingerCapturePanel(workers, scanner, BOOTH_FINGERS)
        qtbot.addWidget(panel)
        policy = exam.policy
        panel.set_policy(
            FingerQualityPolicy(policy.landing_finger_min_quality, policy.landing_finger_attempts)
        )
        panel.completed.connect(exam.record_fingerprints)
        panel.show()
        panels.append(panel)
        return panel

    yield make
    for panel in panels:
        panel.stop()


def stored(exam: LandingExamination, demo_db: Database, clock: FakeClock):
    """The case as the database has it."""
    return SqliteInspectionStore(demo_db, clock).load_case(exam.case.case_id)


def hint(panel: FingerCapturePanel, finger: Finger) -> str:
    return panel.views[finger].hint.text()


# Simulated scanner (training mode)


def test_simulated_preview_then_both_fingers_recorded(
    qtbot, make_panel, exam: LandingExamination, demo_db: Database, clock: FakeClock
) -> None:
    scanner = SimulatedFingerprintScanner(delay=1.0)
    panel = make_panel(scanner)
    with qtbot.waitSignal(panel.completed, timeout=TIMEOUT) as done:
        panel.start()
        # a live frame is on screen while the right index is being captured
        qtbot.waitUntil(
            lambda: panel.slots[RIGHT].phase is Phase.LIVE and panel.slots[RIGHT].frames > 0,
            timeout=TIMEOUT,
        )
        assert panel.views[RIGHT].image.has_image()
        assert panel.slots[LEFT].phase is Phase.WAITING
    captures = done.args[0]
    assert [c.finger for c in captures] == [RIGHT, LEFT]
    assert all(c.image and c.exception is None for c in captures)
    for capture in captures:
        measured = panel.slots[capture.finger].measurement
        assert measured is not None and measured.device_quality == 72
        # judged on the lower of the scanner's score and NFIQ 2, and that is what is stored
        assert capture.quality == min(72, measured.nfiq2 if measured.nfiq2 is not None else 0)
        assert capture.quality is not None and capture.quality >= 30
        assert panel.views[capture.finger].badge.text() == "Accepted"
    case = stored(exam, demo_db, clock)
    assert case.state is LandingState.CHECKS
    assert case.fingers == captures
    assert case.document is not None and case.face is not None


def test_status_line_follows_a_language_switch(qtbot, make_panel) -> None:
    from PySide6.QtWidgets import QApplication

    from ui.i18n_loader import Translators

    panel = make_panel(SimulatedFingerprintScanner(delay=0.0))
    with qtbot.waitSignal(panel.completed, timeout=TIMEOUT):
        panel.start()
    assert panel.status.text() == "All fingers done."
    translators = Translators(QApplication.instance())
    try:
        translators.install("ja")
        panel.retranslate()
        assert panel.status.text() == "すべての指が完了しました。"
    finally:
        translators.install("en")
    panel.retranslate()
    assert panel.status.text() == "All fingers done."


def test_low_quality_shows_hint_and_blocks_until_retry(
    qtbot, make_panel, exam: LandingExamination, demo_db: Database, clock: FakeClock
) -> None:
    scanner = SimulatedFingerprintScanner(quality=12)
    panel = make_panel(scanner)
    emitted: list[object] = []
    panel.completed.connect(emitted.append)
    panel.start()
    qtbot.waitUntil(lambda: panel.slots[RIGHT].phase is Phase.DONE, timeout=TIMEOUT)
    assert not panel.accepted(RIGHT)
    assert panel.views[RIGHT].bar.value == 12 and panel.views[RIGHT].bar.threshold == 30
    assert finger_hint_text("FP-QUALITY-LOW") in hint(panel, RIGHT)
    assert panel.views[RIGHT].badge.text() == "Retake"
    # blocked: the left finger is not started and nothing reaches the case
    assert panel.slots[LEFT].phase is Phase.WAITING
    assert panel.captures() is None and emitted == []
    assert stored(exam, demo_db, clock).fingers == ()

    scanner.quality = 80
    with qtbot.waitSignal(panel.completed, timeout=TIMEOUT):
        panel.views[RIGHT].retry.click()
    assert panel.slots[RIGHT].attempts == 2
    case = stored(exam, demo_db, clock)
    assert [c.finger for c in case.fingers] == [RIGHT, LEFT]
    assert all(c.quality is not None and c.quality >= 30 for c in case.fingers)


def test_exception_instead_of_an_image_is_recorded(
    qtbot, make_panel, exam: LandingExamination, demo_db: Database, clock: FakeClock
) -> None:
    panel = make_panel(SimulatedFingerprintScanner(delay=1.0))
    with qtbot.waitSignal(panel.completed, timeout=TIMEOUT) as done:
        panel.start()
        qtbot.waitUntil(lambda: panel.slots[RIGHT].phase is Phase.LIVE, timeout=TIMEOUT)
        # the right index is missing: recorded instead of its (cancelled) capture
        panel.views[RIGHT].exception_actions[FingerException.MISSING].trigger()
    captures = done.args[0]
    assert captures[0] == FingerCapture(RIGHT, None, "", None, FingerException.MISSING)
    assert captures[1].finger is LEFT and captures[1].image
    case = stored(exam, demo_db, clock)
    assert case.fingers == captures
    entry = [
        e for e in audit_trail.entries(demo_db, case.case_id) if e.action == "fingers.captured"
    ]
    assert json.loads(entry[-1].payload)["exceptions"] == ["missing"]
    assert panel.views[RIGHT].badge.text() == "Missing finger"


def test_scanner_gone_mid_capture_keeps_the_case_and_the_first_finger(
    qtbot, make_panel, exam: LandingExamination, demo_db: Database, clock: FakeClock
) -> None:
    scanner = SimulatedFingerprintScanner()
    scanner.vanish_after = 1  # the cable comes out after the first finger
    panel = make_panel(scanner)
    panel.start()
    qtbot.waitUntil(lambda: panel.slots[LEFT].phase is Phase.FAILED, timeout=TIMEOUT)
    message = error_text(DeviceUnavailable())
    assert hint(panel, LEFT) == message and panel.status.text() == message
    assert panel.accepted(RIGHT)
    first = panel.slots[RIGHT].result
    case = stored(exam, demo_db, clock)
    assert case.state is LandingState.FINGERPRINTS and case.fingers == ()
    assert case.document is not None and case.face is not None

    scanner.vanish_after, scanner.connected = None, True
    with qtbot.waitSignal(panel.completed, timeout=TIMEOUT):
        panel.views[LEFT].retry.click()
    recorded = stored(exam, demo_db, clock).fingers
    assert recorded[0] == first
    assert recorded[1].finger is LEFT and recorded[1].image


def test_completed_set_is_exact(qtbot, make_panel) -> None:
    panel = make_panel(SimulatedFingerprintScanner())
    panel.views[LEFT].exception_actions[FingerException.INJURED].trigger()
    assert panel.captures() is None  # one finger still has nothing
    with qtbot.waitSignal(panel.completed, timeout=TIMEOUT) as done:
        panel.start()
    assert [c.finger for c in done.args[0]] == [RIGHT, LEFT]
    assert done.args[0][1].exception is FingerException.INJURED


# A live SBI scanner against the device double


@pytest.fixture(scope="module")
def double() -> Iterator[SbiDeviceDouble]:
    folder = FVC_DB1 if FVC_DB1.is_dir() else None
    with SbiDeviceDouble(folder, ports=PORTS) as d:
        yield d


@pytest.fixture
def sbi(double: SbiDeviceDouble) -> Iterator[SbiDeviceDouble]:
    double.reset()
    yield double
    double.reset()


def sbi_scanner(d: SbiDeviceDouble, **options: object) -> SbiFingerprintScanner:
    """A live SBI scanner on the double, found by discovery and trusted by its CA."""
    client = SbiClient(SbiTrust.from_pem([d.trust_root_pem]), ports=[d.port], **options)  # type: ignore[arg-type]
    found = client.discover()
    assert len(found) == 1
    return SbiFingerprintScanner(client, found[0])


def admin(d: SbiDeviceDouble, path: str, body: dict[str, object]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", d.port, timeout=5)
    try:
        conn.request("POST", path, body=json.dumps(body))
        assert conn.getresponse().status == 200
    finally:
        conn.close()


def test_sbi_stream_then_capture_both_fingers(
    qtbot, make_panel, sbi: SbiDeviceDouble, exam: LandingExamination, demo_db, clock
) -> None:
    scanner = sbi_scanner(sbi)
    panel = make_panel(scanner)
    with qtbot.waitSignal(panel.completed, timeout=TIMEOUT) as done:
        panel.start()
    # the STREAM preview showed a frame of each slap before its RCAPTURE
    assert panel.slots[RIGHT].frames >= 1 and panel.slots[LEFT].frames >= 1
    captures = done.args[0]
    assert [c.finger for c in captures] == [RIGHT, LEFT]
    assert [r.finger for t in scanner.transactions for r in t.records] == [RIGHT, LEFT]
    for capture in captures:
        measured = panel.slots[capture.finger].measurement
        assert measured is not None and measured.device_quality == 44
        assert capture.quality is not None and capture.quality <= 44
    assert stored(exam, demo_db, clock).fingers == captures


def test_sbi_low_score_blocks_until_retry_or_exception(
    qtbot, make_panel, sbi: SbiDeviceDouble, exam: LandingExamination, demo_db, clock
) -> None:
    admin(sbi, "/admin/score", {"type": "Finger", "qualityScore": 15})
    panel = make_panel(sbi_scanner(sbi))
    panel.start()
    qtbot.waitUntil(lambda: panel.slots[RIGHT].phase is Phase.DONE, timeout=TIMEOUT)
    assert not panel.accepted(RIGHT)
    assert panel.views[RIGHT].bar.value == 15
    assert finger_hint_text("FP-QUALITY-LOW") in hint(panel, RIGHT)
    assert panel.slots[LEFT].phase is Phase.WAITING and panel.captures() is None

    # a retake still below the threshold: the hint now also suggests "unusable"
    panel.views[RIGHT].retry.click()
    qtbot.waitUntil(
        lambda: panel.slots[RIGHT].phase is Phase.DONE and panel.slots[RIGHT].attempts == 2,
        timeout=TIMEOUT,
    )
    assert not panel.accepted(RIGHT) and "unusable" in hint(panel, RIGHT)
    assert stored(exam, demo_db, clock).fingers == ()

    admin(sbi, "/admin/score", {"type": "Finger", "qualityScore": 90})
    with qtbot.waitSignal(panel.completed, timeout=TIMEOUT) as done:
        panel.views[RIGHT].exception_actions[FingerException.UNUSABLE].trigger()
    captures = done.args[0]
    assert captures[0].exception is FingerException.UNUSABLE
    assert captures[1].image and captures[1].quality is not None and captures[1].quality >= 30
    assert stored(exam, demo_db, clock).fingers == captures


def test_sbi_device_gone_mid_capture_keeps_the_case(
    qtbot, make_panel, sbi: SbiDeviceDouble, exam: LandingExamination, demo_db, clock
) -> None:
    panel = make_panel(sbi_scanner(sbi))
    sbi.set_fault(Fault.GONE_MID_CAPTURE)  # the device drops the connection inside RCAPTURE
    panel.start()
    qtbot.waitUntil(lambda: panel.slots[RIGHT].phase is Phase.FAILED, timeout=TIMEOUT)
    assert hint(panel, RIGHT) == error_text(DeviceUnavailable())
    assert "[DEV-UNAVAILABLE]" in panel.status.text()
    case = stored(exam, demo_db, clock)
    assert case.state is LandingState.FINGERPRINTS and case.fingers == ()
    assert case.document is not None and case.face is not None

    sbi.reset()  # plugged in again
    with qtbot.waitSignal(panel.completed, timeout=TIMEOUT) as done:
        panel.views[RIGHT].retry.click()
    assert stored(exam, demo_db, clock).fingers == done.args[0]


@pytest.mark.parametrize(
    ("fault", "error"),
    [
        (Fault.BUSY, DeviceBusy()),
        (Fault.BAD_SIGNATURE, SbiUntrusted()),
        (Fault.TAMPER, SbiTamper()),
    ],
)
def test_sbi_errors_in_plain_words_then_retry(
    qtbot, make_panel, sbi: SbiDeviceDouble, fault: Fault, error: Exception
) -> None:
    expected = error_text(error)
    panel = make_panel(sbi_scanner(sbi, busy_retries=0))
    sbi.set_fault(fault)
    panel.start()
    qtbot.waitUntil(lambda: panel.slots[RIGHT].phase is Phase.FAILED, timeout=TIMEOUT)
    assert hint(panel, RIGHT) == expected
    assert panel.views[RIGHT].retry.isEnabled()
    sbi.set_fault(fault, enabled=False)
    with qtbot.waitSignal(panel.completed, timeout=TIMEOUT):
        panel.views[RIGHT].retry.click()


def test_sbi_stalled_stream_is_reported(qtbot, make_panel, sbi: SbiDeviceDouble) -> None:
    sbi.set_fault(Fault.STALLED_STREAM)  # one frame, then nothing
    admin(sbi, "/admin/delay", {"type": "Finger", "delay": 1500, "method": ["RCAPTURE"]})
    panel = make_panel(sbi_scanner(sbi, timeouts=SbiTimeouts(stream_stall=0.4)))
    stalled = error_text(SbiStreamStalled())
    with qtbot.waitSignal(panel.completed, timeout=TIMEOUT):
        panel.start()
        qtbot.waitUntil(lambda: panel.status.text() == stalled, timeout=TIMEOUT)
    # the capture itself went through: the live image is a help, not a condition
    assert panel.accepted(RIGHT) and panel.accepted(LEFT)
