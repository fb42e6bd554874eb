"""Which team database to use, and the technician's password for it in the OS keyring.

``APP_PROFILES_DATABASE_URL`` (a libpq URL) or the ``team_database_url`` setting selects the
team database; neither means the local SQLite store. The password is never part of either:
it lives in the OS keyring under the URL's user, host, port and database, and is stored there
with ``app-profiles-cli team password set``. A setting that carries a password is refused (the
settings file is plain JSON); the environment's URL may carry one, as libpq allows, and it is
never shown in a message or a log (:func:`~desktop.core.store.postgres.connection.redacted`).
libpq's own ``PGPASSWORD`` and ``.pgpass`` work as well.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from desktop import APP_ID
from desktop.core.errors import UserError
from desktop.core.keyring_policy import RefusedBackendError, refusal_reason, unchained
from desktop.core.vault_errors import unavailable

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

ENV_URL = "APP_PROFILES_DATABASE_URL"


@dataclass(frozen=True)
class TeamDatabase:
    """The team database a technician connects to (no password in it)."""

    url: str

    @property
    def has_password(self) -> bool:
        return urlsplit(self.url).password is not None

    @property
    def account(self) -> str:
        """The keyring entry's name: the same login on the same database, whatever the
        options (sslmode, ...) of the URL."""
        parts = urlsplit(self.url)
        user = unquote(parts.username or "") or _default_user()
        host = parts.hostname or "localhost"
        port = parts.port or 5432
        database = unquote(parts.path.lstrip("/")) or user
        return f"team-db:{user}@{host}:{port}/{database}"


def _default_user() -> str:
    from desktop.core.changes import local_actor

    return os.environ.get("PGUSER") or local_actor()


def parse(url: str, *, source: str, password_allowed: bool = False) -> TeamDatabase:
    """Check *url* (from *source*, for the message): a PostgreSQL URL, without a password
    unless *password_allowed*."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        parts.port  # noqa: B018 - reading it validates the port
    except ValueError as exc:
        raise _bad(source, str(exc)) from None
    if parts.scheme not in ("postgresql", "postgres"):
        raise _bad(source, "it must start with postgresql://")
    if parts.password is not None and not password_allowed:
        raise UserError(
            f"{source} holds a password; it is not used from there.",
            remedy="Remove the password from the address and store it with "
            "'app-profiles-cli team password set' (it goes into the OS keyring).",
        )
    return TeamDatabase(text)


def _bad(source: str, problem: str) -> UserError:
    return UserError(
        f"{source} is not a PostgreSQL address ({problem}).",
        remedy="Use e.g. postgresql://alice@db.example:5432/profiles?sslmode=verify-full.",
    )


def selected(setting: str = "") -> TeamDatabase | None:
    """The team database chosen by the environment, else by the setting; None: SQLite."""
    from_env = os.environ.get(ENV_URL, "").strip()
    if from_env:
        return parse(from_env, source=ENV_URL, password_allowed=True)
    if setting.strip():
        return parse(setting, source="The team database setting")
    return None


def _keyring(action: str, backend: KeyringBackend | None) -> KeyringBackend:
    if backend is None:
        try:
            import keyring

            backend = unchained(keyring.get_keyring())
        except Exception as exc:  # a broken keyring configuration
            raise unavailable(action, exc) from exc
    refusal = refusal_reason(backend)
    if refusal is not None:
        raise unavailable(action, RefusedBackendError(refusal))
    return backend


def get_password(db: TeamDatabase, backend: KeyringBackend | None = None) -> str | None:
    """The stored password, or None (libpq then tries its own sources: PGPASSWORD, .pgpass)."""
    action = "read the team database password"
    keyring = _keyring(action, backend)
    try:
        return keyring.get_password(APP_ID, db.account)
    except Exception as exc:  # a locked keyring, a refused access
        raise unavailable(action, exc) from exc


def set_password(db: TeamDatabase, password: str, backend: KeyringBackend | None = None) -> None:
    """Store *password* for *db* in the OS keyring (never anywhere else)."""
    if not password:
        raise UserError("The password is empty; nothing was stored.")
    action = "store the team database password"
    keyring = _keyring(action, backend)
    try:
        keyring.set_password(APP_ID, db.account, password)
    except Exception as exc:
        raise unavailable(action, exc) from exc
