"""Small building blocks shared by the screens."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)


class Card(QFrame):
    """A white panel with a title, the unit every screen is built from."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 12, 14, 14)
        outer.setSpacing(8)
        header = QHBoxLayout()
        self.title = QLabel(title)
        self.title.setObjectName("cardTitle")
        header.addWidget(self.title)
        header.addStretch(1)
        self.badge = QLabel()
        self.badge.hide()
        header.addWidget(self.badge)
        outer.addLayout(header)
        self.body = QVBoxLayout()
        self.body.setSpacing(8)
        outer.addLayout(self.body, 1)

    def set_badge(self, text: str, level: str = "ok") -> None:
        """Show a coloured status badge: ``level`` is ``ok``, ``warn`` or ``alert``."""
        if not text:
            self.badge.hide()
            return
        self.badge.setText(text)
        self.badge.setObjectName({"ok": "badgeOk", "warn": "badgeWarn"}.get(level, "badgeAlert"))
        self.badge.style().unpolish(self.badge)
        self.badge.style().polish(self.badge)
        self.badge.show()


class ImageBox(QLabel):
    """Shows an image scaled to fit, keeping its aspect ratio, or a placeholder text."""

    def __init__(self, placeholder: str = "", min_size: tuple[int, int] = (160, 200)) -> None:
        super().__init__(placeholder)
        self.setObjectName("imageBox")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(*min_size)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._pixmap: QPixmap | None = None
        self._placeholder = placeholder

    def set_image(self, image: QImage | QPixmap | bytes | None) -> None:
        if image is None:
            self._pixmap = None
            self.setPixmap(QPixmap())
            self.setText(self._placeholder)
            return
        if isinstance(image, bytes):
            pixmap = QPixmap()
            if not pixmap.loadFromData(image):
                self.set_image(None)
                return
        elif isinstance(image, QImage):
            pixmap = QPixmap.fromImage(image)
        else:
            pixmap = image
        self._pixmap = pixmap
        self._rescale()

    def set_placeholder(self, text: str) -> None:
        self._placeholder = text
        if self._pixmap is None:
            self.setText(text)

    def has_image(self) -> bool:
        return self._pixmap is not None

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802
        super().resizeEvent(event)
        self._rescale()

    def _rescale(self) -> None:
        if self._pixmap is not None and not self._pixmap.isNull():
            self.setPixmap(
                self._pixmap.scaled(
                    self.size(),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )


class FieldGrid(QWidget):
    """Label/value pairs in two columns."""

    def __init__(self, names: list[tuple[str, str]]) -> None:
        super().__init__()
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(12)
        layout.setVerticalSpacing(4)
        self._values: dict[str, QLabel] = {}
        self._names: dict[str, QLabel] = {}
        for row, (key, label) in enumerate(names):
            name = QLabel(label)
            name.setObjectName("fieldName")
            value = QLabel("—")
            value.setObjectName("fieldValue")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            layout.addWidget(name, row, 0)
            layout.addWidget(value, row, 1)
            self._values[key] = value
            self._names[key] = name
        layout.setColumnStretch(1, 1)

    def set(self, key: str, value: str, *, hide_empty: bool = False) -> None:
        """Show ``value``; an empty one shows as a dash, or hides the row if asked."""
        self._values[key].setText(value or "—")
        visible = bool(value) or not hide_empty
        self._values[key].setVisible(visible)
        self._names[key].setVisible(visible)

    def clear(self) -> None:
        for key, value in self._values.items():
            value.setText("—")
            value.setVisible(True)
            self._names[key].setVisible(True)

    def rename(self, key: str, label: str) -> None:
        self._names[key].setText(label)


def rgb_to_qimage(array: object) -> QImage:
    """An RGB uint8 numpy array (H, W, 3) as a QImage (copied, so the array may be reused)."""
    import numpy as np

    data = np.ascontiguousarray(array, dtype=np.uint8)
    height, width = data.shape[:2]
    image = QImage(data.data, width, height, 3 * width, QImage.Format.Format_RGB888)
    return image.copy()
