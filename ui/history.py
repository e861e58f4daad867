"""Case history: recent cases with their decision, and the audit trail of the selected one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from db.store import CaseSummary
from ui.messages import decision_text, error_text, state_text
from ui.widgets import Card
from ui.workers import Workers
from workstation.audit import AuditEntry

Index = QModelIndex | QPersistentModelIndex


class CaseTableModel(QAbstractTableModel):
    def __init__(self) -> None:
        super().__init__()
        self.rows: list[CaseSummary] = []
        self.headers: list[str] = []

    def set_rows(self, rows: list[CaseSummary]) -> None:
        self.beginResetModel()
        self.rows = rows
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

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        row = self.rows[index.row()]
        values = (
            row.opened_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            row.traveller,
            row.document_number,
            state_text(row.state.value),
            decision_text(row.decision.value) if row.decision else "",
            row.operator_id,
            "●" if row.training else "",
        )
        return values[index.column()]


class HistoryPage(QWidget):
    """Emits :attr:`finished` when the operator goes back."""

    finished = Signal()

    def __init__(
        self,
        workers: Workers,
        load_cases: Callable[[], list[CaseSummary]],
        load_audit: Callable[[str], list[AuditEntry]],
    ) -> None:
        super().__init__()
        self.setObjectName("page")
        self._workers = workers
        self._load_cases = load_cases
        self._load_audit = load_audit
        layout = QVBoxLayout(self)
        layout.setContentsMargins(20, 12, 20, 16)
        top = QHBoxLayout()
        self.heading = QLabel()
        self.heading.setObjectName("cardTitle")
        top.addWidget(self.heading)
        top.addStretch(1)
        self.refresh_button = QPushButton()
        self.back = QPushButton()
        top.addWidget(self.refresh_button)
        top.addWidget(self.back)
        layout.addLayout(top)
        body = QHBoxLayout()
        self.cases_card = Card("")
        self.model = CaseTableModel()
        self.table = QTableView()
        self.table.setObjectName("caseTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.cases_card.body.addWidget(self.table)
        body.addWidget(self.cases_card, 3)
        self.audit_card = Card("")
        self.audit_list = QListWidget()
        self.audit_card.body.addWidget(self.audit_list)
        body.addWidget(self.audit_card, 2)
        layout.addLayout(body, 1)
        self.status = QLabel()
        self.status.setObjectName("hint")
        layout.addWidget(self.status)
        self.back.clicked.connect(self.finished.emit)
        self.refresh_button.clicked.connect(self.refresh)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_audit())
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText(self.tr("Case history"))
        self.back.setText(self.tr("Back to home"))
        self.refresh_button.setText(self.tr("Refresh"))
        self.cases_card.title.setText(self.tr("Recent cases"))
        self.audit_card.title.setText(self.tr("Audit trail of the selected case"))
        self.model.headers = [
            self.tr("Opened"),
            self.tr("Traveller"),
            self.tr("Document no."),
            self.tr("State"),
            self.tr("Decision"),
            self.tr("Operator"),
            self.tr("Training"),
        ]
        self.model.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(self.model.headers) - 1)

    def refresh(self) -> None:
        def done(rows: list[CaseSummary] | None, error: BaseException | None) -> None:
            if error is not None or rows is None:
                self.status.setText(error_text(error or RuntimeError()))
                return
            self.model.set_rows(rows)
            self.status.setText(self.tr("{n} cases").format(n=len(rows)))

        self._workers.run("db", self._load_cases, done)

    def _show_audit(self) -> None:
        selected = self.table.selectionModel().selectedRows()
        self.audit_list.clear()
        if not selected:
            return
        case_id = self.model.rows[selected[0].row()].case_id

        def done(entries: list[AuditEntry] | None, error: BaseException | None) -> None:
            if error is not None or entries is None:
                self.audit_list.addItem(error_text(error or RuntimeError()))
                return
            for entry in entries:
                self.audit_list.addItem(
                    f"#{entry.seq}  {entry.at[11:19]}  {entry.operator_id}  {entry.action}"
                )

        self._workers.run("db", lambda: self._load_audit(case_id), done)
