"""A confirmation with an optional help-desk ticket number (delete, and other work the team
database audits): the question, what it concerns, a Ticket field, and the safe button as the
default."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)


class TicketConfirm(QDialog):
    """Asks *text* (with *details* under it); :attr:`ticket` holds the typed number."""

    def __init__(
        self, title: str, text: str, details: str, action: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("TicketConfirm")
        self.setWindowTitle(title)
        question = QLabel(text, self)
        question.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(question)
        if details:
            listed = QLabel(details, self)
            listed.setWordWrap(True)
            layout.addWidget(listed)
        self.ticket = QLineEdit(self)
        self.ticket.setObjectName("TicketNumber")
        self.ticket.setAccessibleName("Ticket number")
        self.ticket.setPlaceholderText("Optional, e.g. T-4711: kept with the team's audit log")
        form = QFormLayout()
        label = QLabel("Tic&ket:", self)
        label.setBuddy(self.ticket)
        form.addRow(label, self.ticket)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(self)
        self.go: QPushButton = self.buttons.addButton(
            action, QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        assert cancel is not None
        cancel.setDefault(True)  # the safe button
        self.go.setAutoDefault(False)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(460)
