"""The menu bar holds what the app does, with the same actions (keys, icons) as the toolbar."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from desktop.app import build_context, build_window
from desktop.core.paths import data_paths
from tests.helpers.dialogs import FakeDialogs

from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.page import ProfilesPage
from desktop.ui.shell import DesktopShell
from desktop.ui.window_state import WindowState, settings_at


def _window(qtbot: QtBot, home: Path) -> tuple[MainWindow, ProfilesPage]:
    ctx = build_context(data_paths(home))
    window = build_window(ctx)
    qtbot.addWidget(window)
    assert ctx.profiles_page is not None
    return window, ctx.profiles_page


def _entries(menu: QMenu) -> dict[str, QAction]:
    return {a.text().replace("&", ""): a for a in menu.actions() if not a.isSeparator()}


def test_the_menus_hold_what_the_app_does(qtbot: QtBot, data_home: Path) -> None:
    window, page = _window(qtbot, data_home)
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Edit", "Profiles", "Account", "View", "Help"]
    file_menu = _entries(window.file_menu)
    assert list(file_menu) == ["Export list…", "Settings…", "Quit"]
    settings = file_menu["Settings…"]
    assert QKeySequence("Ctrl+,") in settings.shortcuts()
    assert settings.menuRole() == QAction.MenuRole.PreferencesRole
    assert file_menu["Export list…"] is page.export_action
    assert file_menu["Quit"].shortcut() == QKeySequence(QKeySequence.StandardKey.Quit)
    find = _entries(window.edit_menu)["Find"]
    assert find.shortcut() == QKeySequence(QKeySequence.StandardKey.Find)
    profiles = _entries(window.profiles_menu)
    for wanted in ("Create app profile…", "Check selected", "Check all", "Re-authorize app…"):
        assert wanted in profiles, wanted
    assert profiles["Delete…"].shortcut() == QKeySequence(QKeySequence.StandardKey.Delete)
    new = QKeySequence(QKeySequence.StandardKey.New)
    assert profiles["Create app profile…"].shortcut() == new
    # One set of actions: the toolbar's are the menu's, so they are enabled alike.
    toolbar = next(t for t in page.findChildren(QToolBar) if t.actions())
    for action in toolbar.actions():
        if not action.isSeparator():
            assert action in window.profiles_menu.actions(), action.text()
    view = _entries(window.view_menu)
    assert "Profiles" in view and "Permissions" in view and "Columns" in view


def test_menu_entries_get_icons_when_a_menu_first_opens(qtbot: QtBot, data_home: Path) -> None:
    window, page = _window(qtbot, data_home)
    assert page.delete_action.icon().isNull()  # nothing spent on icons before the first paint
    window.profiles_menu.aboutToShow.emit()
    for action in window.profiles_menu.actions():
        if not action.isSeparator():
            assert not action.icon().isNull(), action.text()


def test_view_columns_shows_and_hides_list_columns(qtbot: QtBot, data_home: Path) -> None:
    window, page = _window(qtbot, data_home)
    columns = _entries(window.view_menu)["Columns"].menu()
    assert isinstance(columns, QMenu)
    columns.aboutToShow.emit()
    entries = _entries(columns)
    header = page.table.horizontalHeader()
    entries["Last consented"].trigger()
    assert not header.isSectionHidden(page.model.columnCount() - 2)


def test_help_opens_the_log_folder_and_explains_the_sandbox(
    qtbot: QtBot, data_home: Path, tmp_path: Path
) -> None:
    ctx = build_context(data_paths(data_home))
    ctx.dialogs = FakeDialogs()  # type: ignore[assignment]
    window = build_window(ctx)
    qtbot.addWidget(window)
    opened: list[QUrl] = []
    logs = tmp_path / "logs"
    logs.mkdir()
    state = WindowState(settings_at(tmp_path / "state.ini"))
    DesktopShell(window, ctx, state, logs, open_url=lambda url: opened.append(url) or True)
    help_menu = _entries(window.help_menu)
    assert list(help_menu)[-1].startswith("About")
    help_menu["Open log folder"].trigger()
    assert opened and Path(opened[0].toLocalFile()) == logs
    help_menu["Sandbox help"].trigger()
    text = ctx.dialogs.infos[-1]  # type: ignore[attr-defined]
    assert "real tenants" in text and "app-profiles --sandbox" in text
