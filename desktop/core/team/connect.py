"""A plain connection to the chosen team database, signed in as the team commands are."""

from __future__ import annotations

from desktop.core.store.postgres.choose import password_for
from desktop.core.store.postgres.connection import Connection, connect
from desktop.core.store.postgres.credentials import TeamDatabase


def connect_to(db: TeamDatabase) -> Connection:
    """A new connection to *db* with the keyring's password. Raises ``UserError`` in words."""
    return connect(db.url, password=password_for(db))
