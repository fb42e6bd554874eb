"""SVG icons: every status has one, and each renders sharply at any scale."""

from __future__ import annotations

import pytest

from PySide6.QtCore import QSize

from desktop.core.domain import Status

from desktop.ui.icons import broken_icons, icon, icon_names, icon_path, status_icon


def test_every_status_has_an_icon() -> None:
    for status in Status:
        assert f"status-{status.value.lower()}" in icon_names()
        assert not status_icon(status).isNull()


@pytest.mark.usefixtures("qapp")
def test_icons_render_at_high_dpi() -> None:
    assert broken_icons() == []
    pixmap = icon("app").pixmap(QSize(64, 64), 2.0)
    assert pixmap.devicePixelRatio() == 2.0
    assert pixmap.width() == 128  # rendered from the SVG at 2x, not scaled up


def test_unknown_icon_is_a_clear_error() -> None:
    with pytest.raises(FileNotFoundError, match="no-such-icon"):
        icon_path("no-such-icon")
