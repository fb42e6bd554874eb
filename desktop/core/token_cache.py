"""The technician's MSAL token cache, persisted encrypted through the vault.

MSAL keeps refresh tokens in a :class:`msal.SerializableTokenCache`; this module stores its
serialized form in the :class:`~desktop.core.vault.SecretVault` (key in the OS keyring, the
blob AES-GCM-encrypted in the data folder). It is never written in plaintext.

msal-extensions is not used: on Linux its encrypted persistence needs PyGObject and a desktop
session (headless machines raise ``RuntimeError``) and it has no fallback, while the vault
works on every platform the keyring does, with the same "never plaintext" rule.
"""

from __future__ import annotations

import logging
import threading

import msal

from desktop.core.vault import SecretVault, VaultDamagedError

log = logging.getLogger(__name__)

CACHE_NAME = "token-cache"


class TokenCacheStore:
    """Load, save and clear the technician's token cache.

    ``load()`` raises :class:`~desktop.core.vault.VaultUnavailableError` when the keyring
    cannot be used; a caller may then sign in with an in-memory cache for this session.
    A cache that cannot be decrypted (its key was lost) is dropped: it only means signing in
    again.
    """

    def __init__(self, vault: SecretVault, name: str = CACHE_NAME) -> None:
        self.vault = vault
        self.name = name
        self._lock = threading.Lock()

    def load(self) -> msal.SerializableTokenCache:
        """The stored cache, or an empty one."""
        cache = msal.SerializableTokenCache()
        with self._lock:
            if not self.vault.exists(self.name):
                return cache
            try:
                data = self.vault.get(self.name)
            except VaultDamagedError as exc:
                log.warning("dropping an unreadable token cache: %s", exc)
                self.vault.delete(self.name)
                return cache
        try:
            cache.deserialize(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            log.warning("dropping a malformed token cache: %s", exc)
            return msal.SerializableTokenCache()
        return cache

    def save(self, cache: msal.SerializableTokenCache) -> bool:
        """Store *cache* if MSAL changed it; returns whether it wrote."""
        if not cache.has_state_changed:
            return False
        with self._lock:
            text = cache.serialize()  # also clears has_state_changed
            try:
                self.vault.put(self.name, text.encode("utf-8"), what="the sign-in token cache")
            except BaseException:
                cache.has_state_changed = True  # not stored: a later save must try again
                raise
        return True

    def check_available(self) -> None:
        """Raise :class:`~desktop.core.vault.VaultUnavailableError` unless the keyring answers,
        so a sign-in is refused before the browser opens rather than lost after it."""
        self.vault.check_keyring("store the sign-in token cache")

    def clear(self) -> None:
        """Forget every stored token (sign out everywhere)."""
        with self._lock:
            self.vault.delete(self.name)
