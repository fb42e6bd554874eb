"""The filter bar: text search across columns, plus statuses, customer and service."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QLineEdit, QWidget

from desktop.core.catalog.model import Catalog
from desktop.core.inventory.listing import ListFilter

from desktop.ui.profiles.status_filter import StatusFilter


class FilterBar(QWidget):
    """Search box, the status filter and two drop-downs (Edit → Find focuses the search).

    Signals:
        filter_changed(ListFilter): any of them changed.
    """

    filter_changed = Signal(object)

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setObjectName("ProfileSearch")
        self.search.setPlaceholderText("Search name, customer, tenant, service, app type, reason…")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search profiles")
        self.status = StatusFilter(self)
        self.customer = QComboBox(self)
        self.customer.setAccessibleName("Customer filter")
        self.customer.addItem("All customers", "")
        self.service = QComboBox(self)
        self.service.setAccessibleName("Service filter")
        self.service.addItem("All services", "")
        for svc in catalog.services:
            self.service.addItem(svc.name, svc.id)

        self._labels: list[QLabel] = []
        for text, widget in (
            ("&Find:", self.search),
            ("S&tatus:", self.status),
            ("C&ustomer:", self.customer),
            ("Ser&vice:", self.service),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            self._labels.append(label)
        # A drop-down is as wide as its longest entry by default; these ones show a few words
        # and the pop-up list shows the whole names.
        for combo, length in ((self.customer, 14), (self.service, 14)):
            combo.setMinimumContentsLength(length)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
        self.search.setMinimumWidth(self.search.fontMetrics().horizontalAdvance("x" * 24))
        self._grid = QGridLayout(self)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._wrapped: bool | None = None
        self._arrange(wrapped=False)
        self.search.textChanged.connect(self._emit)
        self.status.changed.connect(self._emit)
        for combo in (self.customer, self.service):
            combo.currentIndexChanged.connect(self._emit)

    @property
    def wrapped(self) -> bool:
        """True when the drop-downs are on a second row (a narrow window)."""
        return bool(self._wrapped)

    def one_row_width(self) -> int:
        """The width the bar needs to fit on one row with a usable search box."""
        grid = self._grid
        widgets: list[QWidget] = [*self._labels, self.status, self.customer, self.service]
        hints = sum(w.sizeHint().width() for w in widgets)
        spacing = grid.horizontalSpacing() * (len(widgets) + 1)
        return hints + spacing + self.search.fontMetrics().horizontalAdvance("x" * 40)

    def _arrange(self, wrapped: bool) -> None:
        """One row when it fits; otherwise the search box on its own row above the drop-downs."""
        if wrapped == self._wrapped:
            return
        self._wrapped = wrapped
        grid = self._grid
        while grid.count():
            grid.takeAt(0)
        for column in range(grid.columnCount()):
            grid.setColumnStretch(column, 0)
        find, status, customer, service = self._labels
        if wrapped:
            grid.addWidget(find, 0, 0)
            grid.addWidget(self.search, 0, 1, 1, 5)
            row, first = 1, 0
        else:
            grid.addWidget(find, 0, 0)
            grid.addWidget(self.search, 0, 1)
            grid.setColumnStretch(1, 3)
            row, first = 0, 2
        for offset, (label, combo) in enumerate(
            ((status, self.status), (customer, self.customer), (service, self.service))
        ):
            grid.addWidget(label, row, first + 2 * offset)
            grid.addWidget(combo, row, first + 2 * offset + 1)
        grid.setColumnStretch(first + 3, 1)
        grid.setColumnStretch(first + 5, 1)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._arrange(wrapped=event.size().width() < self.one_row_width())

    def set_customers(self, names: Iterable[str]) -> None:
        """Refill the customer drop-down, keeping the current choice when it still exists."""
        current = self.customer.currentData() or ""
        self.customer.blockSignals(True)
        self.customer.clear()
        self.customer.addItem("All customers", "")
        for name in names:
            self.customer.addItem(name, name)
        index = self.customer.findData(current) if current else 0
        self.customer.setCurrentIndex(max(index, 0))
        self.customer.blockSignals(False)
        if current and index < 0:
            self._emit()

    def current(self) -> ListFilter:
        return ListFilter(
            text=self.search.text(),
            statuses=self.status.statuses(),
            customer=self.customer.currentData() or "",
            service=self.service.currentData() or "",
        )

    def clear(self) -> None:
        """Show every profile: no search text, every status, customer and service."""
        self.blockSignals(True)
        try:
            self.search.clear()
            self.status.set_statuses(frozenset())
            self.customer.setCurrentIndex(0)
            self.service.setCurrentIndex(0)
        finally:
            self.blockSignals(False)
        self._emit()

    @Slot()
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    @Slot()
    def _emit(self) -> None:
        self.filter_changed.emit(self.current())
