"""Whether the GUI has a display to open a window on, asked before Qt is started.

Without one, Qt's xcb plugin prints a page about plugins and aborts the process; a technician
who ran ``app-profiles`` over SSH or from a service gets one line saying why, instead.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence

#: Platform plugins that need a windowing system; the rest (offscreen, minimal, vnc, eglfs,
#: linuxfb) draw without one.
_NEEDS_DISPLAY = ("xcb", "wayland")

NO_DISPLAY_MESSAGE = (
    "There is no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set): "
    "run app-profiles from a desktop session, or set QT_QPA_PLATFORM=offscreen for a "
    "self-test (app-profiles --self-test); app-profiles-cli works without a display."
)


def missing_display(
    environ: Mapping[str, str], argv: Sequence[str] = (), platform: str = sys.platform
) -> str | None:
    """The line to print when *environ* gives Qt no display on this *platform*, else None.

    *argv* is the command line: Qt's own ``-platform NAME`` there chooses the plugin too.
    """
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return None  # Windows and macOS always have their own window system
    if "-platform" in argv or "--platform" in argv:
        return None  # the user picked a plugin; Qt reports its own problems with it
    wanted = environ.get("QT_QPA_PLATFORM", "").strip().lower()
    # "wayland;xcb" lists fallbacks; an empty value lets Qt pick xcb or wayland itself.
    plugins = [p.split(":", 1)[0] for p in wanted.split(";") if p]
    if plugins and not all(p.startswith(_NEEDS_DISPLAY) for p in plugins):
        return None
    if environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"):
        return None
    return NO_DISPLAY_MESSAGE
