"""The team database as Settings shows it: whether an address is usable, and what a test
connection found (who the server says we are, our team role, the schema version).

The same facts as ``app-profiles-cli team status``; nothing here keeps a connection open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from desktop.core.errors import UserError
from desktop.core.store.postgres.credentials import TeamDatabase, parse

#: How the address field names itself in a refusal.
SOURCE = "The team database address"

_ROLES = {
    "readonly": "read-only",
    "technician": "technician",
    "admin": "admin",
    "owner": "owner",
    "none": "no team role",
}


def check_address(text: str) -> TeamDatabase | None:
    """*text* as a team database (None when empty: the local inventory). Raises
    ``UserError`` in words: not a PostgreSQL address, or one holding a password."""
    if not text.strip():
        return None
    db = parse(text, source=SOURCE, password_allowed=True)
    if db.has_password:
        raise UserError(
            f"{SOURCE} holds a password; the settings file is plain text.",
            remedy="Remove it from the address and type it in the Password field, which "
            "keeps it in the OS keyring.",
        )
    return db


@dataclass(frozen=True)
class TeamStatus:
    """What a test connection found."""

    database: str
    user: str
    server_version: str
    role: str
    schema_version: int | None
    synced_at: datetime

    def words(self) -> str:
        """One sentence per fact, for the Settings screen."""
        role = _ROLES.get(self.role, self.role)
        if self.schema_version is None:
            schema = "the schema cannot be read with this role"
        elif self.schema_version == 0:
            schema = "no team schema yet (the owner runs 'app-profiles-cli team init')"
        else:
            schema = f"schema version {self.schema_version}"
        when = self.synced_at.astimezone().strftime("%H:%M")
        return (
            f"Connected to {self.database} (PostgreSQL {self.server_version}) as "
            f"{self.user}. Team role: {role}; {schema}. Last sync: {when}."
        )


def probe(db: TeamDatabase, password: str | None) -> TeamStatus:
    """Connect to *db* once (with *password*, else the keyring's) and read the status. Call
    off the GUI thread. Raises ``UserError`` in words when it cannot connect."""
    from desktop.core.store.postgres import team
    from desktop.core.store.postgres.choose import password_for
    from desktop.core.store.postgres.connection import connect, describe
    from desktop.core.store.postgres.migrate import schema_version

    conn = connect(db.url, password=password or password_for(db))
    try:
        row = conn.execute("SELECT session_user, current_setting('server_version')").fetchone()
        if row is None:  # pragma: no cover - the server always answers this
            raise UserError("The team database did not say who we are.")
        role = team.current_role(conn)
        version = schema_version(conn) if role != "none" else None
        return TeamStatus(
            database=describe(db.url),
            user=str(row[0]),
            server_version=str(row[1]).split(" ")[0],
            role=role,
            schema_version=version,
            synced_at=datetime.now(UTC),
        )
    finally:
        conn.close()
