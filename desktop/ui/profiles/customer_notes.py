"""A customer's notes, saved as they are typed (never lost on Close or on another selection).

Each save says which version of the customer it was typed on, so a colleague's notes saved
meanwhile are not overwritten silently: the technician chooses Reload (theirs are shown, and
what was typed is set aside under the box, to put back) or Overwrite (ours win).
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from desktop.controllers.inventory import CustomersSnapshot, InventoryController
from desktop.controllers.tasks import Task
from desktop.core.domain import Customer
from desktop.core.errors import StaleEditError, UserError

from desktop.ui.team_stale import StaleChoice, ask_stale

#: How long typing pauses before the notes are written.
SAVE_AFTER_MS = 600

IDLE = "Saved as you type."
SAVING = "Saving…"
SAVED = "Saved."
RELOADING = "Reloading their notes…"
RELOADED = "Reloaded: the box shows your colleague's notes. Yours are below, not saved."
STALE_CHOICES = (
    "Reload to see their notes (what you typed is kept below the box, to put back), "
    "or overwrite their notes with yours."
)


class NotesEditor(QWidget):
    """The notes box of the customer dialog: one save at a time, through the controller.

    Typing restarts a short timer; when it runs out the text is saved off the GUI thread.
    Text typed while a save runs is saved right after it, so the last words always reach the
    store. :meth:`flush` saves at once (before Close, or when another customer is chosen).

    Signals:
        saved(str, str): the notes of a customer (name, text) reached the store.
        stored(object): the customer as stored after a save (with its new version).
        settled(bool): nothing is left to save (True), or the last save failed or was set
            aside after a colleague's change (False).

    Attributes:
        customer: the name of the customer whose notes are shown, or "" for none.
        customer_id: that customer's id, or None.
        version: the customer's version the box's text was typed on (None: not known; a
            save then overwrites whatever is stored).
        error: why the last save failed, or None.
        set_aside: what the technician typed before reloading a colleague's notes ("" for
            nothing): shown under the box until put back or discarded.
    """

    saved = Signal(str, str)
    stored = Signal(object)
    settled = Signal(bool)

    def __init__(self, controller: InventoryController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.customer = ""
        self.customer_id: int | None = None
        self.version: int | None = None
        self.error: UserError | None = None
        self.set_aside = ""
        self._dirty = False
        self._saving: Task[Any] | None = None
        self._reloading: Task[Any] | None = None
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
        layout.addWidget(self._build_aside())
        self.aside.hide()

    def _build_aside(self) -> QWidget:
        """What the technician typed, set aside by a reload: read-only, to put back."""
        self.aside = QWidget(self)
        self.aside.setObjectName("NotesSetAside")
        label = QLabel("Your notes, not saved:", self.aside)
        self.aside_text = QPlainTextEdit(self.aside)
        self.aside_text.setReadOnly(True)
        self.aside_text.setAccessibleName("Your notes, not saved")
        self.aside_text.setTabChangesFocus(True)
        self.aside_text.setMaximumHeight(70)
        self.put_back_button = QPushButton("&Use my notes", self.aside)
        self.put_back_button.setToolTip("Replace the notes in the box with yours and save them")
        self.put_back_button.clicked.connect(self.put_back)
        self.discard_button = QPushButton("Discard mine", self.aside)
        self.discard_button.clicked.connect(self.discard_set_aside)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.put_back_button)
        buttons.addWidget(self.discard_button)
        layout = QVBoxLayout(self.aside)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.aside_text)
        layout.addLayout(buttons)
        return self.aside

    @property
    def pending(self) -> bool:
        """Whether typed text has not reached the store yet (waiting, saving, or failed)."""
        return self._dirty or self._saving is not None or self._reloading is not None

    def show_customer(
        self,
        name: str,
        notes: str,
        *,
        customer_id: int | None = None,
        version: int | None = None,
    ) -> None:
        """Show *name*'s notes, typed on *version*; the previous customer's unsaved text is
        saved first.

        The same customer again (a reload, perhaps under a new name after a rename) keeps
        what is in the box while it is still to be saved: it is newer than what the store
        sent. Otherwise the store's notes (a colleague's, live) and version are taken.
        """
        same = customer_id is not None and customer_id == self.customer_id
        if name and (name == self.customer or same):
            self.customer = name  # saves go to its name now
            if not self.pending:
                self._take(notes, version)
            return
        self.flush()
        self.customer = name
        self.customer_id = customer_id
        self._take(notes, version, always=True)
        self.error = None
        self.state.setText(IDLE)
        self._set_aside("")

    def _take(self, notes: str, version: int | None, *, always: bool = False) -> None:
        """Show the store's *notes* at *version* (the box's text is saved: nothing is lost)."""
        self.version = version
        if always or notes.strip() != self.edit.toPlainText().strip():
            self.edit.blockSignals(True)  # showing notes is not typing them
            self.edit.setPlainText(notes)
            self.edit.blockSignals(False)
        self._dirty = False

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
        task = self.controller.set_notes(name, text, expected_version=self.version)
        self._saving = task
        task.on_success(lambda customer: self._stored(name, text, customer))
        task.on_failure(self._failed)
        task.finished.connect(lambda: self._ended(task, text))

    def _stored(self, name: str, text: str, customer: Customer) -> None:
        if customer.id is not None and customer.id == self.customer_id:
            self.version = customer.version  # the next save is typed on this one
        self.saved.emit(name, text)
        self.stored.emit(customer)

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

    def _ended(self, task: Task[Any], text: str) -> None:
        if task is not self._saving:
            return
        self._saving = None
        if isinstance(self.error, StaleEditError) and self.isVisible():
            self._resolve_stale(self.error)
        elif self.error is not None:
            self.state.setText(f"Not saved: {self.error.one_line()}")
            self.settled.emit(False)
        elif self._dirty:
            self.flush()
        else:
            self.state.setText(SAVED)
            self.settled.emit(True)

    def _resolve_stale(self, error: StaleEditError) -> None:
        """A colleague saved this customer since the box was filled: Reload or Overwrite."""
        choice = ask_stale(self.window(), error, "", informative=STALE_CHOICES)
        self.error = None
        if choice is StaleChoice.OVERWRITE:
            self.version = None  # ours over whatever is stored now
            self._dirty = True
            self.flush()
            return
        self._dirty = False
        self._set_aside(self.edit.toPlainText())
        self.state.setText(RELOADING)
        self.edit.setReadOnly(True)  # their notes replace the box's text in a moment
        task = self.controller.load_customers()
        self._reloading = task
        task.on_success(self._reloaded)
        task.on_failure(self._reload_failed)
        task.finished.connect(lambda: self._reload_ended(task))

    def _reloaded(self, snapshot: CustomersSnapshot) -> None:
        found = next((c for c in snapshot.customers if c.id == self.customer_id), None)
        if found is None:
            self.state.setText("This customer was removed by someone else meanwhile.")
            return
        self.customer = found.name  # a colleague may have renamed it too
        self._take(found.notes, found.version, always=True)
        self.state.setText(RELOADED)

    def _reload_failed(self, error: UserError) -> None:
        self.state.setText(f"Not reloaded: {error.one_line()} Your notes are below.")

    def _reload_ended(self, task: Task[Any]) -> None:
        if task is self._reloading:
            self._reloading = None
            self.edit.setReadOnly(False)
            self.settled.emit(False)  # ours are set aside, not saved

    def _set_aside(self, text: str) -> None:
        self.set_aside = text
        self.aside_text.setPlainText(text)
        self.aside.setVisible(bool(text))

    @Slot()
    def put_back(self) -> None:
        """Put the set-aside notes back in the box, over the colleague's, and save them."""
        text = self.set_aside
        self._set_aside("")
        if text:
            self.edit.setPlainText(text)  # typed again, on the reloaded version
            self.flush()

    @Slot()
    def discard_set_aside(self) -> None:
        """Keep the colleague's notes; drop what was set aside."""
        self._set_aside("")
        self.state.setText(IDLE)
