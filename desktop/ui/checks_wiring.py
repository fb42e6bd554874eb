"""Puts status checks and re-authorization into the profile list.

The work (checks, recorded events, loading a profile to re-authorize) runs in
:class:`ProfileChecksController`; this module only shows its results and forwards intent.

The check bar goes under the list's toolbar; results stream into the rows as they arrive, and
when the check ends the filter and the sort catch up from the rows in memory (every result has
reached its row: the list is not read from the store again). "Re-authorize app…" opens the
Re-authorize dialog, whose consent runs in the system browser through the identity engine.

Only the check bar and the controller are built at start. The check controller, the
Re-authorize dialog and the core check code are imported and built the first time a check or
a re-authorization starts, so they cost nothing on the way to the window's first paint.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QMetaMethod, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QBoxLayout, QWidget

from desktop.controllers.profile_checks import ProfileChecksController, ReauthorizeParts
from desktop.controllers.tasks import TaskRunner
from desktop.core.catalog.model import Catalog
from desktop.core.errors import UserError

from desktop.ui.check_bar import CheckBar, summary
from desktop.ui.check_failures import (
    FailureFix,
    explain_failures,
    failure_cause,
    needs_client_id,
    needs_connect,
)
from desktop.ui.dialogs import UserDialogs
from desktop.ui.profiles.page import ProfilesPage

if TYPE_CHECKING:
    from desktop.controllers.checks import ChecksController
    from desktop.core.checks.bulk import BulkOutcome
    from desktop.core.checks.result import CheckResult
    from desktop.core.checks.service import CheckService, Target

    from desktop.ui.consent_access_notice import ConsentAccessNotice
    from desktop.ui.reauthorize_dialog import ReauthorizeDialog


def row_updates(results: list[CheckResult]) -> list[tuple[int, str, str, str]]:
    """What a batch of check results changes in the profile list's rows: ``(id, status,
    reason, last checked)``. A failed check (transient) changes nothing: the row keeps its
    stored status and reason."""
    return [
        (r.id, r.status.value, r.reason, r.checked_at.isoformat().replace("+00:00", "Z"))
        for r in results
        if not r.transient
    ]


#: The actions of failed checks that the check bar's fix button performs.
_FIX_ACTIONS = frozenset({"connect_tenant", "sign_in"})
#: What every failure without a cause of its own names: its words may still say the fix.
_GENERIC_ACTIONS = frozenset({"none", "check_again"})

#: How often the counts line follows streaming check results.
_COUNTS_EVERY_MS = 250


__all__ = ["ChecksWiring", "ReauthorizeParts", "row_updates"]


class ChecksWiring(QObject):
    """Connects the profile page and the check bar to the profile checks controller.

    Signals:
        sign_in_requested(): failed checks that a sign-in fixes: open the technician's sign-in.
        connect_requested(str): failed checks that connecting a tenant fixes: open Customers
            and tenants at that tenant (its Connect this tenant). Unconnected, the page's
            Customers and tenants opens instead.
        settings_requested(object): failed checks for want of a client ID: open Settings at
            that field (a :class:`SettingTarget`).
    """

    sign_in_requested = Signal()
    connect_requested = Signal(str)
    settings_requested = Signal(object)

    def __init__(
        self,
        page: ProfilesPage,
        runner: TaskRunner,
        catalog: Catalog,
        dialogs: UserDialogs,
        service_factory: Callable[[], CheckService],
        reauthorize_parts: Callable[[], ReauthorizeParts] | None = None,
    ) -> None:
        super().__init__(page)
        self.page = page
        self.catalog = catalog
        self.dialogs = dialogs
        self.work = ProfileChecksController(
            runner, catalog, service_factory, reauthorize_parts, self
        )
        self.work.recorded.connect(self._on_recorded)
        self.work.record_failed.connect(self._on_record_failed)
        self.work.reauthorize_ready.connect(self._show_dialog)
        self.work.reauthorize_failed.connect(self._on_reauthorize_failed)
        self._controller: ChecksController | None = None
        self.bar = CheckBar(page)
        layout = page.layout()
        if isinstance(layout, QBoxLayout):
            layout.insertWidget(1, self.bar)
        self._failed = 0
        self._counts: dict[str, int] = {}
        self._failures: Counter[str] = Counter()
        # Counts follow results during a run, at most this often (a count is a pass over the
        # rows shown); the filter and the sort catch up when the run ends.
        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.setInterval(_COUNTS_EVERY_MS)
        self._counts_timer.timeout.connect(page.refresh_counts)
        page.model.modelReset.connect(self._on_list_reset)
        self._on_list_reset()
        self.bar.check_all.connect(lambda: self.start(None))
        self.bar.check_selected.connect(lambda: self.start(page.selected_ids()))
        self.bar.cancel.connect(self._on_cancel)
        self.bar.fix_requested.connect(self._on_fix)
        selection = page.table.selectionModel()
        selection.selectionChanged.connect(self._count_selection)
        # A filter or a reload resets the model, which drops the selection without a signal.
        page.model.modelReset.connect(self._count_selection)
        page.model.layoutChanged.connect(self._count_selection)
        page.reauthorize_requested.connect(self.open_reauthorize)
        page.mark_requested.connect(self.record_event)
        page.check_requested.connect(self.start)
        page.add_check_actions(self.bar.check_selected_action, self.bar.check_all_action)
        self.dialog: ReauthorizeDialog | None = None
        #: Whether the technician is signed in; None while nobody can tell yet.
        self.signed_in: Callable[[], bool | None] | None = None
        #: Makes the Re-authorize dialog's "can you consent here?" notice; None: none.
        self.access_notice: Callable[[QWidget], ConsentAccessNotice] | None = None
        self._fix: FailureFix | None = None
        #: The tenant of the first check that a connect fixes ("" when none failed so).
        self._fix_tenant = ""
        self._connect_said = False
        #: The actions the failed checks named (connect the tenant, sign in), counted.
        self._actions: Counter[str] = Counter()
        #: The app type and tenant cloud of the first check that failed for want of a client ID.
        self._fix_app: tuple[str, str] | None = None  # (app type, cloud) to set a client ID for

    @property
    def controller(self) -> ChecksController:
        """The check controller, built (and its core code imported) on first use."""
        if self._controller is None:
            controller = self.work.checks
            controller.running_changed.connect(self.bar.set_running)
            controller.progressed.connect(self.bar.set_progress)
            controller.results_ready.connect(self._on_results)
            controller.finished.connect(self._on_finished)
            controller.failed.connect(lambda e: self.dialogs.error("Check app profiles", e))
            self._controller = controller
        return self._controller

    @Slot()
    def _count_selection(self) -> None:
        shown = self.page.stack.currentWidget() is self.page.table
        self.bar.set_selection_count(len(self.page.selected_ids()) if shown else 0)

    @Slot()
    def _on_list_reset(self) -> None:
        # Like the filter bar, the check bar stays out of the first-run page: nothing to check.
        total = self.page.model.total()
        self.bar.set_profile_count(total)
        running = self._controller is not None and self._controller.running
        self.bar.setVisible(total > 0 or running)

    @Slot()
    def _on_cancel(self) -> None:
        if self._controller is not None:
            self._controller.cancel()

    def start(self, ids: list[int] | None) -> None:
        if ids is not None and not ids:
            return
        if self._controller is not None and self._controller.running:
            return  # one check at a time; the bar says so
        from desktop.core.team.tickets import check_ticket

        try:
            ticket = check_ticket(self.bar.ticket_text())
        except UserError as error:
            self.dialogs.error("Check app profiles", error)
            self.bar.ticket.setFocus()
            return
        self._failed = 0
        self._counts = {}
        self._failures = Counter()
        self._fix_tenant = ""
        self._connect_said = False
        self._fix_app = None
        self._actions = Counter()
        self.controller.check(ids, ticket=ticket)

    @Slot(list)
    def _on_results(self, results: list[CheckResult]) -> None:
        for result in results:
            if result.transient:
                self._failed += 1
                self._failures[failure_cause(result.reason)] += 1
                action = result.action.value
                named = action not in _GENERIC_ACTIONS
                if named:
                    self._actions[action] += 1
                # The tenant to connect: the first that says so (its Action, else its words,
                # when it named none), else the first that failed.
                says_connect = action == "connect_tenant" if named else needs_connect(result.reason)
                if says_connect and not self._connect_said:
                    self._fix_tenant, self._connect_said = self._tenant_of(result.id), True
                elif not self._fix_tenant:
                    self._fix_tenant = self._tenant_of(result.id)
                if not self._fix_app and not named and needs_client_id(result.reason):
                    self._fix_app = self._app_of(result.id)
                continue  # the stored status and reason stay; the summary counts the failure
            self._counts[result.status.value] = self._counts.get(result.status.value, 0) + 1
        if self.page.model.apply_checks(row_updates(results)) and not self._counts_timer.isActive():
            self._counts_timer.start()

    @Slot(object)
    def _on_finished(self, outcome: BulkOutcome) -> None:
        from desktop.core.checks.service import NOT_SAVED
        from desktop.core.domain import Status

        counts = {s: self._counts.get(s.value, 0) for s in Status}
        text = summary(counts, self._failed, outcome.cancelled)
        self._fix = None
        if self._failed:
            signed_in = self.signed_in() if self.signed_in is not None else None
            # A fix offered here (connect, sign in) first, else the commonest action named.
            ranked = self._actions.most_common()
            named = [(a, n) for a, n in ranked if a in _FIX_ACTIONS] or ranked
            explained = explain_failures(self._failures, signed_in, named[0][0] if named else "")
            text = f"{text}: {explained.cause}"
            self._fix = explained.fix
        if not outcome.saved:  # a read-only team member: shown for this session only
            text = f"{text}. {NOT_SAVED}"
        self.bar.show_summary(text)
        self.bar.summary.setToolTip(text)
        self.bar.show_fix(self._fix.label if self._fix is not None else "")
        self._catch_up()

    def _catch_up(self) -> None:
        """Sort and filter the rows again with the statuses the run gave them, in memory: a
        re-read of the whole list from the store would only repeat what streamed in."""
        model = self.page.model
        column, descending = model.sort_state
        order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
        model.sort(column, order)
        self.page.refresh_counts()

    @Slot()
    def _on_fix(self) -> None:
        fix = self._fix
        if fix is FailureFix.SIGN_IN:
            self.sign_in_requested.emit()
        elif fix is FailureFix.CONNECT_TENANT and self.isSignalConnected(
            QMetaMethod.fromSignal(self.connect_requested)
        ):
            self.connect_requested.emit(self._fix_tenant)
        elif fix is FailureFix.CONNECT_TENANT:
            self.page.customers_requested.emit()
        elif fix is FailureFix.OPEN_SETTINGS:
            from desktop.core import settings_edit as edit
            from desktop.core.settings_hint import SettingTarget

            app_type_id, cloud = self._fix_app or ("", "global")
            self.settings_requested.emit(SettingTarget(edit.CLIENT_ID, cloud, app_type_id))

    def _app_of(self, profile_id: int) -> tuple[str, str]:
        """The app type and the tenant's cloud of a profile: the client ID Settings opens at."""
        row = self.page.model.row_of_profile(profile_id)
        if row < 0:
            return "", "global"
        found = self.page.model.row_at(row)
        return found.app_type_id, found.cloud

    def _tenant_of(self, profile_id: int) -> str:
        row = self.page.model.row_of_profile(profile_id)
        return self.page.model.row_at(row).tenant_id if row >= 0 else ""

    # -- events that require re-authorization ---------------------------------------------

    def record_event(self, ids: list[int], event: str) -> None:
        """Ask, then mark *ids* "re-authorization required" for *event* (the controller's
        worker writes it)."""
        from desktop.core.checks.marking import EVENT_WORDS
        from desktop.core.checks.triggers import Trigger

        words = EVENT_WORDS[Trigger(event)]
        count = f"{len(ids)} app profiles" if len(ids) > 1 else "this app profile"
        text = (
            f'{words}? Then {count} will show Invalid with "re-authorization required" '
            "until re-authorized, and the event is kept in the history."
        )
        if not self.dialogs.confirm("Record an event", text, action="Record"):
            return
        self.work.record_event(ids, event)

    @Slot(list, int, str)
    def _on_recorded(self, ids: list[int], count: int, words: str) -> None:
        self.page.message.setText(f"Recorded for {count} app profile(s): {words.lower()}.")
        self.page.reload()
        if self.page.details_dialog is not None and len(ids) == 1:
            self.page.controller.load_details(ids[0])  # the dialog shows the new status

    @Slot(object)
    def _on_record_failed(self, error: UserError) -> None:
        self.dialogs.error("Record an event", error)

    # -- re-authorize ----------------------------------------------------------------------

    def open_reauthorize(self, ids: list[int]) -> None:
        if not self.work.can_reauthorize or not ids:
            self.dialogs.info("Re-authorize app", "Re-authorizing is not available in this build.")
            return
        self.work.load_for_reauthorize(ids[0])

    @Slot(object)
    def _on_reauthorize_failed(self, error: UserError) -> None:
        self.dialogs.error("Re-authorize app", error)

    @Slot(object, object)
    def _show_dialog(self, target: Target, parts: ReauthorizeParts) -> None:
        profile = target.profile
        try:
            app = self.catalog.app_type(profile.app_type_id)
        except KeyError:
            self.dialogs.error(
                "Re-authorize app",
                UserError(f"The app type '{profile.app_type_id}' is not in this catalog."),
            )
            return
        from desktop.core.reauthorize.flow import options_for

        from desktop.ui.reauthorize_dialog import ReauthorizeDialog

        controller = self.work.reauthorizer(profile, parts, self)
        dialog = ReauthorizeDialog(
            profile, app.name, options_for(profile, app), controller, self.page
        )
        if self.access_notice is not None:
            from desktop.core.domain import Tenant

            row = self.page.model.row_of_profile(profile.id) if profile.id is not None else -1
            domain = self.page.model.row_at(row).tenant_domain if row >= 0 else ""
            tenant = Tenant(profile.tenant_id, profile.customer_id, domain, cloud=target.cloud)
            dialog.add_access_notice(self.access_notice(dialog), tenant, app)
        dialog.reauthorized.connect(lambda _r: self.page.reload())
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.show()
