"""Certificates in the vault: a profile's private key and certificate, and their lifecycle.

A certificate is stored under a fresh ``cert-<32 hex>`` ref that stays *pending* (a marker file
next to its blob) until the profile holding it is saved, so a run killed in between leaves
nothing that the next run cannot collect. Replacing one stores and verifies the new one before
the old one is removed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

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
from desktop.core.paths import PENDING_SUFFIX
from desktop.core.vault_blob import NAME, new_name
from desktop.core.vault_errors import VaultDamagedError

if TYPE_CHECKING:
    from desktop.core.vault import SecretVault

__all__ = [
    "CERT_PREFIX",
    "RUN_STARTED",
    "CertificateVault",
    "Commit",
    "Replaceable",
    "import_certificate",
    "open_stored",
    "replace_certificate",
]

log = logging.getLogger(__name__)

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
        return import_certificate(self, data, password)

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
            if not (ref.startswith(f"{CERT_PREFIX}-") and NAME.match(ref)):
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
        return open_stored(
            self.vault.get(ref),
            "The stored certificate is damaged.",
            remedy="Choose the app's .pfx file again (re-authorize the profile).",
        )

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
        return replace_certificate(self, old_ref, contents, commit)

    @staticmethod
    def _check_ref(ref: str) -> None:
        if not (ref.startswith(f"{CERT_PREFIX}-") and NAME.match(ref)):
            raise UserError(f"{ref!r} is not a certificate reference.")


Commit = Callable[[str], None]


class Replaceable(Protocol):
    """What :func:`replace_certificate` and :func:`import_certificate` need of a store."""

    def store(self, contents: PfxContents) -> str: ...
    def discard(self, ref: str) -> None: ...
    def settle(self, ref: str) -> None: ...
    def delete(self, ref: str) -> None: ...


def replace_certificate(
    certificates: Replaceable,
    old_ref: str | None,
    contents: PfxContents,
    commit: Commit | None = None,
) -> str:
    """Store *contents* in *certificates* as a new ref; only once it is stored and verified
    (and *commit* has succeeded) is *old_ref* removed. If anything fails, the old certificate
    is untouched and the new one is removed. Returns the new ref.
    """
    new_ref = certificates.store(contents)
    if commit is not None:
        try:
            commit(new_ref)
        except BaseException:
            certificates.discard(new_ref)
            raise
        certificates.settle(new_ref)
    if old_ref:
        try:
            certificates.delete(old_ref)
        except UserError as exc:  # the profile already uses the new one; a leftover is harmless
            log.warning("could not remove the replaced certificate %s: %s", old_ref, exc)
    return new_ref


def import_certificate(
    certificates: Replaceable, data: bytes, password: str | None
) -> tuple[str, CertificateInfo]:
    """Open a PFX, store it in *certificates*; returns ``(certificate_ref, info)``. The
    password opens the file and is then dropped."""
    contents = read_pfx(data, password)
    del password  # opened; never kept
    ref = certificates.store(contents)
    return ref, inspect(contents)


def open_stored(plaintext: bytes, message: str, *, remedy: str) -> PfxContents:
    """The key and certificates in a stored certificate's *plaintext* (a password-less PFX);
    :class:`VaultDamagedError` with *message* and *remedy* when it does not open."""
    try:
        return read_pfx(plaintext, None)
    except CertificateError as exc:
        raise VaultDamagedError(message, remedy=remedy, detail=exc.message) from exc
