"""Remember window geometry, splitter positions and table column layout between runs.

Screens take part by giving their splitters and table headers an ``objectName``:

    splitter.setObjectName("ProfilesSplitter")
    table.horizontalHeader().setObjectName("ProfilesHeader")

``WindowState.restore(window)`` (after the pages and their models exist) and
``WindowState.save(window)`` (on close) then handle every named splitter and header below the
window. A screen that builds widgets later calls ``restore_widget``/``save_widget`` itself. A
header must be restored after its model is set: setting a model resets the sections.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QMainWindow, QSplitter, QWidget

STATE_FILE_NAME = "window-state.ini"
#: A header property: True while its widths follow the window (nobody sized them by hand). It is
#: saved with the header, so widths fitted to a small window are not kept as a choice.
AUTO_SIZED = "autoSized"
#: Bumped when a saved layout would no longer fit the widgets; old state is then ignored.
#: 2: the profile list's Reason column stretches and the headers have names of their own.
#: 3: the profile list has Last consented and Consenting user columns (and hides columns).
LAYOUT_VERSION = 3


def settings_at(path: Path) -> QSettings:
    """An INI-format QSettings at *path* (in the data folder, so tests and users can move it)."""
    return QSettings(str(path), QSettings.Format.IniFormat)


def _key(widget: QWidget) -> str | None:
    if isinstance(widget, QSplitter) and widget.objectName():
        return f"splitters/{widget.objectName()}"
    if isinstance(widget, QHeaderView):
        if widget.objectName():
            return f"headers/{widget.objectName()}"
        view = widget.parentWidget()
        if view is not None and view.objectName():
            return f"headers/{view.objectName()}.{widget.orientation().name}"
    return None


class WindowState:
    """Saves and restores the layout of one main window and everything named inside it."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def save(self, window: QMainWindow) -> None:
        """Store the window's geometry and every named splitter and header below it."""
        s = self._settings
        s.setValue("layout_version", LAYOUT_VERSION)
        s.setValue("window/geometry", window.saveGeometry())
        s.setValue("window/state", window.saveState(LAYOUT_VERSION))
        for widget in self._tracked(window):
            self.save_widget(widget)
        s.sync()

    def restore(self, window: QMainWindow) -> bool:
        """Put the window back as it was; returns False when there was nothing (valid) saved."""
        if self._int("layout_version") != LAYOUT_VERSION:
            return False
        geometry = self._bytes("window/geometry")
        # restoreGeometry moves a window that would be off every screen back onto one.
        restored = geometry is not None and window.restoreGeometry(geometry)
        state = self._bytes("window/state")
        if state is not None:
            window.restoreState(state, LAYOUT_VERSION)
        for widget in self._tracked(window):
            self.restore_widget(widget)
        return restored

    def restore_below(self, root: QWidget) -> None:
        """Restore every named splitter and header below *root* (a page built after start)."""
        if self._int("layout_version") != LAYOUT_VERSION:
            return
        for widget in self._tracked(root):
            self.restore_widget(widget)

    def save_widget(self, widget: QWidget) -> None:
        """Store one named splitter or header."""
        key = _key(widget)
        if key is not None and isinstance(widget, QSplitter | QHeaderView):
            self._settings.setValue(key, widget.saveState())
            if isinstance(widget, QHeaderView):
                self._settings.setValue(f"{key}.auto", widget.property(AUTO_SIZED) is True)

    def restore_widget(self, widget: QWidget) -> bool:
        """Restore one named splitter or header; False when nothing usable was saved."""
        key = _key(widget)
        state = self._bytes(key) if key is not None else None
        if state is None or not isinstance(widget, QSplitter | QHeaderView):
            return False
        restored = bool(widget.restoreState(state))
        if restored and isinstance(widget, QHeaderView):
            auto = str(self._settings.value(f"{key}.auto", "false")).lower() == "true"
            widget.setProperty(AUTO_SIZED, auto)
        return restored

    @staticmethod
    def _tracked(root: QWidget) -> list[QWidget]:
        found: list[QWidget] = [*root.findChildren(QSplitter), *root.findChildren(QHeaderView)]
        return [w for w in found if _key(w) is not None]

    def _bytes(self, key: str) -> QByteArray | None:
        value = self._settings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def _int(self, key: str) -> int:
        value = self._settings.value(key, 0)
        try:
            return int(str(value))
        except ValueError:
            return 0
