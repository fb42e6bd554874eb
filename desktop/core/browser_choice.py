"""The browser chosen in Settings: registered with Python's ``webbrowser`` as the first choice,
so every sign-in and consent (which open the system browser through it) uses that program."""

from __future__ import annotations

import subprocess
import threading
import webbrowser

_NAME = "app-profiles-settings-browser"


class _ChosenBrowser(webbrowser.BaseBrowser):
    """Opens a URL with the program chosen in Settings; with none, declines, and
    ``webbrowser`` goes on to the system default."""

    program = ""

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        if not self.program:
            return False
        try:
            process = subprocess.Popen([self.program, url], close_fds=True, start_new_session=True)
        except OSError:
            return False  # the system default then opens it
        # Reap it when it exits (a browser may run for hours), so no zombie is left.
        threading.Thread(target=process.wait, name="browser-reaper", daemon=True).start()
        return True


_CHOSEN = _ChosenBrowser(_NAME)
_registered = False


def use_browser(program: str) -> None:
    """Open URLs with *program* from now on; "" means the system default."""
    global _registered
    _CHOSEN.program = program
    if program and not _registered:
        webbrowser.register(_NAME, None, _CHOSEN, preferred=True)
        _registered = True


def chosen_browser() -> str:
    """The program URLs open with, or "" for the system default."""
    return _CHOSEN.program
