"""Qt fixtures: one offscreen application, isolated settings, and no thread left running."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
pytest.importorskip("PySide6")

from PySide6.QtCore import QSettings, QThreadPool  # noqa: E402

from db.demo import ensure_demo_home  # noqa: E402
from ui.app import Services, build_services  # noqa: E402
from ui.context import DATABASE_NAME, Options  # noqa: E402
from ui.main_window import MainWindow  # noqa: E402
from ui.qt_main import build_window, create_application  # noqa: E402
from ui.settings import Settings  # noqa: E402
from workstation.ports import SystemClock  # noqa: E402

TEST_SCRYPT_N = 2**10


@pytest.fixture
def services(tmp_path: Path) -> Iterator[Services]:
    """A demo home, encrypted, its keyring made with a low scrypt cost (tests only); the
    database opens when the test logs in."""
    ensure_demo_home(tmp_path / DATABASE_NAME, SystemClock(), n=TEST_SCRYPT_N)
    built = build_services(Options(home=tmp_path, demo=True, simulate_devices=True))
    yield built
    built.close()


@pytest.fixture
def window(qtbot, services: Services, tmp_path: Path) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    app = create_application()
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win = build_window(services, app, settings)
    qtbot.addWidget(win)
    win.resize(1366, 768)
    win.show()
    yield win
    win.landing.shutdown()
    assert win.workers.wait(5000), "a worker thread was still running after the test"
    assert QThreadPool.globalInstance().waitForDone(1000)


def log_in(
    qtbot, win: MainWindow, operator: str = "inspector", password: str = "sekisho-demo"
) -> None:  # type: ignore[no-untyped-def]
    win.login.operator_id.setText(operator)
    win.login.password.setText(password)
    win.login.submit.click()
