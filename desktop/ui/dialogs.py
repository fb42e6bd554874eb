"""One place that shows message boxes, so tests replace one object instead of patching Qt.

``QMessageBox`` is imported where a box is shown: making its Python type (and its enums) costs
about a millisecond, and the start-up path builds a ``UserDialogs`` without showing anything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from desktop.core.settings_hint import SettingTarget

from desktop.core.errors import UserError


class UserDialogs:
    """Shows errors, warnings and confirmations. Tests substitute a recording fake."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._parent = parent
        #: Opens Settings at a field; an error saying "Set it in Settings" offers it.
        self.open_settings: Callable[[SettingTarget], Any] | None = None

    def set_parent(self, parent: QWidget) -> None:
        self._parent = parent

    def error(self, title: str, error: UserError | str) -> None:
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self._parent)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(title)
        if isinstance(error, UserError):
            box.setText(error.message)
            if error.remedy:
                box.setInformativeText(error.remedy)
            if error.detail:
                box.setDetailedText(error.detail)
        else:
            box.setText(error)
        target = self.settings_target(error)
        settings = None
        if target is not None:
            settings = box.addButton("Open Settings", QMessageBox.ButtonRole.ActionRole)
            box.addButton(QMessageBox.StandardButton.Close)
        box.exec()
        if target is not None and self.open_settings and box.clickedButton() is settings:
            self.open_settings(target)

    def settings_target(self, error: UserError | str) -> SettingTarget | None:
        """The Settings field *error* asks to set, when Settings can be opened from here."""
        if self.open_settings is None:
            return None
        from desktop.core.settings_hint import settings_target

        text = f"{error.message} {error.remedy}" if isinstance(error, UserError) else error
        return settings_target(text)

    def info(self, title: str, text: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.information(self._parent, title, text)

    def confirm_with_ticket(
        self, title: str, text: str, *, details: str = "", action: str = "OK"
    ) -> str | None:
        """:meth:`confirm` with an optional ticket number field (kept with the team database's
        audit rows). Returns the ticket ("" for none), or None when not confirmed (or the
        ticket number was refused, which is said)."""
        from desktop.core.team.tickets import check_ticket

        from desktop.ui.team_ticket import TicketConfirm

        box = TicketConfirm(title, text, details, action, self._parent)
        if box.exec() != TicketConfirm.DialogCode.Accepted:
            return None
        try:
            return check_ticket(box.ticket.text())
        except UserError as exc:
            self.error(title, exc)
            return None

    def confirm(self, title: str, text: str, *, details: str = "", action: str = "OK") -> bool:
        """Ask before a destructive step. The safe button is the default."""
        from PySide6.QtWidgets import QMessageBox

        box = QMessageBox(self._parent)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        if details:
            box.setInformativeText(details)
        ok = box.addButton(action, QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is ok
