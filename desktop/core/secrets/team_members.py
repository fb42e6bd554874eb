"""Approving and removing a colleague from the GUI (the CLI's ``team approve`` and ``team
remove``): the checks a technician needs in words, and what was shared or could be read.

Runs off the GUI thread (the keyring and the team database are asked).
"""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.errors import UserError
from desktop.core.paths import DataPaths
from desktop.core.secrets.team import approve, published_key, remove
from desktop.core.secrets.team_wiring import TeamSecrets

#: Why a member who is not an admin cannot remove a colleague's keys.
ADMINS_REMOVE = "Only team admins can take back a member's shared keys."

#: Why a member who is neither an admin nor holds any shared key cannot approve.
NOT_ALLOWED = (
    "Only team admins or members holding these customers' keys can approve: you hold none."
)


def same_fingerprint(one: str, two: str) -> bool:
    """Whether two fingerprints are the same, spaces and case aside (as read out)."""
    return "".join(one.split()).upper() == "".join(two.split()).upper()


@dataclass(frozen=True)
class ApprovalReport:
    """What approving *member* did: how many certificates and sign-ins were shared."""

    member: str
    certificates: int
    sign_ins: int
    withdrawn: int


@dataclass(frozen=True)
class CouldRead:
    """One secret a member could read: a certificate (to rotate) or a consenting user's
    sign-in (to revoke), with the profiles using it."""

    secret_id: str
    kind: str
    profiles: tuple[str, ...]
    consenting_user: str | None = None

    @property
    def is_certificate(self) -> bool:
        return self.kind == "certificate"


@dataclass(frozen=True)
class Removal:
    """What *member* could read (before removing) or could read until removed."""

    member: str
    could_read: tuple[CouldRead, ...]
    removed: bool

    @property
    def certificates(self) -> tuple[CouldRead, ...]:
        return tuple(s for s in self.could_read if s.is_certificate)

    @property
    def sign_ins(self) -> tuple[CouldRead, ...]:
        return tuple(s for s in self.could_read if not s.is_certificate)


def _open(paths: DataPaths) -> TeamSecrets:
    from desktop.core.secrets.team_wiring import open_team_secrets, team_database

    database = team_database(paths)
    if database is None:
        raise UserError(
            "Approving and removing colleagues needs the team database.",
            remedy="Choose it in Settings > Team database.",
        )
    return open_team_secrets(paths, database)


def approve_member(paths: DataPaths, member: str, confirmed: str) -> ApprovalReport:
    """Share with *member* what their scope allows, once *confirmed* (the fingerprint the
    colleague read out) matches the one they published."""
    from desktop.core.secrets.team_token_split import TOKEN_KIND

    team = _open(paths)
    try:
        key = published_key(team.db, member)
        if not same_fingerprint(confirmed, key.fingerprint):
            raise UserError(
                f"The fingerprint you typed is not the one {member} published.",
                remedy=f"Ask {member} to read it again from Profiles > Team key. "
                "Nothing was shared.",
            )
        if member == team.member:
            raise UserError("You cannot approve yourself.", remedy="Ask a colleague.")
        if not team.db.is_admin() and not team.db.held_by(team.member):
            raise UserError(NOT_ALLOWED, remedy="Ask a team admin to approve. Nothing was shared.")
        approval = approve(team.db, team.keys, team.member, member)
    finally:
        team.db.close()
    tokens = sum(1 for s in approval.shared if s.kind == TOKEN_KIND)
    return ApprovalReport(member, len(approval.shared) - tokens, tokens, len(approval.withdrawn))


def _could_read(team: TeamSecrets, member: str) -> tuple[CouldRead, ...]:
    from desktop.core.secrets.team_token_split import TOKEN_KIND, token_profiles

    held = team.db.held_by(member)
    certificates = [s for s, kind, _ in held if kind == "certificate"]
    profiles = team.db.profiles_holding(certificates)
    tokens = [(s, c) for s, kind, c in held if kind == TOKEN_KIND]
    signed = token_profiles(
        [s for s, _ in tokens],
        team.db.delegated_profiles(sorted({c for _, c in tokens if c})),
    )
    found: list[CouldRead] = []
    for secret_id, kind, _ in held:
        if kind == "certificate":
            found.append(CouldRead(secret_id, kind, tuple(profiles.get(secret_id, []))))
        else:
            users = signed.get(secret_id, [])
            found.append(
                CouldRead(
                    secret_id,
                    kind,
                    tuple(name for name, _ in users),
                    next((user for _, user in users), None),
                )
            )
    return tuple(found)


def removal_preview(paths: DataPaths, member: str) -> Removal:
    """What *member* can read now (nothing is removed)."""
    team = _open(paths)
    try:
        return Removal(member, _could_read(team, member), removed=False)
    finally:
        team.db.close()


def remove_member(paths: DataPaths, member: str) -> Removal:
    """Delete *member*'s wrapped keys; returns what they could read (to rotate or revoke)."""
    team = _open(paths)
    try:
        if not team.db.is_admin() and member != team.member:
            raise UserError(
                ADMINS_REMOVE, remedy="Ask a team admin to remove them. Nothing was removed."
            )
        could_read = _could_read(team, member)
        remove(team.db, member)
        return Removal(member, could_read, removed=True)
    finally:
        team.db.close()
