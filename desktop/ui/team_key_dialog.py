"""Team key: create this technician's key pair (``team enroll``), show its fingerprint with a
Copy button to read or paste to the colleague who approves, and list the members' published
fingerprints, marking who waits for approval. Approve… shares with a member once their
fingerprint is confirmed (``team approve``); Remove… lists what a member could read, takes it
back (``team remove``) and offers Rotate… for each certificate. Shows and forwards only; the
controller does the work."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.controllers.team_key import TeamKeyController
from desktop.core.errors import UserError
from desktop.core.secrets.team_keys import TeamKeyView
from desktop.core.secrets.team_members import ApprovalReport, Removal
from desktop.core.store.postgres.team_secrets import MemberKey

from desktop.ui.team_member_dialogs import (
    ApproveDialog,
    RemoveDialog,
    could_read_line,
    removal_summary,
)

INTRO = (
    "Your team key lets colleagues share customers' certificates with you. Read the "
    "fingerprint to the colleague who approves you (by voice or chat); they compare it "
    "here with Approve… (or run 'team approve' with your team user name)."
)
WAITING = "Waiting for approval"
APPROVED = "Approved"
#: Approved once, holding no shared key now (removed, or nothing in their scope yet).
HOLDS_NOTHING = "Holds no shared keys"
YOU = "You"
REVOKE_HINT = (
    "They may have kept copies of the consenting users' sign-ins: the customer's admin "
    "revokes each user's sessions (Entra admin center > Users > the user > Revoke sessions), "
    "then re-authorize the profile with user consent."
)


class TeamKeyDialog(QDialog):
    """``rotate_requested(ref)``: the technician asked to rotate a removed member's
    certificate."""

    rotate_requested = Signal(str)

    def __init__(self, controller: TeamKeyController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Team key")
        self.setObjectName("TeamKeyDialog")
        self.resize(760, 480)
        self.setMinimumSize(560, 420)
        self._controller = controller
        self.controller = controller
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.state = QLabel("Reading your team key…")
        self.state.setWordWrap(True)
        self.fingerprint = QLineEdit()
        self.fingerprint.setReadOnly(True)
        self.fingerprint.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.fingerprint.setAccessibleName("Your fingerprint")
        self.copy_button = QPushButton("&Copy")
        self.copy_button.clicked.connect(self._copy)
        self.enroll_button = QPushButton("C&reate my team key")
        self.enroll_button.clicked.connect(self._enroll)
        row = QHBoxLayout()
        row.addWidget(QLabel("Your fingerprint:"))
        row.addWidget(self.fingerprint, 1)
        row.addWidget(self.copy_button)
        row.addWidget(self.enroll_button)
        self.members = QTableWidget(0, 4)
        self.members.setHorizontalHeaderLabels(("Member", "State", "Fingerprint", "Published"))
        self.members.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.members.itemSelectionChanged.connect(self._update_member_buttons)
        self.approve_button = QPushButton("&Approve…")
        self.approve_button.setToolTip("Compare the member's fingerprint, then share with them")
        self.approve_button.clicked.connect(self._approve)
        self.remove_button = QPushButton("Re&move…")
        self.remove_button.setToolTip("Take back every key shared with the member")
        self.remove_button.clicked.connect(self._remove)
        member_row = QHBoxLayout()
        member_row.addWidget(self.approve_button)
        member_row.addWidget(self.remove_button)
        member_row.addStretch(1)
        self.outcome = QLabel()
        self.outcome.setObjectName("TeamMemberResult")
        self.outcome.setWordWrap(True)
        self.rotate_box = QWidget()
        self._rotate_layout = QVBoxLayout(self.rotate_box)
        self._rotate_layout.setContentsMargins(0, 0, 0, 0)
        self._rotate_panel: QWidget | None = None
        self.rotate_buttons: list[QPushButton] = []
        self.approve_box: ApproveDialog | None = None
        self.remove_box: RemoveDialog | None = None
        self._view = TeamKeyView()
        self._acting = False
        self.members.verticalHeader().setVisible(False)
        header = self.members.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.state)
        layout.addWidget(QLabel("Members' published fingerprints:"))
        layout.addWidget(self.members, 1)
        layout.addLayout(member_row)
        layout.addWidget(self.outcome)
        layout.addWidget(self.rotate_box)
        layout.addWidget(buttons)
        controller.loaded.connect(self.show_view)
        controller.failed.connect(self.show_error)
        controller.approved.connect(self.show_approval)
        controller.previewed.connect(self._confirm_removal)
        controller.removed.connect(self.show_removal)
        controller.action_failed.connect(self.show_action_error)
        self._busy(True)

    def refresh(self) -> None:
        self._busy(True)
        self._controller.load()

    def _enroll(self) -> None:
        self._busy(True)
        self.state.setText("Creating your team key…")
        self._controller.load(enroll=True)

    def _busy(self, busy: bool) -> None:
        self.enroll_button.setEnabled(not busy and not self.fingerprint.text())
        self.copy_button.setEnabled(not busy and bool(self.fingerprint.text()))
        self._update_member_buttons()

    def selected_member(self) -> MemberKey | None:
        """The member row chosen in the list (None: none, or this technician)."""
        rows = {i.row() for i in self.members.selectedIndexes()}
        if len(rows) != 1:
            return None
        (row,) = rows
        members = self._view.members
        if row >= len(members) or members[row].member == self._view.member:
            return None
        return members[row]

    def select_member(self, name: str) -> None:
        """Choose *name*'s row in the list."""
        for row, member in enumerate(self._view.members):
            if member.member == name:
                self.members.selectRow(row)

    def _update_member_buttons(self) -> None:
        chosen = self.selected_member() is not None and not self._acting
        self.approve_button.setEnabled(chosen)
        self.remove_button.setEnabled(chosen)

    def _set_acting(self, acting: bool, text: str = "") -> None:
        self._acting = acting
        if text:
            self.outcome.setText(text)
        self._update_member_buttons()

    def _approve(self) -> None:
        member = self.selected_member()
        if member is None:
            return
        self.approve_box = ApproveDialog(member.member, member.fingerprint, self)
        self.approve_box.confirmed.connect(self._share)
        self.approve_box.open()

    def _share(self, member: str, fingerprint: str) -> None:
        self._clear_rotate()
        self._set_acting(True, f"Sharing with {member}…")
        self._controller.approve(member, fingerprint)

    def show_approval(self, report: ApprovalReport) -> None:
        certificates = f"{report.certificates} certificate{'' if report.certificates == 1 else 's'}"
        sign_ins = f"{report.sign_ins} sign-in{'' if report.sign_ins == 1 else 's'}"
        text = f"Shared with {report.member}: {certificates}, {sign_ins}."
        if report.withdrawn:
            text += f" Withdrawn (outside their scope now): {report.withdrawn}."
        if not report.certificates and not report.sign_ins:
            text += (
                " You hold nothing their scope allows that they lack; a colleague who holds "
                "other customers' keys can approve them too."
            )
        self._set_acting(False, text)

    def _remove(self) -> None:
        member = self.selected_member()
        if member is None:
            return
        self._clear_rotate()
        self._set_acting(True, f"Reading what {member.member} can read…")
        self._controller.preview_removal(member.member)

    def _confirm_removal(self, removal: Removal) -> None:
        self._set_acting(False, "")
        self.outcome.setText("")
        self.remove_box = RemoveDialog(removal, self)
        self.remove_box.confirmed.connect(self._take_back)
        self.remove_box.open()

    def _take_back(self, member: str) -> None:
        self._set_acting(True, f"Removing {member}'s keys…")
        self._controller.remove(member)

    def show_removal(self, removal: Removal) -> None:
        self._clear_rotate()
        if not removal.could_read:
            self._set_acting(False, f"{removal.member} held no shared keys: nothing removed.")
            return
        text = f"Removed {removal.member}'s keys: they could read {removal_summary(removal)}."
        if removal.certificates:
            text += " Rotate each certificate, as they may have kept a copy:"
        self._set_acting(False, text)
        self._rotate_panel = QWidget(self.rotate_box)
        rows = QVBoxLayout(self._rotate_panel)
        rows.setContentsMargins(0, 0, 0, 0)
        self._rotate_layout.addWidget(self._rotate_panel)
        for item in removal.certificates:
            row = QHBoxLayout()
            row.addWidget(QLabel(could_read_line(item)), 1)
            button = QPushButton("R&otate…")
            button.setAccessibleName(f"Rotate the {could_read_line(item)}")
            button.clicked.connect(
                lambda _=False, ref=item.secret_id: self.rotate_requested.emit(ref)
            )
            row.addWidget(button)
            self.rotate_buttons.append(button)
            rows.addLayout(row)
        if removal.sign_ins:
            revoke = QLabel(REVOKE_HINT)
            revoke.setWordWrap(True)
            rows.addWidget(revoke)

    def _clear_rotate(self) -> None:
        self.rotate_buttons.clear()
        if self._rotate_panel is not None:
            self._rotate_panel.deleteLater()
            self._rotate_panel = None

    def show_action_error(self, error: UserError) -> None:
        self._set_acting(False, error.one_line())

    def show_view(self, view: TeamKeyView) -> None:
        chosen = self.selected_member()
        self._view = view
        self.fingerprint.setText(view.fingerprint)
        self._busy(False)
        self.enroll_button.setVisible(not view.fingerprint)
        if not view.fingerprint:
            self.state.setText("This computer has no team key yet: create it to be approved.")
        elif not view.team_mode:
            self.state.setText(
                "No team database is chosen, so the key is not published yet; it is once "
                "you work with the team database."
            )
        elif view.published:
            self.state.setText(f"Published as {view.member}.")
        else:
            self.state.setText(f"Not published as {view.member} yet: create it again.")
            self.enroll_button.setVisible(True)
            self.enroll_button.setEnabled(True)
        self.members.setRowCount(len(view.members))
        for r, member in enumerate(view.members):
            if member.member == view.member:
                state = YOU
            else:
                if view.waiting(member.member):
                    state = WAITING
                else:
                    state = APPROVED if member.member in view.holding else HOLDS_NOTHING
            published = f"{member.published_at:%Y-%m-%d %H:%M}"
            cells = (member.member, state, member.fingerprint, published)
            for c, text in enumerate(cells):
                self.members.setItem(r, c, QTableWidgetItem(text))
        if chosen is not None:
            self.select_member(chosen.member)
        self._update_member_buttons()

    def show_error(self, error: UserError) -> None:
        self._busy(False)
        self.state.setText(error.one_line())

    def _copy(self) -> None:
        if self.fingerprint.text():
            QGuiApplication.clipboard().setText(self.fingerprint.text())
