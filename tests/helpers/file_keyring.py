"""Keyring backends for CLI subprocesses in tests, chosen with ``PYTHON_KEYRING_BACKEND``.

``FileKeyring`` keeps entries in the JSON file named by ``APP_PROFILES_TEST_KEYRING``, so one
test's processes share a keyring; ``LockedKeyring`` refuses every call as a locked keyring does.
Tests only: the app refuses any keyring under ``tests.`` unless
``APP_PROFILES_ALLOW_TEST_KEYRING=1`` says that this is a test run.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring import errors
from keyring.backend import KeyringBackend

ENV = "APP_PROFILES_TEST_KEYRING"
FILE_BACKEND = "tests.helpers.file_keyring.FileKeyring"
LOCKED_BACKEND = "tests.helpers.file_keyring.LockedKeyring"


def keyring_env(path: Path, *, locked: bool = False) -> dict[str, str]:
    """The environment that makes a subprocess use the test keyring at *path* (the app
    refuses a keyring under ``tests.`` unless it is told that this is a test)."""
    return {
        "PYTHON_KEYRING_BACKEND": LOCKED_BACKEND if locked else FILE_BACKEND,
        ENV: str(path),
        "APP_PROFILES_ALLOW_TEST_KEYRING": "1",
    }


class FileKeyring(KeyringBackend):
    """Entries as ``{"service\\nusername": secret}`` in one JSON file."""

    priority = 1  # type: ignore[assignment]

    def __init__(self, path: Path | None = None) -> None:
        super().__init__()
        self.path = path or Path(os.environ[ENV])

    def _read(self) -> dict[str, str]:
        try:
            return dict(json.loads(self.path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return {}

    def _write(self, entries: dict[str, str]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(entries), encoding="utf-8")

    def get_password(self, service: str, username: str) -> str | None:
        return self._read().get(f"{service}\n{username}")

    def set_password(self, service: str, username: str, password: str) -> None:
        entries = self._read()
        entries[f"{service}\n{username}"] = password
        self._write(entries)

    def delete_password(self, service: str, username: str) -> None:
        entries = self._read()
        if entries.pop(f"{service}\n{username}", None) is None:
            raise errors.PasswordDeleteError("not found")
        self._write(entries)

    def accounts(self, service: str) -> list[str]:
        """The usernames stored under *service* (for assertions)."""
        prefix = f"{service}\n"
        return [k[len(prefix) :] for k in self._read() if k.startswith(prefix)]


class LockedKeyring(KeyringBackend):
    """A keyring that is locked: every call raises ``KeyringLocked``."""

    priority = 1  # type: ignore[assignment]

    def get_password(self, service: str, username: str) -> str | None:
        raise errors.KeyringLocked("the collection is locked")

    def set_password(self, service: str, username: str, password: str) -> None:
        raise errors.KeyringLocked("the collection is locked")

    def delete_password(self, service: str, username: str) -> None:
        raise errors.KeyringLocked("the collection is locked")
