"""The by-name shortcut reaches the same viewport Qt itself returns."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QListView, QTableView, QWidget

from desktop.ui.qt_fast import viewport_of


def test_viewport_of_is_the_views_own_viewport(qtbot: QtBot) -> None:
    for view in (QTableView(), QListView()):
        qtbot.addWidget(view)
        assert viewport_of(view) is view.viewport()


def test_viewport_of_a_replaced_viewport(qtbot: QtBot) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    mine = QWidget()
    view.setViewport(mine)
    assert viewport_of(view) is mine
