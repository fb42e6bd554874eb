"""The left-hand browser: app types grouped by service, or APIs across all apps."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from desktop.core.catalog.model import Catalog, ServiceFamily
from desktop.core.catalog.names import api_names

SELECTION_ROLE = Qt.ItemDataRole.UserRole + 10


class BrowseMode(StrEnum):
    APP = "app"
    API = "api"


class SelectionKind(StrEnum):
    ALL = "all"  # every app type (app mode) or every API (API mode)
    SERVICE = "service"
    APP = "app"
    API = "api"


@dataclass(frozen=True)
class BrowseSelection:
    """What the browser points at; ``key`` is an id (service, app) or an API name."""

    mode: BrowseMode
    kind: SelectionKind
    key: str = ""
    label: str = ""


def _item(text: str, selection: BrowseSelection, tooltip: str = "") -> QStandardItem:
    item = QStandardItem(text)
    item.setEditable(False)
    item.setData(selection, SELECTION_ROLE)
    item.setToolTip(tooltip or text)
    return item


def build_browse_model(catalog: Catalog, mode: BrowseMode) -> QStandardItemModel:
    """A tree for *mode*: "All app types" then services (premium first) with their app types,
    or "All APIs" then each API."""
    model = QStandardItemModel()
    model.setHorizontalHeaderLabels(["App types by service" if mode is BrowseMode.APP else "APIs"])
    root = model.invisibleRootItem()
    if mode is BrowseMode.API:
        everything = BrowseSelection(mode, SelectionKind.ALL, "", "every API")
        root.appendRow(_item("All APIs", everything, "Every permission of every app type"))
        for api in api_names(catalog):
            root.appendRow(_item(api, BrowseSelection(mode, SelectionKind.API, api, api)))
        return model
    everything = BrowseSelection(mode, SelectionKind.ALL, "", "every app type")
    root.appendRow(_item("All app types", everything, "Every permission of every app type"))
    families = (ServiceFamily.PREMIUM, ServiceFamily.AOS)
    services = sorted(catalog.services, key=lambda s: families.index(s.family))
    for service in services:
        if not service.app_type_ids:
            continue
        family = "Elements premium service" if service.family is ServiceFamily.PREMIUM else "AOS"
        group = _item(
            service.name,
            BrowseSelection(mode, SelectionKind.SERVICE, service.id, f"{service.name}'s apps"),
            f"{service.name} ({family})",
        )
        for app in catalog.apps_for_service(service.id):
            count = len(app.permissions)
            tip = (
                f"{app.label}: {count} permission{'s' if count != 1 else ''}"
                if count
                else f"{app.label}: the shipped documentation does not list its permissions"
            )
            group.appendRow(
                _item(app.label, BrowseSelection(mode, SelectionKind.APP, app.id, app.label), tip)
            )
        root.appendRow(group)
    return model


class BrowsePanel(QWidget):
    """Radio buttons for the browse mode over a tree of what to show.

    Signals:
        selection_changed(object): the new :class:`BrowseSelection`.
    """

    selection_changed = Signal(object)

    def __init__(self, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self.by_app = QRadioButton("By app &type")
        self.by_api = QRadioButton("By AP&I")
        self.by_app.setToolTip("App types grouped by the services that use them")
        self.by_api.setToolTip("Each API, across every app type")
        self.by_app.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.by_app)
        group.addButton(self.by_api)
        self.tree = QTreeView()
        self.tree.setObjectName("PermissionsBrowseTree")
        self.tree.setAccessibleName("Browse app types or APIs")
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        mode_row = QHBoxLayout()
        mode_row.setContentsMargins(0, 0, 0, 0)
        label = QLabel("Browse:")
        mode_row.addWidget(label)
        mode_row.addWidget(self.by_app)
        mode_row.addWidget(self.by_api)
        mode_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(mode_row)
        layout.addWidget(self.tree, 1)
        self.model = QStandardItemModel(self)
        self.by_app.toggled.connect(self._on_mode_toggled)
        self._load(BrowseMode.APP)

    @property
    def mode(self) -> BrowseMode:
        return BrowseMode.APP if self.by_app.isChecked() else BrowseMode.API

    def current(self) -> BrowseSelection:
        index = self.tree.currentIndex()
        value = index.data(SELECTION_ROLE) if index.isValid() else None
        if isinstance(value, BrowseSelection):
            return value
        return BrowseSelection(self.mode, SelectionKind.ALL, "", "everything")

    def select(self, kind: SelectionKind, key: str = "") -> bool:
        """Select the first item for *kind*/*key* (switching mode if needed)."""
        wanted = BrowseMode.API if kind is SelectionKind.API else self.mode
        if kind in (SelectionKind.APP, SelectionKind.SERVICE):
            wanted = BrowseMode.APP
        (self.by_api if wanted is BrowseMode.API else self.by_app).setChecked(True)
        for index in self._walk(QModelIndex()):
            value = index.data(SELECTION_ROLE)
            if isinstance(value, BrowseSelection) and value.kind is kind and value.key == key:
                self.tree.setCurrentIndex(index)
                self.tree.scrollTo(index)
                return True
        return False

    def _walk(self, parent: QModelIndex) -> list[QModelIndex]:
        found = []
        for row in range(self.model.rowCount(parent)):
            index = self.model.index(row, 0, parent)
            found.append(index)
            found.extend(self._walk(index))
        return found

    def _on_mode_toggled(self, _checked: bool) -> None:
        self._load(self.mode)

    def _load(self, mode: BrowseMode) -> None:
        old_selection, old_model = self.tree.selectionModel(), self.model
        self.model = build_browse_model(self._catalog, mode)
        self.model.setParent(self)
        self.tree.setModel(self.model)
        # setModel() does not delete the previous model or its selection model.
        if old_selection is not None:
            old_selection.deleteLater()
        old_model.deleteLater()
        self.tree.expandAll()
        selection_model = self.tree.selectionModel()
        selection_model.currentChanged.connect(self._on_current_changed)
        self.tree.setCurrentIndex(self.model.index(0, 0))

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.selection_changed.emit(self.current())
