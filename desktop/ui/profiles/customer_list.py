"""The customers column of the Customers and tenants dialog: a new customer's name with Add,
the filter, and the list (sorted and filtered by name, ignoring case).

Signals:
    add_requested: Add customer was clicked, or Enter pressed in the new name.
    chosen: the selected customer changed.
"""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.profiles.customer_models import CustomerTableModel


class CustomerListPane(QWidget):
    """The customer list over *customers*, with the fields to add and to filter.

    Attributes:
        proxy: the sorted, filtered view of the customers model that ``list`` shows.
        new_name, add_button: a new customer's name and Add customer.
        search: the filter.
        list: the table of customers.
    """

    add_requested = Signal()
    chosen = Signal()

    def __init__(self, customers: CustomerTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.customers = customers
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(customers)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self.new_name = QLineEdit(self)
        self.new_name.setPlaceholderText("New customer's name")
        self.new_name.setAccessibleName("New customer name")
        self.add_button = QPushButton("&Add customer", self)
        self.add_button.clicked.connect(self.add_requested)
        self.new_name.returnPressed.connect(self.add_requested)
        self.search = QLineEdit(self)
        self.search.returnPressed.connect(self._search_entered)
        self.search.setPlaceholderText("Filter customers")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Filter customers")
        self.search.textChanged.connect(self.proxy.setFilterFixedString)
        self.list = QTableView(self)
        self.list.setObjectName("CustomerList")
        self.list.setAccessibleName("Customers")
        self.list.setModel(self.proxy)
        self.list.setSortingEnabled(True)
        self.list.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.list.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.verticalHeader().hide()
        self.list.setWordWrap(False)
        self.list.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.list.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.selectionModel().selectionChanged.connect(self._on_selection)
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_name, 1)
        add_row.addWidget(self.add_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(add_row)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)

    def selected_row(self) -> int | None:
        """The selected customer's row in the customers model, or None."""
        rows = self.list.selectionModel().selectedRows() if self.list.selectionModel() else []
        return self.proxy.mapToSource(rows[0]).row() if rows else None

    def select_row(self, row: int) -> None:
        """Select the customer at *row* of the customers model."""
        self.list.selectRow(self.proxy.mapFromSource(self.customers.index(row, 0)).row())

    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self.chosen.emit()

    @Slot()
    def _search_entered(self) -> None:
        """Enter in the filter goes to the first customer shown."""
        if self.proxy.rowCount() > 0:
            self.list.selectRow(0)
            self.list.setFocus()
