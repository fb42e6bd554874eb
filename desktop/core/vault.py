"""The vault: secrets kept encrypted on disk, each with its own key in the OS keyring.

For every secret a random 256-bit key lives in the OS keyring (Windows Credential Manager,
macOS Keychain, the Secret Service on Linux) under the app's service name, and the secret,
encrypted with it (AES-GCM), lives in ``DataPaths.vault``. The keyring holds only the short
key: Windows Credential Manager stores about 1280 characters, far less than a PFX.

Every keyring entry belongs to exactly one data folder: its name is
``vault:<folder id>:<secret name>``, the folder id being random and kept in the data folder
(:func:`desktop.core.paths.folder_id`). Earlier versions named entries ``vault:<secret name>``,
shared by every data folder; such an entry is moved to the new name the first time it is
used, and only by the data folder whose encrypted file it decrypts.

There is never a plaintext fallback: when the keyring is missing, locked or refuses access,
the operation fails with :class:`VaultUnavailableError` and nothing is stored.

The encrypted file format is :mod:`desktop.core.vault_blob`'s; certificates (refs, pending
markers, replacing) are :mod:`desktop.core.vault_certificates`'; both are importable from here.
"""

from __future__ import annotations

import logging
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from desktop import APP_ID
from desktop.core.errors import UserError
from desktop.core.keyring_policy import (
    RefusedBackendError,
    refusal_reason,
    unchained,
)
from desktop.core.paths import FOLDER_ID_FILE, DataPaths, folder_id
from desktop.core.vault_blob import (
    NAME,
    aad,
    decode_key,
    decrypt,
    encode_key,
    encrypt,
    new_key,
    new_name,
    well_formed,
    write_blob,
)
from desktop.core.vault_certificates import CERT_PREFIX, RUN_STARTED, CertificateVault, Commit
from desktop.core.vault_errors import (
    VaultDamagedError,
    VaultMissingError,
    VaultUnavailableError,
    unavailable,
)

if TYPE_CHECKING:
    from keyring.backend import KeyringBackend

__all__ = [
    "CERT_PREFIX",
    "RUN_STARTED",
    "SERVICE",
    "CertificateVault",
    "Commit",
    "SecretVault",
    "VaultDamagedError",
    "VaultMissingError",
    "VaultUnavailableError",
    "new_name",
    "open_vault",
]

log = logging.getLogger(__name__)

SERVICE = APP_ID


