"""The bar above the profile list that starts checks and shows their progress, with Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from desktop.core.domain import Status


def summary(counts: dict[Status, int], failed: int, cancelled: bool) -> str:
    """The bar's words for a finished check, e.g. "2 Invalid · 1 Expired · 40 Valid · 3 checks
    failed — status kept (cancelled)"."""
    order = (Status.INVALID, Status.EXPIRED, Status.VALID, Status.UNKNOWN)
    parts = [f"{counts[s]} {s.value}" for s in order if counts.get(s)]
    if failed:
        parts.append(f"{failed} check{'s' if failed != 1 else ''} failed — status kept")
    text = " · ".join(parts) or "Nothing checked"
    return text + (" (cancelled)" if cancelled else "")


class CheckBar(QWidget):
    """Check selected / Check all, a progress bar with the count, and Cancel.

    It only displays and forwards intent; the owner connects it to a ChecksController.

    Signals:
        check_selected(): the technician asked to check the selected profiles.
        check_all(): the technician asked to check every profile.
        cancel(): stop the running check (finished results are kept).
        fix_requested(): the technician pressed the button that fixes why checks failed.

    Attributes:
        check_selected_action, check_all_action: the two checks as actions (Ctrl+K,
            Ctrl+Shift+K), shared by the buttons, the Profiles menu and the list's menu.
        ticket: the help-desk ticket the next checks are for (team database; shown by
            :meth:`show_ticket_field`). It keeps its text from check to check, for the
            session; empty means none.
    """

    check_selected = Signal()
    check_all = Signal()
    cancel = Signal()
    fix_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CheckBar")
        self.check_selected_action = QAction("Chec&k selected", self)
        self.check_selected_action.setShortcut(QKeySequence("Ctrl+K"))
        self.check_all_action = QAction("Check &all", self)
        self.check_all_action.setShortcut(QKeySequence("Ctrl+Shift+K"))
        for action in (self.check_selected_action, self.check_all_action):
            # Window-wide, like the buttons' shortcuts were: the list need not have focus.
            self.addAction(action)
        self.selected_button = QPushButton(self.check_selected_action.text(), self)
        self.all_button = QPushButton(self.check_all_action.text(), self)
        self.fix_button = QPushButton(self)
        self.fix_button.setObjectName("CheckFixButton")
        self.fix_button.hide()
        self.progress = QProgressBar(self)
        self.progress.setObjectName("CheckProgress")
        self.progress.setAccessibleName("Check progress")
        self.progress.setTextVisible(True)
        self.progress.setMinimumWidth(220)
        self.ticket = QLineEdit(self)
        self.ticket.setObjectName("CheckTicket")
        self.ticket.setAccessibleName("Ticket number for checks")
        self.ticket.setPlaceholderText("Optional")
        self.ticket.setToolTip(
            "The help-desk ticket these checks are for, e.g. T-4711: kept with the team's "
            "audit log. It stays for the next checks; clear it for none."
        )
        self.ticket.setClearButtonEnabled(True)
        self.ticket.setMaximumWidth(self.ticket.fontMetrics().horizontalAdvance("x" * 16))
        self.ticket_label = QLabel("T&icket:", self)
        self.ticket_label.setBuddy(self.ticket)
        self.cancel_button = QPushButton("&Cancel check", self)
        self.cancel_button.setToolTip(
            "Stop starting new checks; checks already running finish and are kept"
        )
        self.summary = QLabel(self)
        self.summary.setObjectName("CheckSummary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # A cause and its fix can be long: it wraps rather than widen the window.
        self.summary.setWordWrap(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (
            self.selected_button,
            self.all_button,
            self.ticket_label,
            self.ticket,
            self.progress,
            self.cancel_button,
        ):
            layout.addWidget(widget)
        layout.addWidget(self.summary, 1)
        layout.addWidget(self.fix_button)
        self.check_selected_action.triggered.connect(self.check_selected)
        self.check_all_action.triggered.connect(self.check_all)
        self.selected_button.clicked.connect(self.check_selected_action.trigger)
        self.all_button.clicked.connect(self.check_all_action.trigger)
        self.fix_button.clicked.connect(self.fix_requested)
        self.cancel_button.clicked.connect(self._on_cancel)
        self._selection = 0
        #: How many profiles there are to check; None when the owner does not say.
        self._profiles: int | None = None
        self.show_ticket_field(False)
        self.set_running(False)

    def show_ticket_field(self, shown: bool) -> None:
        """Offer the Ticket field (the team database keeps tickets; the local store none)."""
        self.ticket_label.setVisible(shown)
        self.ticket.setVisible(shown)

    def ticket_text(self) -> str:
        """The typed ticket ("" when none, or when the field is not offered)."""
        return self.ticket.text().strip() if self.ticket.isVisibleTo(self) else ""

    def set_selection_count(self, count: int) -> None:
        """How many profiles are selected and shown (a filter may hide selected ones)."""
        self._selection = count
        self._enable_buttons()

    def set_profile_count(self, count: int) -> None:
        """How many profiles the list holds: with none, there is nothing to check."""
        self._profiles = count
        self._enable_buttons()

    def _enable_buttons(self) -> None:
        idle = not self._running
        none_yet = self._profiles == 0
        selected, every = self.check_selected_action, self.check_all_action
        selected.setEnabled(idle and self._selection > 0)
        every.setEnabled(idle and not none_yet)
        if not idle:
            _tip(selected, "A check is running")
            _tip(every, "A check is running")
        else:
            _tip(
                selected,
                "Check the selected app profiles now"
                if self._selection
                else "Select the app profiles to check",
            )
            _tip(
                every,
                "There are no app profiles to check yet"
                if none_yet
                else "Check every app profile now",
            )
        for button, action in ((self.selected_button, selected), (self.all_button, every)):
            button.setEnabled(action.isEnabled())
            button.setToolTip(action.toolTip())

    def show_fix(self, text: str) -> None:
        """Offer the action that fixes why checks failed (e.g. "Sign in…"); "" hides it."""
        self.fix_button.setText(text)
        self.fix_button.setVisible(bool(text))

    @Slot(bool)
    def set_running(self, running: bool) -> None:
        self._running = running
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self.ticket.setReadOnly(running)  # the running check's ticket is the one it started with
        self._enable_buttons()
        if running:
            self.progress.setRange(0, 0)  # busy until the first count arrives
            self.summary.setText("")
            self.show_fix("")

    @Slot(int, int)
    def set_progress(self, done: int, total: int) -> None:
        if total <= 0:
            return
        self.progress.setRange(0, total)
        self.progress.setValue(done)
        self.progress.setFormat(f"Checked {done} of {total}")

    def show_summary(self, text: str) -> None:
        self.summary.setText(text)

    @Slot()
    def _on_cancel(self) -> None:
        self.cancel_button.setEnabled(False)
        self.progress.setFormat(self.progress.format() + " — cancelling…")
        self.cancel.emit()


def _tip(action: QAction, text: str) -> None:
    """A tooltip that names the action's shortcut, so the mouse teaches the keyboard."""
    keys = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{text} ({keys})" if keys else text)
