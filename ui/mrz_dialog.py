"""Manual entry of a machine-readable zone with live check-digit feedback (the fallback when
the chip or the scanner cannot give the MRZ)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.messages import error_text
from ui.workers import Workers
from workstation.documents import Mrz
from workstation.errors import InvalidMrz


class MrzDialog(QDialog):
    """Type (or scan with a keyboard-wedge reader) the two or three MRZ lines."""

    def __init__(
        self,
        parent: QWidget | None = None,
        read_image: Callable[[bytes], Mrz] | None = None,
        workers: Workers | None = None,
    ) -> None:
        super().__init__(parent)
        self._read_image = read_image
        self._workers = workers
        self.setWindowTitle(self.tr("Enter the MRZ"))
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        hint = QLabel(
            self.tr("Type the lines at the bottom of the data page exactly, one line per row.")
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.editor = QPlainTextEdit()
        self.editor.setObjectName("mrzEditor")
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setPointSize(13)
        self.editor.setFont(font)
        self.editor.setFixedHeight(110)
        layout.addWidget(self.editor)
        self.feedback = QLabel()
        self.feedback.setObjectName("mrzFeedback")
        self.feedback.setWordWrap(True)
        layout.addWidget(self.feedback)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.scan_button = QPushButton(self.tr("Read from an image…"))
        self.scan_button.setObjectName("mrzFromImage")
        self.buttons.addButton(self.scan_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.scan_button.setVisible(read_image is not None and workers is not None)
        self.scan_button.clicked.connect(self._scan)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.editor.textChanged.connect(self._check)
        self.mrz: Mrz | None = None
        self._check()

    def _scan(self) -> None:
        """OCR of a scanned data page; the result lands in the editor to be checked."""
        read_image, workers = self._read_image, self._workers
        if read_image is None or workers is None:
            return
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("Scanned data page"),
            "",
            self.tr("Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp)"),
        )
        if not path:
            return
        self.scan_button.setEnabled(False)
        self.feedback.setText(self.tr("Reading the MRZ from the image…"))
        data = Path(path).read_bytes()

        def done(mrz: Mrz | None, error: BaseException | None) -> None:
            self.scan_button.setEnabled(True)
            if error is not None or mrz is None:
                self.feedback.setText(error_text(error or RuntimeError()))
                self.feedback.setObjectName("error")
                self.feedback.style().unpolish(self.feedback)
                self.feedback.style().polish(self.feedback)
                return
            self.editor.setPlainText(mrz.text)

        workers.run("compute", lambda: read_image(data), done)

    def _check(self) -> None:
        text = self.editor.toPlainText().upper().replace(" ", "")
        self.mrz = None
        ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if not text.strip():
            self.feedback.setText(
                self.tr("Passports have 2 lines of 44 characters; cards 3 of 30.")
            )
            self.feedback.setObjectName("hint")
        else:
            try:
                self.mrz = Mrz.parse(text)
            except InvalidMrz as e:
                self.feedback.setText(self._problem(e.detail))
                self.feedback.setObjectName("error")
            else:
                self.feedback.setText(
                    self.tr("Valid {format}: every check digit matches.").format(
                        format=self.mrz.format.value
                    )
                )
                self.feedback.setObjectName("stepDone")
        self.feedback.style().unpolish(self.feedback)
        self.feedback.style().polish(self.feedback)
        ok_button.setEnabled(self.mrz is not None)

    def _problem(self, detail: str) -> str:
        fields = {
            "document number": self.tr("document number"),
            "date of birth": self.tr("date of birth"),
            "date of expiry": self.tr("date of expiry"),
            "personal number": self.tr("personal number"),
            "composite": self.tr("composite (whole line)"),
        }
        if detail.startswith("check digit failed: "):
            field = detail.removeprefix("check digit failed: ")
            return self.tr("Check digit wrong: {field}. Compare that field with the page.").format(
                field=fields.get(field, field)
            )
        if detail.startswith("character not allowed") or "characters outside" in detail:
            return self.tr("Only A–Z, 0–9 and < are allowed.")
        return self.tr("Not complete yet: 2 lines of 44 (passport) or 3 lines of 30 (card).")
