"""Light and dark palettes that follow the operating system.

Qt 6.5+ reports the OS colour scheme in ``QStyleHints.colorScheme`` and announces changes. Where
the platform style already paints the scheme (macOS, Windows 11, most Linux desktops) its palette
is kept; otherwise the app switches to Fusion with a palette of its own.
``APP_PROFILES_COLOR_SCHEME`` (``light`` or ``dark``) overrides the OS, for users who want it
and for screenshots.
"""

from __future__ import annotations

import os
from enum import StrEnum

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

SCHEME_ENV = "APP_PROFILES_COLOR_SCHEME"

_Role = QPalette.ColorRole
_Group = QPalette.ColorGroup


class Scheme(StrEnum):
    LIGHT = "light"
    DARK = "dark"


def is_dark(palette: QPalette) -> bool:
    """Whether *palette* paints light text on a dark window."""
    return palette.color(_Role.Window).lightness() < 128


def detect_scheme(app: QApplication) -> Scheme:
    """The scheme to use: the environment override, else the OS, else the palette's own."""
    wanted = os.environ.get(SCHEME_ENV, "").strip().lower()
    if wanted in (Scheme.LIGHT, Scheme.DARK):
        return Scheme(wanted)
    reported = app.styleHints().colorScheme()
    if reported == Qt.ColorScheme.Dark:
        return Scheme.DARK
    if reported == Qt.ColorScheme.Light:
        return Scheme.LIGHT
    return Scheme.DARK if is_dark(app.palette()) else Scheme.LIGHT


def _palette(colors: dict[QPalette.ColorRole, str], disabled: str) -> QPalette:
    palette = QPalette()
    for role, value in colors.items():
        palette.setColor(role, QColor(value))
    for role in (_Role.WindowText, _Role.Text, _Role.ButtonText, _Role.HighlightedText):
        palette.setColor(_Group.Disabled, role, QColor(disabled))
    return palette


def dark_palette() -> QPalette:
    """A Fusion palette for dark mode; contrast of text on base is above 12:1."""
    return _palette(
        {
            _Role.Window: "#2b2b2e",
            _Role.WindowText: "#e6e6e6",
            _Role.Base: "#1f1f22",
            _Role.AlternateBase: "#27272b",
            _Role.ToolTipBase: "#3a3a3f",
            _Role.ToolTipText: "#f0f0f0",
            _Role.PlaceholderText: "#9a9aa0",
            _Role.Text: "#e6e6e6",
            _Role.Button: "#35353a",
            _Role.ButtonText: "#e6e6e6",
            _Role.BrightText: "#ff6b6b",
            _Role.Light: "#4a4a50",
            _Role.Midlight: "#3e3e44",
            _Role.Mid: "#2f2f33",
            _Role.Dark: "#18181a",
            _Role.Shadow: "#0c0c0d",
            _Role.Highlight: "#2f7de1",
            _Role.HighlightedText: "#ffffff",
            _Role.Link: "#78b6ff",
            _Role.LinkVisited: "#b79cff",
        },
        disabled="#7c7c82",
    )


def light_palette() -> QPalette:
    """Fusion's light palette, spelt out so it does not follow a dark OS by accident."""
    return _palette(
        {
            _Role.Window: "#efefef",
            _Role.WindowText: "#1a1a1a",
            _Role.Base: "#ffffff",
            _Role.AlternateBase: "#f5f5f5",
            _Role.ToolTipBase: "#ffffdc",
            _Role.ToolTipText: "#000000",
            _Role.PlaceholderText: "#767676",
            _Role.Text: "#1a1a1a",
            _Role.Button: "#efefef",
            _Role.ButtonText: "#1a1a1a",
            _Role.BrightText: "#ffffff",
            _Role.Light: "#ffffff",
            _Role.Midlight: "#cacaca",
            _Role.Mid: "#b8b8b8",
            _Role.Dark: "#9f9f9f",
            _Role.Shadow: "#767676",
            _Role.Highlight: "#2f7de1",
            _Role.HighlightedText: "#ffffff",
            _Role.Link: "#0b57d0",
            _Role.LinkVisited: "#6f42c1",
        },
        disabled="#8a8a8a",
    )


def palette_for(scheme: Scheme, platform: QPalette) -> QPalette | None:
    """Our palette for *scheme*, or None when the *platform* palette already matches it."""
    if is_dark(platform) == (scheme is Scheme.DARK):
        return None
    return dark_palette() if scheme is Scheme.DARK else light_palette()


class ThemeFollower(QObject):
    """Applies the scheme at start and again whenever the OS switches between light and dark."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app
        # The platform's own style, read when the app first replaces it: reading it at start
        # builds PySide's QStyle class with all its enums (about 5 ms) for nothing.
        self._native_style: str | None = None
        self._proxied = False  # the style is our VisibleIndicators proxy over Fusion
        self.scheme = self.apply()
        app.styleHints().colorSchemeChanged.connect(self._on_scheme_changed)

    def apply(self, scheme: Scheme | None = None) -> Scheme:
        """Apply *scheme* (default: :func:`detect_scheme`) and return it."""
        app = self._app
        wanted = scheme or detect_scheme(app)
        native = self._native_style
        if native is not None and (self._proxied or app.style().name().lower() != native.lower()):
            app.setStyle(native)
            self._proxied = False
        app.setPalette(QPalette())  # an empty palette resets to the platform's own
        ours = palette_for(wanted, app.palette())
        if ours is not None:
            if native is None:
                self._native_style = app.style().name()
            # Some native styles (the classic Windows one) ignore a dark palette; Fusion does not.
            if wanted is Scheme.DARK:
                from desktop.ui.dark_style import VisibleIndicators  # only in dark mode

                app.setStyle(VisibleIndicators())
                self._proxied = True
            else:
                app.setStyle("Fusion")
            app.setPalette(ours)
        self.scheme = wanted
        return wanted

    @Slot(Qt.ColorScheme)
    def _on_scheme_changed(self, _scheme: Qt.ColorScheme) -> None:
        self.apply()