class SecretVault:
    """Named secrets: a key per name in the OS keyring, the encrypted bytes in *folder*.

    ``backend`` is the keyring backend; None uses the one ``keyring`` resolves for this user
    (tests pass an in-memory one). ``id_file`` holds the data folder's id (by default the
    ``folder-id`` file next to *folder*, in the data folder). Thread-safe within one process.
    """

    def __init__(
        self,
        folder: Path,
        backend: KeyringBackend | None = None,
        *,
        service: str = SERVICE,
        id_file: Path | None = None,
    ) -> None:
        self.folder = folder
        self.service = service
        self._id_file = id_file if id_file is not None else folder.parent / FOLDER_ID_FILE
        self._folder_id: str | None = None
        self._backend = backend
        self._accepted: KeyringBackend | None = None
        self._lock = threading.RLock()

    # -- keyring -------------------------------------------------------------------------
    def _keyring(self, action: str) -> KeyringBackend:
        if self._backend is None:
            try:
                import keyring

                self._backend = keyring.get_keyring()
            except Exception as exc:  # a broken keyring configuration
                raise unavailable(action, exc) from exc
            self._backend = unchained(self._backend)
        backend = self._backend
        if backend is not self._accepted:  # checked once: a priority may ask D-Bus each time
            refusal = refusal_reason(backend)
            if refusal is not None:
                raise unavailable(action, RefusedBackendError(refusal))
            self._accepted = backend
        return backend

    def account(self, name: str) -> str:
        """The keyring entry's name for the secret *name*: it names this data folder too."""
        if self._folder_id is None:
            self._folder_id = folder_id(self._id_file)
        return f"vault:{self._folder_id}:{name}"

    @staticmethod
    def legacy_account(name: str) -> str:
        """The name earlier versions gave the entry, the same for every data folder."""
        return f"vault:{name}"

    def _get_key(self, name: str, action: str) -> bytes | None:
        backend = self._keyring(action)
        try:
            text = backend.get_password(self.service, self.account(name))
        except Exception as exc:  # keyring errors, D-Bus errors, OSError on Windows
            raise unavailable(action, exc) from exc
        if text is None:
            return self._migrate(name, action)
        key = decode_key(text)
        if key is None:
            raise VaultDamagedError(
                f"The key for {name!r} in the OS keyring is damaged.",
                remedy="Delete it and store the secret again (choose the certificate again).",
            )
        return key

    def _legacy_key(self, name: str, action: str) -> bytes | None:
        """The key under the entry's old, shared name, when it decrypts *this* folder's blob.

        A legacy entry that does not decrypt our blob belongs to another data folder (or to
        nobody): it is left where it is.
        """
        try:
            blob = self._path(name).read_bytes()
        except OSError:
            return None
        backend = self._keyring(action)
        try:
            text = backend.get_password(self.service, self.legacy_account(name))
        except Exception as exc:
            raise unavailable(action, exc) from exc
        key = decode_key(text) if text is not None else None
        if key is None or decrypt(key, blob, aad(name)) is None:
            return None
        return key

    def _migrate(self, name: str, action: str) -> bytes | None:
        """Move a legacy entry that decrypts this folder's blob to this folder's name."""
        key = self._legacy_key(name, action)
        if key is None:
            return None
        self._set_key(name, key, action)
        self._delete_legacy(name)
        log.info("moved the keyring entry of %s to this data folder's own name", name)
        return key

    def _delete_legacy(self, name: str) -> None:
        from keyring.errors import PasswordDeleteError

        try:
            self._keyring("delete the secret").delete_password(
                self.service, self.legacy_account(name)
            )
        except PasswordDeleteError:  # another process moved it first
            return
        except Exception as exc:  # the copy under our own name is what counts
            log.warning("could not remove the old keyring entry of %s: %s", name, exc)

    def _set_key(self, name: str, key: bytes, action: str) -> None:
        backend = self._keyring(action)
        text = encode_key(key)
        try:
            backend.set_password(self.service, self.account(name), text)
            stored = backend.get_password(self.service, self.account(name))
        except Exception as exc:
            raise unavailable(action, exc) from exc
        if stored != text:  # a backend that silently drops secrets must not pass
            self._delete_key(name, action, quiet=True)
            raise unavailable(action, RuntimeError("the keyring did not keep the key"))

    def _delete_key(self, name: str, action: str, *, quiet: bool = False) -> None:
        from keyring.errors import PasswordDeleteError

        try:
            backend = self._keyring(action)
            if self._legacy_key(name, action) is not None:  # not moved yet: it is ours
                self._delete_legacy(name)
            if backend.get_password(self.service, self.account(name)) is None:
                return
            backend.delete_password(self.service, self.account(name))
        except PasswordDeleteError:
            return
        except Exception as exc:
            if quiet:
                log.warning("could not remove the vault key for %s: %s", name, exc)
                return
            if isinstance(exc, UserError):
                raise
            raise unavailable(action, exc) from exc

    # -- blobs ---------------------------------------------------------------------------
    def _path(self, name: str) -> Path:
        if not NAME.match(name):
            raise UserError(f"{name!r} is not a valid vault name.")
        return self.folder / f"{name}.bin"

    def _write_blob(self, name: str, data: bytes) -> None:
        write_blob(self._path(name), data)

    # -- public API ----------------------------------------------------------------------
    def put(self, name: str, plaintext: bytes, *, what: str = "the secret") -> None:
        """Store *plaintext* under *name* (replacing what was there), then verify it.

        *what* names the secret in error messages ("the certificate").
        """
        action = f"store {what}"
        with self._lock:
            path = self._path(name)
            key = self._get_key(name, action) if path.exists() else None
            created = key is None
            if key is None:
                key = new_key()
                self._set_key(name, key, action)
            blob = encrypt(key, plaintext, aad(name))
            try:
                self._write_blob(name, blob)
                if self.get(name) != plaintext:
                    raise VaultDamagedError("The stored secret did not read back the same.")
            except UserError:
                if created:
                    self._path(name).unlink(missing_ok=True)
                    self._delete_key(name, action, quiet=True)
                raise

    def get(self, name: str) -> bytes:
        """The plaintext stored under *name*. Raises :class:`VaultDamagedError` if missing."""
        action = "read the secret"
        with self._lock:
            path = self._path(name)
            try:
                blob = path.read_bytes()
            except FileNotFoundError as exc:
                raise VaultMissingError(
                    f"The encrypted file for {name!r} is missing from the data folder.",
                    remedy="Store the secret again (for a certificate: choose its .pfx again).",
                ) from exc
            except OSError as exc:
                raise UserError(f"Cannot read the data folder: {exc.strerror or exc}.") from exc
            key = self._get_key(name, action)
            if key is None:
                raise VaultMissingError(
                    f"The key for {name!r} is missing from the OS keyring.",
                    remedy="This happens after moving to another computer or user account. "
                    "Store the secret again (for a certificate: choose its .pfx again).",
                )
            if not well_formed(blob):
                raise VaultDamagedError(f"The encrypted file for {name!r} is damaged.")
            plaintext = decrypt(key, blob, aad(name))
            if plaintext is None:
                raise VaultDamagedError(
                    f"The encrypted file for {name!r} does not match its key.",
                    remedy="Store the secret again (for a certificate: choose its .pfx again).",
                )
            return plaintext

    def check_keyring(self, action: str) -> None:
        """Raise :class:`VaultUnavailableError` unless the keyring answers (it is asked for a key
        that does not exist), so a caller can refuse before it changes anything."""
        with self._lock:
            self._get_key("probe", action)

    def exists(self, name: str) -> bool:
        """Whether an encrypted blob exists under *name* (the keyring is not asked)."""
        return self._path(name).exists()

    def delete(self, name: str) -> None:
        """Remove the key from the keyring, then the blob. Missing parts are fine.

        When the keyring cannot be reached, nothing is removed and the error says so.
        """
        with self._lock:
            path = self._path(name)
            self._delete_key(name, "delete the secret")
            path.unlink(missing_ok=True)

    def set_aside(self, name: str) -> Path | None:
        """Rename the blob of *name* out of the way (``<name>-<UTC time>.unreadable``), so
        that a secret that cannot be read is kept for recovery rather than overwritten.

        Returns the new path, or None when there was no blob.
        """
        with self._lock:
            path = self._path(name)
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S.%fZ")
            target = path.with_name(f"{name}-{stamp}.unreadable")
            try:
                os.replace(path, target)
            except FileNotFoundError:
                return None
            except OSError as exc:
                raise UserError(
                    f"Cannot rename a file in the data folder: {exc.strerror or exc}.",
                    remedy="Check the permissions of the data folder.",
                ) from exc
            return target

    def names(self) -> list[str]:
        """The names with a blob in the folder."""
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.bin") if NAME.match(p.stem))


def open_vault(paths: DataPaths, backend: KeyringBackend | None = None) -> SecretVault:
    """The vault of a data folder (the keyring is resolved on first use, off the GUI thread)."""
    return SecretVault(paths.vault, backend, id_file=paths.folder_id)
