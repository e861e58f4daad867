"""The manual MRZ dialog: live check-digit feedback, and OCR of a scanned page."""

from __future__ import annotations

import shutil

import pytest
from PySide6.QtWidgets import QDialogButtonBox

from ui.mrz_dialog import MrzDialog

TD3 = "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<\nL898902C36UTO7408122F1204159ZE184226B<<<<<10"


def test_live_feedback(qtbot) -> None:  # type: ignore[no-untyped-def]
    dialog = MrzDialog()
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    dialog.editor.setPlainText(TD3.replace("7408122", "7408123"))
    assert not ok.isEnabled() and dialog.mrz is None
    assert "date of birth" in dialog.feedback.text()
    dialog.editor.setPlainText(TD3)
    assert ok.isEnabled() and dialog.mrz is not None
    assert dialog.mrz.document_number == "L898902C3"
    dialog.editor.setPlainText(TD3[:50])
    assert not ok.isEnabled()


def test_scan_button_only_with_ocr(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    dialog = MrzDialog()
    qtbot.addWidget(dialog)
    assert dialog.scan_button.isHidden()
    if shutil.which("tesseract") is None:
        pytest.skip("tesseract is not installed")
    from ui.app import mrz_image_reader

    reader = mrz_image_reader()
    assert reader is not None
    with_ocr = MrzDialog(None, reader, window.workers)
    qtbot.addWidget(with_ocr)
    assert not with_ocr.scan_button.isHidden()
