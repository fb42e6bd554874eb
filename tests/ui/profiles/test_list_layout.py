"""The profile list fits small and large windows: filter bar, column widths, saved layout."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt

from desktop.controllers.inventory import InventoryController
from desktop.controllers.tasks import TaskRunner
from desktop.core.inventory.listing import COLUMNS
from desktop.core.paths import DataPaths
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.inventory import shipped_catalog, small_inventory

from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.columns import (
    HIDDEN_BY_DEFAULT,
    REASON_COLUMN,
    REASON_MIN,
    fitted_widths,
)
from desktop.ui.profiles.page import ProfilesPage
from desktop.ui.profiles.wiring import add_profiles_page
from desktop.ui.window_state import WindowState, settings_at

_FIXED = {
    COLUMNS.index("Status"): 90,
    COLUMNS.index("Mode"): 70,
    COLUMNS.index("Last checked"): 130,
    COLUMNS.index("Last consented"): 130,
}


def _window(qtbot: QtBot, home: Path, runner: TaskRunner, size: tuple[int, int]) -> MainWindow:
    controller = InventoryController(DataPaths(home), runner, shipped_catalog())
    window = MainWindow()
    qtbot.addWidget(window)
    page = add_profiles_page(window, controller, FakeDialogs())  # type: ignore[arg-type]
    window.resize(*size)
    window.show()
    qtbot.waitUntil(lambda: page._complete and page.model.rowCount() > 0, timeout=10_000)
    return window


def _page(window: MainWindow) -> ProfilesPage:
    page = window.tabs.widget(0)
    assert isinstance(page, ProfilesPage)
    return page


@pytest.mark.parametrize("available", [865, 1000, 1245, 1600, 2400])
def test_fitted_widths_leave_reason_its_room(available: int) -> None:
    widths = fitted_widths(available, _FIXED, HIDDEN_BY_DEFAULT)
    assert REASON_COLUMN not in widths
    assert set(widths) == set(range(len(COLUMNS))) - {REASON_COLUMN} - HIDDEN_BY_DEFAULT
    assert available - sum(widths.values()) >= REASON_MIN


def test_at_1100_px_reason_leaves_customer_tenant_and_app_type_their_room() -> None:
    available = 1065  # the table's viewport in a 1100 px window
    widths = fitted_widths(available, _FIXED, HIDDEN_BY_DEFAULT)
    reason = available - sum(widths.values())
    for name in ("Customer", "Tenant", "App type"):
        assert widths[COLUMNS.index(name)] >= 100, name
    assert widths[COLUMNS.index("Tenant")] >= 140  # a domain is the longest of the three
    assert REASON_MIN <= reason <= 200  # it was 236 px, the width of two named columns


def test_every_column_shown_fits_a_wide_window() -> None:
    widths = fitted_widths(1600, _FIXED)
    assert set(widths) == set(range(len(COLUMNS))) - {REASON_COLUMN}
    assert 1600 - sum(widths.values()) >= REASON_MIN


def test_a_very_narrow_table_keeps_columns_readable_and_scrolls() -> None:
    widths = fitted_widths(500, _FIXED)
    assert widths[COLUMNS.index("Profile name")] >= 110
    assert min(widths.values()) >= 70
    assert sum(widths.values()) > 500


def test_fitted_widths_cap_names_in_a_wide_window() -> None:
    narrow, wide = fitted_widths(1000, _FIXED), fitted_widths(2400, _FIXED)
    name = COLUMNS.index("Profile name")
    assert narrow[name] < wide[name] <= 340
    # A wide window's extra width goes to Reason, not to ever wider names.
    assert 2400 - sum(wide.values()) > 1000 - sum(narrow.values())
    assert narrow[name] > narrow[COLUMNS.index("Customer")]  # the name gets the largest share


@pytest.mark.parametrize("size", [(900, 560), (1280, 760)])
def test_list_fits_without_horizontal_scrolling(
    qtbot: QtBot, data_home: Path, runner: TaskRunner, size: tuple[int, int]
) -> None:
    small_inventory(data_home)
    page = _page(_window(qtbot, data_home, runner, size))
    table = page.table
    header = table.horizontalHeader()
    qtbot.waitUntil(lambda: header.length() <= table.viewport().width())
    assert not table.horizontalScrollBar().isVisible()
    assert header.sectionSize(REASON_COLUMN) >= REASON_MIN
    assert header.sectionResizeMode(REASON_COLUMN) == header.ResizeMode.Stretch
    assert header.visualIndex(COLUMNS.index("Status")) == 1  # next to the name
    # The model keeps the column order; elided cells carry their full text.
    columns = range(len(COLUMNS))
    assert [page.model.headerData(c, Qt.Orientation.Horizontal) for c in columns] == list(COLUMNS)
    index = page.model.index(0, COLUMNS.index("Tenant"))
    assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data()
    # The consent columns are there for whoever asks (the header's menu); hidden by default.
    assert header.isSectionHidden(COLUMNS.index("Consenting user"))


def test_filter_bar_wraps_in_a_narrow_window(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    small_inventory(data_home)
    window = _window(qtbot, data_home, runner, (900, 560))
    bar = _page(window).filters
    assert bar.wrapped
    assert bar.search.width() > bar.width() // 2
    assert bar.search.y() < bar.service.y()  # the drop-downs are on the second row
    window.resize(1280, 760)
    qtbot.waitUntil(lambda: not bar.wrapped)
    qtbot.waitUntil(
        lambda: abs(bar.search.geometry().center().y() - bar.service.geometry().center().y()) < 4
    )
    assert bar.search.width() > bar.status.width() and bar.search.width() > bar.service.width()


def test_columns_follow_the_window_until_resized_by_hand(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    small_inventory(data_home)
    window = _window(qtbot, data_home, runner, (900, 560))
    page = _page(window)
    header = page.table.horizontalHeader()
    name = COLUMNS.index("Profile name")
    small = header.sectionSize(name)
    window.resize(1280, 760)
    qtbot.waitUntil(lambda: header.sectionSize(name) > small)
    header.resizeSection(name, 300)  # the technician drags the column edge
    assert page.columns.user_sized
    window.resize(1000, 700)
    qtbot.wait(50)
    assert header.sectionSize(name) == 300


def test_saved_column_layout_is_restored_and_kept(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    small_inventory(data_home)
    path = data_home / "window-state.ini"
    window = _window(qtbot, data_home, runner, (1280, 760))
    header = _page(window).table.horizontalHeader()
    customer = COLUMNS.index("Customer")
    header.resizeSection(customer, 260)
    WindowState(settings_at(path)).save(window)
    window.close()

    again = _window(qtbot, data_home, runner, (1280, 760))
    page = _page(again)
    assert WindowState(settings_at(path)).restore(again)
    again.resize(1100, 700)  # a resize must not throw the restored widths away
    qtbot.wait(50)
    assert page.table.horizontalHeader().sectionSize(customer) == 260
    assert page.columns.user_sized


def test_fitted_widths_from_a_small_window_are_not_kept_as_a_choice(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    small_inventory(data_home)
    path = data_home / "window-state.ini"
    window = _window(qtbot, data_home, runner, (900, 560))
    header = _page(window).table.horizontalHeader()
    name = COLUMNS.index("Profile name")
    small = header.sectionSize(name)
    header.setSortIndicator(COLUMNS.index("Status"), Qt.SortOrder.DescendingOrder)
    WindowState(settings_at(path)).save(window)  # nobody sized a column by hand
    window.close()

    again = _window(qtbot, data_home, runner, (900, 560))
    page = _page(again)
    assert WindowState(settings_at(path)).restore(again)
    again.resize(1280, 760)
    header2 = page.table.horizontalHeader()
    qtbot.waitUntil(lambda: header2.sectionSize(name) > small)
    assert not page.columns.user_sized
    assert header2.sortIndicatorSection() == COLUMNS.index("Status")  # the sort is kept
    assert header2.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
