"""Which store an inventory opens: the team database when one is set, else the local file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from desktop.core.errors import UserError
from desktop.core.paths import DataPaths
from desktop.core.store.postgres.credentials import TeamDatabase, get_password, selected

if TYPE_CHECKING:
    from desktop.core.storage.interface import Repository
    from desktop.core.store.postgres.database import PostgresStore


def team_database(paths: DataPaths) -> TeamDatabase | None:
    """The team database set by ``APP_PROFILES_DATABASE_URL`` or the setting; None: local.

    A settings file that cannot be read selects nothing here; the commands that read the
    settings report it.
    """
    from desktop.core.settings import Settings

    setting = ""
    try:
        setting = Settings.load(paths.settings).team_database_url
    except UserError:
        setting = ""
    return selected(setting)


def password_for(db: TeamDatabase) -> str | None:
    """The keyring's password for *db*; None when the URL has one or the keyring has none
    (libpq then uses PGPASSWORD or ~/.pgpass, or says that a password is needed). With
    ``APP_PROFILES_DATABASE_AUTH=entra``: a fresh Entra token of the technician's sign-in
    (``UserError`` in words when there is none), for every caller alike."""
    from desktop.core.store.postgres import entra
    from desktop.core.vault_errors import VaultUnavailableError

    if entra.wanted():
        from desktop.core.paths import data_paths

        return entra.token_source(data_paths())()
    if db.has_password:
        return None
    try:
        return get_password(db)
    except VaultUnavailableError:
        return None


def open_team_store(paths: DataPaths) -> PostgresStore | None:
    """The team store when one is set up for *paths*, else None. Raises ``UserError``."""
    db = team_database(paths)
    if db is None:
        return None  # solo mode: the driver is not even imported (it is off the start path)
    from desktop.core.store.postgres import entra
    from desktop.core.store.postgres.database import PostgresStore

    if entra.wanted():  # the technician's Entra token, fetched again on every (re)connect
        return PostgresStore.open(db.url, password_source=entra.token_source(paths))
    return PostgresStore.open(db.url, password=password_for(db))


def open_store(paths: DataPaths) -> Repository:
    """The inventory's store for *paths*: the team database when one is set, else the local
    SQLite file (opened and migrated). Raises ``UserError``."""
    from desktop.core.store import Store

    team = open_team_store(paths)
    return team if team is not None else Store.open(paths)
