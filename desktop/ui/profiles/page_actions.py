"""The profile list's actions: the toolbar, menus and context menu share them.

A mixin of :class:`~desktop.ui.profiles.page.ProfilesPage`: the actions, whether each is
enabled for the selection (and why not, in its tooltip), and what each one does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QMetaMethod, QPoint, Qt, SignalInstance, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMenu, QTableView, QToolBar, QWidget

from desktop.core.catalog.model import SetupMode
from desktop.core.domain import Status
from desktop.core.status_words import CLASSIC_REAUTHORIZE_NOTE

if TYPE_CHECKING:
    from desktop.controllers.inventory import InventoryController
    from desktop.controllers.list_export import ListExportController
    from desktop.core.errors import UserError

    from desktop.ui.dialogs import UserDialogs
    from desktop.ui.profiles.filter_bar import FilterBar
    from desktop.ui.profiles.list_tools import AskSavePath, ListExporter
    from desktop.ui.profiles.model import ProfileTableModel

_MAX_NAMED = 15
TITLE = "App profiles"


class PageActions:
    """Builds and runs the page's actions; the page provides the attributes declared here."""

    def as_widget(self) -> QWidget:
        """The page itself, as the parent of its actions and menus."""
        assert isinstance(self, QWidget)
        return self

    def offers(self, signal: SignalInstance) -> bool:
        """Whether something answers *signal* (the wizard, checks, re-authorization are
        connected once they are available in this build)."""
        return self.as_widget().isSignalConnected(QMetaMethod.fromSignal(signal))

    if TYPE_CHECKING:  # provided by ProfilesPage
        table: QTableView
        model: ProfileTableModel
        filters: FilterBar
        controller: InventoryController
        dialogs: UserDialogs
        message: QLabel
        create_requested: SignalInstance
        check_requested: SignalInstance
        reauthorize_requested: SignalInstance
        mark_requested: SignalInstance
        check_selected_action: QAction | None
        check_all_action: QAction | None
        selection_actions: list[QAction]
        export_controller: Callable[[], ListExportController] | None
        exporter: ListExporter | None
        ask_save_path: AskSavePath | None
        customers_requested: SignalInstance

        def addAction(self, action: QAction) -> None: ...
        def _on_failed(self, error: UserError) -> None: ...
        def selected_rows(self) -> list[int]: ...
        def selected_ids(self) -> list[int]: ...
        def reload(self) -> None: ...
        def open_details(self) -> None: ...

    def _action(
        self, text: str, shortcut: str | QKeySequence.StandardKey, slot: Callable[[], None]
    ) -> QAction:
        action = QAction(text, self.as_widget())
        action.setShortcut(QKeySequence(shortcut))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        _set_tip(action, text.replace("&", "").rstrip("…"))
        return action

    def _build_actions(self) -> QToolBar:
        self.create_action = self._action(
            "&Create app profile…", QKeySequence.StandardKey.New, self.create_profile
        )
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
        self.user_left_action = QAction("Consenting user &left the company…", self.as_widget())
        self.user_left_action.triggered.connect(lambda: self.mark_selected("user_left"))
        self.mfa_action = QAction("&MFA enabled for the consenting user…", self.as_widget())
        self.mfa_action.triggered.connect(lambda: self.mark_selected("user_mfa_enabled"))
        self.customers_action = self._action(
            "Cu&stomers and tenants…", "Ctrl+Shift+U", self.customers_requested.emit
        )
        self.refresh_action = self._action(
            "Re&fresh", QKeySequence.StandardKey.Refresh, self.reload
        )
        self.check_now_action = QAction("Check &now", self.as_widget())
        self.check_now_action.triggered.connect(self.check_selected_now)
        _set_tip(self.check_now_action, "Check the selected app profiles now")
        self.copy_tenant_action = self._action(
            "Copy &tenant ID", "Ctrl+Shift+C", self.copy_tenant_ids
        )
        self.export_action = self._action("&Export list…", "Ctrl+Shift+E", self.export_list)
        self.find_action = self._action("&Find", QKeySequence.StandardKey.Find, self.focus_find)
        toolbar = QToolBar("App profile actions", self.as_widget())
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        for action in (self.create_action, self.reauth_action, self.delete_action):
            toolbar.addAction(action)
        toolbar.addSeparator()
        for action in (self.details_action, self.customers_action, self.refresh_action):
            toolbar.addAction(action)
        return toolbar

    def add_check_actions(self, selected: QAction, every: QAction) -> None:
        """The check bar's actions join the page's (menus and the list's menu show them)."""
        self.check_selected_action, self.check_all_action = selected, every

    def icon_kinds(self) -> dict[str, list[QAction]]:
        """The page's actions by kind of icon (see ``desktop.ui.action_icons``)."""
        checks = [a for a in (self.check_selected_action, self.check_all_action) if a]
        return {
            "create": [self.create_action],
            "reauthorize": [self.reauth_action, self.reauth_any_action],
            "delete": [self.delete_action],
            "details": [self.details_action],
            "customers": [self.customers_action],
            "refresh": [self.refresh_action],
            "export": [self.export_action],
            "find": [self.find_action],
            "check": [self.check_now_action, *checks],
            "copy": [self.copy_tenant_action],
        }

    @Slot()
    def _update_actions(self) -> None:
        rows = self.selected_rows()
        statuses = {self.model.row_at(r).status for r in rows}
        needs = bool(rows) and all(Status(s).needs_reauthorization for s in statuses)
        # Seed 002: classic profiles are re-authorized elsewhere, so it is never offered here.
        classic = any(self.model.row_at(r).mode == SetupMode.CLASSIC.value for r in rows)
        self.reauth_action.setEnabled(needs and not classic)
        _set_tip(
            self.reauth_action,
            CLASSIC_REAUTHORIZE_NOTE
            if classic
            else "Re-authorize the selected app profile(s)"
            if needs
            else "Select Expired or Invalid app profiles to re-authorize them.",
        )
        self.details_action.setEnabled(len(rows) == 1)
        self.reauth_any_action.setEnabled(len(rows) == 1 and not classic)
        _set_tip(
            self.reauth_any_action,
            CLASSIC_REAUTHORIZE_NOTE
            if classic
            else "Re-authorize the selected app profile whatever its status"
            if len(rows) == 1
            else "Select one app profile to re-authorize it on request.",
        )
        for action in (
            self.user_left_action,
            self.mfa_action,
            self.check_now_action,
            self.copy_tenant_action,
        ):
            action.setEnabled(bool(rows))
        self.export_action.setEnabled(self.model.rowCount() > 0)
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
    def check_selected_now(self) -> None:
        self._check_ids(self.selected_ids())

    @Slot()
    def copy_tenant_ids(self) -> None:
        rows = self.selected_rows()
        if not rows:
            return
        from desktop.ui.profiles.list_tools import copy_tenant_ids  # when first used

        text = copy_tenant_ids(self.model.row_at(r).tenant_id for r in rows)
        count = len(text.splitlines())
        self.message.setText(
            f"Copied the tenant ID {text}." if count == 1 else f"Copied {count} tenant IDs."
        )

    @Slot()
    def export_list(self) -> None:
        """Export the list as shown to CSV (rows, order and shown columns)."""
        if self.exporter is None:
            if self.export_controller is None:
                self.dialogs.info(TITLE, "Exporting the list is not available in this build.")
                return
            from desktop.ui.profiles.list_tools import ListExporter, native_save_dialog

            self.exporter = ListExporter(
                self.table,
                self.model,
                self.export_controller(),
                self.dialogs,
                self.message,
                self.ask_save_path or native_save_dialog,
            )
        self.exporter.export()

    @Slot()
    def focus_find(self) -> None:
        self.filters.focus_search()

    @Slot()
    def create_profile(self) -> None:
        if not self.offers(self.create_requested):
            self.dialogs.info(
                TITLE, "Creating app profiles arrives with the create wizard in a later version."
            )
            return
        self.create_requested.emit()

    @Slot()
    def reauthorize(self) -> None:
        if self.reauth_action.isEnabled():
            self._reauthorize_ids(self.selected_ids())

    @Slot()
    def reauthorize_on_request(self) -> None:
        """Re-authorize one profile whatever its status (a Valid one too)."""
        ids = self.selected_ids()
        if len(ids) == 1 and self.reauth_any_action.isEnabled():
            self._reauthorize_ids(ids)

    def _reauthorize_ids(self, ids: list[int]) -> None:
        if not ids:
            return
        if not self.offers(self.reauthorize_requested):
            self.dialogs.info(
                TITLE, "Re-authorizing app profiles arrives in a later version of the app."
            )
            return
        self.reauthorize_requested.emit(ids)

    def _check_ids(self, ids: list[int]) -> None:
        if ids:
            self.check_requested.emit(ids)

    def mark_selected(self, event: str, ids: list[int] | None = None) -> None:
        """Record *event* ("the consenting user left", "MFA enabled") for the selection."""
        ids = ids if ids is not None else self.selected_ids()
        if not ids:
            return
        if not self.offers(self.mark_requested):
            self.dialogs.info(TITLE, "Recording events arrives in a later version of the app.")
            return
        self.mark_requested.emit(ids, event)

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
        ticket = self.dialogs.confirm_with_ticket(
            "Delete app profiles", text, details=listed, action="Delete"
        )
        if ticket is not None:
            task = self.controller.delete_profiles(self.selected_ids(), ticket=ticket)
            task.succeeded.connect(self.message.setText)
            task.failed.connect(self._on_failed)

    @Slot(QPoint)
    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if index.isValid() and index.row() not in self.selected_rows():
            self.table.selectRow(index.row())
        self.context_menu().popup(self.table.viewport().mapToGlobal(pos))

    def context_menu(self) -> QMenu:
        """The list's menu for the selection (deleted when closed)."""
        from desktop.ui.action_icons import give_icons  # when a menu first opens

        give_icons(self.icon_kinds())
        menu = QMenu(self.as_widget())
        menu.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        menu.setToolTipsVisible(True)  # a disabled Delete says why
        for action in (
            self.details_action,
            self.check_now_action,
            self.reauth_action,
            self.reauth_any_action,
            *self.selection_actions,
            self.copy_tenant_action,
            self.delete_action,
        ):
            menu.addAction(action)
        record = menu.addMenu("&Record an event")
        record.setToolTip("Events that require re-authorization of the app profile")
        record.addAction(self.user_left_action)
        record.addAction(self.mfa_action)
        menu.addSeparator()
        menu.addAction(self.create_action)
        menu.addAction(self.export_action)
        return menu


def _set_tip(action: QAction, text: str) -> None:
    """A tooltip that names the action's shortcut, so the mouse teaches the keyboard."""
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{text} ({keys})" if keys else text)
