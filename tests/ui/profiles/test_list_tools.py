"""What the profile list offers around its table: the header's column menu (remembered), the
status filter, the context menu's Check now and Copy tenant ID, export as shown, the wrapped
reason tooltip, and the new rows after Save."""

from __future__ import annotations

import csv
from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QGuiApplication, QKeySequence

from desktop.controllers.inventory import InventoryController
from desktop.controllers.list_export import ListExportController
from desktop.controllers.tasks import TaskRunner
from desktop.core.inventory.listing import COLUMNS
from desktop.core.paths import DataPaths
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.inventory import (
    CONTOSO_TID,
    FABRIKAM_TID,
    add_profile,
    open_inventory,
    shipped_catalog,
    small_inventory,
)

from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.page import ProfilesPage
from desktop.ui.profiles.wiring import add_profiles_page
from desktop.ui.window_state import WindowState, settings_at


def _page(qtbot: QtBot, home: Path, runner: TaskRunner) -> ProfilesPage:
    controller = InventoryController(DataPaths(home), runner, shipped_catalog())
    window = MainWindow()
    qtbot.addWidget(window)
    page = add_profiles_page(window, controller, FakeDialogs())  # type: ignore[arg-type]
    page.export_controller = lambda: ListExportController(runner, window)
    window.resize(1100, 700)
    window.show()
    qtbot.waitUntil(lambda: page._complete and page.model.rowCount() > 0, timeout=10_000)
    qtbot.waitUntil(lambda: not runner.busy, timeout=10_000)
    return page


def _names(page: ProfilesPage) -> list[str]:
    return [page.model.row_at(r).name for r in range(page.model.rowCount())]


