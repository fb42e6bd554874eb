"""This technician's team key and the members' published fingerprints, for the GUI's team
step (the CLI's ``team enroll``): read or create the pair, publish its public half.

Runs off the GUI thread (the keyring and the team database are asked). In solo mode the pair
can still be made; it is published once a team database is chosen.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.core.paths import DataPaths
from desktop.core.secrets.envelope import fingerprint
from desktop.core.secrets.member_key import MemberKeys
from desktop.core.store.postgres.team_secrets import MemberKey


@dataclass(frozen=True)
class TeamKeyView:
    """What the team step shows.

    ``fingerprint`` is empty until this data folder has a pair; ``member`` is the server
    identity it is published under (None: solo mode, or not published). ``approved`` names
    the members whose published key a colleague confirmed (the others wait for approval);
    ``holding`` those who hold at least one shared key.
    """

    fingerprint: str = ""
    member: str | None = None
    published: bool = False
    team_mode: bool = False
    members: tuple[MemberKey, ...] = field(default_factory=tuple)
    approved: frozenset[str] = frozenset()
    holding: frozenset[str] = frozenset()

    @property
    def needs_key(self) -> bool:
        """In team mode, this data folder has no key, or not the one published."""
        return self.team_mode and not self.published

    def waiting(self, member: str) -> bool:
        """Whether *member* waits for a colleague to approve their published key."""
        return member not in self.approved


def team_key_view(
    paths: DataPaths, *, enroll: bool = False, team_only: bool = False
) -> TeamKeyView:
    """The data folder's pair and the team's published keys; with *enroll*, create the pair
    when there is none and publish it (the same as ``team enroll``). With *team_only*, solo
    mode answers an empty view without asking the keyring (the first-run step's question)."""
    from desktop.core.secrets.team_wiring import open_team_secrets, team_database
    from desktop.core.vault import open_vault

    database = team_database(paths)
    if database is None:
        if team_only and not enroll:
            return TeamKeyView()
        keys = MemberKeys(open_vault(paths))
        if enroll:
            keys.enroll()
        shown = fingerprint(keys.public_key()) if keys.enrolled() else ""
        return TeamKeyView(fingerprint=shown)
    team = open_team_secrets(paths, database)
    try:
        if enroll:
            enrollment = team.keys.enroll()
            mine = team.db.member_key(team.member)
            if mine is None or mine.public_key != enrollment.public_key:
                team.db.publish_key(enrollment.public_key, enrollment.fingerprint)
        shown = fingerprint(team.keys.public_key()) if team.keys.enrolled() else ""
        members = tuple(team.db.member_keys())
        published = any(m.member == team.member and m.fingerprint == shown for m in members)
        approved = frozenset(team.db.approved_members())
        holding = frozenset(team.db.sharing_members())
        return TeamKeyView(
            shown, team.member, bool(shown) and published, True, members, approved, holding
        )
    finally:
        team.db.close()
