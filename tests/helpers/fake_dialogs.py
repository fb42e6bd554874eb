"""A :class:`UserDialogs` stand-in that records what would have been shown."""

from __future__ import annotations

from desktop.core.errors import UserError

from desktop.ui.dialogs import UserDialogs


class RecordingDialogs(UserDialogs):
    """Records errors and infos; answers confirmations with ``confirm_answer``."""

    def __init__(self, confirm_answer: bool = False) -> None:
        super().__init__()
        self.errors: list[tuple[str, UserError | str]] = []
        self.infos: list[tuple[str, str]] = []
        self.confirms: list[tuple[str, str]] = []
        self.confirm_answer = confirm_answer

    def error(self, title: str, error: UserError | str) -> None:
        self.errors.append((title, error))

    def info(self, title: str, text: str) -> None:
        self.infos.append((title, text))

    def confirm(self, title: str, text: str, *, details: str = "", action: str = "OK") -> bool:
        self.confirms.append((title, text))
        return self.confirm_answer
