"""The Browse tab: pick an app type or API, filter and search its permissions, see details."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QItemSelection, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.catalog.model import AppType, Catalog
from desktop.core.catalog.names import api_names
from desktop.core.catalog.query import PermissionRow, RowFilter, filter_rows, permission_rows

from desktop.ui.permissions.browse import BrowsePanel, BrowseSelection, SelectionKind
from desktop.ui.permissions.details import AppInfoPane, RequiredByPane
from desktop.ui.permissions.filters import FilterBar
from desktop.ui.permissions.table_model import ROW_ROLE, SORT_ROLE, PermissionTableModel
from desktop.ui.permissions.table_view import FittedTableView


class BrowseView(QWidget):
    """Browser, filter bar, permission table (or an empty state) and the detail panes.

    Signals:
        view_changed(): the rows shown changed (selection, filters or sort).
    """

    view_changed = Signal()

    def __init__(
        self, catalog: Catalog, override_hint: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._catalog = catalog
        self._override_hint = override_hint
        self._base: list[PermissionRow] = []
        self.browser = BrowsePanel(catalog)
        self.filters = FilterBar(api_names(catalog))
        self.heading = QLabel()
        self.heading.setObjectName("PermissionsHeading")
        self.heading.setWordWrap(True)
        self.model = PermissionTableModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = self._make_table()
        self.empty = QLabel()
        self.empty.setObjectName("PermissionsEmptyState")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.clear_filters = QPushButton("C&lear search and filters")
        self.clear_filters.clicked.connect(self.filters.clear)
        empty_page = QWidget()
        empty_layout = QVBoxLayout(empty_page)
        empty_layout.addStretch(1)
        empty_layout.addWidget(self.empty)
        empty_layout.addWidget(self.clear_filters, 0, Qt.AlignmentFlag.AlignHCenter)
        empty_layout.addStretch(2)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(empty_page)
        self.required_by = RequiredByPane(catalog)
        self.app_info = AppInfoPane(catalog)
        self.details = QTabWidget()
        self.details.setObjectName("PermissionDetails")
        self.details.setMinimumHeight(self.details.fontMetrics().height() * 7)
        self.details.addTab(self.required_by, "Required &by")
        self.details.addTab(self.app_info, "&Roles and notes")
        self._layout()
        self.browser.selection_changed.connect(self._on_browse)
        self.filters.changed.connect(self._apply_filters)
        self.table.selectionModel().selectionChanged.connect(self._on_row_selected)
        self.proxy.layoutChanged.connect(self.view_changed)
        self.required_by.app_activated.connect(self.show_app)
        self._on_browse(self.browser.current())

    def _make_table(self) -> FittedTableView:
        table = FittedTableView()
        table.setObjectName("PermissionsTable")
        table.horizontalHeader().setObjectName("PermissionsHeader")
        table.setAccessibleName("Permissions")
        table.setModel(self.proxy)
        table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # catalog order until asked
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        return table

    def _layout(self) -> None:
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.filters)
        right_layout.addWidget(self.heading)
        right_layout.addWidget(self.stack, 1)
        # The table is what the page is for: it gets the height, and the detail panes under it
        # keep a few lines however small the window (named, so their sizes are remembered).
        self.details_splitter = vertical = SharedSplitter((3, 2))
        vertical.setObjectName("PermissionsDetailsSplitter")
        vertical.addWidget(right)
        vertical.addWidget(self.details)
        vertical.setStretchFactor(0, 3)  # a larger window grows both, in the same shares
        vertical.setStretchFactor(1, 2)
        vertical.setChildrenCollapsible(False)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("PermissionsSplitter")
        self.splitter.addWidget(self.browser)
        self.splitter.addWidget(vertical)
        # The tree grows a little with the window, so long app names fit in a large one.
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([230, 800])
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        QWidget.setTabOrder(self.browser.by_app, self.browser.by_api)
        QWidget.setTabOrder(self.browser.by_api, self.browser.tree)
        QWidget.setTabOrder(self.browser.tree, self.filters.search)
        QWidget.setTabOrder(self.filters.search, self.filters.type_combo)
        QWidget.setTabOrder(self.filters.type_combo, self.filters.api_combo)
        QWidget.setTabOrder(self.filters.api_combo, self.filters.privilege_combo)
        QWidget.setTabOrder(self.filters.privilege_combo, self.table)
        QWidget.setTabOrder(self.table, self.details)

    # --- what is shown -------------------------------------------------------------------

    @property
    def selection(self) -> BrowseSelection:
        return self.browser.current()

    def visible_rows(self) -> list[PermissionRow]:
        """The rows as shown: filtered, in the table's sort order."""
        rows = []
        for r in range(self.proxy.rowCount()):
            value = self.proxy.index(r, 0).data(ROW_ROLE)
            if isinstance(value, PermissionRow):
                rows.append(value)
        return rows

    def selected_app(self) -> AppType | None:
        """The app the roles pane is about: the browsed app, else the selected row's app."""
        sel = self.selection
        if sel.kind is SelectionKind.APP:
            return self._catalog.app_type(sel.key)
        row = self.selected_row()
        return self._catalog.app_type(row.app_type_id) if row else None

    def selected_row(self) -> PermissionRow | None:
        rows = self.table.selectionModel().selectedRows()
        value = rows[0].data(ROW_ROLE) if rows else None
        return value if isinstance(value, PermissionRow) else None

    def show_app(self, app_id: str) -> None:
        self.browser.select(SelectionKind.APP, app_id)

    def export_title(self) -> str:
        sel = self.selection
        if sel.kind is SelectionKind.API:
            return f"{sel.key} permissions of every app type"
        if sel.kind is SelectionKind.ALL:
            return "Permissions of every app type"
        return f"Permissions required by {sel.label}"

    # --- reacting ------------------------------------------------------------------------

    def _on_browse(self, selection: BrowseSelection) -> None:
        if selection.kind is SelectionKind.APP:
            self._base = permission_rows(self._catalog, [selection.key])
        elif selection.kind is SelectionKind.SERVICE:
            self._base = permission_rows(
                self._catalog, self._catalog.service(selection.key).app_type_ids
            )
        elif selection.kind is SelectionKind.API:
            self._base = filter_rows(
                permission_rows(self._catalog), RowFilter(apis=frozenset({selection.key}))
            )
        else:
            self._base = permission_rows(self._catalog)
        self.app_info.show_app(self.selected_app())
        self._apply_filters()

    def _apply_filters(self) -> None:
        sel = self.selection
        rows = filter_rows(self._base, self.filters.row_filter())
        self.model.set_rows(rows, with_app_type=sel.kind is not SelectionKind.APP)
        self.required_by.show_row(None)
        if sel.kind is not SelectionKind.APP:
            self.app_info.show_app(None)
        self._show_table_or_empty(rows)
        self.table.fit_columns()
        self.view_changed.emit()

    def _show_table_or_empty(self, rows: list[PermissionRow]) -> None:
        sel = self.selection
        noun = "permission" if len(self._base) == 1 else "permissions"
        shown = f"{len(rows)} of {len(self._base)}" if len(rows) != len(self._base) else len(rows)
        self.heading.setText(f"{self.export_title()}: {shown} {noun}")
        if rows:
            self.stack.setCurrentIndex(0)
            return
        self.stack.setCurrentIndex(1)
        if not self._base and sel.kind is SelectionKind.APP:
            where = self._override_hint or "the data folder"
            self.empty.setText(
                f"The vendor documentation this catalog is built from does not list the "
                f"permissions of {sel.label}. Its directory roles are under “Roles and notes” "
                "below.\n\n"
                "If your organization knows its permissions, add them in a catalog override "
                f"file: {where}."
            )
            self.clear_filters.hide()
            self.details.setCurrentWidget(self.app_info)  # the roles are all there is to show
        else:
            self.empty.setText("No permissions match the search and filters.")
            self.clear_filters.setVisible(self.filters.is_narrowing())

    def _on_row_selected(self, _selected: QItemSelection, _deselected: QItemSelection) -> None:
        row = self.selected_row()
        self.required_by.show_row(row)
        if self.selection.kind is not SelectionKind.APP:
            self.app_info.show_app(self.selected_app())


class SharedSplitter(QSplitter):
    """A vertical splitter that gives its panes *shares* of the height it first gets (Qt's
    own split before the first layout favours size hints, which left the details pane three
    lines). A position restored from the last session, or dragged, is kept instead."""

    def __init__(self, shares: tuple[int, ...], parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self._shares = shares
        self._placed = False
        self.splitterMoved.connect(self._keep)

    def _keep(self) -> None:
        self._placed = True

    def restoreState(self, state: QByteArray | bytes | bytearray | memoryview) -> bool:
        restored = super().restoreState(state)
        self._placed = self._placed or restored
        return restored

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._place()  # a page built while its tab was hidden is sized before it shows

    def _place(self) -> None:
        height = self.height()
        if not self._placed and height > 0 and self.isVisible():
            self._placed = True
            total = sum(self._shares)
            self.setSizes([height * share // total for share in self._shares])
