"""The first-run page: shown instead of the profile list while no sign-in client ID is set.

It lists what the MSP registers in its own tenant for the technician sign-in app (each value
with a Copy button), takes the app's client ID, and signs in to prove it; a refused sign-in
says what in the registration is wrong. Or the technician tries everything in the sandbox.
The page does no I/O: it asks through its signals, and is told the outcome.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.core import settings_edit as edit
from desktop.core.errors import UserError
from desktop.core.sign_in_setup import (
    DELEGATED_GRAPH_PERMISSIONS,
    DESKTOP_REDIRECT_URI,
    OTHER_API_PERMISSIONS,
    WEB_REDIRECT_URI,
    explain_error_page,
    permission_names,
    registration_problem,
)

from desktop.ui.forms import buddy_label
from desktop.ui.theme import is_dark


class FirstRunPage(QWidget):
    """Setting up the sign-in app.

    Signals:
        sign_in_requested(str): save this (valid) client ID and sign in with it.
        sandbox_requested(): start the app in the sandbox.
        skip_requested(): show the profile list anyway.
    """

    sign_in_requested = Signal(str)
    sandbox_requested = Signal()
    skip_requested = Signal()

    def __init__(self, missing_clouds: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("FirstRunPage")
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        QVBoxLayout(self).addWidget(scroll)
        body = QWidget(scroll)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(32, 16, 32, 16)
        title = QLabel("<h2>Set up your organization's sign-in app</h2>", body)
        layout.addWidget(title)
        self.intro = _text("", body)
        self.intro.setObjectName("FirstRunIntro")
        self.set_missing(missing_clouds)
        layout.addWidget(self.intro)
        self.copy_buttons: dict[str, QPushButton] = {}
        self.copied: dict[str, str] = {}
        grid = QGridLayout()
        grid.setColumnStretch(3, 1)  # the Copy buttons stay next to their values
        rows = (
            ("accounts", "Supported account types", "Accounts in any organizational directory "
             "(Multitenant)", False),
            ("desktop", "Mobile and desktop applications redirect URI", DESKTOP_REDIRECT_URI,
             True),
            ("web", "Web redirect URI (admin consent)", WEB_REDIRECT_URI, True),
            ("public", "Allow public client flows (Authentication)", "Yes", False),
        )  # fmt: skip
        for row, (name, label, value, copy) in enumerate(rows):
            grid.addWidget(_text(f"{label}:", body), row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(_value(value, body), row, 1)
            if copy:
                grid.addWidget(self._copy_button(name, value, body), row, 2)
        layout.addLayout(grid)
        layout.addWidget(
            _text(
                "API permissions → Add a permission → Microsoft Graph → Delegated permissions, "
                "then Grant admin consent for your tenant:",
                body,
            )
        )
        perms = QGridLayout()
        perms.setColumnStretch(1, 1)
        for row, permission in enumerate(DELEGATED_GRAPH_PERMISSIONS):
            perms.addWidget(_value(permission.name, body), row, 0)
            perms.addWidget(_text(permission.why, body), row, 1)
        layout.addLayout(perms)
        for other in OTHER_API_PERMISSIONS:
            layout.addWidget(
                _text(
                    f"And under APIs my organization uses → {other.api} → Delegated "
                    f"permissions: <b>{other.name}</b>, to {other.why}.",
                    body,
                )
            )
        copy_all = QHBoxLayout()
        copy_all.addWidget(
            self._copy_button("permissions", permission_names(), body, "the permission names")
        )
        copy_all.addStretch(1)
        layout.addLayout(copy_all)

        self.client_id = QLineEdit(body)
        self.client_id.setObjectName("FirstRunClientId")
        self.client_id.setPlaceholderText("Application (client) ID from the app's Overview page")
        self.reason = _text("", body)
        self.reason.setObjectName("FirstRunReason")
        red = "#ff6b6b" if is_dark(self.palette()) else "#b00020"
        self.reason.setStyleSheet(f"color: {red};")
        self.reason.hide()
        self.sign_in = QPushButton("&Sign in", body)
        self.sign_in.setObjectName("FirstRunSignIn")
        self.sign_in.setDefault(True)
        self.sign_in.setEnabled(False)
        entry = QHBoxLayout()
        entry.addWidget(buddy_label("&Client ID:", self.client_id, body))
        entry.addWidget(self.client_id, 1)
        entry.addWidget(self.sign_in)
        layout.addSpacing(8)
        layout.addWidget(_text("<b>Then enter its client ID and sign in to prove it:</b>", body))
        layout.addLayout(entry)
        layout.addWidget(self.reason)
        self.outcome = _text("", body)
        self.outcome.setObjectName("FirstRunOutcome")
        self.outcome.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.outcome.hide()
        layout.addWidget(self.outcome)
        self.pasted = QLineEdit(body)
        self.pasted.setObjectName("FirstRunPasted")
        self.pasted.setPlaceholderText("e.g. AADSTS50011")
        self.explain = QPushButton("&Explain", body)
        self.explain.setObjectName("FirstRunExplain")
        pasted = QHBoxLayout()
        pasted.addWidget(buddy_label("If the browser shows an &error page, paste its code:",
                                     self.pasted, body))  # fmt: skip
        pasted.addWidget(self.pasted, 1)
        pasted.addWidget(self.explain)
        layout.addLayout(pasted)
        self.explained = _text("", body)
        self.explained.setObjectName("FirstRunExplained")
        self.explained.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explained.hide()
        layout.addWidget(self.explained)

        self.sandbox = QPushButton("Try everything in the &sandbox instead", body)
        self.sandbox.setObjectName("FirstRunSandbox")
        self.skip = QPushButton("Set &up later", body)
        self.skip.setObjectName("FirstRunSkip")
        others = QHBoxLayout()
        others.addWidget(self.sandbox)
        others.addWidget(self.skip)
        others.addStretch(1)
        layout.addSpacing(8)
        layout.addWidget(
            _text(
                "No tenant yet? The sandbox is a local Microsoft stand-in with demo tenants; it "
                "opens in a second window and changes nothing here.",
                body,
            )
        )
        layout.addLayout(others)
        layout.addStretch(1)
        scroll.setWidget(body)

        self.client_id.textChanged.connect(self._check)
        self.client_id.returnPressed.connect(self._request_sign_in)
        self.sign_in.clicked.connect(self._request_sign_in)
        self.explain.clicked.connect(self._explain)
        self.pasted.returnPressed.connect(self._explain)
        self.sandbox.clicked.connect(self.sandbox_requested)
        self.skip.clicked.connect(self.skip_requested)

    def set_missing(self, missing_clouds: str) -> None:
        """Name the clouds that have no sign-in client ID yet."""
        intro = (
            "Technicians sign in with an app your MSP registers once in its own Microsoft "
            "Entra tenant (App registrations → New registration). Register it like this:"
        )
        if missing_clouds:
            intro = f"No sign-in client ID is set for {missing_clouds}. " + intro
        if "Global" not in missing_clouds and missing_clouds:
            intro += (
                " (A national cloud needs its own registration there; enter its client ID in "
                "File → Settings… → Sign-in app.)"
            )
        self.intro.setText(intro)

    def _copy_button(self, name: str, text: str, parent: QWidget, what: str = "") -> QPushButton:
        button = QPushButton(f"Copy {what}".strip(), parent)
        button.setObjectName(f"Copy-{name}")
        button.setToolTip(f"Copy: {text}")
        button.clicked.connect(lambda: self._copy(name, text))
        self.copy_buttons[name] = button
        return button

    def _copy(self, name: str, text: str) -> None:
        QGuiApplication.clipboard().setText(text)
        self.copied[name] = text
        self.copy_buttons[name].setText("Copied")

    def _check(self) -> None:
        text = self.client_id.text()
        try:
            edit.validate(edit.SIGN_IN_CLIENT_ID, text)
        except edit.InvalidValue as exc:
            self.reason.setText(f"{exc.message} {exc.remedy}")
            self.reason.setVisible(bool(text.strip()))
            self.sign_in.setEnabled(False)
        else:
            self.reason.hide()
            self.sign_in.setEnabled(True)

    def _request_sign_in(self) -> None:
        if not self.sign_in.isEnabled():
            return
        self.outcome.hide()
        self.sign_in_requested.emit(edit.validate(edit.SIGN_IN_CLIENT_ID, self.client_id.text()))

    def _explain(self) -> None:
        """Most registration mistakes stop the sign-in on Microsoft's page, not here."""
        self.explained.setText(explain_error_page(self.pasted.text()))
        self.explained.show()

    def show_failure(self, error: UserError) -> None:
        """Say why the sign-in failed, and what in the registration to fix when it is that."""
        found = registration_problem(error)
        if found is not None:
            code, happened, fix = found
            text = f"Sign-in refused (AADSTS{code}): {happened}\nFix the registration: {fix}"
        else:
            text = f"Sign-in did not complete: {error.message} {error.remedy}".strip()
        self.outcome.setText(text)
        self.outcome.show()


def _text(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


def _value(text: str, parent: QWidget) -> QLabel:
    """A value to enter in Entra, in bold; it can be selected (and is copied exactly)."""
    label = QLabel(text, parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label
