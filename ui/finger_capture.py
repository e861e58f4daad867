"""The two-index-finger capture panel: live image, quality bar, hint, retry and exceptions.

One column per finger. A finger goes live (the scanner's preview, when it has one, while the
capture runs), is measured (:mod:`devices.fingerprint.feedback`: NFIQ 2, hints, the
altered-finger warning) and judged by the core's gate
(:func:`workstation.fingerprint.quality.assess`). An accepted finger starts the next one by
itself; a refused one waits for Retry or an exception (missing, injured, unusable). The
panel emits :attr:`FingerCapturePanel.completed` once every finger has an accepted capture or
an exception, and never before: the caller records exactly that set.

Device errors (scanner gone, busy, stalled live image, untrusted signature ...) are shown in
plain words on the finger and the panel; whatever was captured stays, and Retry tries again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from enum import Enum, unique
from typing import Any

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from devices.fingerprint.feedback import FingerMeasurement, FingerMeasurer
from ui.messages import error_text, finger_exception_text, finger_hint_text, finger_name_text
from ui.style import OK, WARN
from ui.widgets import ImageBox
from ui.workers import Workers
from workstation.captures import Finger, FingerCapture, FingerException
from workstation.errors import CaptureCancelled, WorkstationError
from workstation.fingerprint.quality import FingerQualityPolicy, assess
from workstation.ports import FingerprintPreview, FingerprintScanner

logger = logging.getLogger(__name__)

Measure = Callable[[FingerCapture], FingerMeasurement]


@unique
class Phase(Enum):
    """Where one finger is."""

    WAITING = "waiting"
    LIVE = "live"
    MEASURING = "measuring"
    DONE = "done"
    FAILED = "failed"


@dataclass
class FingerSlot:
    """One finger's state. ``result`` is the judged capture or the declared exception."""

    finger: Finger
    phase: Phase = Phase.WAITING
    result: FingerCapture | None = None
    measurement: FingerMeasurement | None = None
    attempts: int = 0
    error: BaseException | None = None
    token: object | None = None
    capturing: bool = False
    frames: int = 0
    """Live frames shown for the current attempt."""
    capture_stop: threading.Event = field(default_factory=threading.Event)
    preview_stop: threading.Event = field(default_factory=threading.Event)


