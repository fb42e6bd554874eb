"""The mouse wheel over a closed drop-down scrolls the page; the choice stays."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QComboBox, QScrollArea, QVBoxLayout, QWidget

from desktop.ui.startup import start_desktop
from desktop.ui.wheel_guard import ComboWheelGuard


@pytest.fixture
def started(qapp: QApplication, tmp_path: Path) -> Iterator[QApplication]:
    """The app as start-up leaves it (the guard is installed there, for every screen)."""
    style, palette = qapp.style().name() or "Fusion", qapp.palette()
    desktop = start_desktop(qapp, tmp_path, self_test=True)
    yield qapp
    desktop.reporter.uninstall()
    qapp.removeEventFilter(qapp.findChild(ComboWheelGuard))
    qapp.setStyle(style)
    qapp.setPalette(palette)


def _wheel_down(widget: QWidget) -> None:
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(widget, event)


def test_the_wheel_over_a_closed_combo_box_scrolls_the_page(
    qtbot: QtBot, started: QApplication
) -> None:
    page = QWidget()
    layout = QVBoxLayout(page)
    combo = QComboBox(page)
    combo.addItems(["Administrator consent", "User consent"])
    layout.addWidget(combo)
    layout.addSpacing(2000)
    area = QScrollArea()
    qtbot.addWidget(area)
    area.setWidget(page)
    area.resize(300, 200)
    area.show()
    qtbot.waitExposed(area)
    before = area.verticalScrollBar().value()
    _wheel_down(combo)
    assert combo.currentIndex() == 0, "the wheel changed the choice"
    assert area.verticalScrollBar().value() > before, "the page did not scroll"
    # Outside any scroll area the turn is simply not a choice.
    lone = QComboBox()
    qtbot.addWidget(lone)
    lone.addItems(["One", "Two"])
    lone.show()
    _wheel_down(lone)
    assert lone.currentIndex() == 0
