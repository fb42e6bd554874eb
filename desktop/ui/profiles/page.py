"""The profile list page: filter bar, counts, the table, actions, and the empty states."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QItemSelection, QObject, QPoint, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMenu,
    QStackedWidget,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.inventory import FirstPage, FullList, InventoryController
from desktop.core.domain import Status
from desktop.core.errors import UserError
from desktop.core.inventory.listing import ListFilter

from desktop.ui.dialogs import UserDialogs
from desktop.ui.profiles.columns import ProfileColumns
from desktop.ui.profiles.empty_state import EmptyState
from desktop.ui.profiles.filter_bar import FilterBar
from desktop.ui.profiles.model import STATUS_COLUMN, ProfileTableModel
from desktop.ui.qt_fast import viewport_of

if TYPE_CHECKING:
    from desktop.core.inventory import ProfileDetails

    from desktop.ui.profiles.details import ProfileDetailsDialog

_MAX_NAMED = 15
TITLE = "App profiles"


class ProfilesPage(QWidget):
    """The main view: every app profile with its status.

    Signals:
        browse_permissions_requested(): the user wants the offline permissions browser.
        customers_requested(): open the customer management dialog.

    Attributes:
        create_handler: opens the create wizard; None until the wizard is available.
        reauthorize_handler: re-authorizes the given profile ids; None until available.
        mark_handler: records an event that requires re-authorization (``user_left`` or
            ``user_mfa_enabled``) for the given profile ids; None until available.
        check_handler: checks the given profile ids now; None until available.
    """

    browse_permissions_requested = Signal()
    customers_requested = Signal()

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
        self.create_handler: Callable[[], None] | None = None
        self.reauthorize_handler: Callable[[list[int]], None] | None = None
        self.mark_handler: Callable[[list[int], str], None] | None = None
        self.check_handler: Callable[[list[int]], None] | None = None
        self._ready = False
        self._awaiting_paint = False
        self._complete = False
        self._has_customers = False
        self.details_dialog: ProfileDetailsDialog | None = None

        self.model = ProfileTableModel(self)
        self.filters = FilterBar(controller.catalog, self)
        self.counts = QLabel(self)
        self.counts.setObjectName("ProfileCounts")
        self.counts.setAccessibleName("Status counts")
        self.message = QLabel(self)
        self.message.setObjectName("ProfileMessage")
        self.table = self._build_table()
        self.empty = EmptyState(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.table)
        self.stack.addWidget(self.empty)
        self.toolbar = self._build_actions()

        # Keyboard order: the filters left to right, then the list.
        QWidget.setTabOrder(self.filters.search, self.filters.status)
        QWidget.setTabOrder(self.filters.status, self.filters.customer)
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

        self.filters.filter_changed.connect(self._on_filter)
        self.model.view_changed.connect(self._update_counts)
        self.model.modelReset.connect(self._update_actions)
        self.empty.add_customer.connect(self.customers_requested)
        self.empty.browse_permissions.connect(self.browse_permissions_requested)
        self.empty.create_profile.connect(self.create_profile)
        controller.first_rows.connect(self._on_first_rows)
        controller.rows_loaded.connect(self._on_rows_loaded)
        controller.load_failed.connect(self._on_load_failed)
        controller.details_loaded.connect(self._show_details)
        controller.failed.connect(self._on_failed)
        controller.done.connect(self.message.setText)
        controller.changed.connect(self.reload)
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

    def _action(
        self, text: str, shortcut: str | QKeySequence.StandardKey, slot: Callable[[], None]
    ) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        _set_tip(action, text.replace("&", "").rstrip("…"))
        return action

    def _build_actions(self) -> QToolBar:
        self.create_action = self._action("&Create app profile…", "Ctrl+N", self.create_profile)
        self.reauth_action = self._action("Re-&authorize app…", "Ctrl+R", self.reauthorize)
        # Any status, one profile, on request: to change its consent method, functions or
        # certificate (issue: "for Expired and Invalid profiles, or any profile on request").
        self.reauth_any_action = self._action(
            "Re-authorize on re&quest…", "Ctrl+Shift+R", self.reauthorize_on_request
        )
        self.delete_action = self._action(
            "&Delete…", QKeySequence.StandardKey.Delete, self.delete_selected
        )
        self.details_action = self._action("&Details…", "Ctrl+I", self.open_details)
        self.user_left_action = QAction("Consenting user &left the company…", self)
        self.user_left_action.triggered.connect(lambda: self.mark_selected("user_left"))
        self.mfa_action = QAction("&MFA enabled for the consenting user…", self)
        self.mfa_action.triggered.connect(lambda: self.mark_selected("user_mfa_enabled"))
        self.customers_action = self._action(
            "Cu&stomers and tenants…", "Ctrl+Shift+U", self.customers_requested.emit
        )
        self.refresh_action = self._action(
            "Re&fresh", QKeySequence.StandardKey.Refresh, self.reload
        )
        toolbar = QToolBar("App profile actions", self)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.create_action, self.reauth_action, self.delete_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        for action in (self.details_action, self.customers_action, self.refresh_action):
            toolbar.addAction(action)
        return toolbar

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
        self.stack.setCurrentWidget(self.table)
        self._reselect(selected)
        self._update_counts()

    def _show_empty(self, has_customers: bool) -> None:
        self._show_list_tools(False)  # nothing to search or count yet
        self.empty.show_first_run(has_customers)
        self.stack.setCurrentWidget(self.empty)
        self.empty.focus_first_step()
        self.counts.setText("")
        self._awaiting_paint = True
        self.empty.update()

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
            painted_empty = watched is self.empty and self.stack.currentWidget() is self.empty
            if painted_rows or painted_empty:
                self._ready = True
                self._awaiting_paint = False
                # The rest of the list loads once the first rows are on screen.
                QTimer.singleShot(0, self.controller.load_rest)
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.open_details()
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
    def _update_actions(self) -> None:
        rows = self.selected_rows()
        statuses = {self.model.row_at(r).status for r in rows}
        needs = bool(rows) and all(Status(s).needs_reauthorization for s in statuses)
        self.reauth_action.setEnabled(needs)
        _set_tip(
            self.reauth_action,
            "Re-authorize the selected app profile(s)"
            if needs
            else "Select Expired or Invalid app profiles to re-authorize them.",
        )
        self.details_action.setEnabled(len(rows) == 1)
        self.reauth_any_action.setEnabled(len(rows) == 1)
        _set_tip(
            self.reauth_any_action,
            "Re-authorize the selected app profile whatever its status"
            if len(rows) == 1
            else "Select one app profile to re-authorize it on request.",
        )
        for action in (self.user_left_action, self.mfa_action):
            action.setEnabled(bool(rows))
        blockers = [b for r in rows if (b := self.model.delete_blocker(r))]
        if not rows:
            self.delete_action.setEnabled(False)
            _set_tip(self.delete_action, "Select the app profiles to delete.")
        elif blockers:
            self.delete_action.setEnabled(False)
            if len(rows) == 1:
                why = f"This app profile cannot be deleted here. {blockers[0]}"
            else:
                why = (
                    f"{len(blockers)} of the {len(rows)} selected app profiles cannot be deleted "
                    f"here. {blockers[0]}"
                )
            _set_tip(self.delete_action, why)
        else:
            self.delete_action.setEnabled(True)
            _set_tip(self.delete_action, f"Delete {len(rows)} app profile(s)")

    # -- actions ----------------------------------------------------------------------------

    @Slot()
    def create_profile(self) -> None:
        if self.create_handler is None:
            self.dialogs.info(
                TITLE, "Creating app profiles arrives with the create wizard in a later version."
            )
            return
        self.create_handler()

    @Slot()
    def reauthorize(self) -> None:
        ids = self.selected_ids()
        if not ids or not self.reauth_action.isEnabled():
            return
        if self.reauthorize_handler is None:
            self.dialogs.info(
                TITLE, "Re-authorizing app profiles arrives in a later version of the app."
            )
            return
        self.reauthorize_handler(ids)

    @Slot()
    def reauthorize_on_request(self) -> None:
        """Re-authorize one profile whatever its status (a Valid one too)."""
        ids = self.selected_ids()
        if len(ids) != 1:
            return
        if self.reauthorize_handler is None:
            self.dialogs.info(
                TITLE, "Re-authorizing app profiles arrives in a later version of the app."
            )
            return
        self.reauthorize_handler(ids)

    def _reauthorize_ids(self, ids: list[int]) -> None:
        if not ids:
            return
        if self.reauthorize_handler is None:
            self.dialogs.info(
                TITLE, "Re-authorizing app profiles arrives in a later version of the app."
            )
            return
        self.reauthorize_handler(ids)

    def _check_ids(self, ids: list[int]) -> None:
        if ids and self.check_handler is not None:
            self.check_handler(ids)

    def mark_selected(self, event: str, ids: list[int] | None = None) -> None:
        """Record *event* ("the consenting user left", "MFA enabled") for the selection."""
        ids = ids if ids is not None else self.selected_ids()
        if not ids:
            return
        if self.mark_handler is None:
            self.dialogs.info(TITLE, "Recording events arrives in a later version of the app.")
            return
        self.mark_handler(ids, event)

    @Slot()
    def delete_selected(self) -> None:
        rows = self.selected_rows()
        if not rows or not self.delete_action.isEnabled():
            return
        names = [self.model.row_at(r).name for r in rows]
        listed = "\n".join(f"• {n}" for n in names[:_MAX_NAMED])
        if len(names) > _MAX_NAMED:
            listed += f"\n… and {len(names) - _MAX_NAMED:,} more"
        text = (
            f"Delete {len(names)} app profile(s)? Their certificates are removed from the vault "
            "and the deletion is recorded. The consent in the customer's tenant stays."
        )
        if self.dialogs.confirm("Delete app profiles", text, details=listed, action="Delete"):
            self.controller.delete_profiles(self.selected_ids())

    @Slot()
    def open_details(self) -> None:
        rows = self.selected_rows()
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else (rows[0] if rows else -1)
        if row < 0:
            return
        self.controller.load_details(self.model.row_at(row).id)

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

    @Slot()
    def _forget_details(self) -> None:
        self.details_dialog = None

    @Slot(object)
    def _on_failed(self, error: UserError) -> None:
        self.dialogs.error(TITLE, error)

    @Slot(QPoint)
    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid() and index.row() not in self.selected_rows():
            self.table.selectRow(index.row())
        menu = QMenu(self)
        menu.setToolTipsVisible(True)  # a disabled Delete says why
        for action in (
            self.details_action,
            self.reauth_action,
            self.reauth_any_action,
            self.delete_action,
        ):
            menu.addAction(action)
        record = menu.addMenu("&Record an event")
        record.setToolTip("Events that require re-authorization of the app profile")
        record.addAction(self.user_left_action)
        record.addAction(self.mfa_action)
        menu.addSeparator()
        menu.addAction(self.create_action)
        menu.popup(self.table.viewport().mapToGlobal(pos))


def _set_tip(action: QAction, text: str) -> None:
    """A tooltip that names the action's shortcut, so the mouse teaches the keyboard."""
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{text} ({keys})" if keys else text)
