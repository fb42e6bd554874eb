"""Help → About: version, catalog version (or a plain word when there is none), data folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import QUrl
from PySide6.QtWidgets import QApplication

from desktop import __version__
from desktop.app import build_context, build_window
from desktop.core.paths import data_paths

from desktop.ui.about_dialog import AboutDialog, AboutInfo
from desktop.ui.shell import DesktopShell
from desktop.ui.window_state import WindowState, settings_at


@dataclass
class _Catalog:
    version: str


@dataclass
class _Ctx:
    paths: object
    catalog: object | None = None


def test_info_reads_the_catalog_version(tmp_path: Path) -> None:
    info = AboutInfo.from_context(_Ctx(data_paths(tmp_path), _Catalog("2026.11")), tmp_path / "l")
    assert info.catalog_version == "2026.11"
    assert info.data_folder == tmp_path
    assert "Catalog: 2026.11" in info.as_text()


def test_info_without_catalog_says_so(tmp_path: Path) -> None:
    info = AboutInfo.from_context(_Ctx(data_paths(tmp_path)), tmp_path / "logs")
    assert info.catalog_version == "not loaded"


def test_dialog_shows_facts_and_opens_folders(qtbot: QtBot, tmp_path: Path) -> None:
    opened: list[QUrl] = []
    info = AboutInfo("1.2.3", "2026.11", tmp_path / "data", tmp_path / "logs")
    dialog = AboutDialog(info, open_url=lambda url: opened.append(url) or True)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.version_label.text() == "1.2.3"
    assert dialog.catalog_label.text() == "2026.11"
    assert dialog.data_label.text() == str(tmp_path / "data")
    assert dialog.data_label.accessibleName() == "Data folder"
    dialog.open_data_button.click()
    dialog.open_logs_button.click()
    assert [u.toLocalFile() for u in opened] == [str(tmp_path / "data"), str(tmp_path / "logs")]
    dialog.copy_button.click()
    assert "Data folder: " + str(tmp_path / "data") in QApplication.clipboard().text()


def test_f1_opens_about_from_the_main_window(qtbot: QtBot, data_home: Path) -> None:
    ctx = build_context(data_paths(data_home))
    window = build_window(ctx)
    qtbot.addWidget(window)
    state = WindowState(settings_at(data_home / "state.ini"))
    shell = DesktopShell(window, ctx, state, data_home / "logs", open_url=lambda _u: True)
    assert "F1" in [k.toString() for k in shell.about_action.shortcuts()]
    assert shell.about_action in window.help_menu.actions()
    window.show()
    shell.about_action.trigger()
    dialog = shell.about_dialog
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.version_label.text() == __version__
    assert dialog.data_label.text() == str(data_home)
    dialog.close()
