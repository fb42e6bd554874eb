"""The Team key dialog's Approve… and Remove… confirmations: compare the colleague's
fingerprint before sharing, and see what they could read before taking it back. Shows and
forwards only."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.core.secrets.team_members import CouldRead, Removal, same_fingerprint


def _mono(text: str) -> QLineEdit:
    field = QLineEdit(text)
    field.setReadOnly(True)
    field.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return field


class ApproveDialog(QDialog):
    """Shows *member*'s published fingerprint; Share is enabled once the technician typed the
    one read out to them, or ticked that it matches. ``confirmed(member, fingerprint)``."""

    confirmed = Signal(str, str)

    def __init__(self, member: str, fingerprint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Approve {member}")
        self.setObjectName("ApproveMemberDialog")
        self._member = member
        self._fingerprint = fingerprint
        intro = QLabel(
            f"Ask {member} to read you the fingerprint from their Profiles > Team key "
            "(by voice or chat), and compare it with the one published. Share only if "
            "every group matches: a different one means the key is not theirs."
        )
        intro.setWordWrap(True)
        self.published = _mono(fingerprint)
        self.published.setAccessibleName(f"{member}'s published fingerprint")
        self.typed = QLineEdit()
        self.typed.setPlaceholderText(f"Type the fingerprint {member} reads out…")
        self.typed.setAccessibleName(f"Fingerprint as {member} reads it")
        self.typed.textChanged.connect(self._update)
        self.matches = QCheckBox(f"{member} read out exactly this fingerprint")
        self.matches.toggled.connect(self._update)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.share_button = self.buttons.addButton("&Share", QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self._share)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(QLabel(f"{member}'s published fingerprint:"))
        layout.addWidget(self.published)
        layout.addWidget(self.typed)
        layout.addWidget(self.matches)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        # The wrapped texts need their height at the narrowest width too.
        self.setMinimumSize(500, layout.totalHeightForWidth(500))
        self._update()

    def _update(self) -> None:
        typed = self.typed.text().strip()
        ok = self.matches.isChecked() or same_fingerprint(typed, self._fingerprint)
        if (
            typed
            and not ok
            and len("".join(typed.split())) >= len("".join(self._fingerprint.split()))
        ):
            self.hint.setText(
                f"Not the same fingerprint: do not share. Ask {self._member} to read it again."
            )
        else:
            self.hint.setText("")
        self.share_button.setEnabled(ok)

    def _share(self) -> None:
        typed = self.typed.text().strip()
        self.confirmed.emit(self._member, typed if typed else self._fingerprint)
        self.accept()


def could_read_line(item: CouldRead) -> str:
    """One line of what a member could read: the kind, the profiles and the consenting user."""
    profiles = ", ".join(item.profiles) or "no saved profile"
    if item.is_certificate:
        return f"Certificate of {profiles}"
    user = f" ({item.consenting_user})" if item.consenting_user else ""
    return f"Consenting user's sign-in{user} of {profiles}"


def removal_summary(removal: Removal) -> str:
    """ "N certificate(s) and M consenting user's/users' sign-in(s)"."""
    certificates, sign_ins = len(removal.certificates), len(removal.sign_ins)
    users = "consenting user's sign-in" if sign_ins == 1 else "consenting users' sign-ins"
    return f"{certificates} certificate{'' if certificates == 1 else 's'} and {sign_ins} {users}"


class RemoveDialog(QDialog):
    """Lists what *removal*'s member can read now and asks to take it all back.
    ``confirmed(member)``."""

    confirmed = Signal(str)

    def __init__(self, removal: Removal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        member = removal.member
        self.setWindowTitle(f"Remove {member}")
        self.setObjectName("RemoveMemberDialog")
        self._member = member
        if removal.could_read:
            text = (
                f"{member} can read {removal_summary(removal)}. Removing takes back every "
                "key shared with them. They may have kept copies: afterwards, rotate each "
                "certificate and have each consenting user's sessions revoked."
            )
        else:
            text = f"{member} holds no shared keys. Removing changes nothing."
        intro = QLabel(text)
        intro.setWordWrap(True)
        self.items = QListWidget()
        self.items.setAccessibleName(f"What {member} can read")
        for item in removal.could_read:
            self.items.addItem(could_read_line(item))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.remove_button = self.buttons.addButton(
            f"&Remove {member}'s keys", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.buttons.accepted.connect(self._remove)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.buttons)
        self.items.setVisible(bool(removal.could_read))
        self.setMinimumSize(480, max(300, layout.totalHeightForWidth(480)))

    def _remove(self) -> None:
        self.confirmed.emit(self._member)
        self.accept()
