"""Every menu action can be reached from the keyboard; dialogs name their controls."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QMenu

from desktop.app import build_context, build_window
from desktop.core.paths import data_paths

from desktop.ui.about_dialog import AboutDialog, AboutInfo
from desktop.ui.crash_dialog import CrashDialog
from desktop.ui.shell import DesktopShell
from desktop.ui.window_state import WindowState, settings_at


def _reachable(action: QAction) -> bool:
    return "&" in action.text() or not action.shortcut().isEmpty()


def test_every_menu_action_has_a_shortcut_or_mnemonic(qtbot: QtBot, data_home: Path) -> None:
    ctx = build_context(data_paths(data_home))
    window = build_window(ctx)
    qtbot.addWidget(window)
    DesktopShell(window, ctx, WindowState(settings_at(data_home / "s.ini")), data_home)
    menus = [a.menu() for a in window.menuBar().actions()]
    assert all(isinstance(m, QMenu) for m in menus)
    for top in window.menuBar().actions():
        assert "&" in top.text(), f"menu {top.text()!r} has no mnemonic"
    unreachable = [
        action.text()
        for menu in menus
        if isinstance(menu, QMenu)
        for action in menu.actions()
        if not action.isSeparator() and not _reachable(action)
    ]
    assert unreachable == []


def test_dialog_buttons_have_mnemonics(qtbot: QtBot, tmp_path: Path) -> None:
    about = AboutDialog(AboutInfo("1", "2", tmp_path, tmp_path))
    crash = CrashDialog("report", tmp_path)
    for dialog in (about, crash):
        qtbot.addWidget(dialog)
        for button in dialog.findChildren(QAbstractButton):
            if button.text() not in ("Close", "&Close"):  # the standard button
                assert "&" in button.text(), button.text()
    assert crash.report_view.accessibleName() == "Problem report"
