"""Finding and installing the Qt Linguist translations (ours and Qt's own)."""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

logger = logging.getLogger(__name__)

LANGUAGES = ("ja", "en")
"""Interface languages; English is the source language of every string."""


def translation_file(language: str) -> Path | None:
    """The compiled ``.qm`` file of a language, or ``None`` (English needs none)."""
    candidate = Path(str(resources.files("ui") / "i18n" / f"sekisho_{language}.qm"))
    return candidate if candidate.is_file() else None


def system_language() -> str:
    return "ja" if QLocale.system().language() == QLocale.Language.Japanese else "en"


class Translators:
    """Keeps the installed translators alive and swaps them when the language changes."""

    def __init__(self, app: QCoreApplication) -> None:
        self._app = app
        self._installed: list[QTranslator] = []
        self.language = "en"

    def install(self, language: str) -> None:
        for translator in self._installed:
            self._app.removeTranslator(translator)
        self._installed.clear()
        self.language = language
        if language == "en":
            return
        ours = QTranslator(self._app)
        path = translation_file(language)
        if path is not None and ours.load(str(path)):
            self._app.installTranslator(ours)
            self._installed.append(ours)
        else:
            logger.warning("translation %s not found", language)
        qt = QTranslator(self._app)
        qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if qt.load(QLocale(language), "qtbase", "_", qt_dir):
            self._app.installTranslator(qt)
            self._installed.append(qt)