class QualityBar(QWidget):
    """A 0-100 bar with the threshold marked: green at or above it, amber below."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("qualityBar")
        self.setMinimumHeight(16)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.value: int | None = None
        self.threshold = 0

    def set_value(self, value: int | None, threshold: int) -> None:
        self.value, self.threshold = value, threshold
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(160, 16)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 2.5, -0.5, -2.5)
        painter.setPen(QPen(QColor("#c3cbd5"), 1))
        painter.setBrush(QColor("#f5f7fa"))
        painter.drawRoundedRect(rect, 3, 3)
        if self.value is not None:
            filled = QRectF(rect)
            filled.setWidth(rect.width() * max(0, min(100, self.value)) / 100)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(OK if self.value >= self.threshold else WARN))
            painter.drawRoundedRect(filled, 3, 3)
        x = rect.left() + rect.width() * self.threshold / 100
        painter.setPen(QPen(QColor("#1f2933"), 2))
        painter.drawLine(int(x), 0, int(x), self.height())
        painter.end()


class FingerView:
    """The widgets of one finger: name and state, image, quality bar, hint, buttons. The panel
    lays them out in a grid column, so the rows of the two fingers line up."""

    ROWS = ("header", "image", "bar", "score", "hint", "warning", "buttons")

    def __init__(self, finger: Finger) -> None:
        self.finger = finger
        self.header = QWidget()
        header = QHBoxLayout(self.header)
        header.setContentsMargins(0, 0, 0, 0)
        self.name = QLabel()
        self.name.setObjectName("fieldValue")
        header.addWidget(self.name)
        header.addStretch(1)
        self.badge = QLabel()
        self.badge.hide()
        header.addWidget(self.badge)
        self.image = ImageBox("", (100, 100))
        self.bar = QualityBar()
        self.score = QLabel()
        self.score.setObjectName("hint")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.warning = QLabel()
        self.warning.setObjectName("error")
        self.warning.setWordWrap(True)
        self.warning.hide()
        self.buttons = QWidget()
        buttons = QHBoxLayout(self.buttons)
        buttons.setContentsMargins(0, 0, 0, 0)
        self.retry = QPushButton()
        self.retry.setObjectName("retryFinger")
        buttons.addWidget(self.retry)
        self.exception = QPushButton()
        self.exception.setObjectName("fingerException")
        self.exception_menu = QMenu(self.exception)
        self.exception_actions = {
            reason: self.exception_menu.addAction("") for reason in FingerException
        }
        self.exception.setMenu(self.exception_menu)
        buttons.addWidget(self.exception)
        buttons.addStretch(1)

    def place(self, grid: QGridLayout, column: int) -> None:
        for row, name in enumerate(self.ROWS):
            grid.addWidget(getattr(self, name), row, column)

    def set_badge(self, text: str, level: str = "ok") -> None:
        if not text:
            self.badge.hide()
            return
        self.badge.setText(text)
        self.badge.setObjectName({"ok": "badgeOk", "warn": "badgeWarn"}.get(level, "badgeAlert"))
        _repolish(self.badge)
        self.badge.show()

    def set_hint(self, text: str, error: bool = False) -> None:
        self.hint.setText(text)
        self.hint.setObjectName("error" if error else "")
        _repolish(self.hint)


def _repolish(widget: QWidget) -> None:
    widget.style().unpolish(widget)
    widget.style().polish(widget)


class FingerCapturePanel(QWidget):
    """Captures each finger in ``fingers`` to an accepted image or a declared exception.

    :param workers: runs the capture (``scanner``), the live image (``scanner-preview``) and
        the measurement (``compute``) off the GUI thread.
    :param scanner: the scanner, or ``None`` (then only exceptions can be recorded).
    :param fingers: the fingers to take, in order (the booth: right and left index).
    :param measure: quality, hints and warning of one capture; the default measures NFIQ 2
        with nbis-py when it is installed.
    """

    completed = Signal(object)
    """``tuple[FingerCapture, ...]``: one per finger, in order, each accepted or an exception."""

    def __init__(
        self,
        workers: Workers,
        scanner: FingerprintScanner | None,
        fingers: Sequence[Finger],
        measure: Measure | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("fingerCapturePanel")
        self._workers = workers
        self._scanner = scanner
        self._measure = measure or FingerMeasurer().measure
        # replaced by the case's policy (set_policy) before any capture
        self._policy = FingerQualityPolicy.recommended("verification")
        self._active = True
        self._emitted: tuple[FingerCapture, ...] | None = None
        self.slots = {finger: FingerSlot(finger) for finger in fingers}
        self.views: dict[Finger, FingerView] = {}
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(6)
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(4)
        for column, finger in enumerate(fingers):
            view = FingerView(finger)
            view.retry.clicked.connect(lambda _=False, f=finger: self.retry(f))
            for reason, action in view.exception_actions.items():
                action.triggered.connect(
                    lambda _=False, f=finger, r=reason: self.declare_exception(f, r)
                )
            view.place(grid, column)
            grid.setColumnStretch(column, 1)
            self.views[finger] = view
        grid.setRowStretch(FingerView.ROWS.index("image"), 1)
        outer.addLayout(grid, 1)
        bottom = QHBoxLayout()
        self.status = QLabel()
        self._status_text: Callable[[], str] | str = ""
        self.status.setWordWrap(True)
        bottom.addWidget(self.status, 1)
        self.save_button = QPushButton()
        self.save_button.setObjectName("saveFingers")
        self.save_button.hide()
        self.save_button.clicked.connect(self._emit_completed)
        bottom.addWidget(self.save_button)
        outer.addLayout(bottom)
        self.retranslate()

    # Public API

    @property
    def policy(self) -> FingerQualityPolicy:
        return self._policy

    def set_policy(self, policy: FingerQualityPolicy) -> None:
        """The workflow's thresholds (from the operational policy)."""
        self._policy = policy
        self._refresh()

    def set_active(self, active: bool) -> None:
        """Whether the operator may capture now (the case is at or past the finger step)."""
        self._active = active
        self._refresh()

    def load(self, captures: Sequence[FingerCapture]) -> None:
        """Show what the case has recorded (a new or resumed case); nothing is emitted."""
        self.stop()
        recorded = {c.finger: c for c in captures}
        for finger in self.slots:
            capture = recorded.get(finger)
            self.slots[finger] = (
                FingerSlot(finger, Phase.DONE, capture)
                if capture is not None
                else FingerSlot(finger)
            )
            self.views[finger].image.set_image(capture.image if capture is not None else None)
        self._emitted = self.captures()
        self.status.clear()
        self._refresh()

    def start(self) -> None:
        """Capture the next finger that has nothing yet (the automatic flow)."""
        if self._busy() or not self._active:
            return
        if self._scanner is None:
            self._set_status(lambda: self.tr("No fingerprint scanner connected."), error=True)
            return
        waiting = [s for s in self.slots.values() if s.phase is Phase.WAITING]
        if waiting:
            self._begin(waiting[0].finger)

    def stop(self) -> None:
        """Stop the live image and any capture (leaving the case, closing the screen)."""
        for slot in self.slots.values():
            slot.capture_stop.set()
            slot.preview_stop.set()
            if slot.phase in (Phase.LIVE, Phase.MEASURING):
                # a retake that did not finish leaves the previous result as it was
                slot.token = None
                slot.phase = Phase.DONE if slot.result is not None else Phase.WAITING
                image = slot.result.image if slot.result is not None else None
                self.views[slot.finger].image.set_image(image)
        self._refresh()

    def retry(self, finger: Finger) -> None:
        """Capture ``finger`` again (also after an exception was declared for it)."""
        if self._busy() or not self._active or self._scanner is None:
            return
        self._begin(finger)

    def declare_exception(self, finger: Finger, reason: FingerException) -> None:
        """Record ``reason`` for ``finger`` instead of an image (cancels its capture)."""
        if not self._active or not self._policy.allow_exceptions:
            return
        slot = self.slots[finger]
        slot.capture_stop.set()
        slot.preview_stop.set()
        slot.token = None
        slot.phase = Phase.DONE
        slot.error = None
        slot.measurement = None
        slot.result = FingerCapture(finger, None, "", None, reason)
        self.views[finger].image.set_image(None)
        logger.info("finger %d declared %s", finger.value, reason.value)
        self._after_result()

    def captures(self) -> tuple[FingerCapture, ...] | None:
        """One capture per finger, in order, when every finger is accepted or an exception."""
        results = [s.result for s in self.slots.values() if s.phase is Phase.DONE]
        if len(results) != len(self.slots) or any(r is None for r in results):
            return None
        captures = tuple(r for r in results if r is not None)
        if not assess(captures, list(self.slots), self._policy).acceptable:
            return None
        return captures

    def accepted(self, finger: Finger) -> bool:
        """Whether ``finger`` has an accepted capture or an exception."""
        slot = self.slots[finger]
        if slot.phase is not Phase.DONE or slot.result is None:
            return False
        return assess([slot.result], [finger], self._policy).acceptable

    def recording_failed(self, message: str) -> None:
        """The caller could not record the set: keep it and offer to record it again."""
        self._emitted = None
        self._set_status(message, error=True)
        self._refresh()

    def retranslate(self) -> None:
        for finger, view in self.views.items():
            view.name.setText(finger_name_text(finger.value))
            view.exception.setText(self.tr("Exception"))
            for reason, action in view.exception_actions.items():
                action.setText(finger_exception_text(reason.value))
        self.save_button.setText(self.tr("Record fingers"))
        if not isinstance(self._status_text, str):
            self.status.setText(self._status_text())
        self._refresh()

    # Capture flow

    def _busy(self) -> bool:
        return any(s.phase in (Phase.LIVE, Phase.MEASURING) for s in self.slots.values())

    def _begin(self, finger: Finger) -> None:
        scanner = self._scanner
        if scanner is None:
            return
        slot = self.slots[finger]
        slot.capture_stop.set()
        slot.preview_stop.set()
        token = object()
        slot.token = token
        slot.capture_stop, slot.preview_stop = threading.Event(), threading.Event()
        slot.phase, slot.error, slot.measurement = Phase.LIVE, None, None
        slot.capturing, slot.frames = False, 0
        slot.attempts += 1
        preview_stop = slot.preview_stop
        self.views[finger].image.set_image(None)
        self._set_status(
            lambda: self.tr("{finger}: place the finger on the scanner.").format(
                finger=finger_name_text(finger.value)
            )
        )
        self._refresh()
        if not isinstance(scanner, FingerprintPreview):
            self._start_capture(slot, token)
            return
        preview = scanner

        def frames() -> Iterator[bytes]:
            return preview.preview(finger, preview_stop)

        # SBI order: the stream first, RCAPTURE once it shows a frame (or has failed)
        self._workers.stream(
            "scanner-preview",
            frames,
            lambda frame: self._on_frame(finger, token, frame),
            lambda _r, error: self._preview_ended(finger, token, error),
        )

    def _start_capture(self, slot: FingerSlot, token: object) -> None:
        scanner = self._scanner
        if scanner is None or slot.capturing or slot.token is not token:
            return
        slot.capturing = True
        finger, stop = slot.finger, slot.capture_stop

        def capture() -> tuple[FingerCapture, ...]:
            return scanner.capture((finger,), stop)

        self._workers.run(
            "scanner", capture, lambda result, error: self._captured(finger, token, result, error)
        )

    def _on_frame(self, finger: Finger, token: object, frame: bytes) -> None:
        slot = self.slots[finger]
        if slot.token is token and slot.phase is Phase.LIVE:
            self.views[finger].image.set_image(frame)
            slot.frames += 1
            self._start_capture(slot, token)

    def _preview_ended(self, finger: Finger, token: object, error: BaseException | None) -> None:
        slot = self.slots[finger]
        if slot.token is not token or slot.phase is not Phase.LIVE:
            return
        if error is not None and not isinstance(error, CaptureCancelled):
            # the capture may still succeed; say what happened to the live image
            self._log_error("preview", finger, error)
            self._set_status(lambda: error_text(error), error=True)
        self._start_capture(slot, token)

    def _captured(
        self,
        finger: Finger,
        token: object,
        result: tuple[FingerCapture, ...] | None,
        error: BaseException | None,
    ) -> None:
        slot = self.slots[finger]
        slot.preview_stop.set()
        if slot.token is not token:
            return
        if error is not None or not result:
            self._failed(slot, error or RuntimeError("empty capture"))
            return
        capture = result[0]
        if capture.image is None:
            # the scanner itself reported the finger as an exception
            slot.phase, slot.result = Phase.DONE, capture
            self._after_result()
            return
        slot.phase = Phase.MEASURING
        self.views[finger].image.set_image(capture.image)
        self._set_status(lambda: self.tr("Checking the quality…"))
        measure = self._measure
        self._workers.run(
            "compute",
            lambda: measure(capture),
            lambda measured, err: self._measured(finger, token, measured, err),
        )
        self._refresh()

    def _measured(
        self,
        finger: Finger,
        token: object,
        measurement: FingerMeasurement | None,
        error: BaseException | None,
    ) -> None:
        slot = self.slots[finger]
        if slot.token is not token:
            return
        if error is not None or measurement is None:
            self._failed(slot, error or RuntimeError("no measurement"))
            return
        slot.phase, slot.measurement, slot.result = Phase.DONE, measurement, measurement.capture
        logger.info(
            "finger %d captured: quality %s, accepted %s",
            finger.value,
            measurement.capture.quality,
            self.accepted(finger),
        )
        self._after_result()

    def _failed(self, slot: FingerSlot, error: BaseException) -> None:
        self._log_error("capture", slot.finger, error)
        slot.phase, slot.error, slot.token = Phase.FAILED, error, None
        self._set_status(lambda: error_text(error), error=True)
        self._refresh()

    @staticmethod
    def _log_error(what: str, finger: Finger, error: BaseException) -> None:
        code = error.code if isinstance(error, WorkstationError) else type(error).__name__
        logger.warning("finger %d %s failed: %s", finger.value, what, code)

    def _after_result(self) -> None:
        """Go on to the next finger that has nothing yet, or report the finished set."""
        self._refresh()
        if self._busy():
            return
        finished = [f for f in self.slots if self.accepted(f)]
        waiting = [s.finger for s in self.slots.values() if s.phase is Phase.WAITING]
        if waiting and self._scanner is not None and self._active:
            if all(self.accepted(f) or self.slots[f].phase is Phase.WAITING for f in self.slots):
                self._begin(waiting[0])
                return
        if len(finished) == len(self.slots):
            self._set_status(lambda: self.tr("All fingers done."))
            self._emit_completed()
        elif not any(s.phase is Phase.FAILED for s in self.slots.values()):
            self._set_status(lambda: self.tr("Retake the finger or record an exception."))

    def _emit_completed(self) -> None:
        captures = self.captures()
        if captures is None or captures == self._emitted:
            self._refresh()
            return
        self._emitted = captures
        self._refresh()
        self.completed.emit(captures)

    # Rendering

    def _set_status(self, text: Callable[[], str] | str, error: bool = False) -> None:
        """Show a status line; given as a function, it is shown again in a new language."""
        self._status_text = text
        self.status.setText(text if isinstance(text, str) else text())
        self.status.setObjectName("error" if error else "hint")
        _repolish(self.status)

    def _refresh(self) -> None:
        busy = self._busy()
        for finger, slot in self.slots.items():
            self._show(self.views[finger], slot, busy)
        complete = self.captures()
        self.save_button.setVisible(complete is not None and complete != self._emitted and not busy)

    def _show(self, view: FingerView, slot: FingerSlot, busy: bool) -> None:
        threshold = self._policy.min_quality
        result = slot.result if slot.phase is Phase.DONE else None
        view.retry.setText(self.tr("Retry") if slot.attempts or result else self.tr("Capture"))
        view.retry.setEnabled(
            self._active and self._scanner is not None and not busy and slot.phase is not Phase.LIVE
        )
        view.exception.setEnabled(self._active and self._policy.allow_exceptions)
        view.warning.hide()
        if slot.phase is Phase.LIVE:
            view.set_badge(self.tr("Live"), "warn")
            view.bar.set_value(None, threshold)
            view.score.setText(self.tr("Threshold {t}").format(t=threshold))
            view.set_hint(self.tr("Place the finger flat on the glass and hold still."))
            view.image.set_placeholder(self.tr("Waiting for the scanner…"))
            return
        if slot.phase is Phase.MEASURING:
            view.set_badge(self.tr("Checking"), "warn")
            view.set_hint(self.tr("Checking the quality…"))
            return
        if slot.phase is Phase.FAILED:
            view.set_badge(self.tr("Not captured"), "alert")
            view.bar.set_value(None, threshold)
            view.score.setText(self.tr("Threshold {t}").format(t=threshold))
            view.set_hint(error_text(slot.error or RuntimeError()), error=True)
            view.image.set_placeholder(self.tr("No image"))
            return
        if result is None:
            view.set_badge("")
            view.bar.set_value(None, threshold)
            view.score.setText(self.tr("Threshold {t}").format(t=threshold))
            view.set_hint(self.tr("Waiting."))
            view.image.set_placeholder(finger_name_text(slot.finger.value))
            return
        if result.exception is not None:
            reason = finger_exception_text(result.exception.value)
            view.set_badge(reason, "warn")
            view.bar.set_value(None, threshold)
            view.score.setText(self.tr("No image"))
            view.set_hint(
                self.tr("Exception: {reason}. Retry captures the finger after all.").format(
                    reason=reason
                )
            )
            view.image.set_placeholder(reason)
            return
        view.bar.set_value(result.quality, threshold)
        view.score.setText(self._score_text(result.quality))
        view.score.setToolTip(self._score_detail(slot.measurement))
        measurement = slot.measurement
        if measurement is not None and measurement.altered:
            view.warning.setText(finger_hint_text("FP-ALTERED-SUSPECT"))
            view.warning.show()
        if self.accepted(slot.finger):
            view.set_badge(self.tr("Accepted"), "ok")
            view.set_hint(self.tr("Good quality."))
            return
        view.set_badge(self.tr("Retake"), "alert")
        hints = [finger_hint_text(h.value) for h in measurement.hints] if measurement else []
        hints.append(finger_hint_text("FP-QUALITY-LOW"))
        if slot.attempts >= self._policy.max_attempts:
            hints.append(
                self.tr("If the finger cannot give a better print, record it as unusable.")
            )
        view.set_hint("\n".join(hints), error=True)

    def _score_text(self, quality: int | None) -> str:
        threshold = self._policy.min_quality
        if quality is None:
            return self.tr("Quality not measurable (needs {t})").format(t=threshold)
        return self.tr("Quality {q} (needs {t})").format(q=quality, t=threshold)

    def _score_detail(self, measurement: FingerMeasurement | None) -> str:
        if measurement is None:
            return ""
        parts: list[Any] = []
        if measurement.nfiq2_measured:
            parts.append(
                self.tr("NFIQ 2: {q}").format(
                    q=measurement.nfiq2 if measurement.nfiq2 is not None else "—"
                )
            )
        if measurement.device_quality is not None:
            parts.append(self.tr("scanner: {q}").format(q=measurement.device_quality))
        return " · ".join(parts)
