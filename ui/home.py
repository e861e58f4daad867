"""The home screen: workflows, open cases to resume, devices and watchlist state."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.messages import state_text
from ui.widgets import Card
from workstation.cases import Case
from workstation.decisions import DecisionKind
from workstation.statistics import BoothStatistics


class HomePage(QWidget):
    """Emits :attr:`open_landing` (``None`` for a new case, or a case ID to resume),
    :attr:`open_history`, :attr:`open_document_check` and :attr:`open_outbox`."""

    open_landing = Signal(object)
    open_history = Signal()
    open_document_check = Signal()
    open_outbox = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("page")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(24, 20, 24, 20)
        layout.setSpacing(18)

        self.workflows = Card("")
        grid = QGridLayout()
        grid.setSpacing(12)
        self.workflows.body.addLayout(grid)
        self.tiles: dict[str, QPushButton] = {}
        for i, key in enumerate(
            (
                "landing",
                "document_check",
                "departure",
                "secondary",
                "patrol",
                "enrolment",
                "bio_cart",
                "manifest",
                "history",
            )
        ):
            tile = QPushButton()
            tile.setObjectName("tile")
            tile.setEnabled(key in {"landing", "document_check", "history"})
            grid.addWidget(tile, i // 2, i % 2)
            self.tiles[key] = tile
        self.workflows.body.addStretch(1)
        left = QVBoxLayout()
        left.setSpacing(18)
        left.addWidget(self.workflows, 3)
        self.today = Card("")
        self.today_grid = QGridLayout()
        self.today.body.addLayout(self.today_grid)
        self._today: dict[str, tuple[QLabel, QLabel]] = {}
        for column, key in enumerate(("total", "permit", "refer", "refuse", "median", "open")):
            value, name = QLabel("—"), QLabel()
            value.setStyleSheet("font-size: 20pt; font-weight: 600;")
            value.setAlignment(Qt.AlignmentFlag.AlignCenter)
            name.setObjectName("hint")
            name.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.today_grid.addWidget(value, 0, column)
            self.today_grid.addWidget(name, 1, column)
            self._today[key] = (value, name)
        self.today_note = QLabel()
        self.today_note.setObjectName("hint")
        self.today_note.setWordWrap(True)
        self.today.body.addWidget(self.today_note)
        left.addWidget(self.today, 1)
        layout.addLayout(left, 3)

        side = QVBoxLayout()
        side.setSpacing(18)
        self.resume = Card("")
        self.resume_list = QListWidget()
        self.resume_list.setObjectName("resumeList")
        self.resume.body.addWidget(self.resume_list)
        self.resume_hint = QLabel()
        self.resume_hint.setObjectName("hint")
        self.resume_hint.setWordWrap(True)
        self.resume.body.addWidget(self.resume_hint)
        side.addWidget(self.resume, 2)
        self.status = Card("")
        self.status_grid = QGridLayout()
        self.status.body.addLayout(self.status_grid)
        self.status.body.addStretch(1)
        self._status_rows: dict[str, tuple[QLabel, QLabel]] = {}
        for row, key in enumerate(("watchlist", "outbox", "reader", "camera", "scanner", "mode")):
            name, value = QLabel(), QLabel()
            name.setObjectName("fieldName")
            value.setObjectName("fieldValue")
            value.setWordWrap(True)
            self.status_grid.addWidget(name, row, 0, Qt.AlignmentFlag.AlignTop)
            self.status_grid.addWidget(value, row, 1)
            self._status_rows[key] = (name, value)
        self.outbox_button = QPushButton()
        self.outbox_button.setObjectName("outboxButton")
        outbox_row = list(self._status_rows).index("outbox")
        self.status_grid.addWidget(self.outbox_button, outbox_row, 2, Qt.AlignmentFlag.AlignTop)
        self.status_grid.setColumnStretch(1, 1)
        side.addWidget(self.status, 1)
        layout.addLayout(side, 2)

        self.tiles["landing"].clicked.connect(lambda: self.open_landing.emit(None))
        self.tiles["history"].clicked.connect(self.open_history.emit)
        self.tiles["document_check"].clicked.connect(self.open_document_check.emit)
        self.outbox_button.clicked.connect(self.open_outbox.emit)
        self.resume_list.itemActivated.connect(
            lambda item: self.open_landing.emit(item.data(Qt.ItemDataRole.UserRole))
        )
        self.retranslate()

    def retranslate(self) -> None:
        self.workflows.title.setText(self.tr("Workflows"))
        names = {
            "landing": self.tr("Landing examination"),
            "document_check": self.tr("Document check (residence card chip)"),
            "departure": self.tr("Departure confirmation"),
            "secondary": self.tr("Secondary inspection"),
            "patrol": self.tr("Patrol check of a residence card"),
            "enrolment": self.tr("Automated-gate enrolment"),
            "bio_cart": self.tr("Bio Cart pre-capture"),
            "manifest": self.tr("Manifest pre-screen"),
            "history": self.tr("Case history"),
        }
        for key, tile in self.tiles.items():
            text = names[key]
            if not tile.isEnabled():
                text += "\n" + self.tr("Not yet available")
            tile.setText(text)
        self.today.title.setText(self.tr("Today at this workstation"))
        for key, text in (
            ("total", self.tr("decided")),
            ("permit", self.tr("permitted")),
            ("refer", self.tr("referred")),
            ("refuse", self.tr("refused")),
            ("median", self.tr("median time per case")),
            ("open", self.tr("open")),
        ):
            self._today[key][1].setText(text)
        self.today_note.setText(
            self.tr(
                "Live cases only (training not counted). Goal: waiting time of 20 minutes or less."
            )
        )
        self.resume.title.setText(self.tr("Open cases"))
        self.resume_hint.setText(
            self.tr("Cases interrupted by a restart continue where they stopped (double-click).")
        )
        self.status.title.setText(self.tr("Workstation status"))
        labels = {
            "watchlist": self.tr("Watchlist"),
            "outbox": self.tr("Records to upload"),
            "reader": self.tr("Document reader"),
            "camera": self.tr("Camera"),
            "scanner": self.tr("Fingerprint scanner"),
            "mode": self.tr("Mode"),
        }
        for key, (name, _value) in self._status_rows.items():
            name.setText(labels[key])
        self.outbox_button.setText(self.tr("Open list"))
        self.outbox_button.setToolTip(self.tr("Each record waiting for upload, with its status"))

    def set_statistics(self, stats: BoothStatistics) -> None:
        values = {
            "total": str(stats.total),
            "permit": str(stats.decided.get(DecisionKind.PERMIT_LANDING, 0)),
            "refer": str(stats.decided.get(DecisionKind.REFER_SECONDARY, 0)),
            "refuse": str(stats.decided.get(DecisionKind.REFUSE_LANDING, 0)),
            "median": "—"
            if stats.median_seconds is None
            else f"{stats.median_seconds / 60:.1f} min",
            "open": str(stats.open_cases),
        }
        for key, text in values.items():
            self._today[key][0].setText(text)

    def set_outbox(self, counts: dict[str, int]) -> None:
        """Per-status counts of the outbox (queued, sent, acknowledged, rejected)."""
        text = self.tr(
            "{queued} queued · {sent} sent · {ack} acknowledged · {rejected} rejected"
        ).format(
            queued=counts.get("queued", 0),
            sent=counts.get("sent", 0),
            ack=counts.get("acknowledged", 0),
            rejected=counts.get("rejected", 0),
        )
        self.set_status("outbox", text)

    def set_status(self, key: str, text: str) -> None:
        self._status_rows[key][1].setText(text)

    def set_open_cases(self, cases: list[Case]) -> None:
        self.resume_list.clear()
        for case in cases:
            who = case.document.full_name if case.document else self.tr("(no document yet)")
            item = QListWidgetItem(
                f"{case.opened_at.astimezone().strftime('%m-%d %H:%M')}  {who}  — "
                f"{state_text(case.state.value)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, case.case_id)
            self.resume_list.addItem(item)
        if not cases:
            self.resume_list.addItem(self.tr("No open cases"))
            self.resume_list.item(0).setFlags(Qt.ItemFlag.NoItemFlags)
