"""Fusion for dark mode, with check boxes and radio buttons that show when unchecked.

Fusion outlines them in the window colour darkened by 140%: near black on a dark window, so an
unchecked box or radio button could not be told from the background.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QWidget

from desktop.ui.theme import is_dark

#: The colour Fusion's indicator outline is derived from here (it darkens it by 140%).
_INDICATOR_OUTLINE_SOURCE = "#c8c8d0"


class VisibleIndicators(QProxyStyle):
    """Fusion, with check boxes and radio buttons outlined so that unchecked ones show in dark
    mode (in menus and item views too: they paint the same primitive)."""

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(
        self,
        element: QStyle.PrimitiveElement,
        option: QStyleOption,
        painter: QPainter,
        widget: QWidget | None = None,
    ) -> None:
        indicator = element in (
            QStyle.PrimitiveElement.PE_IndicatorCheckBox,
            QStyle.PrimitiveElement.PE_IndicatorRadioButton,
        )
        if indicator and is_dark(option.palette):
            option = type(option)(option)  # a copy: the caller's option stays as it was
            palette = QPalette(option.palette)
            palette.setColor(QPalette.ColorRole.Window, QColor(_INDICATOR_OUTLINE_SOURCE))
            option.palette = palette
        super().drawPrimitive(element, option, painter, widget)
