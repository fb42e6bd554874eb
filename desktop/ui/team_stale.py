"""The prompt for a stale edit: a colleague changed what the technician was editing since it
was opened ("Contoso was changed by Bob at 14:02", in this computer's time). Reload shows
their change (nothing of ours is saved); Overwrite saves ours over theirs."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QMessageBox, QWidget

from desktop.core.errors import StaleEditError, UserError


class StaleChoice(Enum):
    RELOAD = "reload"
    OVERWRITE = "overwrite"


def is_stale_edit(error: object) -> bool:
    """Whether *error* refused an edit because someone else changed the item meanwhile."""
    return isinstance(error, StaleEditError)


def ask_stale(
    parent: QWidget | None, error: UserError, overwrite_with: str, *, informative: str = ""
) -> StaleChoice:
    """Ask whether to reload or overwrite (Reload is the default: nothing is lost by it).

    *informative* replaces the sentence that says what each choice does (e.g. for notes,
    too long to quote)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Changed by someone else")
    box.setText(error.message)
    box.setInformativeText(
        informative
        or f"Reload to see their change (yours is not saved), or overwrite it with "
        f"“{overwrite_with}”."
    )
    reload = box.addButton("&Reload", QMessageBox.ButtonRole.RejectRole)
    box.addButton("&Overwrite", QMessageBox.ButtonRole.DestructiveRole)
    box.setDefaultButton(reload)
    box.setEscapeButton(reload)
    box.exec()
    clicked = box.clickedButton()
    return StaleChoice.RELOAD if clicked is None or clicked is reload else StaleChoice.OVERWRITE
