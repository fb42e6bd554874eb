"""The filter bar: search as you type, type, API and privilege filters."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from desktop.core.catalog.model import PermissionType
from desktop.core.catalog.query import RowFilter

_HIGH = "high"
_CRITICAL = "critical"
#: The privilege filter's choices: Critical is the upper of the two levels, so "High or
#: critical" shows both (see desktop.core.catalog.privilege).
_PRIVILEGE_CHOICES = (
    ("Any privilege", ""),
    ("High or critical", _HIGH),
    ("Critical only", _CRITICAL),
)


class FilterBar(QWidget):
    """Search box and filters; emits ``changed`` whenever any of them changes.

    Signals:
        changed(): the filter changed; read it with :meth:`row_filter`.
    """

    changed = Signal()

    def __init__(self, apis: Sequence[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit()
        self.search.setObjectName("PermissionsSearch")
        self.search.setPlaceholderText("Search every column (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search permissions")
        self.type_combo = QComboBox()
        self.type_combo.setAccessibleName("Permission type filter")
        self.type_combo.addItem("All types", None)
        for type_ in PermissionType:
            self.type_combo.addItem(type_.value, type_.value)
        self.api_combo = QComboBox()
        self.api_combo.setAccessibleName("API filter")
        self.api_combo.addItem("All APIs", "")
        for api in apis:
            self.api_combo.addItem(api, api)
        self.api_combo.setMinimumContentsLength(12)
        self.api_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.privilege_combo = QComboBox()
        self.privilege_combo.setAccessibleName("Privilege filter")
        for text, value in _PRIVILEGE_CHOICES:
            self.privilege_combo.addItem(text, value)
        self.privilege_combo.setToolTip(
            "High: tenant-wide write access. Critical: a path to Global Administrator, every "
            "mailbox or site, protected content or device wipe."
        )
        # Two rows, so the search box keeps a useful width in a small window.
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        search_label = QLabel("&Search:")
        search_label.setBuddy(self.search)
        grid.addWidget(search_label, 0, 0)
        grid.addWidget(self.search, 0, 1, 1, 2)
        combos = QHBoxLayout()
        for text, widget in (
            ("T&ype:", self.type_combo),
            ("&API:", self.api_combo),
            ("Privile&ge:", self.privilege_combo),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            combos.addWidget(label)
            combos.addWidget(widget)
        combos.addStretch(1)
        filter_label = QLabel("Filter:")
        grid.addWidget(filter_label, 1, 0)
        grid.addLayout(combos, 1, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        self.search.textChanged.connect(self.changed)
        self.type_combo.currentIndexChanged.connect(self.changed)
        self.api_combo.currentIndexChanged.connect(self.changed)
        self.privilege_combo.currentIndexChanged.connect(self.changed)

    def row_filter(self) -> RowFilter:
        api = self.api_combo.currentData()
        type_ = self.type_combo.currentData()
        return RowFilter(
            apis=frozenset({api}) if api else frozenset(),
            type=PermissionType(type_) if type_ else None,
            search=self.search.text(),
            high_privilege_only=self.privilege_combo.currentData() == _HIGH,
            critical_only=self.privilege_combo.currentData() == _CRITICAL,
        )

    def is_narrowing(self) -> bool:
        f = self.row_filter()
        return bool(f.apis or f.type or f.terms() or f.high_privilege_only or f.critical_only)

    def describe(self) -> str:
        """The active filters in words, for an export's subtitle."""
        f = self.row_filter()
        parts = []
        if f.search.strip():
            parts.append(f"Search “{f.search.strip()}”")
        if f.type:
            parts.append(f"Type: {f.type.value}")
        if f.apis:
            parts.append(f"API: {next(iter(f.apis))}")
        if f.high_privilege_only:
            parts.append("High privilege only")
        if f.critical_only:
            parts.append("Critical privilege only")
        return " · ".join(parts)

    def clear(self) -> None:
        """Reset every filter, emitting ``changed`` once."""
        self.blockSignals(True)
        self.search.clear()
        self.type_combo.setCurrentIndex(0)
        self.api_combo.setCurrentIndex(0)
        self.privilege_combo.setCurrentIndex(0)
        self.blockSignals(False)
        self.changed.emit()
