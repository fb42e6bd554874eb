"""The permissions page in a small window, and its splitters and headers remembered."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

from desktop.controllers.permissions_export import PermissionsExportController
from desktop.controllers.tasks import TaskRunner
from tests.helpers.catalog_factory import small_catalog
from tests.helpers.fake_dialogs import RecordingDialogs

from desktop.ui.permissions import PermissionsPage
from desktop.ui.window_state import WindowState, settings_at


def _window(qtbot: QtBot, runner: TaskRunner) -> tuple[QMainWindow, PermissionsPage]:
    window = QMainWindow()
    page = PermissionsPage(small_catalog(), PermissionsExportController(runner), RecordingDialogs())
    window.setCentralWidget(page)
    qtbot.addWidget(window)
    window.resize(900, 560)
    window.show()
    qtbot.waitExposed(window)
    return window, page


def test_the_table_gets_the_height_in_a_small_window(qtbot: QtBot) -> None:
    runner = TaskRunner()
    _win, page = _window(qtbot, runner)
    table_area, details = page.browse.details_splitter.sizes()
    assert table_area >= 3 * details
    assert details >= page.browse.details.minimumHeight() > 0


def test_every_splitter_and_header_has_a_name(qtbot: QtBot) -> None:
    runner = TaskRunner()
    _win, page = _window(qtbot, runner)
    splitters = page.findChildren(QSplitter)
    assert len(splitters) >= 2
    assert all(s.objectName() for s in splitters)
    tables = [page.browse.table, page.compare.table]
    assert all(t.horizontalHeader().objectName() for t in tables)
    names = [w.objectName() for w in [*splitters, *page.findChildren(QHeaderView)]]
    named = [n for n in names if n]
    assert len(set(named)) == len(named)  # each is remembered under its own key


def test_splitter_positions_are_restored(qtbot: QtBot, tmp_path: Path) -> None:
    runner = TaskRunner()
    path = tmp_path / "window-state.ini"
    window, page = _window(qtbot, runner)
    page.browse.splitter.setSizes([330, 540])
    page.browse.details_splitter.setSizes([300, 160])
    saved = page.browse.splitter.sizes(), page.browse.details_splitter.sizes()
    WindowState(settings_at(path)).save(window)
    keys = settings_at(path).allKeys()
    assert "splitters/PermissionsSplitter" in keys
    assert "splitters/PermissionsDetailsSplitter" in keys
    assert "headers/PermissionsHeader" in keys and "headers/CompareHeader" in keys

    _fresh, fresh_page = _window(qtbot, runner)
    assert fresh_page.browse.splitter.sizes() != saved[0]
    _again, page2 = _window(qtbot, runner)
    state = WindowState(settings_at(path))
    # A page built after the window was restored restores its own widgets.
    assert state.restore_widget(page2.browse.splitter)
    assert state.restore_widget(page2.browse.details_splitter)
    assert (page2.browse.splitter.sizes(), page2.browse.details_splitter.sizes()) == saved
