"""The main window from the keyboard: toolbar shortcuts named in tooltips, the profile list's
tab order, and the View menu's page shortcuts."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QToolBar, QWidget

from desktop.app import build_context, build_window
from desktop.core.paths import data_paths
from tests.helpers.inventory import small_inventory

from desktop.ui.lazy_page import LazyPage
from desktop.ui.main_window import MainWindow
from desktop.ui.permissions import PermissionsPage
from desktop.ui.profiles.page import ProfilesPage


def _window(qtbot: QtBot, home: Path) -> MainWindow:
    ctx = build_context(data_paths(home))
    window = build_window(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    page = ctx.profiles_page
    assert page is not None
    qtbot.waitUntil(page.self_test_ready, timeout=10_000)
    return window


def _page(window: MainWindow) -> ProfilesPage:
    page = window.tabs.widget(0)
    assert isinstance(page, ProfilesPage)
    return page


def test_every_toolbar_action_has_a_key_named_in_its_tooltip(qtbot: QtBot, data_home: Path) -> None:
    window = _window(qtbot, data_home)
    toolbars = [t for t in window.findChildren(QToolBar) if t.actions()]
    actions = [a for t in toolbars for a in t.actions() if not a.isSeparator()]
    assert len(actions) >= 6
    for action in actions:
        keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        assert keys or "&" in action.text(), action.text()
        if keys:
            assert f"({keys})" in action.toolTip(), (action.text(), action.toolTip())
    # The tooltip keeps naming the key when it changes with the selection.
    page = _page(window)
    delete = page.delete_action
    assert "Select the app profiles" in delete.toolTip()
    assert delete.shortcut().toString(QKeySequence.SequenceFormat.NativeText) in delete.toolTip()


def test_tab_goes_from_find_through_the_filters_to_the_list(qtbot: QtBot, data_home: Path) -> None:
    small_inventory(data_home)  # an empty store shows its next steps, not the list and filters
    window = _window(qtbot, data_home)
    page = _page(window)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.table and page.filters.isVisible())
    bar = page.filters
    expected: list[QWidget] = [
        bar.status.button,
        bar.status.attention,
        bar.customer,
        bar.service,
        page.table,
    ]
    bar.search.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is bar.search)
    seen = []
    for _ in expected:
        window.focusNextChild()
        seen.append(QApplication.focusWidget())
    assert seen == expected


def test_view_menu_lists_the_pages_with_ctrl_1_and_ctrl_2(qtbot: QtBot, data_home: Path) -> None:
    window = _window(qtbot, data_home)
    entries = {
        a.text(): a.shortcut().toString(QKeySequence.SequenceFormat.PortableText)
        for a in window.view_menu.actions()
        if not a.isSeparator()
    }
    assert entries.get("Profiles") == "Ctrl+1"
    assert entries.get("Permissions") == "Ctrl+2"
    by_name = {a.text(): a for a in window.view_menu.actions()}
    by_name["Permissions"].trigger()
    current = window.tabs.currentWidget()
    # The Permissions page is built the first time its tab opens (a LazyPage holds its place).
    assert isinstance(current, LazyPage)
    assert isinstance(current.built_page, PermissionsPage)
    by_name["Profiles"].trigger()
    assert window.tabs.currentWidget() is _page(window)


def test_tab_leaves_the_list_in_one_press_and_arrows_move_inside(
    qtbot: QtBot, data_home: Path
) -> None:
    small_inventory(data_home)
    window = _window(qtbot, data_home)
    page = _page(window)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.table)
    page.table.setFocus()
    page.table.setCurrentIndex(page.model.index(0, 0))
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.table)
    qtbot.keyClick(page.table, Qt.Key.Key_Down)
    assert page.table.currentIndex().row() == 1
    qtbot.keyClick(page.table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not page.table


def test_escape_clears_find_and_down_moves_into_the_results(qtbot: QtBot, data_home: Path) -> None:
    small_inventory(data_home)
    window = _window(qtbot, data_home)
    page = _page(window)
    qtbot.waitUntil(lambda: page.stack.currentWidget() is page.table)
    search = page.filters.search
    search.setFocus()
    qtbot.keyClicks(search, "fabrikam")
    assert page.model.rowCount() == 2
    qtbot.keyClick(search, Qt.Key.Key_Escape)
    assert search.text() == "" and page.model.rowCount() == 4
    qtbot.keyClicks(search, "fabrikam")
    qtbot.keyClick(search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is page.table
    assert page.table.currentIndex().row() == 0
    assert "fabrikam" in page.model.row_at(0).customer.lower()
