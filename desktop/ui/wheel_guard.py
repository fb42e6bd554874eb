"""The mouse wheel over a closed drop-down scrolls the page, application-wide.

Qt's QComboBox changes its choice on a wheel turn under the pointer: scrolling down a form
flipped whatever the pointer passed over (the wizard's consent page turned Administrator into
User consent). One filter on the application sends those turns to the nearest scrollable
ancestor instead; an open drop-down's list still scrolls as usual (it is another widget).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractScrollArea, QApplication, QComboBox, QWidget


class ComboWheelGuard(QObject):
    """An application event filter: wheel events meant for a QComboBox scroll its page."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QComboBox):
            return False
        assert isinstance(event, QWheelEvent)
        area = _scroll_area_around(watched)
        if area is not None:
            viewport = area.viewport()
            local = QPointF(viewport.mapFromGlobal(event.globalPosition().toPoint()))
            forwarded = QWheelEvent(
                local,
                event.globalPosition(),
                event.pixelDelta(),
                event.angleDelta(),
                event.buttons(),
                event.modifiers(),
                event.phase(),
                event.inverted(),
                event.source(),
            )
            QApplication.sendEvent(viewport, forwarded)
        event.accept()  # the drop-down keeps its choice either way
        return True


def _scroll_area_around(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            return parent
        parent = parent.parentWidget()
    return None


def install_wheel_guard(app: QApplication) -> ComboWheelGuard:
    """Install the guard on *app* (once; a second call returns the first guard)."""
    existing = app.findChild(ComboWheelGuard)
    if isinstance(existing, ComboWheelGuard):
        return existing
    guard = ComboWheelGuard(app)
    app.installEventFilter(guard)
    return guard
