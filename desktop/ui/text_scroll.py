"""A long text that wraps and, past a few lines, scrolls: never cut off mid-line."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QFrame, QLabel, QScrollArea, QSizePolicy, QWidget


class TextScroll(QScrollArea):
    """A word-wrapped label as tall as its text, up to *most* pixels; beyond that it scrolls."""

    def __init__(self, label: QLabel, most: int, parent: QWidget) -> None:
        super().__init__(parent)
        self._label = label
        self._most = most
        self._hint = 0
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setWidget(label)
        self.viewport().setAutoFillBackground(False)
        label.setAutoFillBackground(False)

    def _height(self) -> int:
        width = self.viewport().width() if self.isVisible() else 300
        return min(self._label.heightForWidth(max(width, 100)), self._most) + 2

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), self._height())

    def minimumSizeHint(self) -> QSize:
        return QSize(100, self._height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        height = self._height()
        if height != self._hint:  # the text rewrapped to another number of lines
            self._hint = height
            self.updateGeometry()
