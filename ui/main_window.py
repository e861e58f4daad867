"""The main window: header, the stacked screens, language switching and the idle lock."""

from __future__ import annotations

import datetime as dt
import logging

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from db import audit_trail
from db.outbox import items as outbox_items
from db.outbox import status_counts
from db.statistics import booth_statistics
from ui.app import Services, mrz_image_reader, preview_encoder_factory
from ui.document_check import DocumentCheckPage
from ui.history import HistoryPage
from ui.home import HomePage
from ui.i18n_loader import Translators
from ui.landing import LandingDevices, LandingPage
from ui.login import LoginPage
from ui.messages import error_text
from ui.outbox_view import OutboxPage
from ui.settings import GEOMETRY, LANGUAGE, LAST_OPERATOR, Settings
from ui.workers import Workers
from workstation.cases import Workflow
from workstation.landing import LandingExamination
from workstation.login import log_in
from workstation.operators import Operator
from workstation.statistics import BoothStatistics
from workstation.watchlist import Freshness, WatchlistVersion, freshness

logger = logging.getLogger(__name__)

_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Counts time since the last keyboard, mouse or touch input anywhere in the app."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.last_input = dt.datetime.now(dt.UTC)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() in _INPUT_EVENTS:
            self.last_input = dt.datetime.now(dt.UTC)
        return False

    def idle_for(self) -> dt.timedelta:
        return dt.datetime.now(dt.UTC) - self.last_input


