"""Which team database this computer uses, and how to sign in to it (as the team commands do)."""

from __future__ import annotations

from pathlib import Path

from desktop.core.store.postgres.connection import Connection, connect
from desktop.core.store.postgres.credentials import TeamDatabase, get_password, selected


def team_database(settings_file: Path) -> TeamDatabase | None:
    """The environment's team database, else the setting's; None: the local store."""
    from desktop.core.settings import Settings

    return selected(Settings.load(settings_file).team_database_url)


def password_for(db: TeamDatabase) -> str | None:
    """The keyring's password for *db* (None: the URL's own, or libpq's PGPASSWORD/.pgpass)."""
    from desktop.core.vault_errors import VaultUnavailableError

    if db.has_password:
        return None
    try:
        return get_password(db)
    except VaultUnavailableError:
        return None


def connect_to(db: TeamDatabase) -> Connection:
    """A new connection to *db*. Raises ``UserError`` in words."""
    return connect(db.url, password=password_for(db))
