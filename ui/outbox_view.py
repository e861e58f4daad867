"""Records to upload: every outbox item with its status, refreshed while the list is open.

Shows what the outbox holds about each item (type, record ID, status, attempts, the hub's
last error, times) and nothing else: no payloads, so no personal data.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QHideEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ui.messages import error_text
from ui.style import ALERT, OK, WARN
from ui.widgets import Card
from ui.workers import Workers

Index = QModelIndex | QPersistentModelIndex
Counts = Mapping[str, int]
Rows = Sequence[Mapping[str, Any]]
Load = Callable[[str | None], tuple[Counts, Rows]]
"""Per-status counts and the newest items of one status (``None``: all), from the outbox."""

STATUSES = ("queued", "sent", "acknowledged", "rejected")
_COLOURS = {"sent": WARN, "acknowledged": OK, "rejected": ALERT}


def status_text(status: str) -> str:
    return {
        "queued": QCoreApplication.translate("Messages", "queued"),
        "sent": QCoreApplication.translate("Messages", "sent, awaiting answer"),
        "acknowledged": QCoreApplication.translate("Messages", "acknowledged"),
        "rejected": QCoreApplication.translate("Messages", "rejected"),
    }.get(status, status)


def item_type_text(item_type: str) -> str:
    return {
        "decision": QCoreApplication.translate("Messages", "Decision"),
        "encounter": QCoreApplication.translate("Messages", "Encounter"),
        "enrolment": QCoreApplication.translate("Messages", "Enrolment"),
    }.get(item_type, item_type)


def _local_time(value: str | None) -> str:
    if not value:
        return ""
    try:
        return dt.datetime.fromisoformat(value).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    except ValueError:
        return value


class OutboxModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[Mapping[str, Any]] = []
        self.headers: list[str] = []

    def set_rows(self, rows: Rows) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802
        return len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:  # noqa: N802
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def text(self, row: int, column: int) -> str:
        item = self.rows[row]
        values = (
            item_type_text(item["item_type"]),
            item["item_id"],
            status_text(item["status"]),
            str(item["attempts"]),
            item["detail"] or "",
            _local_time(item["created_at"]),
            _local_time(item["updated_at"]),
        )
        return values[column]

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.text(index.row(), index.column())
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 2:
            colour = _COLOURS.get(self.rows[index.row()]["status"])
            return QColor(colour) if colour else None
        return None


class OutboxPage(QWidget):
    """The outbox items, filtered by status; emits :attr:`finished` to go back.

    :param load: reads the outbox (runs on the database thread).
    :param refresh_ms: how often the list is read again while it is shown.
    """

    finished = Signal()

    def __init__(self, workers: Workers, load: Load, refresh_ms: int = 5000) -> None:
        super().__init__()
        self.setObjectName("page")
        self._workers = workers
        self._load = load
        self._loading = False
        self._counts: Counts = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 16)
        top = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("cardTitle")
        top.addWidget(self.heading)
        top.addStretch(1)
        self.filter_label = QLabel()
        top.addWidget(self.filter_label)
        self.status_filter = QComboBox()
        self.status_filter.setObjectName("outboxFilter")
        self.status_filter.addItem("", None)
        for status in STATUSES:
            self.status_filter.addItem("", status)
        top.addWidget(self.status_filter)
        self.refresh_button = QPushButton()
        self.back = QPushButton()
        top.addWidget(self.refresh_button)
        top.addWidget(self.back)
        layout.addLayout(top)
        self.card = Card("")
        self.model = OutboxModel()
        self.table = QTableView()
        self.table.setObjectName("outboxTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.card.body.addWidget(self.table)
        layout.addWidget(self.card, 1)
        self.status = QLabel()
        self.status.setObjectName("hint")
        layout.addWidget(self.status)

        self.timer = QTimer(self)
        self.timer.setInterval(refresh_ms)
        self.timer.timeout.connect(self.refresh)
        self.back.clicked.connect(self.finished.emit)
        self.refresh_button.clicked.connect(self.refresh)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.refresh())
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Records to upload"))
        self.filter_label.setText(self.tr("Status"))
        self.back.setText(self.tr("Back to home"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.card.title.setText(self.tr("Outbox: newest first"))
        self._label_filter()
        self.model.headers = [
            self.tr("Type"),
            self.tr("Record ID"),
            self.tr("Status"),
            self.tr("Attempts"),
            self.tr("Last error"),
            self.tr("Created"),
            self.tr("Last attempt"),
        ]
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.model.headers) - 1)

    def _label_filter(self) -> None:
        total = sum(self._counts.values())
        self.status_filter.setItemText(0, self.tr("All ({n})").format(n=total))
        for i, status in enumerate(STATUSES, start=1):
            self.status_filter.setItemText(
                i, f"{status_text(status)} ({self._counts.get(status, 0)})"
            )

    def selected_status(self) -> str | None:
        status: str | None = self.status_filter.currentData()
        return status

    def open(self) -> None:
        """Show the list and keep it current while it is on screen."""
        self.refresh()
        self.timer.start()

    def close_view(self) -> None:
        self.timer.stop()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802
        super().showEvent(event)
        if not self.timer.isActive():
            self.timer.start()

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802
        self.timer.stop()
        super().hideEvent(event)

    def refresh(self) -> None:
        if self._loading:
            return
        self._loading = True
        status = self.selected_status()

        def done(result: tuple[Counts, Rows] | None, error: BaseException | None) -> None:
            self._loading = False
            if error is not None or result is None:
                self.status.setText(error_text(error or RuntimeError()))
                return
            counts, rows = result
            if status != self.selected_status():
                self.refresh()  # the filter changed while this list was read
                return
            self._counts = counts
            self._label_filter()
            self.model.set_rows(rows)
            total = sum(counts.values()) if status is None else counts.get(status, 0)
            self.status.setText(
                self.tr("{shown} of {total} records shown · read at {time}").format(
                    shown=len(rows), total=total, time=dt.datetime.now().strftime("%H:%M:%S")
                )
            )

        self._workers.run("db", lambda: self._load(status), done)
