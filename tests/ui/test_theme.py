"""Light and dark palettes follow the OS, or the APP_PROFILES_COLOR_SCHEME override."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QCheckBox, QRadioButton, QStyle, QWidget

from desktop.ui.dark_style import VisibleIndicators
from desktop.ui.theme import (
    SCHEME_ENV,
    Scheme,
    ThemeFollower,
    dark_palette,
    detect_scheme,
    is_dark,
    light_palette,
    palette_for,
)


@pytest.fixture
def app(qapp: QApplication) -> Iterator[QApplication]:
    style, palette = qapp.style().name() or "Fusion", qapp.palette()
    yield qapp
    qapp.setStyle(style)
    qapp.setPalette(palette)


def _contrast(palette: QPalette, fg: QPalette.ColorRole, bg: QPalette.ColorRole) -> float:
    def lum(role: QPalette.ColorRole) -> float:
        c = palette.color(role)
        parts = []
        for v in (c.redF(), c.greenF(), c.blueF()):
            parts.append(v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4)
        return 0.2126 * parts[0] + 0.7152 * parts[1] + 0.0722 * parts[2]

    hi, lo = sorted((lum(fg), lum(bg)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_palettes_are_what_they_say_and_readable() -> None:
    role = QPalette.ColorRole
    assert is_dark(dark_palette()) and not is_dark(light_palette())
    for palette in (dark_palette(), light_palette()):
        assert _contrast(palette, role.Text, role.Base) >= 7  # WCAG AAA for body text
        assert _contrast(palette, role.WindowText, role.Window) >= 7
        assert _contrast(palette, role.HighlightedText, role.Highlight) >= 3


def test_palette_for_keeps_a_platform_palette_that_matches() -> None:
    assert palette_for(Scheme.DARK, dark_palette()) is None
    assert palette_for(Scheme.LIGHT, light_palette()) is None
    dark = palette_for(Scheme.DARK, light_palette())
    assert dark is not None and is_dark(dark)
    light = palette_for(Scheme.LIGHT, dark_palette())
    assert light is not None and not is_dark(light)


def test_environment_overrides_the_os(app: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(SCHEME_ENV, "dark")
    assert detect_scheme(app) is Scheme.DARK
    monkeypatch.setenv(SCHEME_ENV, "LIGHT")
    assert detect_scheme(app) is Scheme.LIGHT


def test_os_scheme_is_followed(app: QApplication, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(SCHEME_ENV, raising=False)
    hints = app.styleHints()
    monkeypatch.setattr(type(hints), "colorScheme", lambda _self: Qt.ColorScheme.Dark)
    assert detect_scheme(app) is Scheme.DARK
    monkeypatch.setattr(type(hints), "colorScheme", lambda _self: Qt.ColorScheme.Light)
    assert detect_scheme(app) is Scheme.LIGHT


def test_follower_applies_and_switches(
    qtbot: QtBot, app: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SCHEME_ENV, "dark")
    follower = ThemeFollower(app)
    assert follower.scheme is Scheme.DARK
    assert is_dark(app.palette())
    assert isinstance(app.style(), VisibleIndicators)  # Fusion, outlining check boxes
    assert app.style().baseStyle().name().lower() == "fusion"
    # The OS switching to light arrives as colorSchemeChanged; the follower re-applies.
    monkeypatch.setenv(SCHEME_ENV, "light")
    app.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert follower.scheme is Scheme.LIGHT
    assert not is_dark(app.palette())


def _indicator_contrast(widget: QWidget) -> int:
    """The largest lightness difference between the indicator's pixels and the window."""
    widget.resize(widget.sizeHint())
    image = widget.grab().toImage()
    background = widget.palette().color(QPalette.ColorRole.Window).lightness()
    size = widget.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + 4
    return max(
        abs(image.pixelColor(x, y).lightness() - background)
        for x in range(min(size, image.width()))
        for y in range(image.height())
    )


def test_unchecked_boxes_and_radio_buttons_show_in_dark_mode(
    qtbot: QtBot, app: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SCHEME_ENV, "dark")
    follower = ThemeFollower(app)
    for widget in (QCheckBox("Unchecked"), QRadioButton("Unchecked")):
        qtbot.addWidget(widget)
        assert not widget.isChecked()
        assert _indicator_contrast(widget) >= 60, type(widget).__name__
    # Light mode is Fusion as it was, and switching back leaves no dark-mode style behind.
    follower.apply(Scheme.LIGHT)
    assert app.style().name().lower() == "fusion"
    box = QCheckBox("Unchecked")
    qtbot.addWidget(box)
    assert _indicator_contrast(box) >= 40
