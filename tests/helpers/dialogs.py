"""A recording stand-in for :class:`desktop.ui.dialogs.UserDialogs` (no modal boxes in tests)."""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.core.errors import UserError


@dataclass
class FakeDialogs:
    """Records what would have been shown; ``answer`` is what every confirm returns."""

    answer: bool = True
    errors: list[str] = field(default_factory=list)
    infos: list[str] = field(default_factory=list)
    confirms: list[tuple[str, str]] = field(default_factory=list)

    def set_parent(self, parent: object) -> None:
        pass

    def error(self, title: str, error: UserError | str) -> None:
        self.errors.append(error.one_line() if isinstance(error, UserError) else error)

    def info(self, title: str, text: str) -> None:
        self.infos.append(text)

    def confirm(self, title: str, text: str, *, details: str = "", action: str = "OK") -> bool:
        self.confirms.append((text, details))
        return self.answer
