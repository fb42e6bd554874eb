"""Window geometry, splitter positions and column layout survive a restart."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QMainWindow, QSplitter, QTableView, QWidget

from desktop.ui.window_state import LAYOUT_VERSION, WindowState, settings_at


def _window() -> tuple[QMainWindow, QSplitter, QTableView]:
    window = QMainWindow()
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.setObjectName("ProfilesSplitter")
    table = QTableView()
    table.setObjectName("ProfilesTable")
    model = QStandardItemModel(3, 4, table)
    model.setHorizontalHeaderLabels(["Customer", "Tenant", "Service", "Status"])
    table.setModel(model)
    splitter.addWidget(QWidget())
    splitter.addWidget(table)
    window.setCentralWidget(splitter)
    window.resize(900, 600)
    return window, splitter, table


def test_layout_round_trip(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "window-state.ini"
    window, splitter, table = _window()
    qtbot.addWidget(window)
    window.show()
    window.resize(777, 555)
    splitter.setSizes([150, 600])
    header = table.horizontalHeader()
    header.resizeSection(1, 222)
    header.moveSection(3, 0)  # Status first
    header.setSortIndicator(2, Qt.SortOrder.DescendingOrder)
    sizes = splitter.sizes()
    WindowState(settings_at(path)).save(window)
    assert path.is_file()

    again, splitter2, table2 = _window()
    qtbot.addWidget(again)
    assert WindowState(settings_at(path)).restore(again)
    again.show()
    assert (again.width(), again.height()) == (777, 555)
    assert splitter2.sizes() == sizes
    header2 = table2.horizontalHeader()
    assert header2.sectionSize(1) == 222
    assert header2.logicalIndex(0) == 3
    assert header2.sortIndicatorSection() == 2
    assert header2.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder


def test_nothing_saved_leaves_defaults(qtbot: QtBot, tmp_path: Path) -> None:
    window, splitter, _table = _window()
    qtbot.addWidget(window)
    before = splitter.saveState()
    assert WindowState(settings_at(tmp_path / "none.ini")).restore(window) is False
    assert splitter.saveState() == before


def test_unnamed_widgets_are_not_tracked(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    window, splitter, table = _window()
    splitter.setObjectName("")
    table.setObjectName("")
    qtbot.addWidget(window)
    WindowState(settings_at(path)).save(window)
    keys = settings_at(path).allKeys()
    assert not [k for k in keys if k.startswith(("splitters/", "headers/"))]
    assert "window/geometry" in keys


def test_a_corrupt_value_is_ignored(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "s.ini"
    settings = settings_at(path)
    settings.setValue("layout_version", LAYOUT_VERSION)
    settings.setValue("splitters/ProfilesSplitter", "garbage")
    settings.sync()
    window, splitter, _table = _window()
    qtbot.addWidget(window)
    state = WindowState(settings_at(path))
    state.restore(window)  # must not raise
    assert state.restore_widget(splitter) is False
