"""SVG icons from ``desktop/resources/icons``, sharp at any device pixel ratio.

``icon("app")`` is the application icon; ``status_icon(Status.VALID)`` (or
``icon("status-valid")``) the status icons a table shows. Icons are cached per name.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QIcon

if TYPE_CHECKING:
    from desktop.core.domain import Status

from desktop.resources import FOLDER

ICON_FOLDER = FOLDER / "icons"


def icon_path(name: str) -> Path:
    """The file behind *name* (``"app"`` → ``.../icons/app.svg``). Raises when it is missing."""
    path = ICON_FOLDER / f"{name}.svg"
    if not path.is_file():
        raise FileNotFoundError(f"No icon named {name!r} in {path.parent}")
    return path


def icon_names() -> list[str]:
    """Every icon that ships, by name."""
    return sorted(p.stem for p in ICON_FOLDER.glob("*.svg"))


@cache
def icon(name: str) -> QIcon:
    """The icon called *name*; QIcon renders the SVG at whatever size and scale is asked."""
    return QIcon(str(icon_path(name)))


def status_icon(status: Status | str) -> QIcon:
    """The icon for a profile status (Valid, Expired, Invalid, Unknown)."""
    value = str(getattr(status, "value", status))  # no domain import on the start path
    return icon(f"status-{value.lower()}")


def broken_icons(names: list[str] | None = None) -> list[str]:
    """Icons that do not render (a bundle without the SVG plugins shows up here)."""
    broken = []
    for name in icon_names() if names is None else names:
        image = icon(name).pixmap(32, 32).toImage()
        if image.isNull() or image.pixelColor(16, 16).alpha() == 0:
            broken.append(name)
    return broken