def test_header_menu_shows_and_hides_columns_and_it_is_remembered(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    small_inventory(data_home)
    page = _page(qtbot, data_home, runner)
    header = page.table.horizontalHeader()
    user, mode = COLUMNS.index("Consenting user"), COLUMNS.index("Mode")
    assert header.isSectionHidden(user)
    assert header.contextMenuPolicy() == Qt.ContextMenuPolicy.CustomContextMenu
    menu = page.columns.header_menu()
    entries = {a.text(): a for a in menu.actions()}
    assert set(entries) == set(COLUMNS)
    assert not entries["Profile name"].isEnabled()  # the row's name always shows
    entries["Consenting user"].trigger()
    entries["Mode"].trigger()
    assert not header.isSectionHidden(user) and header.isSectionHidden(mode)
    assert header.sectionSize(user) > 0
    menu.close()
    path = data_home / "window-state.ini"
    window = page.window()
    assert isinstance(window, MainWindow)
    WindowState(settings_at(path)).save(window)
    window.close()

    again = _page(qtbot, data_home, runner)
    again_window = again.window()
    assert isinstance(again_window, MainWindow)
    WindowState(settings_at(path)).restore(again_window)
    restored = again.table.horizontalHeader()
    assert not restored.isSectionHidden(user) and restored.isSectionHidden(mode)


def test_needs_attention_is_one_click_and_statuses_combine(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    small_inventory(data_home)
    page = _page(qtbot, data_home, runner)
    status = page.filters.status
    qtbot.mouseClick(status.attention, Qt.MouseButton.LeftButton)
    assert sorted(_names(page)) == ["Contoso Baseline", "Fabrikam Backup"]  # Expired, Invalid
    assert status.button.text() == "Expired + Invalid"
    assert any(a.text() == "Needs attention (Expired + Invalid)" for a in status.menu.actions())
    status.status_actions["Unknown"].trigger()  # a third status joins the two
    assert sorted(_names(page)) == ["Contoso Baseline", "Fabrikam Backup", "Fabrikam Classic"]
    assert not status.attention.isChecked()
    status.all_action.trigger()
    assert page.model.rowCount() == 4


def test_context_menu_checks_now_and_copies_the_tenant_id(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    small_inventory(data_home)
    page = _page(qtbot, data_home, runner)
    checked: list[list[int] | None] = []
    page.check_requested.connect(checked.append)
    row = _names(page).index("Fabrikam Backup")
    page.table.selectRow(row)
    menu = page.context_menu()
    texts = [a.text() for a in menu.actions()]
    assert "Check &now" in texts and "Copy &tenant ID" in texts
    page.check_now_action.trigger()
    assert checked == [[page.model.row_at(row).id]]
    page.copy_tenant_action.trigger()
    assert QGuiApplication.clipboard().text() == FABRIKAM_TID
    assert FABRIKAM_TID in page.message.text()
    menu.close()
    page.table.selectAll()  # two tenants: each once, one a line
    page.copy_tenant_action.trigger()
    assert sorted(QGuiApplication.clipboard().text().splitlines()) == sorted(
        [CONTOSO_TID, FABRIKAM_TID]
    )


def test_export_writes_the_list_as_shown_from_documents(
    qtbot: QtBot, data_home: Path, runner: TaskRunner, tmp_path: Path
) -> None:
    small_inventory(data_home)
    page = _page(qtbot, data_home, runner)
    assert page.export_action.shortcut() == QKeySequence("Ctrl+Shift+E")
    asked: list[str] = []
    target = tmp_path / "list"

    def ask(_parent: object, _caption: str, suggested: str, _filter: str) -> str:
        asked.append(suggested)
        return str(target)

    page.filters.search.setText("fabrikam")
    page.table.horizontalHeader().setSectionHidden(COLUMNS.index("Mode"), True)
    page.ask_save_path = ask
    page.export_action.trigger()
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    assert asked and Path(asked[0]).parent == Path(documents)
    written = target.with_name("list.csv")
    qtbot.waitUntil(lambda: "Exported 2 app profiles" in page.message.text(), timeout=10_000)
    with written.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][:2] == ["Profile name", "Status"]  # the order shown: Status beside the name
    assert "Mode" not in rows[0] and "Consenting user" not in rows[0]
    assert sorted(r[0] for r in rows[1:]) == ["Fabrikam Backup", "Fabrikam Classic"]


def test_long_reasons_wrap_in_their_tooltip(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    inv = small_inventory(data_home)
    reason = "Missing permissions: " + ", ".join(f"Permission{n}.ReadWrite.All" for n in range(40))
    customer = inv.customers.get("Contoso")
    assert customer.id is not None
    add_profile(inv, "A long reason", customer.id, CONTOSO_TID, reason=reason)
    page = _page(qtbot, data_home, runner)
    row = _names(page).index("A long reason")
    tip = page.model.index(row, COLUMNS.index("Reason")).data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("<p")  # rich text wraps; a plain tooltip is one line
    assert "Permission39.ReadWrite.All" in tip


def test_after_save_the_new_rows_are_selected_even_when_a_filter_hid_them(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    small_inventory(data_home)
    page = _page(qtbot, data_home, runner)
    page.filters.search.setText("contoso")
    inv = open_inventory(data_home)
    fabrikam = inv.customers.get("Fabrikam")
    assert fabrikam.id is not None
    new = add_profile(inv, "Fabrikam Nitro", fabrikam.id, FABRIKAM_TID)
    assert new.id is not None
    with qtbot.waitSignal(page.controller.rows_loaded, timeout=10_000):
        page.show_saved([new.id])
    assert page.filters.search.text() == ""
    assert "filter was cleared" in page.message.text()
    assert page.selected_ids() == [new.id]
    assert page.model.row_at(page.table.currentIndex().row()).id == new.id


def test_the_wizards_save_shows_the_new_rows_in_the_list(qtbot: QtBot, data_home: Path) -> None:
    from desktop.app import build_context, build_window

    from desktop.ui.wizard.dialog import CreateProfileDialog

    inv = small_inventory(data_home)
    ctx = build_context(DataPaths(data_home))
    window = build_window(ctx)
    qtbot.addWidget(window)
    page = ctx.profiles_page
    assert page is not None
    window.show()
    qtbot.waitUntil(lambda: page._complete and page.model.rowCount() == 4, timeout=10_000)
    page.filters.status.set_statuses(frozenset({"Invalid"}))
    page.create_action.trigger()
    (wizard,) = window.findChildren(CreateProfileDialog)
    fabrikam = inv.customers.get("Fabrikam")
    assert fabrikam.id is not None
    new = add_profile(inv, "Fabrikam Nitro", fabrikam.id, FABRIKAM_TID)  # Valid: filtered out
    with qtbot.waitSignal(page.controller.rows_loaded, timeout=10_000):
        wizard.profiles_saved.emit([new])
    assert page.selected_ids() == [new.id]
    assert page.filters.status.statuses() == frozenset()
    wizard.reject()
    ctx.runner.cancel_all()
    ctx.runner.wait_for_done(5000)
