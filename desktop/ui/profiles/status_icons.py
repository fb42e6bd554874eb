"""Status icons drawn in code: a distinct shape per status, so colour is never the only cue."""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap

from desktop.core.domain import Status

_COLOURS = {
    Status.VALID: "#2e7d32",
    Status.EXPIRED: "#b26a00",
    Status.INVALID: "#c62828",
    Status.UNKNOWN: "#616161",
}


def _draw(status: Status, size: int) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    colour = QColor(_COLOURS[status])
    s = float(size)
    pen = QPen(QColor("white"), s * 0.12)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    if status is Status.INVALID:  # an octagon-ish stop sign with a cross
        path = QPainterPath()
        k = s * 0.29
        points = [(k, 0), (s - k, 0), (s, k), (s, s - k), (s - k, s), (k, s), (0, s - k), (0, k)]
        path.moveTo(*points[0])
        for x, y in points[1:]:
            path.lineTo(x, y)
        path.closeSubpath()
        painter.drawPath(path)
        painter.setPen(pen)
        painter.drawLine(QPointF(s * 0.32, s * 0.32), QPointF(s * 0.68, s * 0.68))
        painter.drawLine(QPointF(s * 0.68, s * 0.32), QPointF(s * 0.32, s * 0.68))
    elif status is Status.EXPIRED:  # a clock
        painter.drawEllipse(QRectF(0.5, 0.5, s - 1, s - 1))
        painter.setPen(pen)
        painter.drawLine(QPointF(s / 2, s / 2), QPointF(s / 2, s * 0.22))
        painter.drawLine(QPointF(s / 2, s / 2), QPointF(s * 0.72, s * 0.6))
    elif status is Status.VALID:  # a tick
        painter.drawEllipse(QRectF(0.5, 0.5, s - 1, s - 1))
        painter.setPen(pen)
        painter.drawLine(QPointF(s * 0.27, s * 0.52), QPointF(s * 0.43, s * 0.68))
        painter.drawLine(QPointF(s * 0.43, s * 0.68), QPointF(s * 0.73, s * 0.34))
    else:  # a question mark in a rounded square
        painter.drawRoundedRect(QRectF(0.5, 0.5, s - 1, s - 1), s * 0.2, s * 0.2)
        painter.setPen(QColor("white"))
        font = painter.font()
        font.setBold(True)
        font.setPixelSize(int(s * 0.75))
        painter.setFont(font)
        painter.drawText(QRectF(0, 0, s, s), Qt.AlignmentFlag.AlignCenter, "?")
    painter.end()
    return pixmap


@cache
def status_icon(status: Status) -> QIcon:
    """The icon of *status* (needs a running QGuiApplication)."""
    icon = QIcon()
    for size in (16, 24, 32):
        icon.addPixmap(_draw(status, size))
    return icon


def status_colour(status: Status) -> QColor:
    return QColor(_COLOURS[status])
