"""Opening the system browser through Python's ``webbrowser`` (so ``BROWSER`` is honoured)."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable

from desktop.core.errors import UserError

#: Opens a URL in the technician's browser; raises UserError when it cannot.
BrowserOpener = Callable[[str], None]


def open_system_browser(url: str) -> None:
    """Open *url* in the system browser, never an embedded view."""
    try:
        opened = webbrowser.open(url, new=1, autoraise=True)
    except webbrowser.Error as exc:
        opened = False
        reason = str(exc)
    else:
        reason = ""
    if not opened:
        raise UserError(
            "The system browser could not be opened.",
            remedy=f"Open this address in a browser yourself: {url}",
            detail=reason,
        )
