"""A lazily built tab page: nothing until first shown, then the real page, once."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QLabel, QTableView, QTabWidget, QWidget

from desktop.app import build_context, build_window
from desktop.core.paths import data_paths

from desktop.ui.lazy_page import LazyPage
from desktop.ui.shell import DesktopShell
from desktop.ui.window_state import WindowState, settings_at


class _Ready(QLabel):
    def __init__(self) -> None:
        super().__init__("real page")
        self.ready = False

    def self_test_ready(self) -> bool:
        return self.ready


def test_builds_when_first_shown_and_only_once(qtbot: QtBot) -> None:
    built: list[_Ready] = []

    def factory() -> QWidget:
        built.append(_Ready())
        return built[-1]

    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    tabs.addTab(QLabel("first"), "First")
    lazy = LazyPage(factory, "Second")
    tabs.addTab(lazy, "Second")
    tabs.show()
    qtbot.waitExposed(tabs)
    assert built == [] and lazy.built_page is None
    assert lazy.self_test_ready()  # nothing to wait for while unbuilt
    with qtbot.waitSignal(lazy.built):
        tabs.setCurrentWidget(lazy)
    assert len(built) == 1 and lazy.built_page is built[0]
    assert built[0].isVisible()
    assert not lazy.self_test_ready()  # now the real page decides
    built[0].ready = True
    assert lazy.self_test_ready()
    tabs.setCurrentIndex(0)
    tabs.setCurrentWidget(lazy)
    assert lazy.page is built[0] and len(built) == 1


def test_permissions_tab_builds_the_viewer_on_first_open(qtbot: QtBot, data_home: Path) -> None:
    from desktop.ui.permissions import PermissionsPage

    ctx = build_context(data_paths(data_home))
    window = build_window(ctx)
    qtbot.addWidget(window)
    shell = DesktopShell(window, ctx, WindowState(settings_at(data_home / "s.ini")), data_home)
    shell.restore_layout()
    window.show()
    qtbot.waitExposed(window)
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    lazy = window.tabs.widget(titles.index("&Permissions"))
    assert isinstance(lazy, LazyPage) and lazy.built_page is None
    window.tabs.setCurrentWidget(lazy)
    assert isinstance(lazy.built_page, PermissionsPage)
    qtbot.waitUntil(lazy.self_test_ready, timeout=10_000)
    assert lazy.built_page.browse.model.rowCount() > 0


def test_a_page_built_later_gets_its_remembered_columns(qtbot: QtBot, data_home: Path) -> None:
    path = data_home / "s.ini"
    ctx = build_context(data_paths(data_home))
    window = build_window(ctx)
    qtbot.addWidget(window)
    DesktopShell(window, ctx, WindowState(settings_at(path)), data_home)
    lazy = window.tabs.widget(1)
    assert isinstance(lazy, LazyPage)
    table = lazy.page.findChild(QTableView, "PermissionsTable")
    assert table is not None
    header = table.horizontalHeader()
    header.moveSection(2, 0)
    moved = header.logicalIndex(0)
    WindowState(settings_at(path)).save(window)

    again = build_window(build_context(data_paths(data_home)))
    qtbot.addWidget(again)
    shell = DesktopShell(again, ctx, WindowState(settings_at(path)), data_home)
    shell.restore_layout()
    later = again.tabs.widget(1)
    assert isinstance(later, LazyPage)
    table2 = later.page.findChild(QTableView, "PermissionsTable")
    assert table2 is not None
    assert table2.horizontalHeader().logicalIndex(0) == moved
