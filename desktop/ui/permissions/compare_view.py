"""Compare two app types: what one needs that the other does not."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.core.catalog.model import Catalog
from desktop.core.catalog.query import AppComparison, compare_apps

from desktop.ui.permissions.table_model import SORT_ROLE, ComparisonModel
from desktop.ui.permissions.table_view import FittedTableView


class CompareView(QWidget):
    """Two app type pickers over a table of their permissions, differences first.

    Signals:
        comparison_changed(): another pair was picked.
    """

    comparison_changed = Signal()

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self.first = QComboBox()
        self.second = QComboBox()
        for combo, name in ((self.first, "First"), (self.second, "Second")):
            combo.setAccessibleName(f"{name} app type to compare")
            combo.setMinimumContentsLength(20)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            for app in catalog.app_types:
                combo.addItem(app.label, app.id)
        if self.second.count() > 1:
            self.second.setCurrentIndex(1)
        self.swap = QPushButton("S&wap")
        self.swap.setToolTip("Swap the two app types")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setObjectName("CompareSummary")
        self.model = ComparisonModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = FittedTableView()
        self.table.setObjectName("CompareTable")
        self.table.horizontalHeader().setObjectName("CompareHeader")
        self.table.setAccessibleName("Permissions of the two app types")
        self.table.setModel(self.proxy)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
        grid = QGridLayout()
        for row, (text, combo) in enumerate(
            (("&First app type:", self.first), ("S&econd app type:", self.second))
        ):
            label = QLabel(text)
            label.setBuddy(combo)
            grid.addWidget(label, row, 0)
            grid.addWidget(combo, row, 1)
        grid.addWidget(self.swap, 0, 2, 2, 1)
        grid.setColumnStretch(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        self.first.currentIndexChanged.connect(self._refresh)
        self.second.currentIndexChanged.connect(self._refresh)
        self.swap.clicked.connect(self._swap)
        self._refresh()

    @property
    def comparison(self) -> AppComparison | None:
        return self.model.comparison

    def set_pair(self, first_id: str, second_id: str) -> None:
        self.first.blockSignals(True)
        self.first.setCurrentIndex(self.first.findData(first_id))
        self.first.blockSignals(False)
        self.second.setCurrentIndex(self.second.findData(second_id))
        self._refresh()

    def _swap(self) -> None:
        self.set_pair(self.second.currentData(), self.first.currentData())

    def _refresh(self) -> None:
        first, second = self.first.currentData(), self.second.currentData()
        if not first or not second:
            self.model.set_comparison(None)
            self.summary.setText("Pick two app types to compare.")
            self.comparison_changed.emit()
            return
        result = compare_apps(self._catalog, first, second)
        self.model.set_comparison(result)
        self.summary.setText(_summary(result))
        self.table.fit_columns()
        self.comparison_changed.emit()


def _summary(result: AppComparison) -> str:
    a, b = result.app_a.label, result.app_b.label
    if result.app_a.id == result.app_b.id:
        return "Both sides are the same app type; pick another one to see differences."
    unlisted = [app.label for app in (result.app_a, result.app_b) if not app.permissions]
    note = (
        f" The shipped documentation does not list the permissions of {' or '.join(unlisted)}."
        if unlisted
        else ""
    )
    return (
        f"{a} needs {_count(len(result.only_a))} that {b} does not; "
        f"{b} needs {_count(len(result.only_b))} that {a} does not; "
        f"both need {_count(len(result.both))}.{note}"
    )


def _count(n: int) -> str:
    return f"{n} permission{'' if n == 1 else 's'}"
