"""The permissions page in a small window, and its splitters and headers remembered."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter

from desktop.controllers.permissions_export import PermissionsExportController
from desktop.controllers.tasks import TaskRunner
from desktop.core.catalog.loader import load_shipped
from tests.helpers.catalog_factory import small_catalog
from tests.helpers.dialogs import FakeDialogs

from desktop.ui.permissions import PermissionsPage
from desktop.ui.permissions.browse import SelectionKind
from desktop.ui.permissions.table_view import FittedTableView
from desktop.ui.window_state import WindowState, settings_at


def _window(qtbot: QtBot, runner: TaskRunner) -> tuple[QMainWindow, PermissionsPage]:
    window = QMainWindow()
    page = PermissionsPage(small_catalog(), PermissionsExportController(runner), FakeDialogs())
    window.setCentralWidget(page)
    qtbot.addWidget(window)
    window.resize(900, 560)
    window.show()
    qtbot.waitExposed(window)
    return window, page


def test_the_table_and_the_details_share_the_height(qtbot: QtBot) -> None:
    """The table keeps the larger part; "Required by" and "Roles and notes" get about two
    fifths, not three lines (Qt's own first split favoured the size hints)."""
    runner = TaskRunner()
    _win, page = _window(qtbot, runner)
    table_area, details = page.browse.details_splitter.sizes()
    assert table_area > details >= (table_area + details) // 3
    assert details >= page.browse.details.minimumHeight() > 0


def test_a_page_built_hidden_gets_the_same_share_when_shown(qtbot: QtBot) -> None:
    """As the main window builds it: in a tab not shown yet, sized before it shows."""
    from PySide6.QtWidgets import QTabWidget

    window = QMainWindow()
    tabs = QTabWidget()
    window.setCentralWidget(tabs)
    qtbot.addWidget(window)
    tabs.addTab(QMainWindow(), "Profiles")
    window.resize(1200, 760)
    window.show()
    qtbot.waitExposed(window)
    page = PermissionsPage(
        small_catalog(), PermissionsExportController(TaskRunner()), FakeDialogs()
    )
    tabs.addTab(page, "Permissions")
    tabs.setCurrentWidget(page)
    qtbot.waitUntil(page.isVisible)
    table_area, details = page.browse.details_splitter.sizes()
    assert table_area > details >= (table_area + details) // 3


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


def _settle(qtbot: QtBot, table: FittedTableView, viewport_width: int | None = None) -> None:
    """Wait until the view has its new size (if one is expected) and its refit has run."""
    if viewport_width is not None:
        qtbot.waitUntil(lambda: table.viewport().width() != viewport_width)
    qtbot.waitUntil(lambda: not table._refit.isActive())


def test_a_column_the_technician_sized_keeps_its_width(qtbot: QtBot) -> None:
    runner = TaskRunner()
    window, page = _window(qtbot, runner)
    table = page.browse.table
    first = table.viewport().width()  # read before the resize, which may apply at once
    window.resize(1200, 700)
    _settle(qtbot, table, first)
    column = page.browse.model.headers().index("Permission")
    fitted = table.columnWidth(column)
    table.horizontalHeader().resizeSection(column, fitted + 61)  # as a drag does

    before = table.viewport().width()
    window.resize(950, 600)
    _settle(qtbot, table, before)
    assert table.columnWidth(column) == fitted + 61
    page.browse.filters.search.setText("read")
    _settle(qtbot, table)
    assert table.columnWidth(column) == fitted + 61
    page.browse.browser.select(SelectionKind.ALL, "")  # another column set: App type appears
    _settle(qtbot, table)
    column = page.browse.model.headers().index("Permission")
    assert table.columnWidth(column) == fitted + 61

    table.fit_action.trigger()  # the header's "Fit columns to the window"
    assert table.columnWidth(column) != fitted + 61


def test_saved_column_widths_are_used_after_a_restart(qtbot: QtBot, tmp_path: Path) -> None:
    runner = TaskRunner()
    path = tmp_path / "window-state.ini"
    window, page = _window(qtbot, runner)
    table = page.browse.table
    _settle(qtbot, table)
    header = table.horizontalHeader()
    widths = [table.columnWidth(c) + 7 * (c + 1) for c in range(header.count() - 1)]
    for column, width in enumerate(widths):
        header.resizeSection(column, width)
    WindowState(settings_at(path)).save(window)

    runner2 = TaskRunner()
    window2 = QMainWindow()
    page2 = PermissionsPage(small_catalog(), PermissionsExportController(runner2), FakeDialogs())
    window2.setCentralWidget(page2)
    qtbot.addWidget(window2)
    window2.resize(900, 560)
    assert WindowState(settings_at(path)).restore_widget(page2.browse.table.horizontalHeader())
    window2.show()  # showing fits the columns: the restored widths must survive it
    qtbot.waitExposed(window2)
    _settle(qtbot, page2.browse.table)
    restored = [page2.browse.table.columnWidth(c) for c in range(header.count() - 1)]
    assert restored == widths


def test_a_layout_saved_with_other_columns_is_not_applied(qtbot: QtBot, tmp_path: Path) -> None:
    runner = TaskRunner()
    path = tmp_path / "window-state.ini"
    window, page = _window(qtbot, runner)
    page.browse.browser.select(SelectionKind.ALL, "")  # six columns
    WindowState(settings_at(path)).save(window)
    _again, page2 = _window(qtbot, runner)
    page2.browse.browser.select(SelectionKind.APP, "automation")  # five: one app type's rows
    assert page2.browse.model.columnCount() == page.browse.model.columnCount() - 1
    header = page2.browse.table.horizontalHeader()
    assert not WindowState(settings_at(path)).restore_widget(header)
    assert header.count() == page2.browse.model.columnCount()


def test_no_sideways_scrolling_in_a_900_pixel_window(qtbot: QtBot) -> None:
    """The shipped catalog's longest names, in every view, fit without a horizontal scroll."""
    runner = TaskRunner()
    window = QMainWindow()
    page = PermissionsPage(load_shipped(), PermissionsExportController(runner), FakeDialogs())
    window.setCentralWidget(page)
    qtbot.addWidget(window)
    window.resize(900, 600)
    window.show()
    qtbot.waitExposed(window)
    table = page.browse.table
    for kind, key in (
        (SelectionKind.ALL, ""),
        (SelectionKind.API, "Microsoft Graph"),
        (SelectionKind.APP, "apelements-security-and-analysis"),
    ):
        page.browse.browser.select(kind, key)
        _settle(qtbot, table)
        widths = sum(table.columnWidth(c) for c in range(page.browse.model.columnCount()))
        assert widths <= table.viewport().width(), kind
        assert table.horizontalScrollBar().maximum() == 0, kind
    page.views.setCurrentWidget(page.compare)
    _settle(qtbot, page.compare.table)
    assert page.compare.table.horizontalScrollBar().maximum() == 0
