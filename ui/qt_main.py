"""Building the QApplication and showing the main window."""

from __future__ import annotations

import logging
import sys
import traceback
from types import TracebackType

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from ui.app import Services
from ui.i18n_loader import Translators, system_language
from ui.main_window import MainWindow
from ui.settings import GEOMETRY, LANGUAGE, Settings
from ui.style import STYLESHEET

logger = logging.getLogger(__name__)


def _install_excepthook(window: MainWindow) -> None:
    """The single top-level handler: log the type and place (no data), tell the operator."""

    def hook(kind: type[BaseException], error: BaseException, tb: TracebackType | None) -> None:
        where = traceback.extract_tb(tb)[-1] if tb else None
        logger.error(
            "unhandled %s at %s:%s",
            kind.__name__,
            where.filename if where else "?",
            where.lineno if where else "?",
        )
        QMessageBox.critical(
            window,
            window.tr("Unexpected error"),
            window.tr(
                "An unexpected error occurred ({name}). Every saved step of the open case is kept."
            ).format(name=kind.__name__),
        )

    sys.excepthook = hook


def create_application() -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(sys.argv[:1])
    app.setApplicationName("Sekisho")
    app.setOrganizationName("Sekisho")
    app.setStyle("Fusion")
    app.setStyleSheet(STYLESHEET)
    return app


def build_window(
    services: Services, app: QApplication, settings: Settings | None = None
) -> MainWindow:
    settings = settings or Settings()
    translators = Translators(app)
    translators.install(services.options.language or settings.get(LANGUAGE) or system_language())
    return MainWindow(services, translators, settings)


def run_gui(services: Services, *, startup_probe: bool = False) -> int:
    app = create_application()
    window = build_window(services, app)
    _install_excepthook(window)
    if not window.settings.get(GEOMETRY).isEmpty():
        window.show()
    else:
        # Sized to the screen as well, for kiosk sessions without a window manager.
        screen = app.primaryScreen()
        if screen is not None:
            window.resize(screen.availableGeometry().size())
        window.showMaximized()
    if startup_probe:

        def probe() -> None:
            print("login-ready", flush=True)
            window.close()
            app.quit()

        QTimer.singleShot(0, probe)
    return app.exec()
