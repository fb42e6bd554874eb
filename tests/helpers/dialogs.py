"""The one recording stand-in for :class:`desktop.ui.dialogs.UserDialogs` (no modal boxes in
tests): what would have been shown, in one line each and as it was passed."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.core.errors import UserError


@dataclass
class FakeDialogs:
    """Records what would have been shown; ``answer`` is what every confirm returns.

    ``errors``, ``infos`` and ``confirms`` hold the text a technician would read (an error as
    its one line); ``shown_errors`` keeps each error's title and the error as it was passed.
    """

    answer: bool = True
    #: What a confirm that asks for a ticket number gets typed into its field.
    ticket: str = ""
    errors: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    confirms: list[tuple[str, str]] = field(default_factory=list)
    shown_errors: list[tuple[str, UserError | str]] = field(default_factory=list)

    def set_parent(self, parent: object) -> None:
        pass

    def error(self, title: str, error: UserError | str) -> None:
        self.shown_errors.append((title, error))
        self.errors.append(error.one_line() if isinstance(error, UserError) else error)

    def info(self, title: str, text: str) -> None:
        self.infos.append(text)

    def confirm(self, title: str, text: str, *, details: str = "", action: str = "OK") -> bool:
        self.confirms.append((text, details))
        return self.answer

    def confirm_with_ticket(
        self, title: str, text: str, *, details: str = "", action: str = "OK"
    ) -> str | None:
        self.confirms.append((text, details))
        return self.ticket.strip() if self.answer else None
