"""A table view that shares its width sensibly between short and long columns."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt, QTimer
from PySide6.QtGui import QAction, QResizeEvent, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

#: Most of the width a column may take, as a share of the visible width, before it elides.
#: The last column (Description) takes what is left.
WIDTH_SHARES = {"App type": 0.2, "Required by": 0.2, "API": 0.17, "Permission": 0.27}
#: The last column (Description) keeps at least this many average characters when the others
#: are squeezed to fit a small window.
LAST_COLUMN_CHARS = 14


class RememberingHeader(QHeaderView):
    """A horizontal header that tells its view which widths the technician chose.

    A column the technician resized (by dragging, or by double-clicking a divider) keeps its
    width, by column title, across resizes, filtering and model resets; widths restored from
    the saved window layout count as chosen too.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        #: Width by column title, for the columns the technician sized.
        self.chosen: dict[str, int] = {}
        self.fitting = False
        self.sectionResized.connect(self._on_resized)

    def title(self, logical: int) -> str:
        model = self.model()
        return str(model.headerData(logical, self.orientation())) if model else ""

    def restoreState(self, state: QByteArray | bytes | bytearray | memoryview[int]) -> bool:
        model = self.model()
        restored = super().restoreState(state)
        if restored and model is not None and self.count() != model.columnCount():
            # Saved with other columns (the App type column comes and goes): Qt would keep
            # the saved section count; go back to the model's columns and fit them afresh.
            self.reset()
            return False
        if restored:
            last = self.count() - 1
            self.chosen = {self.title(i): self.sectionSize(i) for i in range(last)}
        return restored

    def forget_chosen(self) -> None:
        self.chosen.clear()

    def _on_resized(self, logical: int, _old: int, new: int) -> None:
        # The stretched last column follows the others; only the technician's drags count.
        if not self.fitting and logical != self.count() - 1 and new > 0:
            self.chosen[self.title(logical)] = new


class FittedTableView(QTableView):
    """Sizes columns to their contents, caps the long ones by share of the visible width, and
    lets the last column stretch; refits when the view is resized or its rows change.

    Columns the technician sized keep their width; the header's context menu offers to fit
    them to the window again. In a small window the capped columns shrink further, so every
    column stays in view without scrolling sideways.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHorizontalHeader(RememberingHeader(self))
        self.setSortingEnabled(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        rows = self.verticalHeader()
        rows.hide()
        # Fixed, font-based row height: uniform rows and no per-row measuring.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.remembering_header
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSectionsClickable(True)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.fit_action = QAction("&Fit columns to the window", header)
        self.fit_action.triggered.connect(self.refit_all)
        header.addAction(self.fit_action)
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(0)
        self._refit.timeout.connect(self.fit_columns)
        self._fit_pending = False

    @property
    def remembering_header(self) -> RememberingHeader:
        header = self.horizontalHeader()
        assert isinstance(header, RememberingHeader)
        return header

    def refit_all(self) -> None:
        """Forget the widths the technician chose and fit every column to the window."""
        self.remembering_header.forget_chosen()
        self.fit_columns()

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
        header = self.remembering_header
        header.fitting = True
        try:
            self._fit(header, model.columnCount())
        finally:
            header.fitting = False

    def _fit(self, header: RememberingHeader, count: int) -> None:
        # The width once a vertical scroll bar shows (it appears after the rows are set, and
        # shrinks the viewport without a resize event on the view).
        bar = self.verticalScrollBar().sizeHint().width()
        width = max(self.maximumViewportSize().width() - bar, 400)
        titles = [header.title(c) for c in range(count)]
        for column, title in enumerate(titles[:-1]):
            chosen = header.chosen.get(title)
            if chosen is not None:
                header.resizeSection(column, chosen)
                continue
            self.resizeColumnToContents(column)
            share = WIDTH_SHARES.get(title)
            if share:
                header.resizeSection(column, min(header.sectionSize(column), int(width * share)))
        # Squeeze the capped, unchosen columns so the last one keeps a readable width.
        # (the stretched last section never gets narrower than the default section size)
        last = max(
            self.fontMetrics().averageCharWidth() * LAST_COLUMN_CHARS, header.defaultSectionSize()
        )
        room = width - last
        used = sum(header.sectionSize(c) for c in range(count - 1))
        squeezable = [
            c for c, t in enumerate(titles[:-1]) if t in WIDTH_SHARES and t not in header.chosen
        ]
        spare = sum(header.sectionSize(c) for c in squeezable)
        if used > room and spare:
            keep = max(0.4, 1 - (used - room) / spare)
            for column in squeezable:
                header.resizeSection(column, int(header.sectionSize(column) * keep))

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
