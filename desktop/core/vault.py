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
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import re
import secrets
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from desktop import APP_ID
from desktop.core.certificates import (
    CertificateError,
    CertificateInfo,
    PfxContents,
    export_pfx,
    inspect,
    read_pfx,
    validate_for_profile,
)
from desktop.core.errors import UserError
from desktop.core.keyring_policy import (
    RefusedBackendError,
    refusal_reason,
    unchained,
)
from desktop.core.paths import FOLDER_ID_FILE, PENDING_SUFFIX, DataPaths, folder_id
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
    "SERVICE",
    "CertificateVault",
    "SecretVault",
    "VaultDamagedError",
    "VaultMissingError",
    "VaultUnavailableError",
    "new_name",
    "open_vault",
]

log = logging.getLogger(__name__)

SERVICE = APP_ID
MAGIC = b"APMV1\0"
NONCE_BYTES = 12
_NAME = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


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
        key = _decode_key(text)
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
        key = _decode_key(text) if text is not None else None
        if key is None or _decrypt(key, blob, self._aad(name)) is None:
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
        text = base64.b64encode(key).decode("ascii")
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
        if not _NAME.match(name):
            raise UserError(f"{name!r} is not a valid vault name.")
        return self.folder / f"{name}.bin"

    def _write_blob(self, name: str, data: bytes) -> None:
        path = self._path(name)
        tmp = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise UserError(
                f"Cannot write to the data folder: {exc.strerror or exc}.",
                remedy="Check free space and the permissions of the data folder.",
            ) from exc

    @staticmethod
    def _aad(name: str) -> bytes:
        # Binds each blob to its name: a blob copied over another's file does not decrypt.
        return MAGIC + name.encode("ascii")

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
                key = AESGCM.generate_key(bit_length=256)
                self._set_key(name, key, action)
            nonce = secrets.token_bytes(NONCE_BYTES)
            blob = MAGIC + nonce + AESGCM(key).encrypt(nonce, plaintext, self._aad(name))
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
            if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + NONCE_BYTES + 16:
                raise VaultDamagedError(f"The encrypted file for {name!r} is damaged.")
            plaintext = _decrypt(key, blob, self._aad(name))
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
        return sorted(p.stem for p in self.folder.glob("*.bin") if _NAME.match(p.stem))


def _decode_key(text: str) -> bytes | None:
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError):
        return None
    return key if len(key) == 32 else None


def _decrypt(key: bytes, blob: bytes, aad: bytes) -> bytes | None:
    """The plaintext of *blob*, or None when it is damaged or *key* is not its key."""
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + NONCE_BYTES + 16:
        return None
    nonce = blob[len(MAGIC) : len(MAGIC) + NONCE_BYTES]
    try:
        return AESGCM(key).decrypt(nonce, blob[len(MAGIC) + NONCE_BYTES :], aad)
    except InvalidTag:
        return None


def open_vault(paths: DataPaths, backend: KeyringBackend | None = None) -> SecretVault:
    """The vault of a data folder (the keyring is resolved on first use, off the GUI thread)."""
    return SecretVault(paths.vault, backend, id_file=paths.folder_id)


def new_name(prefix: str) -> str:
    """A fresh random vault name: ``cert-3f2a...``."""
    return f"{prefix}-{secrets.token_hex(16)}"


#: Prefix of a ``certificate_ref``: ``cert-<32 hex>``.
CERT_PREFIX = "cert"
#: When this run started: pending certificates older than it were left by an ended run.
RUN_STARTED = time.time()


