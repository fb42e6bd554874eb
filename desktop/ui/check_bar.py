"""The bar above the profile list that starts checks and shows their progress, with Cancel."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget


class CheckBar(QWidget):
    """Check selected / Check all, a progress bar with the count, and Cancel.

    It only displays and forwards intent; the owner connects it to a ChecksController.

    Signals:
        check_selected(): the technician asked to check the selected profiles.
        check_all(): the technician asked to check every profile.
        cancel(): stop the running check (finished results are kept).
    """

    check_selected = Signal()
    check_all = Signal()
    cancel = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("CheckBar")
        self.selected_button = QPushButton("Chec&k selected", self)
        self.selected_button.setShortcut(QKeySequence("Ctrl+K"))
        self.selected_button.setToolTip("Check the selected app profiles now (Ctrl+K)")
        self.all_button = QPushButton("Check &all", self)
        self.all_button.setShortcut(QKeySequence("Ctrl+Shift+K"))
        self.all_button.setToolTip("Check every app profile now (Ctrl+Shift+K)")
        self.progress = QProgressBar(self)
        self.progress.setObjectName("CheckProgress")
        self.progress.setAccessibleName("Check progress")
        self.progress.setTextVisible(True)
        self.progress.setMinimumWidth(220)
        self.cancel_button = QPushButton("&Cancel check", self)
        self.cancel_button.setToolTip(
            "Stop starting new checks; checks already running finish and are kept"
        )
        self.summary = QLabel(self)
        self.summary.setObjectName("CheckSummary")
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.selected_button, self.all_button, self.progress, self.cancel_button):
            layout.addWidget(widget)
        layout.addWidget(self.summary, 1)
        self.selected_button.clicked.connect(self.check_selected)
        self.all_button.clicked.connect(self.check_all)
        self.cancel_button.clicked.connect(self._on_cancel)
        self._selection = 0
        #: How many profiles there are to check; None when the owner does not say.
        self._profiles: int | None = None
        self.set_running(False)

    def set_selection_count(self, count: int) -> None:
        self._selection = count
        self._enable_buttons()

    def set_profile_count(self, count: int) -> None:
        """How many profiles the list holds: with none, there is nothing to check."""
        self._profiles = count
        self._enable_buttons()

    def _enable_buttons(self) -> None:
        idle = not self._running
        none_yet = self._profiles == 0
        self.selected_button.setEnabled(idle and self._selection > 0)
        self.all_button.setEnabled(idle and not none_yet)
        self.all_button.setToolTip(
            "There are no app profiles to check yet"
            if none_yet
            else "Check every app profile now (Ctrl+Shift+K)"
        )

    @Slot(bool)
    def set_running(self, running: bool) -> None:
        self._running = running
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        self.cancel_button.setEnabled(running)
        self._enable_buttons()
        if running:
            self.progress.setRange(0, 0)  # busy until the first count arrives
            self.summary.setText("")

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
