"""Opening the team secret store from the environment (``APP_PROFILES_DATABASE_URL``)."""

from __future__ import annotations

import os
from dataclasses import dataclass

import psycopg

from desktop.core.errors import UserError
from desktop.core.paths import DataPaths
from desktop.core.secrets import DATABASE_URL_ENV
from desktop.core.secrets.local import LocalSecretStore
from desktop.core.secrets.member_key import MemberKeys
from desktop.core.secrets.team import TeamSecretStore
from desktop.core.secrets.team_db import Connection, TeamSecretsDb
from desktop.core.vault import SecretVault, open_vault


def team_url() -> str | None:
    """The team database's libpq URL, or None in solo mode."""
    return os.environ.get(DATABASE_URL_ENV, "").strip() or None


def connect(url: str) -> Connection:
    """A connection to the team database. Raises :class:`UserError` in words (never the
    password)."""
    try:
        return psycopg.connect(
            url, autocommit=True, connect_timeout=10, application_name="app-profile-manager"
        )
    except (psycopg.Error, ValueError) as exc:
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
        if "password" in first.lower():
            first = "the server refused the user name or password"
        raise UserError(
            f"Cannot reach the team database: {first}.",
            remedy=f"Check {DATABASE_URL_ENV}, the network, and your team user name.",
        ) from None


@dataclass
class TeamSecrets:
    """What the ``team`` secret commands work with."""

    db: TeamSecretsDb
    keys: MemberKeys
    member: str

    def store(self, local: LocalSecretStore) -> TeamSecretStore:
        return TeamSecretStore(self.db, self.keys, local, self.customer_of, self.member)

    def customer_of(self, ref: str) -> int | None:
        """The customer of the team inventory's profile holding *ref*."""
        return self.db.customer_of_certificate(ref)


def open_team_secrets(paths: DataPaths, url: str, vault: SecretVault | None = None) -> TeamSecrets:
    """This data folder's member keys (in *vault*, by default the folder's) and the team
    database's secret tables."""
    db = TeamSecretsDb(connect(url))
    return TeamSecrets(db, MemberKeys(vault or open_vault(paths)), db.whoami())
