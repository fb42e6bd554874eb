"""A table view that shares its width sensibly between short and long columns."""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

#: Most of the width a column may take, as a share of the visible width, before it elides.
#: The last column (Description) takes what is left.
WIDTH_SHARES = {"App type": 0.2, "Required by": 0.2, "API": 0.17, "Permission": 0.27}


class FittedTableView(QTableView):
    """Sizes columns to their contents, caps the long ones by share of the visible width, and
    lets the last column stretch; refits when the view is resized or its rows change."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        rows = self.verticalHeader()
        rows.hide()
        # Fixed, font-based row height: uniform rows and no per-row measuring.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit_columns)
        self._fit_pending = False

    def fit_columns(self) -> None:
        model = self.model()
        if model is None:
            return
        if not self.isVisible():
            # Measuring every row takes tens of milliseconds; a page that is not on screen
            # (at start-up) is fitted when it is first shown instead.
            self._fit_pending = True
            return
        self._fit_pending = False
        self.resizeColumnsToContents()
        width = max(self.viewport().width(), 400)
        header = self.horizontalHeader()
        for column in range(model.columnCount()):
            share = WIDTH_SHARES.get(str(model.headerData(column, header.orientation())))
            if share:
                header.resizeSection(column, min(header.sectionSize(column), int(width * share)))

    def schedule_fit(self) -> None:
        """Refit once control returns to the event loop (coalesces bursts of changes)."""
        self._refit.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._fit_pending:
            self.schedule_fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self.schedule_fit()