class MainWindow(QMainWindow):
    def __init__(self, services: Services, translators: Translators, settings: Settings) -> None:
        super().__init__()
        self.services = services
        self.translators = translators
        self.settings = settings
        self.workers = Workers(self)
        self.operator: Operator | None = None
        self.policy = services.policy()  # the defaults until an operator unlocks the database
        devices = services.devices
        self.setMinimumSize(1280, 720)

        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.setCentralWidget(central)

        header = QFrame()
        header.setObjectName("header")
        row = QHBoxLayout(header)
        row.setContentsMargins(18, 8, 18, 8)
        self.title = QLabel()
        self.title.setObjectName("appTitle")
        row.addWidget(self.title)
        self.training_banner = QLabel()
        self.training_banner.setObjectName("trainingBanner")
        self.training_banner.setVisible(devices.training)
        row.addWidget(self.training_banner)
        row.addStretch(1)
        self.watchlist_label = QLabel()
        row.addWidget(self.watchlist_label)
        self.operator_label = QLabel()
        row.addWidget(self.operator_label)
        self.language_button = QPushButton()
        self.language_button.setObjectName("languageToggle")
        row.addWidget(self.language_button)
        self.logout_button = QPushButton()
        row.addWidget(self.logout_button)
        layout.addWidget(header)

        self.stack = QStackedWidget()
        layout.addWidget(self.stack, 1)

        self.login = LoginPage(self.workers, self._log_in, devices.training)
        self.home = HomePage()
        self.landing = LandingPage(
            self.workers,
            LandingDevices(
                devices.reader,
                devices.camera,
                devices.scanner,
                devices.training,
                specimens=devices.specimens,
                select_specimen=devices.select_specimen,
                preview_encoder=preview_encoder_factory(),
                read_mrz_image=mrz_image_reader(),
                capture_scale=devices.capture_scale,
            ),
            self._new_examination,
            self._resume_examination,
            lambda: self.translators.language,
            services.face.prepare if services.face is not None else None,
            services.reference_image,
        )
        self.document_check = DocumentCheckPage(
            self.workers,
            devices.card_inspector.inspect if devices.card_inspector else None,
            devices.training_cards,
            devices.select_card,
        )
        self.history = HistoryPage(
            self.workers,
            lambda: services.cases.recent_cases(),
            lambda case_id: list(audit_trail.entries(services.db, case_id)),
        )
        self.outbox = OutboxPage(
            self.workers,
            lambda status: (status_counts(services.db), outbox_items(services.db, status, 500)),
        )
        self._pages = (
            self.login,
            self.home,
            self.landing,
            self.document_check,
            self.history,
            self.outbox,
        )
        for page in self._pages:
            self.stack.addWidget(page)

        self.login.logged_in.connect(self._logged_in)
        self.login.language_changed.connect(self.set_language)
        self.home.open_landing.connect(self._open_landing)
        self.home.open_history.connect(self._open_history)
        self.home.open_document_check.connect(self._open_document_check)
        self.document_check.finished.connect(self._show_home)
        self.landing.finished.connect(self._show_home)
        self.history.finished.connect(self._show_home)
        self.home.open_outbox.connect(self._open_outbox)
        self.outbox.finished.connect(self._show_home)
        self.logout_button.clicked.connect(self.log_out)
        self.language_button.clicked.connect(
            lambda: self.set_language("en" if self.translators.language == "ja" else "ja")
        )

        self.idle = IdleWatcher(self)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self.idle)
        self.idle_timer = QTimer(self)
        self.idle_timer.timeout.connect(self._check_idle)
        self.idle_timer.timeout.connect(self._check_home)
        self.idle_timer.start(15_000)

        self._check_home()
        self.login.prefill(settings.get(LAST_OPERATOR))
        self.login.set_language(translators.language)
        self._show_login()
        self.retranslate()
        geometry = settings.get(GEOMETRY)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)

    # Language

    def set_language(self, language: str) -> None:
        self.translators.install(language)
        self.settings.set(LANGUAGE, language)
        self.login.set_language(language)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Sekisho — inspection workstation"))
        self.title.setText(self.tr("Sekisho 関所"))
        self.training_banner.setText(self.tr("TRAINING MODE — simulated devices"))
        self.language_button.setText("English" if self.translators.language == "ja" else "日本語")
        self.logout_button.setText(self.tr("Log out"))
        self.logout_button.setVisible(self.operator is not None)
        if self.operator is not None:
            self.operator_label.setText(
                self.tr("Operator: {name}").format(name=self.operator.display_name)
            )
        else:
            self.operator_label.clear()
        for page in self._pages:
            page.retranslate()
        self._refresh_status()

    # Navigation

    def _log_in(self, operator_id: str, password: str) -> Operator:
        """On the database thread: unwrap the key with the password and open the database
        (on the lock screen: verify the password against the keyring again), then the usual
        audited login. A refused login closes a database it opened."""
        services = self.services
        fresh = not services.unlocked
        stores = services.unlock(operator_id, password)
        try:
            return log_in(stores.operators, services.clock, stores.policy, operator_id, password)
        except BaseException:
            if fresh:
                services.lock()
            raise

    def _check_home(self) -> None:
        """Tell on the login screen why nobody can log in (no account yet, a database not
        encrypted); checked again every few seconds while nobody is logged in."""
        if self.operator is None:
            self.login.set_home_state(self.services.home_state())

    def _logged_in(self, operator: Operator) -> None:
        locked = self.operator is not None and self.operator.operator_id == operator.operator_id
        self.operator = operator
        self.policy = self.services.policy()
        self.settings.set(LAST_OPERATOR, operator.operator_id)
        self.idle.last_input = dt.datetime.now(dt.UTC)
        self.retranslate()
        if locked and self._page_before_lock is not None:
            self.stack.setCurrentWidget(self._page_before_lock)
            return
        self._show_home()

    def _show_login(self) -> None:
        self._page_before_lock: QWidget | None = None
        self.login.lock_for(None)
        self.stack.setCurrentWidget(self.login)

    def _show_home(self) -> None:
        self._refresh_status()
        self._load_open_cases()
        self._load_statistics()
        self.stack.setCurrentWidget(self.home)

    def _open_landing(self, case_id: str | None) -> None:
        self.stack.setCurrentWidget(self.landing)
        self.landing.open_case(case_id)

    def _open_document_check(self) -> None:
        self.stack.setCurrentWidget(self.document_check)
        self.document_check.open()

    def _open_history(self) -> None:
        self.stack.setCurrentWidget(self.history)
        self.history.refresh()

    def _open_outbox(self) -> None:
        self.stack.setCurrentWidget(self.outbox)
        self.outbox.open()

    def _new_examination(self) -> LandingExamination:
        return LandingExamination.start(
            self.services.cases,
            self.services.watchlist,
            self.services.clock,
            self.policy,
            self._require_operator(),
            training=self.services.devices.training,
            face=self.services.face,
            biometrics=self.services.biometrics,
        )

    def _resume_examination(self, case_id: str) -> LandingExamination:
        return LandingExamination.resume(
            case_id,
            self.services.cases,
            self.services.watchlist,
            self.services.clock,
            self.policy,
            self._require_operator(),
            self.services.face,
            self.services.biometrics,
        )

    def _require_operator(self) -> Operator:
        if self.operator is None:
            raise RuntimeError("no operator logged in")
        return self.operator

    def log_out(self) -> None:
        """Back to the login screen; the database is closed (after the work queued on it),
        so the next operator unlocks it with their own password."""
        self.landing.shutdown()
        self.outbox.close_view()
        self.operator = None
        self.workers.run("db", self.services.lock)
        self.retranslate()
        self._show_login()
        self._check_home()

    def _check_idle(self) -> None:
        if self.operator is None or self.stack.currentWidget() is self.login:
            return
        if self.idle.idle_for() >= dt.timedelta(minutes=self.policy.idle_lock_minutes):
            self.lock()

    def lock(self) -> None:
        """Lock the screen for the current operator; the open case stays as it is."""
        if self.operator is None:
            return
        self._page_before_lock = self.stack.currentWidget()
        self.login.lock_for(self.operator.operator_id)
        self.stack.setCurrentWidget(self.login)

    # Status

    def _load_open_cases(self) -> None:
        operator = self.operator

        def load() -> list[object]:
            return list(
                self.services.cases.open_cases(
                    Workflow.LANDING, operator.operator_id if operator else None
                )
            )

        self.workers.run("db", load, lambda cases, error: self.home.set_open_cases(cases or []))

    def _load_statistics(self) -> None:
        now = dt.datetime.now().astimezone()
        start = now.replace(hour=0, minute=0, second=0, microsecond=0)

        def load() -> tuple[BoothStatistics, dict[str, int]]:
            db = self.services.db
            return booth_statistics(db, start, start + dt.timedelta(days=1)), status_counts(db)

        def show(
            result: tuple[BoothStatistics, dict[str, int]] | None, error: BaseException | None
        ) -> None:
            if result is not None:
                self.home.set_statistics(result[0])
                self.home.set_outbox(result[1])

        self.workers.run("db", load, show)

    def _refresh_status(self) -> None:
        devices = self.services.devices
        if self.operator is None:  # the database is closed or about to be
            self.watchlist_label.clear()
            return

        def load() -> tuple[WatchlistVersion, dict[str, int]]:
            return self.services.watchlist.current_version(), self.services.watchlist.counts()

        def show(
            result: tuple[WatchlistVersion, dict[str, int]] | None, error: BaseException | None
        ) -> None:
            if error is not None or result is None:
                self.watchlist_label.setText(error_text(error or RuntimeError()))
                return
            version, counts = result
            now = self.services.clock.now()
            hours = version.age(now).total_seconds() / 3600
            level = freshness(version, now, self.policy)
            text = self.tr("Watchlist v{v} · {h:.0f} h old · {n} persons").format(
                v=version.version,
                h=hours,
                n=counts["persons"],
            )
            if level is Freshness.STALE_BLOCK:
                text += " · " + self.tr("TOO OLD: decisions blocked")
            elif level is Freshness.STALE_WARN:
                text += " · " + self.tr("out of date")
            self.watchlist_label.setText(text)
            self.home.set_status("watchlist", text)

        self.workers.run("db", load, show)

        def describe(device: object | None) -> str:
            if device is None:
                return self.tr("not connected")
            return str(getattr(device, "name", type(device).__name__))

        self.home.set_status("reader", describe(devices.reader))
        self.home.set_status("camera", describe(devices.camera))
        self.home.set_status("scanner", describe(devices.scanner))
        self.home.set_status(
            "mode",
            self.tr("Training (simulated devices; every record marked)")
            if devices.training
            else self.tr("Live"),
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802
        self.settings.set(GEOMETRY, self.saveGeometry())
        self.landing.shutdown()
        self.workers.wait(3000)
        super().closeEvent(event)
