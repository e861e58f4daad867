"""The Document check screen: read a residence card's chip and say whether it is genuine.

The operator types the card number printed on the card; the chip is authenticated with it,
every file is read, the check code and the CA chain are verified, and the screen shows the
chip's card image and photo beside its data, with one plain-language line per check.
"""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image
from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.messages import error_text
from ui.widgets import Card, FieldGrid, ImageBox
from ui.workers import StopFlag, Workers
from workstation.ports import Progress
from workstation.residence_card import CheckStatus, ResidenceCardReport, Verdict

Inspect = Callable[[str, threading.Event, Progress], ResidenceCardReport]

_CARD_NUMBER = re.compile(r"^[A-Z]{2}[0-9]{8}[A-Z]{2}$")


@dataclass(frozen=True)
class CardResult:
    """A report with its images converted to PNG for display (done off the GUI thread)."""

    report: ResidenceCardReport
    front_png: bytes | None
    face_png: bytes | None


def _to_png(data: bytes | None) -> bytes | None:
    """TIFF (MMR) and JPEG 2000 are not displayable by Qt everywhere: convert with Pillow."""
    if not data:
        return None
    try:
        with Image.open(io.BytesIO(data)) as image:
            buffer = io.BytesIO()
            image.convert("RGB" if image.mode not in ("1", "L") else "L").save(buffer, "PNG")
            return buffer.getvalue()
    except (OSError, ValueError):
        return None


class _Progress(QObject):
    changed = Signal(str, float)


