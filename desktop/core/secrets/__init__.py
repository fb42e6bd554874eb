"""Where profiles' secrets live: one interface, several stores.

:class:`~desktop.core.secrets.store.SecretStore` is what checks, consent and re-authorize
call: a custom profile's certificate (stored, loaded, replaced, deleted) and the persistence
of consenting users' refresh tokens. The local vault (solo mode: OS keyring + encrypted
files) implements it today; a team store (per-member envelope encryption) and a cloud key
vault implement the same interface, so adding one changes no caller.

Importing this package loads no cryptography; :func:`open_secret_store` does, on first use.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from desktop.core.paths import DataPaths
from desktop.core.secrets.store import SecretStore

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    from keyring.backend import KeyringBackend

    from desktop.core.identity.signin import TokenCacheStore
    from desktop.core.secrets.team_wiring import TeamSecrets

__all__ = ["SecretStore", "open_secret_store", "team_token_cache"]


def open_secret_store(paths: DataPaths, backend: KeyringBackend | None = None) -> SecretStore:
    """This data folder's secret store (the keyring is resolved on first use, off the GUI
    thread). *backend* is the keyring backend (tests pass an in-memory one).

    In team mode (``APP_PROFILES_DATABASE_URL`` or the team database setting) it is the team
    store: once the folder is enrolled (``team enroll``) new certificates go to the team
    database, shared as ``team approve`` says; before that they stay in the local vault, and
    a colleague's certificate not shared yet is a wait, never Invalid.
    """
    from desktop.core.secrets.local import LocalSecretStore
    from desktop.core.vault import open_vault

    vault = open_vault(paths, backend)
    local = LocalSecretStore(vault)
    from desktop.core.settings import Settings

    if not _team_mode(Settings.load(paths.settings).team_database_url):
        return local
    from desktop.core.secrets.team_wiring import open_team_secrets, team_database

    database = team_database(paths)
    if database is None:
        return local
    return open_team_secrets(paths, database, vault).store(local)


def team_token_cache(
    paths: DataPaths,
    local: TokenCacheStore,
    own_clients: Callable[[], Collection[str]],
    setting: str,
) -> TokenCacheStore:
    """The MSAL cache store checks and consents use: *local* in solo mode; in team mode
    (*setting* is the team database setting) the :class:`~.team_tokens.TeamTokenCache` over
    it, which keeps consenting users' sign-ins as team secrets. *own_clients* are the
    technician's sign-in apps' client IDs. Nothing is connected until the cache is used."""
    if not _team_mode(setting):
        return local
    from desktop.core.secrets.team_tokens import TeamTokenCache

    def team() -> TeamSecrets:
        from desktop.core.errors import UserError
        from desktop.core.secrets.team_wiring import open_team_secrets, team_database

        database = team_database(paths)
        if database is None:
            raise UserError("No team database is set.")
        return open_team_secrets(paths, database)

    return TeamTokenCache(local, team, own_clients)


def _team_mode(setting: str) -> bool:
    """Whether a team database is chosen (the environment's address, else the setting's),
    without loading the database driver."""
    return bool(os.environ.get("APP_PROFILES_DATABASE_URL", "").strip() or setting.strip())
