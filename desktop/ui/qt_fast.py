"""Cheaper ways to reach a few Qt objects on the start path.

When a C++ call returns a widget that Python has not seen yet, PySide looks for its most
derived class among every widget class it knows, and with lazily loaded bindings that creates
all of them (and their enums) at once: about 8 ms the first time, at start-up. Reaching the same
object by name avoids that search.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

#: The name Qt gives every scroll area's viewport widget.
VIEWPORT_NAME = "qt_scrollarea_viewport"


def viewport_of(area: QAbstractScrollArea) -> QWidget:
    """``area.viewport()``, without PySide's class search the first time it is asked for."""
    found = area.findChild(QWidget, VIEWPORT_NAME, Qt.FindChildOption.FindDirectChildrenOnly)
    return found if found is not None else area.viewport()