class CertificateVault:
    """A profile's private key and certificate, stored through a :class:`SecretVault`.

    ``store`` returns the ``certificate_ref`` the profile keeps. A PFX password is used to
    open the file and then dropped; what is stored is the key and certificates themselves,
    re-encoded without a password and then encrypted by the vault.
    """

    def __init__(self, vault: SecretVault) -> None:
        self.vault = vault

    def import_pfx(self, data: bytes, password: str | None) -> tuple[str, CertificateInfo]:
        """Open, check and store a PFX; returns ``(certificate_ref, info)``."""
        contents = read_pfx(data, password)
        del password  # opened; never kept
        ref = self.store(contents)
        return ref, inspect(contents)

    def store(self, contents: PfxContents) -> str:
        """Check that a profile can use *contents*, store it, verify it; return its ref.

        The new ref is *pending* until :meth:`settle` (called once the profile that holds it
        is saved): a process killed in between leaves a pending certificate that the next
        run's :meth:`collect_interrupted` removes, unless a profile holds it after all.
        """
        validate_for_profile(contents)
        plaintext = export_pfx(contents, None)
        ref = new_name(CERT_PREFIX)
        self.vault.check_keyring("store the certificate")  # refused: nothing to mark or undo
        self._pending(ref).parent.mkdir(parents=True, exist_ok=True)
        self._pending(ref).touch()  # before the key exists: a kill cannot outrun it
        try:
            self.vault.put(ref, plaintext, what="the certificate")
            stored = self.load(ref)
            if stored.certificate != contents.certificate:
                raise VaultDamagedError("The stored certificate did not read back the same.")
        except BaseException:
            self.discard(ref)
            raise
        return ref

    def discard(self, ref: str) -> None:
        """Remove *ref* on the way out of a failed save, never masking that failure: when the
        keyring refuses, the ref stays pending and the next run collects it."""
        try:
            self.delete(ref)
        except UserError as exc:
            log.warning("could not remove certificate %s now, next start will: %s", ref, exc)

    def _pending(self, ref: str) -> Path:
        return self.vault.folder / f"{ref}{PENDING_SUFFIX}"

    def settle(self, ref: str) -> None:
        """*ref* is held by a saved profile now: no longer pending."""
        self._check_ref(ref)
        self._pending(ref).unlink(missing_ok=True)

    def collect_interrupted(
        self, referenced: Callable[[], set[str]], *, before: float | None = None
    ) -> list[str]:
        """Remove the certificates an interrupted run stored for a profile it never saved.

        Only pending refs older than this run (or *before*, a time stamp) are looked at, so a
        save in progress elsewhere is left alone; a pending ref that a profile holds after all
        (*referenced*, asked only when something is pending) is settled instead. Returns the
        refs removed.
        """
        cutoff = RUN_STARTED if before is None else before
        try:
            pending = [
                p
                for p in self.vault.folder.glob(f"*{PENDING_SUFFIX}")
                if p.stat().st_mtime < cutoff
            ]
        except OSError:
            return []
        if not pending:
            return []
        held = referenced()
        removed: list[str] = []
        for marker in pending:
            ref = marker.name.removesuffix(PENDING_SUFFIX)
            if not (ref.startswith(f"{CERT_PREFIX}-") and _NAME.match(ref)):
                continue
            if ref in held:
                self.settle(ref)
                continue
            self.delete(ref)
            removed.append(ref)
            log.warning("removed certificate %s: stored by a run that ended before saving", ref)
        return removed

    def load(self, ref: str) -> PfxContents:
        """The key and certificates stored under *ref* (in memory only)."""
        self._check_ref(ref)
        try:
            return read_pfx(self.vault.get(ref), None)
        except CertificateError as exc:
            raise VaultDamagedError(
                "The stored certificate is damaged.",
                remedy="Choose the app's .pfx file again (re-authorize the profile).",
                detail=exc.message,
            ) from exc

    def info(self, ref: str) -> CertificateInfo:
        """The report on the certificate stored under *ref* (expiry warnings included)."""
        return inspect(self.load(ref))

    def delete(self, ref: str) -> None:
        """Remove both parts: the key in the keyring and the encrypted file."""
        self._check_ref(ref)
        self.vault.delete(ref)
        self._pending(ref).unlink(missing_ok=True)

    def check_available(self, action: str = "delete the certificates") -> None:
        """Raise :class:`VaultUnavailableError` when the OS keyring cannot be used."""
        self.vault.check_keyring(action)

    def replace(
        self, old_ref: str | None, contents: PfxContents, commit: Commit | None = None
    ) -> str:
        """Store *contents* as a new ref; only once it is stored and verified (and *commit*,
        e.g. saving the profile with the new ref, has succeeded) is *old_ref* removed.

        If anything fails, the old certificate is untouched and the new one is removed.
        """
        new_ref = self.store(contents)
        if commit is not None:
            try:
                commit(new_ref)
            except BaseException:
                self.discard(new_ref)
                raise
            self.settle(new_ref)
        if old_ref:
            try:
                self.delete(old_ref)
            except UserError as exc:  # the profile already uses the new one; a leftover is harmless
                log.warning("could not remove the replaced certificate %s: %s", old_ref, exc)
        return new_ref

    @staticmethod
    def _check_ref(ref: str) -> None:
        if not (ref.startswith(f"{CERT_PREFIX}-") and _NAME.match(ref)):
            raise UserError(f"{ref!r} is not a certificate reference.")


Commit = Callable[[str], None]