class DocumentCheckPage(QWidget):
    finished = Signal()

    def __init__(
        self,
        workers: Workers,
        inspect: Inspect | None,
        training_cards: tuple[tuple[str, str], ...] = (),
        select_card: Callable[[int], None] | None = None,
    ) -> None:
        super().__init__()
        self.setObjectName("page")
        self._workers = workers
        self._inspect = inspect
        self._training_cards = training_cards
        self._select_card = select_card
        self._stop = StopFlag()
        self._result: CardResult | None = None
        self._progress = _Progress()

        outer = QVBoxLayout(self)
        outer.setContentsMargins(20, 12, 20, 16)
        top = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("cardTitle")
        top.addWidget(self.heading)
        top.addStretch(1)
        self.back = QPushButton()
        top.addWidget(self.back)
        outer.addLayout(top)
        grid = QGridLayout()
        grid.setSpacing(12)
        outer.addLayout(grid, 1)

        self.input_card = Card("")
        self.number_label = QLabel()
        self.input_card.body.addWidget(self.number_label)
        self.card_number = QLineEdit()
        self.card_number.setObjectName("cardNumber")
        self.card_number.setMaxLength(14)
        self.card_number.setStyleSheet("font-size: 16pt; letter-spacing: 2px;")
        self.input_card.body.addWidget(self.card_number)
        self.format_hint = QLabel()
        self.format_hint.setObjectName("hint")
        self.format_hint.setWordWrap(True)
        self.input_card.body.addWidget(self.format_hint)
        self.training = QComboBox()
        self.training.setObjectName("trainingCard")
        self.training.setVisible(bool(training_cards))
        self.input_card.body.addWidget(self.training)
        self.read_button = QPushButton()
        self.read_button.setObjectName("primary")
        self.input_card.body.addWidget(self.read_button)
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.input_card.body.addWidget(self.progress)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.input_card.body.addWidget(self.status)
        self.input_card.body.addStretch(1)
        grid.addWidget(self.input_card, 0, 0)

        self.images_card = Card("")
        self.front = ImageBox("", (320, 200))
        self.images_card.body.addWidget(self.front, 3)
        self.face = ImageBox("", (120, 150))
        self.face.setMaximumHeight(220)
        self.images_card.body.addWidget(self.face, 2)
        grid.addWidget(self.images_card, 0, 1, 2, 1)

        self.result_card = Card("")
        self.verdict = QLabel()
        self.verdict.setWordWrap(True)
        self.verdict.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.result_card.body.addWidget(self.verdict)
        self.checks = QListWidget()
        self.checks.setObjectName("cardChecks")
        self.checks.setWordWrap(True)
        self.result_card.body.addWidget(self.checks, 1)
        grid.addWidget(self.result_card, 1, 0)

        self.data_card = Card("")
        self.fields = FieldGrid(
            [
                ("type", ""),
                ("number", ""),
                ("expiry", ""),
                ("birth", ""),
                ("sex", ""),
                ("nationality", ""),
                ("status", ""),
                ("period", ""),
                ("stay_expiry", ""),
                ("address", ""),
                ("work", ""),
            ]
        )
        self.data_card.body.addWidget(self.fields)
        self.data_card.body.addStretch(1)
        grid.addWidget(self.data_card, 0, 2, 2, 1)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(1, 4)
        grid.setColumnStretch(2, 3)

        self._progress.changed.connect(self._on_progress)
        self.back.clicked.connect(self._leave)
        self.read_button.clicked.connect(self.read)
        self.card_number.returnPressed.connect(self.read)
        self.card_number.textChanged.connect(self._validate)
        self.training.currentIndexChanged.connect(self._training_changed)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Document check — residence card"))
        self.back.setText(self.tr("Back to home"))
        self.input_card.title.setText(self.tr("Card"))
        self.number_label.setText(self.tr("Card number printed on the card"))
        self.card_number.setPlaceholderText("AB12345678CD")
        self.read_button.setText(self.tr("Read and verify the chip"))
        self.images_card.title.setText(self.tr("From the chip"))
        self.front.set_placeholder(self.tr("Card face image"))
        self.face.set_placeholder(self.tr("Photo"))
        self.result_card.title.setText(self.tr("Result"))
        self.data_card.title.setText(self.tr("Data on the chip"))
        for key, text in (
            ("type", self.tr("Card type")),
            ("number", self.tr("Card number")),
            ("expiry", self.tr("Card valid until")),
            ("birth", self.tr("Date of birth")),
            ("sex", self.tr("Sex")),
            ("nationality", self.tr("Nationality")),
            ("status", self.tr("Status of residence")),
            ("period", self.tr("Period of stay")),
            ("stay_expiry", self.tr("Stay until")),
            ("address", self.tr("Address")),
            ("work", self.tr("Work permission")),
        ):
            self.fields.rename(key, text)
        purposes = {
            "genuine": self.tr("genuine, first generation"),
            "genuine_gen2": self.tr("genuine, second generation"),
            "tampered": self.tr("data changed after issue"),
            "under_16": self.tr("holder under 16, no signature"),
            "unknown_ca": self.tr("signed by an unknown authority"),
        }
        current = max(self.training.currentIndex(), 0)
        self.training.blockSignals(True)
        self.training.clear()
        for number, purpose in self._training_cards:
            self.training.addItem(
                self.tr("Training card {number} ({purpose})").format(
                    number=number, purpose=purposes.get(purpose, purpose)
                )
            )
        if self._training_cards:
            self.training.setCurrentIndex(current)
        self.training.blockSignals(False)
        self._validate()
        if self._result is not None:
            self._show(self._result)

    def open(self) -> None:
        self._clear()
        if self._training_cards and not self.card_number.text():
            self._training_changed(self.training.currentIndex())
        self.card_number.setFocus()

    def _training_changed(self, index: int) -> None:
        if 0 <= index < len(self._training_cards):
            self.card_number.setText(self._training_cards[index][0])

    def _validate(self) -> bool:
        text = re.sub(r"[\s-]", "", self.card_number.text().upper())
        ok = bool(_CARD_NUMBER.match(text))
        if not text:
            self.format_hint.setText(self.tr("2 letters, 8 digits, 2 letters."))
        elif ok:
            self.format_hint.setText(self.tr("Format is valid."))
        else:
            self.format_hint.setText(
                self.tr("Not a card number yet: 2 letters, 8 digits, 2 letters.")
            )
        self.read_button.setEnabled(ok and self._inspect is not None)
        return ok

    def _clear(self) -> None:
        self._result = None
        self.checks.clear()
        self.verdict.clear()
        self.result_card.set_badge("")
        self.front.set_image(None)
        self.face.set_image(None)
        self.fields.clear()
        self.status.clear()

    def _on_progress(self, _step: str, fraction: float) -> None:
        self.progress.setValue(int(fraction * 100))

    def _leave(self) -> None:
        self._stop.stop()
        self.finished.emit()

    def read(self) -> None:
        inspect = self._inspect
        if inspect is None:
            self.status.setText(self.tr("No card reader is configured."))
            return
        if not self._validate():
            return
        if self._select_card is not None and self.training.currentIndex() >= 0:
            self._select_card(self.training.currentIndex())
        number = re.sub(r"[\s-]", "", self.card_number.text().upper())
        stop = self._stop.renew()
        progress = self._progress.changed.emit
        self._clear()
        self.read_button.setEnabled(False)
        self.progress.setValue(0)
        self.progress.show()
        self.status.setText(self.tr("Reading the chip… keep the card on the reader."))

        def work() -> CardResult:
            report = inspect(number, stop, progress)
            data = report.data
            return CardResult(
                report,
                _to_png(data.front_image if data else None),
                _to_png(data.face_image if data else None),
            )

        def done(result: CardResult | None, error: BaseException | None) -> None:
            self.read_button.setEnabled(True)
            self.progress.hide()
            if error is not None or result is None:
                self.status.setText(error_text(error or RuntimeError()))
                return
            self._show(result)

        self._workers.run("reader", work, done)

    def _show(self, result: CardResult) -> None:
        self._result = result
        self.status.setText(self.tr("Chip read. Compare the photo with the holder."))
        self.checks.clear()
        report = result.report
        verdict = report.verdict
        texts = {
            Verdict.GENUINE: (
                self.tr("Genuine: the chip's data is signed by a trusted authority."),
                "ok",
            ),
            Verdict.SIGNATURE_INVALID: (
                self.tr("NOT GENUINE: the chip's data does not match its signature."),
                "alert",
            ),
            Verdict.UNTRUSTED_CERTIFICATE: (
                self.tr("NOT VERIFIED: the signature is not from a trusted authority."),
                "alert",
            ),
            Verdict.NO_SIGNATURE: (
                self.tr(
                    "No signature on the chip: normal for a holder under 16. "
                    "Check the card's printed security features."
                ),
                "warn",
            ),
            Verdict.WRONG_CARD_NUMBER: (
                self.tr("The chip refused this card number. Check the number printed on the card."),
                "alert",
            ),
            Verdict.UNREADABLE: (self.tr("The chip could not be read completely."), "alert"),
        }
        text, level = texts[verdict]
        self.verdict.setText(text)
        badges = {
            "ok": self.tr("Genuine"),
            "warn": self.tr("Check manually"),
            "alert": self.tr("Not verified"),
        }
        self.result_card.set_badge(badges[level], level)
        names = {
            "card_number_authentication": self.tr("Card number accepted by the chip"),
            "read_all_files": self.tr("All files read"),
            "check_code_signature": self.tr("Signature over the card data"),
            "certificate_chain": self.tr("Signer certificate issued by a trusted CA"),
        }
        statuses = {
            CheckStatus.PASSED: ("✔", self.tr("passed")),
            CheckStatus.FAILED: ("✖", self.tr("FAILED")),
            CheckStatus.NOT_PRESENT: ("–", self.tr("not present on this card")),
            CheckStatus.NOT_RUN: ("…", self.tr("not run")),
        }
        for check in report.checks:
            mark, status = statuses[check.status]
            item = QListWidgetItem(
                f"{mark}  {names.get(check.name.value, check.name.value)}: {status}"
            )
            if check.status is CheckStatus.FAILED:
                item.setForeground(Qt.GlobalColor.darkRed)
            self.checks.addItem(item)
        self.front.set_image(result.front_png)
        self.face.set_image(result.face_png)
        data = report.data
        if data is None:
            return
        card_types = {
            "1": self.tr("Residence card (1st generation)"),
            "2": self.tr("Special permanent resident certificate (1st generation)"),
            "05": self.tr("Residence card (2nd generation)"),
            "06": self.tr("Special permanent resident certificate (2nd generation)"),
        }
        self.fields.set("type", card_types.get(data.card_type.value, data.card_type.value))
        if data.card_type.generation == 1:
            self.status.setText(
                self.status.text()
                + " "
                + self.tr("First-generation chips hold name and dates only in the card image.")
            )
        self.fields.set("number", data.card_number or "", hide_empty=True)
        self.fields.set(
            "expiry", data.card_expiry.isoformat() if data.card_expiry else "", hide_empty=True
        )
        self.fields.set(
            "birth", data.birth_date.isoformat() if data.birth_date else "", hide_empty=True
        )
        self.fields.set(
            "sex", {"1": "M", "2": "F"}.get(data.sex or "", data.sex or ""), hide_empty=True
        )
        self.fields.set("nationality", data.nationality or "", hide_empty=True)
        self.fields.set("status", data.status_of_residence or "", hide_empty=True)
        self.fields.set("period", data.period_of_stay or "", hide_empty=True)
        self.fields.set(
            "stay_expiry",
            data.stay_expiry.isoformat() if data.stay_expiry else "",
            hide_empty=True,
        )
        self.fields.set("address", data.address or "", hide_empty=True)
        permission = data.comprehensive_permission or ""
        if data.individual_permission:
            permission = f"{permission} / {data.individual_permission}".strip(" /")
        self.fields.set("work", permission, hide_empty=True)
