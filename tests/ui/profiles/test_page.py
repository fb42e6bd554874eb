"""The profile page over a real store: list, filters, counts, actions, details, delete rule."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QItemSelectionModel, Qt

from desktop.controllers.inventory import InventoryController
from desktop.controllers.tasks import TaskRunner
from desktop.core.catalog.model import SetupMode
from desktop.core.domain import Status
from desktop.core.paths import DataPaths
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.inventory import (
    CONTOSO_TID,
    add_profile,
    open_inventory,
    shipped_catalog,
    small_inventory,
)

from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.page import ProfilesPage
from desktop.ui.profiles.wiring import add_profiles_page


def _page(qtbot: QtBot, home: Path, runner: TaskRunner) -> tuple[ProfilesPage, FakeDialogs]:
    dialogs = FakeDialogs()
    controller = InventoryController(DataPaths(home), runner, shipped_catalog())
    window = MainWindow()
    qtbot.addWidget(window)
    page = add_profiles_page(window, controller, dialogs)  # type: ignore[arg-type]
    window.show()
    qtbot.waitUntil(page.self_test_ready, timeout=10_000)
    failed = lambda: "could not be loaded" in page.empty.heading.text()  # noqa: E731
    qtbot.waitUntil(lambda: page._complete or failed(), timeout=10_000)
    # The full list may still be on its way after a short first page; a later wait for
    # rows_loaded must not catch that load instead of the one the test causes.
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    return page, dialogs


def _select(page: ProfilesPage, *names: str) -> None:
    page.table.clearSelection()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for row in range(page.model.rowCount()):
        if page.model.row_at(row).name in names:
            page.table.selectionModel().select(page.model.index(row, 0), flags)


def test_first_run_offers_next_steps(qtbot: QtBot, data_home: Path, runner: TaskRunner) -> None:
    page, dialogs = _page(qtbot, data_home, runner)
    assert page.stack.currentWidget() is page.empty
    assert page.empty.add_button.isVisible() and page.empty.browse_button.isVisible()
    # The wizard can add the customer too, so creating a profile is offered from the start.
    assert page.empty.create_button.isVisible()
    assert "Add a customer" in page.empty.text.text()
    assert page.window().focusWidget() is page.empty.add_button  # Space starts
    # Nothing to search or count in an empty store.
    assert not page.filters.isVisible() and not page.counts.isVisible()
    window = page.window()
    assert isinstance(window, MainWindow) and window.tabs.currentWidget() is page
    assert window.tabs.indexOf(page) == 0
    page.empty.browse_button.click()  # no permissions tab in this test window
    assert dialogs.infos and "permissions" in dialogs.infos[-1].lower()


def test_list_counts_filter_and_sort(qtbot: QtBot, data_home: Path, runner: TaskRunner) -> None:
    small_inventory(data_home)
    page, _ = _page(qtbot, data_home, runner)
    assert page.model.rowCount() == 4
    assert page.counts.text() == "4 app profiles: 1 Invalid · 1 Expired · 1 Unknown · 1 Valid"
    qtbot.keyClicks(page.filters.search, "fabrikam")
    assert page.model.rowCount() == 2
    assert "Showing 2 of 4 app profiles: " in page.counts.text()
    page.filters.search.clear()
    page.filters.status.set_statuses(frozenset({"Expired"}))
    assert [page.model.row_at(r).name for r in range(page.model.rowCount())] == ["Contoso Baseline"]
    page.filters.status.set_statuses(frozenset())
    page.filters.customer.setCurrentIndex(page.filters.customer.findData("Fabrikam"))
    assert page.model.rowCount() == 2
    page.filters.customer.setCurrentIndex(0)
    page.filters.search.setText("no such profile anywhere")
    assert page.model.rowCount() == 0 and "No app profile matches" in page.message.text()
    page.filters.search.clear()
    page.table.sortByColumn(6, Qt.SortOrder.AscendingOrder)
    assert page.model.row_at(0).status == "Invalid"


def test_actions_follow_selection_and_delete_rule(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    small_inventory(data_home)
    page, dialogs = _page(qtbot, data_home, runner)
    assert not page.delete_action.isEnabled() and not page.reauth_action.isEnabled()
    _select(page, "Contoso Baseline")
    assert page.reauth_action.isEnabled() and page.delete_action.isEnabled()
    page.reauthorize()
    assert "later version" in dialogs.infos[-1]
    _select(page, "Contoso Nitro")
    assert not page.reauth_action.isEnabled()  # Valid needs no re-authorization
    assert "Expired or Invalid" in page.reauth_action.toolTip()
    # ...but any one profile can be re-authorized on request.
    assert page.reauth_any_action.isEnabled()
    handled: list[list[int]] = []
    page.reauthorize_requested.connect(handled.append)
    page.reauthorize_on_request()
    assert handled == [page.selected_ids()]
    page.reauthorize_requested.disconnect(handled.append)
    _select(page, "Fabrikam Classic")
    assert not page.delete_action.isEnabled()
    tip = page.delete_action.toolTip()
    assert tip.startswith("This app profile cannot be deleted here.")
    assert "cannot be created in this app" in tip and "Delete them where they were created" in tip
    _select(page, "Fabrikam Classic", "Contoso Nitro")
    assert not page.reauth_any_action.isEnabled()  # one at a time
    assert not page.delete_action.isEnabled()
    assert page.delete_action.toolTip().startswith(
        "1 of the 2 selected app profiles cannot be deleted here."
    )
    page.create_profile()
    assert "create wizard" in dialogs.infos[-1]


def test_classic_profiles_are_not_offered_re_authorization(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    inv = small_inventory(data_home)
    contoso = next(c for c in inv.customers.list() if c.name == "Contoso")
    assert contoso.id is not None
    add_profile(
        inv, "Contoso M365 classic", contoso.id, CONTOSO_TID,
        app_type_id="microsoft-365-all-permissions", mode=SetupMode.CLASSIC,
        status=Status.INVALID, reason="The consent was revoked in the tenant.",
    )  # fmt: skip
    page, _ = _page(qtbot, data_home, runner)
    _select(page, "Contoso M365 classic")
    assert not page.reauth_action.isEnabled() and not page.reauth_any_action.isEnabled()
    assert "AvePoint Online Services" in page.reauth_action.toolTip()
    assert "AvePoint Online Services" in page.reauth_any_action.toolTip()
    _select(page, "Contoso Baseline")  # a modern one still can
    assert page.reauth_action.isEnabled() and page.reauth_any_action.isEnabled()


def test_delete_confirms_with_names_and_records(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    inv = small_inventory(data_home)
    page, dialogs = _page(qtbot, data_home, runner)
    _select(page, "Contoso Nitro", "Contoso Baseline")
    dialogs.answer = False
    page.delete_selected()
    assert (
        "Contoso Nitro" in dialogs.confirms[-1][1] and "Contoso Baseline" in dialogs.confirms[-1][1]
    )
    assert inv.profiles.count() == 4  # cancelled: nothing deleted
    dialogs.answer = True
    page.delete_selected()
    qtbot.waitUntil(lambda: page.model.rowCount() == 2, timeout=10_000)
    assert inv.profiles.count() == 2
    assert page.model.rowCount() == 2
    assert "Deleted 2" in page.message.text()


def test_details_on_enter_show_fields_and_history(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    inv = small_inventory(data_home)
    baseline = next(r for r in inv.profiles.rows() if r.name == "Contoso Baseline")
    inv.profiles.record_check(baseline.id, Status.INVALID, "MFA was enabled for the user.")
    page, _ = _page(qtbot, data_home, runner)
    _select(page, "Contoso Baseline")
    page.table.setCurrentIndex(page.table.selectionModel().selectedRows()[0])
    page.table.setFocus()
    with qtbot.waitSignal(page.details_shown, timeout=10_000):
        qtbot.keyClick(page.table, Qt.Key.Key_Return)
    dialog = page.details_dialog
    assert dialog is not None and dialog.isVisible()
    assert "Contoso Baseline" in dialog.windowTitle()
    history = dialog.history_model
    kinds = [history.data(history.index(r, 1)) for r in range(history.rowCount())]
    # newest first; the first "Checked" is the status the profile was saved with
    assert kinds == ["Status changed", "Checked", "Checked", "Consented", "Created"]
    assert history.data(history.index(0, 0))  # each with its time
    consented = history.data(history.index(3, 2))
    assert consented == "Admin consent"  # details read as sentences
    # Every field of the profile, each under its label.
    assert set(dialog.fields) >= {
        "Profile name", "Customer", "Tenant", "Tenant ID", "Cloud", "Status", "Reason",
        "What to do", "Last checked", "Service(s)", "App type", "Mode", "Delegated functions",
        "Custom app ID", "Certificate", "Consent", "Consenting user", "Consented", "Created",
    }  # fmt: skip
    assert dialog.fields["Status"].text() == "Invalid"
    assert dialog.fields["Reason"].text() == "MFA was enabled for the user."
    assert dialog.fields["Tenant"].text() == "contoso.onmicrosoft.com"
    assert "local time (UTC" in dialog.zone_note.text()
    dialog.close()


def test_broken_store_is_reported_not_overwritten(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    paths = DataPaths(data_home).ensure()
    paths.store.write_bytes(b"garbage" * 1000)
    page, _ = _page(qtbot, data_home, runner)
    assert "damaged" in page.empty.text.text()
    window = page.window()
    assert isinstance(window, MainWindow) and "damaged" in window.problem_text
    assert paths.store.read_bytes() == b"garbage" * 1000


def test_customer_without_profiles_offers_create(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    open_inventory(data_home).customers.add("Contoso")
    page, _ = _page(qtbot, data_home, runner)
    assert page.empty.create_button.isVisible()
    assert page.window().focusWidget() is page.empty.create_button
    assert "Create an app profile" in page.empty.text.text()
