"""Opening the team secret store: the team database the inventory uses (its address from
``APP_PROFILES_DATABASE_URL`` or Settings, its password from the OS keyring)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass

from desktop.core.paths import DataPaths
from desktop.core.secrets.local import LocalSecretStore
from desktop.core.secrets.member_key import MemberKeys
from desktop.core.secrets.team import TeamSecretStore
from desktop.core.store.postgres.connection import Connection, connect
from desktop.core.store.postgres.credentials import TeamDatabase, get_password, selected
from desktop.core.store.postgres.team_secrets import TeamSecretsDb
from desktop.core.vault import SecretVault, open_vault
from desktop.core.vault_errors import VaultUnavailableError


def team_database(paths: DataPaths) -> TeamDatabase | None:
    """The team database this data folder uses, or None in solo mode."""
    from desktop.core.settings import Settings

    return selected(Settings.load(paths.settings).team_database_url)


def connect_team(db: TeamDatabase) -> Connection:
    """A connection to *db* (the password from the OS keyring unless the URL has one).
    Raises :class:`~desktop.core.errors.UserError` in words, never with the password."""
    password = None
    if not db.has_password:
        try:
            password = get_password(db)
        except VaultUnavailableError:
            password = None  # libpq may still have one (PGPASSWORD, .pgpass)
    return connect(db.url, password=password)


@dataclass
class TeamSecrets:
    """What the ``team`` secret commands work with."""

    db: TeamSecretsDb
    keys: MemberKeys
    member: str

    def store(
        self, local: LocalSecretStore, own_clients: Callable[[], Collection[str]] | None = None
    ) -> TeamSecretStore:
        """The team secret store; with *own_clients* (the sign-in apps' client IDs) its
        token cache keeps consenting users' sign-ins as team secrets too."""
        return TeamSecretStore(
            self.db, self.keys, local, self.customer_of, self.member, own_clients
        )

    def customer_of(self, ref: str) -> int | None:
        """The customer of the team inventory's profile holding *ref*."""
        return self.db.customer_of_certificate(ref)


def open_team_secrets(
    paths: DataPaths, db: TeamDatabase, vault: SecretVault | None = None
) -> TeamSecrets:
    """This data folder's member keys (in *vault*, by default the folder's) and the team
    database's secret tables."""
    secrets_db = TeamSecretsDb(connect_team(db), reconnect=lambda: connect_team(db))
    return TeamSecrets(secrets_db, MemberKeys(vault or open_vault(paths)), secrets_db.whoami())
