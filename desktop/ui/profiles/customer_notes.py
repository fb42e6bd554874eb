"""A customer's notes, saved as they are typed (never lost on Close or on another selection)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from desktop.controllers.inventory import InventoryController
from desktop.controllers.tasks import Task
from desktop.core.errors import UserError

#: How long typing pauses before the notes are written.
SAVE_AFTER_MS = 600

IDLE = "Saved as you type."
SAVING = "Saving…"
SAVED = "Saved."


class NotesEditor(QWidget):
    """The notes box of the customer dialog: one save at a time, through the controller.

    Typing restarts a short timer; when it runs out the text is saved off the GUI thread.
    Text typed while a save runs is saved right after it, so the last words always reach the
    store. :meth:`flush` saves at once (before Close, or when another customer is chosen).

    Signals:
        saved(str, str): the notes of a customer (name, text) reached the store.
        settled(bool): nothing is left to save (True), or the last save failed (False).

    Attributes:
        customer: the name of the customer whose notes are shown, or "" for none.
        error: why the last save failed, or None.
    """

    saved = Signal(str, str)
    settled = Signal(bool)

    def __init__(self, controller: InventoryController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.customer = ""
        self.error: UserError | None = None
        self._dirty = False
        self._saving: Task[Any] | None = None
        self.edit = QPlainTextEdit(self)
        self.edit.setAccessibleName("Notes")
        self.edit.setPlaceholderText("Contract, contacts, anything the next technician needs")
        self.edit.setTabChangesFocus(True)  # Tab leaves the box, as in every other field
        self.edit.textChanged.connect(self._typed)
        self.state = QLabel(IDLE, self)
        self.state.setObjectName("NotesState")
        self.state.setWordWrap(True)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SAVE_AFTER_MS)
        self._timer.timeout.connect(self.flush)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.state)

    @property
    def pending(self) -> bool:
        """Whether typed text has not reached the store yet (waiting, saving, or failed)."""
        return self._dirty or self._saving is not None

    def show_customer(self, name: str, notes: str) -> None:
        """Show *name*'s notes; the previous customer's unsaved text is saved first.

        The same customer again (a reload after a save) keeps what is in the box: it is
        newer than what the store sent.
        """
        if name and name == self.customer:
            return
        self.flush()
        self.customer = name
        self.edit.blockSignals(True)  # showing notes is not typing them
        self.edit.setPlainText(notes)
        self.edit.blockSignals(False)
        self._dirty = False
        self.error = None
        self.state.setText(IDLE)

    def rename(self, new: str) -> None:
        """The shown customer is now called *new* (saves go to that name)."""
        self.customer = new

    @Slot()
    def flush(self) -> None:
        """Save what is typed now, unless a save is running (then right after it)."""
        self._timer.stop()
        if not self._dirty or self._saving is not None or not self.customer:
            return
        self._dirty = False
        self.error = None
        self.state.setText(SAVING)
        name, text = self.customer, self.edit.toPlainText()
        task = self.controller.set_notes(name, text)
        self._saving = task
        task.on_success(lambda _done: self.saved.emit(name, text))
        task.on_failure(self._failed)
        task.finished.connect(lambda: self._ended(task))

    @Slot()
    def _typed(self) -> None:
        if not self.customer:
            return
        self._dirty = True
        self._timer.start()

    @Slot(object)
    def _failed(self, error: UserError) -> None:
        self.error = error
        self._dirty = True  # still to save: Close asks, typing tries again

    def _ended(self, task: Task[Any]) -> None:
        if task is not self._saving:
            return
        self._saving = None
        if self.error is not None:
            self.state.setText(f"Not saved: {self.error.one_line()}")
            self.settled.emit(False)
        elif self._dirty:
            self.flush()
        else:
            self.state.setText(SAVED)
            self.settled.emit(True)
