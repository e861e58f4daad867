"""The landing examination screen: document, face, fingerprints, checks and decision.

The screen drives :class:`workstation.landing.LandingExamination`; every step runs on the
worker of the resource it uses and is saved before the next one starts. A clean case needs
one click: the document is read when placed, the face and fingers are captured as soon as
they are presented, checks run by themselves, and the officer confirms the decision.
"""

from __future__ import annotations

import datetime as dt
import io
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from PIL import Image
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QColor, QKeySequence, QPainter, QPen, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from devices.fingerprint.feedback import FingerMeasurement
from ui.candidates import BIOMETRIC_KINDS, Candidate, CandidateStrip, ReferenceImage
from ui.finger_capture import FingerCapturePanel
from ui.messages import (
    action_text,
    chip_verdict_text,
    decision_text,
    error_text,
    face_outcome_text,
    hit_kind_text,
    period_text,
    quality_hint,
    reason_text,
    strength_text,
)
from ui.mrz_dialog import MrzDialog
from ui.widgets import Card, FieldGrid, ImageBox, rgb_to_qimage
from ui.workers import StopFlag, Workers
from workstation.captures import FaceCapture, FingerCapture, Frame
from workstation.cases import ChecksOutcome, DecisionRecord, LandingState
from workstation.codes import REFERRAL_REASONS, REFUSAL_REASONS, grantable_statuses, status_by_code
from workstation.decisions import Decision, DecisionKind
from workstation.documents import AccessKey, DataSource, DocumentData, Mrz, MrzAccessKey
from workstation.face import (
    BestFrameSelector,
    FaceEncoder,
    LivenessCheck,
    LivenessStatus,
    QualityReport,
    assess_quality,
)
from workstation.face.verification import FaceOutcome
from workstation.fingerprint.quality import FingerQualityPolicy
from workstation.landing import BOOTH_FINGERS, LandingExamination
from workstation.ports import DocumentReader, FaceCamera, FingerprintScanner
from workstation.watchlist import BiometricModality, Freshness, HitKind, WatchlistAction

DEFAULT_STATUS = ("TEMPORARY_VISITOR", "P90D")
"""Pre-selected for a clean case: most landings at a booth are temporary visitors."""


@dataclass
class LandingDevices:
    """The devices the screen uses. In training mode, ``specimens`` lists the simulated
    documents (name, purpose code) and ``select_specimen`` puts one on the reader."""

    reader: DocumentReader | None
    camera: FaceCamera | None
    scanner: FingerprintScanner | None
    training: bool
    specimens: tuple[tuple[str, str], ...] = ()
    select_specimen: Callable[[int], None] | None = None
    preview_encoder: Callable[[], FaceEncoder] | None = None
    """Makes the face detector used on preview frames (on the camera thread)."""
    capture_scale: float = 1.0
    """Capture width over preview width, so sizes are judged at capture resolution."""
    read_mrz_image: Callable[[bytes], Mrz] | None = None
    """OCR of a scanned data page (tesseract), for the MRZ dialog."""
    finger_measure: Callable[[FingerCapture], FingerMeasurement] | None = None
    """Quality, hints and warning of a finger capture; ``None`` measures NFIQ 2 if installed."""


@dataclass(frozen=True)
class PreviewFrame:
    """A preview frame with what the camera thread measured on it."""

    frame: Frame
    report: QualityReport | None
    liveness: LivenessStatus | None


class _Progress(QObject):
    """Carries device progress callbacks (any thread) to the GUI thread."""

    changed = Signal(str, float)


def encode_png(frame: Frame) -> bytes:
    """The frame as PNG bytes (lossless, as stored with the case; fast compression)."""
    buffer = io.BytesIO()
    Image.fromarray(frame.image, mode="RGB").save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


class StepBar(QWidget):
    """Document → Face → Fingerprints → Checks → Decision, with the current one highlighted."""

    ORDER = list(LandingState)[:-1]

    def __init__(self) -> None:
        super().__init__()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self._labels: list[QLabel] = []
        for i in range(len(self.ORDER)):
            if i:
                arrow = QLabel("→")
                arrow.setObjectName("stepTodo")
                layout.addWidget(arrow)
            label = QLabel()
            self._labels.append(label)
            layout.addWidget(label)
        layout.addStretch(1)
        self._state = LandingState.DOCUMENT

    def retranslate(self) -> None:
        names = [
            self.tr("1 Document"),
            self.tr("2 Face"),
            self.tr("3 Fingerprints"),
            self.tr("4 Checks"),
            self.tr("5 Decision"),
        ]
        for label, name in zip(self._labels, names, strict=True):
            label.setText(name)
        self.set_state(self._state)

    def set_state(self, state: LandingState) -> None:
        self._state = state
        current = len(self.ORDER) if state is LandingState.CLOSED else self.ORDER.index(state)
        for i, label in enumerate(self._labels):
            name = "stepDone" if i < current else "stepActive" if i == current else "stepTodo"
            label.setObjectName(name)
            label.style().unpolish(label)
            label.style().polish(label)


