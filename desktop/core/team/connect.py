"""A plain connection to the chosen team database, signed in as the team commands are."""

from __future__ import annotations

from desktop.core.store.postgres.choose import password_for
from desktop.core.store.postgres.connection import Connection, connect
from desktop.core.store.postgres.credentials import TeamDatabase


def connect_to(db: TeamDatabase) -> Connection:
    """A new connection to *db* with the keyring's password, or with a fresh Entra token
    (``APP_PROFILES_DATABASE_AUTH=entra``). Raises ``UserError`` in words."""
    from desktop.core.paths import data_paths
    from desktop.core.store.postgres import entra

    if entra.wanted():
        return connect(db.url, password=entra.token_source(data_paths())())
    return connect(db.url, password=password_for(db))
