"""Keyring backends for tests: an in-memory one, and ones that fail the ways real ones do."""

from __future__ import annotations

from pathlib import Path

from keyring import errors
from keyring.backend import KeyringBackend


class MemoryKeyring(KeyringBackend):
    """A dict-backed keyring; ``entries`` maps (service, username) to the secret."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.entries: dict[tuple[str, str], str] = {}
        self.calls: list[str] = []

    def get_password(self, service: str, username: str) -> str | None:
        self.calls.append("get")
        return self.entries.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append("set")
        self.entries[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.calls.append("delete")
        try:
            del self.entries[(service, username)]
        except KeyError:
            raise errors.PasswordDeleteError("not found") from None


class FailingKeyring(KeyringBackend):
    """Raises *error* on every call (locked keyring, access denied, no D-Bus, ...)."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, error: Exception) -> None:
        super().__init__()
        self.error = error

    def get_password(self, service: str, username: str) -> str | None:
        raise self.error

    def set_password(self, service: str, username: str, password: str) -> None:
        raise self.error

    def delete_password(self, service: str, username: str) -> None:
        raise self.error


class ForgetfulKeyring(MemoryKeyring):
    """Accepts every secret and keeps none (like the null backend)."""

    def set_password(self, service: str, username: str, password: str) -> None:
        self.calls.append("set")


class LimitedKeyring(MemoryKeyring):
    """Refuses secrets longer than Windows Credential Manager holds (about 1280 characters)."""

    LIMIT = 1280

    def set_password(self, service: str, username: str, password: str) -> None:
        if len(password) > self.LIMIT:
            raise errors.PasswordSetError("(1783, 'CredWrite', 'The stub received bad data.')")
        super().set_password(service, username, password)


def vault_account(home: Path, name: str) -> str:
    """The keyring account of the vault secret *name* in the data folder *home*."""
    from desktop.core.paths import DataPaths
    from desktop.core.vault import open_vault

    return open_vault(DataPaths(home)).account(name)
