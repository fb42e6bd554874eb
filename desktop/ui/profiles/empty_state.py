"""What the page shows instead of an empty table: first run, loading, nothing matches, errors."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget


class EmptyState(QWidget):
    """A heading, a sentence and up to three buttons, centred.

    Signals:
        add_customer(), browse_permissions(), create_profile(): the offered next steps.
    """

    add_customer = Signal()
    browse_permissions = Signal()
    create_profile = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ProfilesEmptyState")
        self.heading = QLabel(self)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.heading.setFont(font)
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel(self)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setFixedWidth(520)
        # Room for the longest sentence: a wrapped label in a centred row does not grow itself.
        self.text.setMinimumHeight(self.text.fontMetrics().lineSpacing() * 4)
        self.add_button = QPushButton("&Add a customer…", self)
        self.create_button = QPushButton("C&reate app profile…", self)
        self.browse_button = QPushButton("&Browse permissions offline", self)
        self.add_button.clicked.connect(self.add_customer)
        self.create_button.clicked.connect(self.create_profile)
        self.browse_button.clicked.connect(self.browse_permissions)
        self._first_step: QPushButton | None = None
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.add_button, self.create_button, self.browse_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.heading)
        layout.addWidget(self.text, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(12)
        layout.addLayout(buttons)
        layout.addStretch(2)

    def show_first_run(self, has_customers: bool) -> None:
        """The next steps on an empty list, the first of them first."""
        self.heading.setText("No app profiles yet")
        if has_customers:
            self.text.setText(
                "Create an app profile to consent to a service's app in a customer's tenant; "
                "this list then shows whether each consent still works. You can also add "
                "customers, or browse what each app needs, offline and without signing in."
            )
        else:
            self.text.setText(
                "Add a customer and its Microsoft 365 tenant, then create an app profile to "
                "consent to a service's app there. Or browse the permissions and directory "
                "roles each app needs, offline and without signing in."
            )
        for button in (self.add_button, self.create_button, self.browse_button):
            button.setVisible(True)
        self._first_step = self.create_button if has_customers else self.add_button

    def focus_first_step(self) -> None:
        """Give the first offered step the keyboard focus (call once this state is shown)."""
        if self._first_step is not None and self._first_step.isVisible():
            self._first_step.setFocus()

    def show_message(self, heading: str, text: str) -> None:
        self._first_step = None
        self.heading.setText(heading)
        self.text.setText(text)
        for button in (self.add_button, self.create_button, self.browse_button):
            button.setVisible(False)
