"""While a consent waits in the browser: what to do when Microsoft shows its own error page.

Most sign-in errors stay on Microsoft's page and never reach the app, so a waiting consent
would only time out. This panel says so up front, and explains a pasted AADSTS code or trace
ID with the same table as the consent's own errors. The explanation is pure computation on the
pasted text (no I/O), so it runs on the GUI thread.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from desktop.core.identity.explain import WAITING_HINT, explain_pasted


class ErrorPageHelp(QWidget):
    """The hint, a box to paste what Microsoft's page shows, and its explanation.

    Signals:
        error_page_seen(): a pasted code or trace ID says the browser ended on an error page,
            so nothing will come back: the caller cancels the wait.
    """

    error_page_seen = Signal()

    def __init__(self, tenant: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ErrorPageHelp")
        self._tenant = tenant
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.hint = QLabel(WAITING_HINT, self)
        self.hint.setWordWrap(True)
        self.hint.setObjectName("ErrorPageHint")
        layout.addWidget(self.hint)
        row = QHBoxLayout()
        self.pasted = QLineEdit(self)
        self.pasted.setPlaceholderText("AADSTS code or trace ID from Microsoft's page")
        self.pasted.setAccessibleName("AADSTS code or trace ID from Microsoft's error page")
        self.pasted.setClearButtonEnabled(True)
        self.explain_button = QPushButton("E&xplain", self)
        self.explain_button.setEnabled(False)
        row.addWidget(self.pasted, 1)
        row.addWidget(self.explain_button)
        layout.addLayout(row)
        self.explanation = QLabel(self)
        self.explanation.setWordWrap(True)
        self.explanation.setObjectName("ErrorPageExplanation")
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation.hide()
        layout.addWidget(self.explanation)
        self.pasted.textChanged.connect(lambda t: self.explain_button.setEnabled(bool(t.strip())))
        self.pasted.returnPressed.connect(self.explain)
        self.explain_button.clicked.connect(self.explain)
        self.hide()

    def waiting(self) -> None:
        """A consent is waiting in the browser: show the hint and the paste box."""
        self.pasted.clear()
        self.explanation.hide()
        self.hint.show()
        self.pasted.setEnabled(True)
        self.show()

    def done(self) -> None:
        """The wait ended: hide everything but an explanation already given."""
        self.hint.hide()
        self.pasted.setEnabled(False)
        self.setVisible(self.explanation.isVisible())

    @Slot()
    def explain(self) -> None:
        text = self.pasted.text()
        if not text.strip():
            return
        found = explain_pasted(text, self._tenant)
        self.explanation.setText(f"{found.message} {found.remedy}")
        self.explanation.show()
        if found.codes or found.trace_ids:
            self.error_page_seen.emit()
