"""Screenshots of the real windows for the docs: run under Xvfb (see ``make screenshots``).

Drives the application as an operator would (log in, run a landing case on simulated
devices) and saves each screen with ``QScreen.grabWindow``. Only specimen data appears.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from ui.app import build_services
from ui.context import Options
from ui.qt_main import build_window, create_application
from ui.settings import Settings


def wait_until(app: QApplication, condition: Callable[[], bool], timeout: float = 20.0) -> None:
    waited = 0.0
    while not condition():
        loop = QEventLoop()
        QTimer.singleShot(50, loop.quit)
        loop.exec()
        waited += 0.05
        if waited > timeout:
            raise TimeoutError("the screen did not reach the expected state")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path("docs/images"))
    parser.add_argument("--size", default="1920x1080")
    parser.add_argument("--specimen", type=int, default=0)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    args.out.mkdir(parents=True, exist_ok=True)
    app = create_application()
    with tempfile.TemporaryDirectory() as home:
        services = build_services(Options(home=Path(home), demo=True, simulate_devices=True))
        settings = Settings(QSettings(str(Path(home) / "s.ini"), QSettings.Format.IniFormat))
        window = build_window(services, app, settings)
        window.resize(width, height)
        window.show()

        def shot(name: str) -> None:
            loop = QEventLoop()
            QTimer.singleShot(600, loop.quit)
            loop.exec()
            screen = window.screen()
            path = args.out / f"{name}-{width}x{height}.png"
            screen.grabWindow(window.winId()).save(str(path))
            print(path)

        for language in ("ja", "en"):
            window.set_language(language)
            shot(f"login-{language}")
        window.login.operator_id.setText("inspector")
        window.login.password.setText("sekisho-demo")
        window.login.submit.click()
        wait_until(app, lambda: window.stack.currentWidget() is window.home)
        landing = window.landing
        landing.specimen.setCurrentIndex(args.specimen)
        for language in ("ja", "en"):
            window.set_language(language)
            shot(f"home-{language}")
        window.home.tiles["landing"].click()
        wait_until(app, lambda: landing._last_frame is not None)
        wait_until(app, lambda: landing.capture_button.isEnabled())
        for language in ("ja", "en"):
            window.set_language(language)
            shot(f"landing-capture-{language}")
        wait_until(app, landing.record_button.isEnabled, timeout=60)
        for language in ("ja", "en"):
            window.set_language(language)
            shot(f"landing-decision-{language}")
        window.close()
        services.db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
