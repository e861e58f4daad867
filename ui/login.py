"""The login screen, and the lock screen shown after inactivity.

Logging in unlocks the encrypted database: the password unwraps the database key from the
keyring, whose lockout rule applies before anything else is read.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from db.vault import HomeState
from ui.messages import error_text
from ui.widgets import Card
from ui.workers import Workers
from workstation.operators import Operator

LogIn = Callable[[str, str], Operator]


class LoginPage(QWidget):
    """Operator ID, password and interface language.

    Emits :attr:`logged_in` with the operator, and :attr:`language_changed` with ``ja``/``en``
    as soon as the language is picked, so the screen itself switches language at once.
    """

    logged_in = Signal(object)
    language_changed = Signal(str)

    def __init__(self, workers: Workers, log_in: LogIn, training: bool) -> None:
        super().__init__()
        self.setObjectName("page")
        self._workers = workers
        self._log_in = log_in
        self._locked_operator: str | None = None
        self._home_state = HomeState.ENCRYPTED

        outer = QVBoxLayout(self)
        outer.addStretch(2)
        row = QHBoxLayout()
        row.addStretch(1)
        self.card = Card("")
        self.card.setFixedWidth(460)
        row.addWidget(self.card)
        row.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(3)

        self.heading = QLabel()
        self.heading.setObjectName("appTitle")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.card.body.addWidget(self.heading)
        self.subtitle = QLabel()
        self.subtitle.setObjectName("hint")
        self.subtitle.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.subtitle.setWordWrap(True)
        self.card.body.addWidget(self.subtitle)

        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        self.operator_id = QLineEdit()
        self.operator_id.setObjectName("operatorId")
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.language = QComboBox()
        self.language.setObjectName("language")
        self.language.addItem("日本語", "ja")
        self.language.addItem("English", "en")
        self._id_label, self._pw_label, self._lang_label = QLabel(), QLabel(), QLabel()
        form.addRow(self._id_label, self.operator_id)
        form.addRow(self._pw_label, self.password)
        form.addRow(self._lang_label, self.language)
        self.card.body.addLayout(form)

        self.error = QLabel()
        self.error.setObjectName("error")
        self.error.setWordWrap(True)
        self.card.body.addWidget(self.error)
        self.notice = QLabel()
        self.notice.setObjectName("error")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.hide()
        self.card.body.addWidget(self.notice)
        self.submit = QPushButton()
        self.submit.setObjectName("primary")
        self.submit.setDefault(True)
        self.card.body.addWidget(self.submit)
        self.training_note = QLabel()
        self.training_note.setObjectName("hint")
        self.training_note.setWordWrap(True)
        self.training_note.setVisible(training)
        self.card.body.addWidget(self.training_note)

        self.submit.clicked.connect(self._attempt)
        self.password.returnPressed.connect(self._attempt)
        self.operator_id.returnPressed.connect(self.password.setFocus)
        self.language.currentIndexChanged.connect(
            lambda _i: self.language_changed.emit(self.language.currentData())
        )
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Sekisho inspection workstation"))
        if self._locked_operator:
            self.subtitle.setText(
                self.tr("The screen was locked after inactivity. Enter your password to continue.")
            )
        else:
            self.subtitle.setText(self.tr("Log in with your operator ID."))
        self._id_label.setText(self.tr("Operator ID"))
        self._pw_label.setText(self.tr("Password"))
        self._lang_label.setText(self.tr("Language"))
        self.submit.setText(self.tr("Unlock") if self._locked_operator else self.tr("Log in"))
        self.training_note.setText(
            self.tr(
                "Training mode: demo accounts inspector / supervisor / admin, "
                "password sekisho-demo. Simulated devices; records are marked as training."
            )
        )
        self.notice.setText(self._notice_text())

    def _notice_text(self) -> str:
        state = self._home_state
        if state is HomeState.NEW:
            return self.tr(
                "No operator account exists yet. An administrator creates the first one "
                "with: sekisho operator add ID --name NAME --role administrator"
            )
        if state in (HomeState.PLAIN, HomeState.INTERRUPTED):
            return self.tr(
                "The database is not encrypted. Close this window; an administrator "
                "encrypts it with: sekisho db encrypt"
            )
        if state is HomeState.KEYRING_MISSING:
            return self.tr(
                "The database key file (sekisho.keyring) is missing beside the database. "
                "An administrator restores it from the backup."
            )
        return ""

    def set_home_state(self, state: HomeState) -> None:
        """Only an encrypted home with its keyring can be unlocked; otherwise the form is
        disabled and the notice says what an administrator has to do."""
        if state is self._home_state:
            return
        self._home_state = state
        usable = state is HomeState.ENCRYPTED
        for widget in (self.operator_id, self.password, self.submit):
            widget.setEnabled(usable)
        self.notice.setVisible(not usable)
        self.retranslate()

    def set_language(self, language: str) -> None:
        index = self.language.findData(language)
        if index >= 0 and index != self.language.currentIndex():
            self.language.blockSignals(True)
            self.language.setCurrentIndex(index)
            self.language.blockSignals(False)

    def lock_for(self, operator_id: str | None) -> None:
        """Show as a lock screen for ``operator_id`` (or as a plain login with ``None``)."""
        self._locked_operator = operator_id
        self.operator_id.setText(operator_id or "")
        self.operator_id.setReadOnly(operator_id is not None)
        self.password.clear()
        self.error.clear()
        self.retranslate()
        (self.password if operator_id or self.operator_id.text() else self.operator_id).setFocus()

    def prefill(self, operator_id: str) -> None:
        if not self._locked_operator:
            self.operator_id.setText(operator_id)

    def _attempt(self) -> None:
        operator_id = self.operator_id.text().strip()
        password = self.password.text()
        if not operator_id or not password:
            self.error.setText(self.tr("Enter your operator ID and password."))
            return
        self.submit.setEnabled(False)
        self.error.clear()

        def done(operator: Operator | None, error: BaseException | None) -> None:
            self.submit.setEnabled(True)
            self.password.clear()
            if error is not None:
                self.error.setText(error_text(error))
                self.password.setFocus()
                return
            self.logged_in.emit(operator)

        self._workers.run("db", lambda: self._log_in(operator_id, password), done)
