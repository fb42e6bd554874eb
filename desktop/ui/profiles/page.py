"""The profile list page: filter bar, counts, the table, actions, and the empty states."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelection, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.inventory import (
    FirstPage,
    FullList,
    InventoryController,
    ProfileChanges,
)
from desktop.core.errors import UserError
from desktop.core.inventory.listing import ListFilter

from desktop.ui.dialogs import UserDialogs
from desktop.ui.profiles.columns import ProfileColumns
from desktop.ui.profiles.empty_state import EmptyState
from desktop.ui.profiles.filter_bar import FilterBar
from desktop.ui.profiles.model import STATUS_COLUMN, ProfileTableModel
from desktop.ui.profiles.page_actions import TITLE, PageActions
from desktop.ui.qt_fast import viewport_of

if TYPE_CHECKING:
    from desktop.controllers.list_export import ListExportController
    from desktop.core.inventory import ProfileDetails

    from desktop.ui.profiles.details import ProfileDetailsDialog
    from desktop.ui.profiles.list_tools import AskSavePath, ListExporter


class ProfilesPage(QWidget, PageActions):
    """The main view: every app profile with its status.

    Signals (an action whose signal nothing answers yet says it is not available):
        browse_permissions_requested(): the user wants the offline permissions browser.
        customers_requested(): open the customer management dialog.
        create_requested(): open the create wizard.
        check_requested(list[int]): check these profiles now.
        reauthorize_requested(list[int]): re-authorize these profiles.
        mark_requested(list[int], str): record an event that requires re-authorization
            (``user_left`` or ``user_mfa_enabled``) for these profiles.
        details_shown(ProfileDetails): the details dialog of a profile opened.

    Attributes:
        check_selected_action, check_all_action: the check bar's actions, once it exists.
    """

    browse_permissions_requested = Signal()
    customers_requested = Signal()
    create_requested = Signal()
    check_requested = Signal(list)
    reauthorize_requested = Signal(list)
    mark_requested = Signal(list, str)
    details_shown = Signal(object)

    def __init__(
        self,
        controller: InventoryController,
        dialogs: UserDialogs,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("ProfilesPage")
        self.controller = controller
        self.dialogs = dialogs
        self.check_selected_action: QAction | None = None
        self.check_all_action: QAction | None = None
        #: Starts the list export (made on first use, when the page has a runner to give it).
        self.export_controller: Callable[[], ListExportController] | None = None
        self.exporter: ListExporter | None = None
        #: Asks where to save an export; None: the platform's Save dialog (tests replace it).
        self.ask_save_path: AskSavePath | None = None
        self._select_after_load: list[int] = []
        self._ready = False
        self._awaiting_paint = False
        self._complete = False
        self._has_customers = False
        self.details_dialog: ProfileDetailsDialog | None = None
        #: More actions on the selection, for the list's menu (e.g. Rotate certificate…).
        self.selection_actions: list[QAction] = []

        self.model = ProfileTableModel(self)
        self.filters = FilterBar(controller.catalog, self)
        self.counts = QLabel(self)
        self.counts.setObjectName("ProfileCounts")
        self.counts.setAccessibleName("Status counts")
        self.message = QLabel(self)
        self.message.setObjectName("ProfileMessage")
        self.table = self._build_table()
        self.empty = EmptyState(self)
        self._setup: QWidget | None = None
        self._empty_shown = False
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.toolbar = self._build_actions()

        # Keyboard order: the filters left to right, then the list.
        QWidget.setTabOrder(self.filters.search, self.filters.status.button)
        QWidget.setTabOrder(self.filters.status.button, self.filters.status.attention)
        QWidget.setTabOrder(self.filters.status.attention, self.filters.customer)
        QWidget.setTabOrder(self.filters.customer, self.filters.service)
        QWidget.setTabOrder(self.filters.service, self.table)

        layout = QVBoxLayout(self)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.filters)
        layout.addWidget(self.counts)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.message)

        self.empty.show_message("Loading app profiles…", "")
        self.stack.setCurrentWidget(self.empty)
        self.empty.installEventFilter(self)
        viewport_of(self.table).installEventFilter(self)
        self.table.installEventFilter(self)
        self.filters.search.installEventFilter(self)

        self.filters.filter_changed.connect(self._on_filter)
        self.model.view_changed.connect(self._update_counts)
        self.model.modelReset.connect(self._update_actions)
        self.empty.add_customer.connect(self.customers_requested)
        self.empty.browse_permissions.connect(self.browse_permissions_requested)
        self.empty.create_profile.connect(self.create_profile)
        controller.first_rows.connect(self._on_first_rows)
        controller.rows_loaded.connect(self._on_rows_loaded)
        controller.load_failed.connect(self._on_load_failed)
        controller.profiles_changed.connect(self._on_profiles_changed)
        controller.reload_needed.connect(self.reload)
        self._update_actions()

    # -- construction -----------------------------------------------------------------------

    def _build_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("ProfileTable")
        table.horizontalHeader().setObjectName("ProfilesHeader")
        table.setAccessibleName("App profiles")
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setSortingEnabled(True)
        table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        table.setWordWrap(False)
        # Tab leaves the list for the next control (it went cell by cell: 16 presses per row);
        # the arrow keys move inside it.
        table.setTabKeyNavigation(False)
        table.setAlternatingRowColors(True)
        table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        table.customContextMenuRequested.connect(self._context_menu)
        table.doubleClicked.connect(lambda index: self.open_details())
        vertical = table.verticalHeader()
        vertical.hide()
        # Fixed row heights: the view never measures 100,000 rows.
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(table.fontMetrics().height() + 8)
        self.columns = ProfileColumns(table)
        # Status shown next to the name, so no window width scrolls it out of sight.
        table.horizontalHeader().moveSection(STATUS_COLUMN, 1)
        table.selectionModel().selectionChanged.connect(self._on_selection)
        return table

    # -- loading ----------------------------------------------------------------------------

    def start(self) -> None:
        """Load the list (the first page first)."""
        self.reload()

    @Slot()
    def reload(self) -> None:
        column, descending = self.model.sort_state
        self.controller.load(column, descending)

    @Slot(object)
    def _on_first_rows(self, page: FirstPage) -> None:
        self._complete = page.complete
        self._has_customers = page.has_customers
        if len(page.profiles) == 0:
            self.model.set_list(page.profiles)
            self._show_empty(page.has_customers)
        elif not self._ready:
            self.model.set_list(page.profiles)
            self._show_list_tools(True)
            self._empty_shown = False
            self.stack.setCurrentWidget(self.table)
            self._awaiting_paint = True
            self.table.viewport().update()
        if self._ready:  # a reload: the old list stays on screen until the new one is read
            self.controller.load_rest()

    @Slot(object)
    def _on_rows_loaded(self, full: FullList) -> None:
        self._complete = True
        if len(full.profiles) == 0:
            self.model.set_list(full.profiles)
            self._show_empty(self._has_customers)
            return
        selected = self.selected_ids()
        self.model.set_list(full.profiles, full.order)
        self.filters.set_customers(full.profiles.customer_names)
        self._show_list_tools(True)
        self._empty_shown = False
        self.stack.setCurrentWidget(self.table)
        self._reselect(selected)
        self._update_counts()
        if self._select_after_load:
            ids, self._select_after_load = self._select_after_load, []
            self.select_profiles(ids)

    @Slot(object)
    def _on_profiles_changed(self, changes: ProfileChanges) -> None:
        """Show just the profiles that changed; reload when the list is not all there yet,
        or when it goes from empty to not (the page shows something else then)."""
        shown = self.model.total()
        if not self._complete or self.model.profiles is None or shown == 0:
            self.reload()
            return
        self.model.apply_changes(changes.rows, changes.removed)
        if self.model.total() == 0:
            self.reload()
            return
        self.filters.set_customers(self.model.profiles.customer_names)
        self._update_counts()
        self._update_actions()

    def show_saved(self, ids: list[int]) -> None:
        """Reload, then select and show the profiles *ids* (just saved by the wizard)."""
        self._select_after_load = list(ids)
        self.reload()

    def select_profiles(self, ids: list[int]) -> None:
        """Select *ids* and scroll to them, clearing the filter when it hides any (and saying
        so: the technician must not think the new profiles were not saved)."""
        if not ids:
            return
        if any(self.model.row_of_profile(i) < 0 for i in ids) and self.model.total():
            self.filters.clear()
            count = "profile" if len(ids) == 1 else "profiles"
            self.message.setText(f"The filter was cleared to show the new app {count}.")
        self.table.clearSelection()
        self._reselect(ids)
        first = self.model.row_of_profile(ids[0])
        if first >= 0:
            index = self.model.index(first, 0)
            self.table.setCurrentIndex(index)
            self._reselect(ids)  # setCurrentIndex selects only its own row
            self.table.scrollTo(index)

    def _show_empty(self, has_customers: bool) -> None:
        self._show_list_tools(False)  # nothing to search or count yet
        self._empty_shown = True
        shown: QWidget = self._setup or self.empty
        if self._setup is None:
            self.empty.show_first_run(has_customers)
        self.stack.setCurrentWidget(shown)
        if self._setup is None:
            self.empty.focus_first_step()
        self.counts.setText("")
        self._awaiting_paint = True
        shown.update()

    def set_setup_page(self, setup: QWidget | None) -> None:
        """Show *setup* instead of the empty list's next steps (the first-run page while no
        sign-in app is set up); None brings the next steps back."""
        if setup is not None and self.stack.indexOf(setup) < 0:
            self.stack.addWidget(setup)
            setup.installEventFilter(self)  # its paint makes the page ready, as the empty's
        previous, self._setup = self._setup, setup
        if self._empty_shown and self.stack.currentWidget() in (self.empty, previous):
            self._show_empty(self._has_customers)

    def _show_list_tools(self, shown: bool) -> None:
        self.filters.setVisible(shown)
        self.counts.setVisible(shown)

    @Slot(object)
    def _on_load_failed(self, error: UserError) -> None:
        self.empty.show_message("The app profiles could not be loaded", error.one_line())
        self.stack.setCurrentWidget(self.empty)
        self._awaiting_paint = True
        window = self.window()
        show_problem = getattr(window, "show_problem", None)
        if callable(show_problem):
            show_problem(error.one_line())

    def self_test_ready(self) -> bool:
        """True once the first rows (or the empty state) have been painted."""
        return self._ready

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and self._awaiting_paint:
            painted_rows = watched is self.table.viewport() and self.model.rowCount() > 0
            painted_empty = (
                watched in (self.empty, self._setup) and self.stack.currentWidget() is watched
            )
            if painted_rows or painted_empty:
                self._ready = True
                self._awaiting_paint = False
                # The rest of the list loads once the first rows are on screen.
                QTimer.singleShot(0, self.controller.load_rest)
        if (
            watched is self.filters.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            return self._search_key(event)
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.open_details()
            return True
        return False

    def _search_key(self, event: QKeyEvent) -> bool:
        """Escape in Find clears it; Down moves into the results (the first one, at first)."""
        search = self.filters.search
        if event.key() == Qt.Key.Key_Escape and search.text():
            search.clear()
            return True
        if event.key() == Qt.Key.Key_Down and self.model.rowCount() > 0:
            self.table.setFocus(Qt.FocusReason.OtherFocusReason)
            if not self.table.currentIndex().isValid():
                self.table.setCurrentIndex(self.model.index(0, 0))
            return True
        return False

    # -- filter, counts, selection ----------------------------------------------------------

    @Slot(object)
    def _on_filter(self, wanted: ListFilter) -> None:
        self.model.set_filter(wanted)
        if self.model.total() and self.model.rowCount() == 0:
            self.message.setText("No app profile matches the filter.")
        elif self.message.text() == "No app profile matches the filter.":
            self.message.setText("")

    @Slot()
    @Slot()
    def refresh_counts(self) -> None:
        """Recount the rows shown (after check results changed their statuses in place)."""
        self._update_counts()

    def _update_counts(self) -> None:
        text = self.model.counts_line()
        if not self._complete and self.model.total():
            text = f"Loading… first {self.model.total():,} shown"
        self.counts.setText(text)

    def selected_rows(self) -> list[int]:
        return sorted(i.row() for i in self.table.selectionModel().selectedRows())

    def selected_ids(self) -> list[int]:
        return [self.model.row_at(r).id for r in self.selected_rows()]

    def _reselect(self, ids: list[int]) -> None:
        for profile_id in ids[:200]:
            row = self.model.row_of_profile(profile_id)
            if row >= 0:
                self.table.selectRow(row)

    @Slot(QItemSelection, QItemSelection)
    def _on_selection(self, selected: QItemSelection, deselected: QItemSelection) -> None:
        self._update_actions()

    @Slot()
    def open_details(self) -> None:
        rows = self.selected_rows()
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else (rows[0] if rows else -1)
        if row < 0:
            return
        task = self.controller.load_details(self.model.row_at(row).id)
        task.succeeded.connect(self._show_details)
        task.failed.connect(self._on_failed)

    @Slot(object)
    def _show_details(self, details: ProfileDetails) -> None:
        if self.details_dialog is not None:
            self.details_dialog.close()
        from desktop.ui.profiles.details import ProfileDetailsDialog  # when first opened

        self.details_dialog = ProfileDetailsDialog(details, self.controller.catalog, self)
        profile_id = details.profile.id
        only = [profile_id] if profile_id else []
        self.details_dialog.mark_requested.connect(lambda event: self.mark_selected(event, only))
        self.details_dialog.reauthorize_requested.connect(lambda: self._reauthorize_ids(only))
        self.details_dialog.check_requested.connect(lambda: self._check_ids(only))
        self.details_dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.details_dialog.destroyed.connect(self._forget_details)
        self.details_dialog.open()
        self.details_shown.emit(details)

    @Slot()
    def _forget_details(self) -> None:
        self.details_dialog = None

    @Slot(object)
    def _on_failed(self, error: UserError) -> None:
        self.dialogs.error(TITLE, error)
