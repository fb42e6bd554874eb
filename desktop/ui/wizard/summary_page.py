"""Step 6: what Save will write. Nothing is written to the store before Save."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPlainTextEdit

from desktop.controllers.wizard import WizardController
from desktop.core.wizard import Step, summary_lines

from desktop.ui.wizard.base import BusyRow, StepPage


class SummaryPage(StepPage):
    """The run in words, and Save's progress."""

    def __init__(self, controller: WizardController) -> None:
        super().__init__(
            Step.SUMMARY,
            controller,
            "Check what will be saved. Nothing is written until you choose Save.",
            scrolling=False,
        )
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setAccessibleName("Summary")
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.body.addWidget(self.text, 1)
        self.result = QLabel(self)
        self.result.setWordWrap(True)
        self.result.setObjectName("SaveResult")
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.body.addWidget(self.result)
        self.busy = BusyRow(self)
        self.body.addWidget(self.busy)
        self.setFinalPage(True)

    def refresh(self) -> None:
        self.text.setPlainText("\n\n".join(summary_lines(self.machine.state, self.machine.catalog)))
        blockers = self.machine.blockers(Step.SUMMARY)
        if self.machine.state.saved:
            self.result.setText("Saved.")
        else:
            self.result.setText("Before saving: " + " ".join(blockers) if blockers else "")

    def isComplete(self) -> bool:
        return super().isComplete() and not self.busy.busy
