"""What every wizard page shares: its step, the machine's verdict on Next, and busy rows."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLayout,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from desktop.controllers.tasks import Task
from desktop.controllers.wizard import WizardController
from desktop.core.wizard import Step


class StepPage(QWizardPage):
    """A page for one :class:`Step`: Next is enabled when the machine says so.

    The page lists what is still missing under its content, so a disabled Next never leaves
    the technician guessing.
    """

    def __init__(
        self, step: Step, controller: WizardController, subtitle: str, *, scrolling: bool = True
    ) -> None:
        super().__init__()
        self.step = step
        self.controller = controller
        self.machine = controller.machine
        self.setTitle(step.label)
        self.setSubTitle(subtitle)
        self.setObjectName(f"WizardPage_{step.value}")
        outer = QVBoxLayout(self)
        if scrolling:
            # Small windows scroll instead of squashing the form (the wizard is resizable).
            scroller = QScrollArea(self)
            scroller.setWidgetResizable(True)
            scroller.setFrameShape(QFrame.Shape.NoFrame)
            content = QWidget(scroller)
            self.body = QVBoxLayout(content)
            self.body.setContentsMargins(0, 0, 0, 0)
            scroller.setWidget(content)
            outer.addWidget(scroller, 1)
        else:
            self.body = QVBoxLayout()
            outer.addLayout(self.body, 1)
        self.missing = QLabel(self)
        self.missing.setObjectName("MissingLabel")
        self.missing.setWordWrap(True)
        self.missing.setTextFormat(Qt.TextFormat.PlainText)
        outer.addWidget(self.missing)
        controller.changed.connect(self._changed)

    def isComplete(self) -> bool:
        return self.machine.can_advance(self.step)

    @Slot()
    def _changed(self) -> None:
        self.refresh()
        self._show_missing()
        self._show_position()  # a choice can add or drop a later step
        self.completeChanged.emit()

    def _show_missing(self) -> None:
        missing = self.machine.blockers(self.step) if self.step is not Step.SUMMARY else []
        self.missing.setText("To continue: " + " ".join(missing) if missing else "")
        self.missing.setVisible(bool(missing))

    def initializePage(self) -> None:
        self.refresh()
        self._show_missing()
        self._show_position()

    def _show_position(self) -> None:
        """The step indicator in the header: "Step 2 of 5 · Services" (this run's steps)."""
        self.setTitle(self.machine.step_indicator(self.step))

    def refresh(self) -> None:
        """Show the machine's current state; pages override."""


class BusyRow(QWidget):
    """Progress and Cancel for one running task, hidden when idle.

    Signals:
        idle(): the task finished, failed or was cancelled.
    """

    idle = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._task: Task[Any] | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(12)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.cancel = QPushButton("Cancel", self)
        self.cancel.setAccessibleName("Cancel the running operation")
        self.cancel.clicked.connect(self._cancel)
        layout.addWidget(self.bar, 1)
        layout.addWidget(self.text, 2)
        layout.addWidget(self.cancel)
        self.hide()

    @property
    def busy(self) -> bool:
        return self._task is not None

    @property
    def cancellable(self) -> bool:
        """Whether the running task may be cancelled (False while Save writes)."""
        return self._task is not None and not self.cancel.isHidden()

    def follow(self, task: Task[Any], text: str, *, cancellable: bool = True) -> None:
        """Show *task*'s progress; ``cancellable`` False for work that must not stop halfway."""
        self._task = task
        self.text.setText(text)
        self.cancel.setVisible(cancellable)
        self.bar.setRange(0, 0)
        task.progressed.connect(self._progress)
        # Only this task's end hides the row: a follow-up task may be shown already.
        task.finished.connect(lambda: self._finished(task))
        self.show()

    @Slot(int, int, str)
    def _progress(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, total)
        if total:
            self.bar.setValue(done)
        if text:
            self.text.setText(text)

    @Slot()
    def _cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.text.setText("Cancelling…")

    def _finished(self, task: Task[Any]) -> None:
        if task is not self._task:
            return
        self._task = None
        self.hide()
        self.idle.emit()


def clear_layout(layout: QLayout) -> None:
    """Remove and delete every widget of *layout* (pages rebuild their lists on entry)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()
