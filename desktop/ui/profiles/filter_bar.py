"""The filter bar: text search across columns, plus status, customer and service."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from desktop.core.catalog.model import Catalog
from desktop.core.inventory.listing import STATUS_ORDER, ListFilter

from desktop.ui.profiles.status_icons import status_icon


class FilterBar(QWidget):
    """Search box and three drop-downs.

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
        self.status = QComboBox(self)
        self.status.setAccessibleName("Status filter")
        self.status.addItem("All statuses", "")
        for status in STATUS_ORDER:
            self.status.addItem(status_icon(status), status.value, status.value)
        self.customer = QComboBox(self)
        self.customer.setAccessibleName("Customer filter")
        self.customer.setMinimumContentsLength(16)
        self.customer.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.customer.addItem("All customers", "")
        self.service = QComboBox(self)
        self.service.setAccessibleName("Service filter")
        self.service.addItem("All services", "")
        for svc in catalog.services:
            self.service.addItem(svc.name, svc.id)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        find = QLabel("&Find:", self)
        find.setBuddy(self.search)
        layout.addWidget(find)
        layout.addWidget(self.search, 3)
        for text, combo in (("S&tatus:", self.status), ("C&ustomer:", self.customer)):
            label = QLabel(text, self)
            label.setBuddy(combo)
            layout.addWidget(label)
            layout.addWidget(combo, 1)
        label = QLabel("Ser&vice:", self)
        label.setBuddy(self.service)
        layout.addWidget(label)
        layout.addWidget(self.service, 1)

        QShortcut(QKeySequence.StandardKey.Find, self, self.focus_search)
        self.search.textChanged.connect(self._emit)
        for combo in (self.status, self.customer, self.service):
            combo.currentIndexChanged.connect(self._emit)

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
            status=self.status.currentData() or "",
            customer=self.customer.currentData() or "",
            service=self.service.currentData() or "",
        )

    @Slot()
    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    @Slot()
    def _emit(self) -> None:
        self.filter_changed.emit(self.current())
