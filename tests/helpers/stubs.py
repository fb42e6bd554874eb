"""Stand-ins for what a test cannot drive: native file dialogs."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


class FakeFilePicker:
    """Answers file dialogs from prepared values and records what was asked."""

    def __init__(self, pfx: str | None = None, folder: str | None = None) -> None:
        self.pfx = pfx
        self.folder = folder
        self.asked: list[tuple[str, str]] = []

    def open_pfx(self, parent: QWidget | None, start: str = "") -> str | None:
        self.asked.append(("open_pfx", start))
        return self.pfx

    def choose_folder(self, parent: QWidget | None, start: str = "") -> str | None:
        self.asked.append(("choose_folder", start))
        return self.folder