class LandingPage(QWidget):
    """One booth examination at a time. Emits :attr:`finished` when the officer leaves."""

    finished = Signal()
    case_closed = Signal(object)

    def __init__(
        self,
        workers: Workers,
        devices: LandingDevices,
        new_examination: Callable[[], LandingExamination],
        resume_examination: Callable[[str], LandingExamination],
        language: Callable[[], str],
        prepare_face: Callable[[bytes], None] | None = None,
        reference_image: ReferenceImage | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("page")
        self._prepare_face = prepare_face
        self._reference_image = reference_image
        self._workers = workers
        self._devices = devices
        self._new = new_examination
        self._resume = resume_examination
        self._language = language
        self._exam: LandingExamination | None = None
        self._reader_stop, self._camera_stop = StopFlag(), StopFlag()
        self._last_frame: Frame | None = None
        self._last_report: QualityReport | None = None
        self._selector = BestFrameSelector()
        self._detector: FaceEncoder | None = None
        self._auto_captured = False
        self._preview_running = False
        self._progress = _Progress()
        self._progress.changed.connect(self._on_progress)
        self._build()
        self.retranslate()

    # Layout

    def _build(self) -> None:
        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 12, 20, 16)
        outer.setSpacing(12)
        top = QHBoxLayout()
        self.steps = StepBar()
        top.addWidget(self.steps, 1)
        self.case_label = QLabel()
        self.case_label.setObjectName("hint")
        top.addWidget(self.case_label)
        self.back = QPushButton()
        top.addWidget(self.back)
        outer.addLayout(top)

        grid = QGridLayout()
        grid.setSpacing(12)
        outer.addLayout(grid, 1)

        # Document
        self.doc_card = Card("")
        doc_row = QHBoxLayout()
        self.portrait = ImageBox("", (120, 150))
        self.portrait.setMaximumWidth(170)
        doc_row.addWidget(self.portrait)
        self.doc_fields = FieldGrid(
            [
                ("name", ""),
                ("nationality", ""),
                ("birth", ""),
                ("sex", ""),
                ("number", ""),
                ("expiry", ""),
                ("issuer", ""),
                ("source", ""),
            ]
        )
        doc_row.addWidget(self.doc_fields, 1)
        self.doc_card.body.addLayout(doc_row)
        self.doc_progress = QProgressBar()
        self.doc_progress.setRange(0, 100)
        self.doc_progress.setTextVisible(False)
        self.doc_progress.hide()
        self.doc_card.body.addWidget(self.doc_progress)
        self.doc_status = QLabel()
        self.doc_status.setWordWrap(True)
        self.doc_card.body.addWidget(self.doc_status)
        doc_buttons = QHBoxLayout()
        self.read_button = QPushButton()
        doc_buttons.addWidget(self.read_button)
        self.mrz_button = QPushButton()
        self.mrz_button.setObjectName("enterMrz")
        doc_buttons.addWidget(self.mrz_button)
        self.specimen = QComboBox()
        self.specimen.setObjectName("specimen")
        self.specimen.setVisible(self._devices.training)
        doc_buttons.addWidget(self.specimen, 1)
        self.doc_card.body.addLayout(doc_buttons)
        grid.addWidget(self.doc_card, 0, 0)

        # Face
        self.face_card = Card("")
        face_row = QHBoxLayout()
        self.preview = ImageBox("", (240, 180))
        face_row.addWidget(self.preview, 3)
        self.face_shot = ImageBox("", (100, 130))
        self.face_shot.setMaximumWidth(150)
        face_row.addWidget(self.face_shot, 1)
        self.face_card.body.addLayout(face_row, 1)
        self.face_hints = QLabel()
        self.face_hints.setObjectName("hint")
        self.face_hints.setWordWrap(True)
        self.face_card.body.addWidget(self.face_hints)
        face_buttons = QHBoxLayout()
        self.capture_button = QPushButton()
        self.capture_button.setObjectName("captureFace")
        face_buttons.addWidget(self.capture_button)
        face_buttons.addStretch(1)
        self.face_card.body.addLayout(face_buttons)
        grid.addWidget(self.face_card, 1, 0)

        # Fingerprints: live image, quality and hint per finger, retry and exceptions
        self.finger_card = Card("")
        self.finger_panel = FingerCapturePanel(
            self._workers, self._devices.scanner, BOOTH_FINGERS, self._devices.finger_measure
        )
        self.finger_panel.completed.connect(self._record_fingers)
        self.finger_card.body.addWidget(self.finger_panel, 1)
        self._finger_case: str | None = None
        grid.addWidget(self.finger_card, 1, 1)

        # Checks
        self.checks_card = Card("")
        self.checks_summary = QLabel()
        self.checks_summary.setWordWrap(True)
        self.checks_card.body.addWidget(self.checks_summary)
        self.face_result = QLabel()
        self.face_result.setObjectName("faceResult")
        self.face_result.setWordWrap(True)
        self.checks_card.body.addWidget(self.face_result)
        self.hits = QListWidget()
        self.hits.setObjectName("hits")
        self.hits.setWordWrap(True)
        self.hits.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.checks_card.body.addWidget(self.hits, 1)
        self.checks_card.body.addStretch(0)
        self.biometric_label = QLabel()
        self.biometric_label.setObjectName("hint")
        self.biometric_label.setWordWrap(True)
        self.checks_card.body.addWidget(self.biometric_label)
        self.watchlist_label = QLabel()
        self.watchlist_label.setObjectName("hint")
        self.watchlist_label.setWordWrap(True)
        self.checks_card.body.addWidget(self.watchlist_label)
        grid.addWidget(self.checks_card, 0, 1)

        # Decision
        self.decision_card = Card("")
        kinds = QHBoxLayout()
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[DecisionKind, QRadioButton] = {}
        for kind in DecisionKind:
            button = QRadioButton()
            button.setObjectName(f"kind_{kind.value}")
            self.kind_group.addButton(button)
            self.kind_buttons[kind] = button
            kinds.addWidget(button)
        kinds.addStretch(1)
        self.decision_card.body.addLayout(kinds)
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.status_combo = QComboBox()
        self.status_combo.setObjectName("statusOfResidence")
        self.period_combo = QComboBox()
        self.period_combo.setObjectName("periodOfStay")
        self.reason_combo = QComboBox()
        self.reason_combo.setObjectName("reason")
        self.note = QLineEdit()
        self.note.setObjectName("note")
        self._status_label, self._period_label = QLabel(), QLabel()
        self._reason_label, self._note_label = QLabel(), QLabel()
        form.addRow(self._status_label, self.status_combo)
        form.addRow(self._period_label, self.period_combo)
        form.addRow(self._reason_label, self.reason_combo)
        form.addRow(self._note_label, self.note)
        self.decision_card.body.addLayout(form)
        self.decision_error = QLabel()
        self.decision_error.setObjectName("error")
        self.decision_error.setWordWrap(True)
        self.decision_card.body.addWidget(self.decision_error)
        # Watchlist face and finger candidates, compared with the traveller before deciding.
        self.candidates = CandidateStrip()
        self.decision_card.body.addWidget(self.candidates, 10)
        self.decision_card.body.addStretch(1)
        buttons = QHBoxLayout()
        self.record_button = QPushButton()
        self.record_button.setObjectName("primary")
        buttons.addWidget(self.record_button, 1)
        self.next_button = QPushButton()
        self.next_button.setObjectName("nextTraveller")
        buttons.addWidget(self.next_button)
        self.decision_card.body.addLayout(buttons)
        grid.addWidget(self.decision_card, 0, 2, 2, 1)

        grid.setColumnStretch(0, 4)
        grid.setColumnStretch(1, 5)
        grid.setColumnStretch(2, 3)
        grid.setRowStretch(0, 1)
        grid.setRowStretch(1, 1)

        self.back.clicked.connect(self._leave)
        self.read_button.clicked.connect(lambda: self._read_document())
        self.mrz_button.clicked.connect(self._enter_mrz)
        self.capture_button.clicked.connect(self._capture_face)
        self.record_button.clicked.connect(self._record_decision)
        self.next_button.clicked.connect(lambda: self.open_case(None))
        self.kind_group.buttonToggled.connect(lambda *_: self._kind_changed())
        self.status_combo.currentIndexChanged.connect(lambda *_: self._fill_periods())
        QShortcut(QKeySequence("Ctrl+Return"), self, self.record_button.click)

    def retranslate(self) -> None:
        self.back.setText(self.tr("Back to home"))
        self.steps.retranslate()
        self.doc_card.title.setText(self.tr("Document"))
        for key, text in (
            ("name", self.tr("Name")),
            ("nationality", self.tr("Nationality")),
            ("birth", self.tr("Date of birth")),
            ("sex", self.tr("Sex")),
            ("number", self.tr("Document no.")),
            ("expiry", self.tr("Date of expiry")),
            ("issuer", self.tr("Issuing state")),
            ("source", self.tr("Read from")),
        ):
            self.doc_fields.rename(key, text)
        self.portrait.set_placeholder(self.tr("Chip photo"))
        self.read_button.setText(self.tr("Read again"))
        self.mrz_button.setText(self.tr("Enter MRZ…"))
        self._fill_specimens()
        self.face_card.title.setText(self.tr("Face"))
        self.preview.set_placeholder(self.tr("Live camera"))
        self.face_shot.set_placeholder(self.tr("Captured"))
        self.capture_button.setText(self.tr("Capture face"))
        self.finger_card.title.setText(self.tr("Fingerprints"))
        self.finger_panel.retranslate()
        self.checks_card.title.setText(self.tr("Checks"))
        self.decision_card.title.setText(self.tr("Decision"))
        self.kind_buttons[DecisionKind.PERMIT_LANDING].setText(self.tr("Permit landing"))
        self.kind_buttons[DecisionKind.REFER_SECONDARY].setText(self.tr("Refer to secondary"))
        self.kind_buttons[DecisionKind.REFUSE_LANDING].setText(self.tr("Refuse"))
        self._status_label.setText(self.tr("Status of residence"))
        self._period_label.setText(self.tr("Period of stay"))
        self._reason_label.setText(self.tr("Reason"))
        self._note_label.setText(self.tr("Note"))
        self.note.setPlaceholderText(self.tr("Optional; required for 'other'"))
        self.record_button.setText(self.tr("Record decision  (Ctrl+Enter)"))
        self.next_button.setText(self.tr("Next traveller"))
        self._fill_statuses()
        self._kind_changed()
        self._render()

    def _fill_specimens(self) -> None:
        purposes = {
            "clean": self.tr("no hit expected"),
            "watchlist document": self.tr("document number on watchlist"),
            "watchlist name": self.tr("name on watchlist"),
            "stolen document": self.tr("stolen document"),
            "forged chip": self.tr("chip fails verification"),
            "BAC only": self.tr("older chip, BAC only"),
        }
        current = max(self.specimen.currentIndex(), 0)
        self.specimen.blockSignals(True)
        self.specimen.clear()
        for name, purpose in self._devices.specimens:
            self.specimen.addItem(
                self.tr("Training specimen: {name} ({purpose})").format(
                    name=name, purpose=purposes.get(purpose, purpose)
                )
            )
        self.specimen.setCurrentIndex(min(current, self.specimen.count() - 1))
        self.specimen.blockSignals(False)

    def _fill_statuses(self) -> None:
        japanese = self._language() == "ja"
        current = self.status_combo.currentData() or DEFAULT_STATUS[0]
        self.status_combo.blockSignals(True)
        self.status_combo.clear()
        for status in grantable_statuses():
            self.status_combo.addItem(status.name_ja if japanese else status.name_en, status.code)
        self.status_combo.setCurrentIndex(max(self.status_combo.findData(current), 0))
        self.status_combo.blockSignals(False)
        self._fill_periods()

    def _fill_periods(self, preferred: str | None = None) -> None:
        status = status_by_code(self.status_combo.currentData() or "")
        current = preferred or self.period_combo.currentData()
        self.period_combo.clear()
        if status is None:
            return
        for period in status.periods:
            self.period_combo.addItem(period_text(period), period)
        index = self.period_combo.findData(current)
        self.period_combo.setCurrentIndex(index if index >= 0 else 0)

    def _kind_changed(self) -> None:
        kind = self._selected_kind()
        permit = kind is DecisionKind.PERMIT_LANDING
        self.status_combo.setEnabled(permit)
        self.period_combo.setEnabled(permit)
        self.reason_combo.setEnabled(kind is not None and not permit)
        japanese = self._language() == "ja"
        current = self.reason_combo.currentData()
        self.reason_combo.clear()
        reasons = REFERRAL_REASONS if kind is DecisionKind.REFER_SECONDARY else REFUSAL_REASONS
        if kind is not None and not permit:
            for reason in reasons:
                self.reason_combo.addItem(
                    reason.name_ja if japanese else reason.name_en, reason.code
                )
            index = self.reason_combo.findData(current)
            self.reason_combo.setCurrentIndex(max(index, 0))

    def _selected_kind(self) -> DecisionKind | None:
        for kind, button in self.kind_buttons.items():
            if button.isChecked():
                return kind
        return None

    # Case lifecycle

    def open_case(self, case_id: str | None) -> None:
        """Start a new examination, or resume ``case_id`` from its saved state."""
        self._stop_devices()
        self._exam = None
        self._last_frame = None
        self.reset_decision_choice()
        self.preview.set_image(None)
        self._render()
        self.doc_status.setText(self.tr("Opening the case…"))

        def opened(exam: LandingExamination | None, error: BaseException | None) -> None:
            if error is not None or exam is None:
                self.doc_status.setText(error_text(error or RuntimeError()))
                return
            self._exam = exam
            self._render()
            self._continue()

        if case_id is None:
            self._workers.run("db", self._new, opened)
        else:
            self._workers.run("db", lambda: self._resume(case_id), opened)

    def _continue(self) -> None:
        """Start whatever the current state needs without an operator action."""
        if self._exam is None:
            return
        state = self._exam.state
        reader = self._devices.reader
        if state is LandingState.DOCUMENT and reader is not None and not reader.simulated:
            # A live e-passport chip opens only with its MRZ (or CAN): the officer scans
            # the data page or types the MRZ first.
            self.doc_status.setText(
                self.tr('Place the passport and press "Enter MRZ…" to scan or type its MRZ.')
            )
            self.mrz_button.setFocus()
        elif state is LandingState.DOCUMENT:
            self._read_document()
        elif state is LandingState.FACE:
            self._start_preview()
        elif state is LandingState.FINGERPRINTS:
            self._capture_fingers()
        elif state is LandingState.CHECKS:
            self._run_checks()
        elif state is LandingState.DECISION:
            self.record_button.setFocus()

    def _leave(self) -> None:
        self._stop_devices()
        self.finished.emit()

    def _stop_devices(self) -> None:
        self._reader_stop.stop()
        self._camera_stop.stop()
        self.finger_panel.stop()
        self._preview_running = False

    def shutdown(self) -> None:
        self._stop_devices()

    # Steps

    def _on_progress(self, step: str, fraction: float) -> None:
        if step.startswith("chip") or step.startswith("card"):
            self.doc_progress.setValue(int(fraction * 100))
            self.doc_status.setText(self.tr("Reading the chip…"))

    def _enter_mrz(self) -> None:
        """Manual MRZ: opens the chip with it on a live reader; otherwise records the
        printed data (marked as manual entry, so the chip checks show as not run)."""
        if self._exam is None or self._exam.state is LandingState.CLOSED:
            return
        dialog = MrzDialog(self, self._devices.read_mrz_image, self._workers)
        if not dialog.exec() or dialog.mrz is None:
            return
        mrz = dialog.mrz
        reader = self._devices.reader
        if reader is not None and not reader.simulated:
            self._read_document(MrzAccessKey.from_mrz(mrz))
            return
        document = DocumentData.from_mrz(mrz, DataSource.MANUAL)
        self._step("db", lambda exam: exam.record_document(document))

    def _read_document(self, access: AccessKey | None = None) -> None:
        reader = self._devices.reader
        if self._exam is None:
            return
        if reader is None:
            self.doc_status.setText(self.tr("No document reader connected."))
            return
        if self._devices.select_specimen is not None and self.specimen.currentIndex() >= 0:
            self._devices.select_specimen(self.specimen.currentIndex())
        stop = self._reader_stop.renew()
        self.read_button.setEnabled(False)
        self.doc_progress.setValue(0)
        self.doc_progress.show()
        self.doc_status.setText(self.tr("Place the passport on the reader…"))
        progress = self._progress.changed.emit

        def read() -> DocumentData:
            return reader.read(access, stop, progress)

        def done(document: DocumentData | None, error: BaseException | None) -> None:
            self.read_button.setEnabled(True)
            if error is not None or document is None:
                self.doc_status.setText(error_text(error or RuntimeError()))
                self.doc_status.setObjectName("error")
                return
            self._step("db", lambda exam: exam.record_document(document))
            self._prepare(document.portrait)

        self._workers.run("reader", read, done)

    def _prepare(self, image: bytes | None) -> None:
        """Encode a face ahead of the checks, while the operator does something else."""
        prepare = self._prepare_face
        if prepare is not None and image is not None:
            self._workers.run("compute", lambda: prepare(image))

    def _step(self, resource: str, action: Callable[[LandingExamination], Any]) -> None:
        """Run a workflow step (it saves the case), then render and continue."""
        exam = self._exam
        if exam is None:
            return

        def done(_result: Any, error: BaseException | None) -> None:
            if error is not None:
                self.decision_error.setText(error_text(error))
                self._render()
                return
            self._render()
            self._continue()

        self._workers.run(resource, lambda: action(exam), done)

    def _start_preview(self) -> None:
        camera = self._devices.camera
        if camera is None:
            self.face_hints.setText(self.tr("No camera connected."))
            return
        if self._preview_running:
            return
        stop = self._camera_stop.renew()
        self._preview_running = True
        self.face_hints.setText(self.tr("Ask the traveller to look at the camera."))

        factory = self._devices.preview_encoder
        scale = self._devices.capture_scale
        self._selector.reset()
        self._auto_captured = False

        def frames() -> Iterator[PreviewFrame]:
            encoder = self._preview_detector(factory)
            liveness = LivenessCheck()
            for frame in camera.frames(stop):
                if encoder is None:
                    yield PreviewFrame(frame, None, None)
                    continue
                detections = encoder.detect(frame.image, upsample=False)
                report = assess_quality(frame, detections, capture_scale=scale)
                face = report.detection
                liveness.observe(frame.timestamp, face.landmarks if face else None)
                yield PreviewFrame(frame, report, liveness.result().status)

        def ended(_result: Any, error: BaseException | None) -> None:
            if stop is self._camera_stop.event:
                self._preview_running = False
            if error is not None:
                self.face_hints.setText(error_text(error))

        self._workers.stream("camera", frames, self._on_frame, ended)

    def _preview_detector(self, factory: Callable[[], FaceEncoder] | None) -> FaceEncoder | None:
        """The preview detector, made once and then used only on the camera thread."""
        if factory is not None and self._detector is None:
            self._detector = factory()
        return self._detector

    def _on_frame(self, preview: PreviewFrame) -> None:
        if not self._preview_running:
            return
        frame, report = preview.frame, preview.report
        self._last_frame = frame
        image = rgb_to_qimage(frame.image)
        if report is not None and report.detection is not None:
            box = report.detection.box
            painter = QPainter(image)
            colour = QColor("#15803d" if report.all_passed else "#d97706")
            painter.setPen(QPen(colour, 3))
            painter.drawRect(box.left, box.top, box.width, box.height)
            painter.end()
        self.preview.set_image(image)
        if report is None:
            return
        self._last_report = report
        live = preview.liveness is LivenessStatus.LIVE or self._devices.training
        notes = [quality_hint(code) for code in (*report.failures, *report.warnings)]
        if not live and preview.liveness is LivenessStatus.STILL:
            notes.append(quality_hint("PAD-STILL"))
        self.face_hints.setText(" · ".join(notes) if notes else self.tr("Good — hold still."))
        ready = self._selector.offer(frame, report) and live
        exam = self._exam
        if ready and not self._auto_captured and exam is not None:
            if exam.state is LandingState.FACE:
                self._auto_captured = True
                self._capture_face()

    def _capture_face(self) -> None:
        if self._exam is None or self._exam.state is LandingState.DOCUMENT:
            return
        camera = self._devices.camera
        if camera is None:
            return
        self.capture_button.setEnabled(False)
        stop = threading.Event()

        report = self._last_report
        notes = report.notes if report is not None else ()

        def capture() -> FaceCapture:
            frame = camera.capture(stop)
            return FaceCapture(
                image=encode_png(frame),
                media_type="image/png",
                width=frame.width,
                height=frame.height,
                captured_at=dt.datetime.now(dt.UTC),
                quality_notes=notes,
            )

        def done(face: FaceCapture | None, error: BaseException | None) -> None:
            self.capture_button.setEnabled(True)
            if error is not None or face is None:
                self.face_hints.setText(error_text(error or RuntimeError()))
                return
            self._camera_stop.stop()
            self._preview_running = False
            self._step("db", lambda exam: exam.record_face(face))
            self._prepare(face.image)

        self._workers.run("compute", capture, done)

    def _capture_fingers(self) -> None:
        if self._exam is None or self._exam.state in (LandingState.DOCUMENT, LandingState.FACE):
            return
        self.finger_panel.start()

    def _record_fingers(self, captures: tuple[FingerCapture, ...]) -> None:
        """Record the panel's finished set (each finger accepted or an exception)."""
        exam = self._exam
        if exam is None:
            return

        def done(_result: Any, error: BaseException | None) -> None:
            if error is not None:
                # the captures stay on the panel, which offers to record them again
                self.finger_panel.recording_failed(error_text(error))
                self._render()
                return
            self._render()
            self._continue()

        self._workers.run("db", lambda: exam.record_fingerprints(captures), done)

    def _run_checks(self) -> None:
        self.checks_summary.setText(self.tr("Checking the watchlist…"))
        self._step("db", lambda exam: exam.run_checks())

    def _record_decision(self) -> None:
        exam = self._exam
        if exam is None or exam.state is not LandingState.DECISION:
            return
        kind = self._selected_kind()
        try:
            if kind is DecisionKind.PERMIT_LANDING:
                decision = Decision(
                    kind,
                    self.status_combo.currentData(),
                    self.period_combo.currentData(),
                    note=self.note.text().strip(),
                )
            elif kind is not None:
                decision = Decision(
                    kind, reason_code=self.reason_combo.currentData(), note=self.note.text().strip()
                )
            else:
                self.decision_error.setText(self.tr("Choose permit, refer or refuse."))
                return
        except Exception as e:  # noqa: BLE001 - InvalidDecision shown to the officer
            self.decision_error.setText(error_text(e))
            return
        self.record_button.setEnabled(False)
        self.decision_error.clear()

        def done(record: DecisionRecord | None, error: BaseException | None) -> None:
            if error is not None:
                self.record_button.setEnabled(True)
                self.decision_error.setText(error_text(error))
                return
            self._render()
            self.case_closed.emit(record)
            self.next_button.setFocus()

        self._workers.run("db", lambda: exam.decide(decision), done)

    # Rendering

    def _render(self) -> None:
        exam = self._exam
        state = exam.state if exam else LandingState.DOCUMENT
        case = exam.case if exam else None
        self.steps.set_state(state)
        self.case_label.setText(self.tr("Case {id}").format(id=case.case_id[:8]) if case else "")
        document = case.document if case else None
        if document is None:
            self.doc_fields.clear()
            self.portrait.set_image(None)
            self.doc_card.set_badge("")
        else:
            self._show_document(document)
        face = case.face if case else None
        self.face_shot.set_image(face.image if face else None)
        if face is not None:
            self.face_card.set_badge(self.tr("Captured"), "ok")
            self.face_hints.setText(self.tr("Face captured."))
        else:
            self.face_card.set_badge("")
        self.capture_button.setEnabled(
            exam is not None
            and state is not LandingState.DOCUMENT
            and state is not LandingState.CLOSED
        )
        self._show_fingers(exam)
        self._show_checks(case.checks if case else None)
        decided = case.decision if case else None
        self.record_button.setEnabled(state is LandingState.DECISION)
        self.next_button.setVisible(decided is not None)
        for button in self.kind_buttons.values():
            button.setEnabled(state is LandingState.DECISION)
        if decided is not None:
            self.decision_card.set_badge(
                decision_text(decided.decision.kind.value), self._decision_level(decided)
            )
            self.decision_error.setObjectName("stepDone")
            self.decision_error.setText(
                self.tr("Decision stored at {time} (watchlist v{version}).").format(
                    time=decided.decided_at.astimezone().strftime("%H:%M:%S"),
                    version=decided.watchlist_version,
                )
            )
        else:
            self.decision_card.set_badge("")
            self.decision_error.setObjectName("error")
            if exam is None:
                self.decision_error.clear()
        self.decision_error.style().unpolish(self.decision_error)
        self.decision_error.style().polish(self.decision_error)

    def _show_fingers(self, exam: LandingExamination | None) -> None:
        panel = self.finger_panel
        case = exam.case if exam is not None else None
        case_id = case.case_id if case is not None else None
        if case_id != self._finger_case:
            # a new or resumed case: its policy's thresholds and whatever it has recorded
            self._finger_case = case_id
            if exam is not None:
                panel.set_policy(
                    FingerQualityPolicy(
                        min_quality=exam.policy.landing_finger_min_quality,
                        max_attempts=exam.policy.landing_finger_attempts,
                    )
                )
            panel.load(case.fingers if case is not None else ())
        state = exam.state if exam is not None else None
        panel.set_active(
            state in (LandingState.FINGERPRINTS, LandingState.CHECKS, LandingState.DECISION)
        )
        fingers = case.fingers if case is not None else ()
        if not fingers:
            self.finger_card.set_badge("")
        elif any(c.exception is not None for c in fingers):
            self.finger_card.set_badge(self.tr("Recorded, with exceptions"), "warn")
        else:
            self.finger_card.set_badge(self.tr("Recorded"), "ok")

    @staticmethod
    def _decision_level(record: DecisionRecord) -> str:
        return {
            DecisionKind.PERMIT_LANDING: "ok",
            DecisionKind.REFER_SECONDARY: "warn",
        }.get(record.decision.kind, "alert")

    def _show_document(self, document: DocumentData) -> None:
        fields = self.doc_fields
        fields.set("name", document.full_name)
        fields.set("nationality", document.nationality)
        fields.set("birth", document.birth_date.isoformat() if document.birth_date else "")
        fields.set("sex", document.sex)
        fields.set("number", document.document_number)
        fields.set("expiry", document.expiry_date.isoformat() if document.expiry_date else "")
        fields.set("issuer", document.issuing_state)
        sources = {
            "chip": self.tr("chip (verified)"),
            "mrz_ocr": self.tr("printed MRZ"),
            "manual": self.tr("manual entry"),
            "simulated": self.tr("simulated chip (training)"),
        }
        fields.set("source", sources.get(document.source.value, document.source.value))
        self.portrait.set_image(document.portrait)
        self.doc_progress.hide()
        self.doc_status.setObjectName("")
        self.doc_status.setText(self.tr("Document read."))
        self.doc_card.set_badge(self.tr("Read"), "ok")
        verdict = document.chip_verdict
        if verdict is not None:
            genuine = not document.chip_rejected
            self.doc_card.set_badge(
                self.tr("Chip genuine") if genuine else self.tr("CHIP NOT GENUINE"),
                "ok" if genuine else "alert",
            )
            text = chip_verdict_text(verdict)
            if document.chip_access == "BAC":
                text += " " + self.tr(
                    "Read with BAC (older, weaker chip access): check the document closely."
                )
            self.doc_status.setText(text)
            self.doc_status.setObjectName("" if genuine else "error")
        self.doc_status.style().unpolish(self.doc_status)
        self.doc_status.style().polish(self.doc_status)

    def _show_checks(self, checks: ChecksOutcome | None) -> None:
        self.hits.clear()
        if checks is None:
            self.hits.setVisible(False)
            self.face_result.clear()
            self.checks_card.set_badge("")
            self.checks_summary.setText(
                self.tr("Checks run when document, face and fingers are captured.")
            )
            self.watchlist_label.clear()
            self.biometric_label.clear()
            self.candidates.set_candidates([])
            return
        age_hours = (dt.datetime.now(dt.UTC) - checks.watchlist.published_at).total_seconds() / 3600
        self.watchlist_label.setText(
            self.tr("Watchlist version {v}, published {h:.0f} h ago.").format(
                v=checks.watchlist.version, h=age_hours
            )
        )
        if checks.freshness is Freshness.STALE_BLOCK:
            self.watchlist_label.setText(
                self.watchlist_label.text() + " " + self.tr("Too old: decisions are blocked.")
            )
        elif checks.freshness is Freshness.STALE_WARN:
            self.watchlist_label.setText(
                self.watchlist_label.text() + " " + self.tr("Out of date: synchronise soon.")
            )
        self._show_face(checks)
        self._show_candidates(checks)
        problems = []
        if checks.document_expired:
            problems.append(self.tr("The document has expired."))
        document = self._exam.case.document if self._exam is not None else None
        if document is not None and document.chip_rejected:
            problems.append(self.tr("The document's chip failed verification."))
        self.hits.setVisible(bool(checks.hits))
        if not checks.hits:
            self.checks_card.set_badge(self.tr("No match"), "ok" if not problems else "warn")
            self.checks_summary.setText(
                " ".join([self.tr("No watchlist or lost-document match."), *problems])
            )
        else:
            strongest = checks.hits[0].action
            level = "alert" if strongest is WatchlistAction.REFUSE else "warn"
            self.checks_card.set_badge(
                self.tr("{n} possible match(es)").format(n=len(checks.hits)), level
            )
            self.checks_summary.setText(
                " ".join(
                    [self.tr("Compare the traveller with each entry before deciding."), *problems]
                )
            )
            for hit in checks.hits:
                reasons = ", ".join(reason_text(r) for r in hit.reasons)
                if hit.kind in BIOMETRIC_KINDS:
                    # the reasons say how strong; the images are beside the decision
                    text = f"{hit.label} — {reasons}"
                else:
                    strength = (
                        self.tr("exact")
                        if hit.score >= 1.0
                        else self.tr("similar ({p:.0%})").format(p=hit.score)
                    )
                    text = f"{hit.label} — {strength}; {reasons}"
                item = QListWidgetItem(
                    f"{action_text(hit.action.value)} · {hit_kind_text(hit.kind.value)}\n{text}"
                )
                item.setForeground(
                    Qt.GlobalColor.darkRed
                    if hit.action is WatchlistAction.REFUSE
                    else Qt.GlobalColor.black
                )
                self.hits.addItem(item)
        # Pre-select what the checks suggest; the officer confirms or changes it.
        if (
            self._exam is not None
            and self._exam.state is LandingState.DECISION
            and self._selected_kind() is None
        ):
            face_mismatch = checks.face is not None and checks.face.blocks_permit
            chip_rejected = document is not None and document.chip_rejected
            if checks.hits or checks.document_expired or face_mismatch or chip_rejected:
                self.kind_buttons[DecisionKind.REFER_SECONDARY].setChecked(True)
                if face_mismatch and not checks.hits:
                    self.reason_combo.setCurrentIndex(
                        max(self.reason_combo.findData("R-BIOMETRIC"), 0)
                    )
            else:
                self.kind_buttons[DecisionKind.PERMIT_LANDING].setChecked(True)
                self.status_combo.setCurrentIndex(
                    max(self.status_combo.findData(DEFAULT_STATUS[0]), 0)
                )
                self._fill_periods(DEFAULT_STATUS[1])
        if (
            self._exam is not None
            and self._exam.case.decision is None
            and self._exam.state is LandingState.DECISION
        ):
            self.record_button.setFocus()

    def _show_candidates(self, checks: ChecksOutcome) -> None:
        searched = checks.biometrics
        if searched is None:
            self.biometric_label.setText(
                self.tr("Watchlist faces and fingerprints: not searched (not configured).")
            )
        elif not searched.loaded:
            self.biometric_label.setText(
                self.tr("Watchlist faces and fingerprints: not searched, still loading.")
            )
        elif not searched.faces and not searched.fingers:
            self.biometric_label.setText(
                self.tr("Watchlist faces and fingerprints: this watchlist has none.")
            )
        else:
            fingers_searched = sum(p.startswith("finger_") for p in searched.probes)
            text = (
                self.tr(
                    "Searched the face and {n} finger(s) against {faces} faces and "
                    "{fingers} fingers on the watchlist."
                )
                if "face" in searched.probes
                else self.tr(
                    "Searched {n} finger(s), not the face, against {faces} faces and "
                    "{fingers} fingers on the watchlist."
                )
            )
            self.biometric_label.setText(
                text.format(
                    n=fingers_searched, faces=f"{searched.faces:,}", fingers=f"{searched.fingers:,}"
                )
            )
        case = self._exam.case if self._exam is not None else None
        fingers = {f"finger_{c.finger.value}": c.image for c in case.fingers} if case else {}
        candidates = []
        for hit in checks.hits:
            if hit.kind not in BIOMETRIC_KINDS:
                continue
            if hit.kind is HitKind.FACE:
                modality = BiometricModality.FACE
                live = case.face.image if case is not None and case.face is not None else None
            else:
                modality = BiometricModality.FINGER
                live = next((fingers[r] for r in hit.reasons if fingers.get(r)), None)
            found = (
                self._reference_image(hit.entry_id, modality, hit.reference)
                if self._reference_image is not None
                else None
            )
            candidates.append(Candidate(hit, live, found[1] if found else None))
        self.candidates.set_candidates(candidates)

    def _show_face(self, checks: ChecksOutcome) -> None:
        face = checks.face
        if face is None:
            self.face_result.setText(
                self.tr("Face 1:1: not checked (face matching not installed).")
            )
            self.face_result.setObjectName("hint")
        else:
            text = face_outcome_text(face.outcome.value)
            if face.strength_code:
                text += " — " + strength_text(face.strength_code)
            self.face_result.setText(text)
            level = {FaceOutcome.MATCH: "stepDone", FaceOutcome.NO_MATCH: "error"}
            self.face_result.setObjectName(level.get(face.outcome, "hint"))
        self.face_result.style().unpolish(self.face_result)
        self.face_result.style().polish(self.face_result)

    def reset_decision_choice(self) -> None:
        self.kind_group.setExclusive(False)
        for button in self.kind_buttons.values():
            button.setChecked(False)
        self.kind_group.setExclusive(True)
        self.note.clear()
