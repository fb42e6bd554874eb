"""The technician's MSAL token cache, persisted encrypted through the vault.

MSAL keeps refresh tokens in a :class:`msal.SerializableTokenCache`; this module stores its
serialized form in the :class:`~desktop.core.vault.SecretVault` (key in the OS keyring, the
blob AES-GCM-encrypted in the data folder). It is never written in plaintext.

Several caches may be alive at once: the GUI's check service holds one, each sign-in loads
another, and a CLI run in a terminal has its own. A save therefore merges instead of
overwriting: under a lock shared by every process on this data folder it reads what is
stored, keeps the entries this cache never knew of, drops the ones it removed since it was
loaded, and writes the result. Nobody's sign-in is lost to a later writer.

msal-extensions is not used: on Linux its encrypted persistence needs PyGObject and a desktop
session (headless machines raise ``RuntimeError``) and it has no fallback, while the vault
works on every platform the keyring does, with the same "never plaintext" rule.
"""

from __future__ import annotations

import json
import logging
import threading
import weakref
from typing import Any

import msal

from desktop.core import notices
from desktop.core.file_lock import FileLock
from desktop.core.vault import SecretVault, VaultDamagedError

log = logging.getLogger(__name__)

CACHE_NAME = "token-cache"

Entries = frozenset[tuple[str, str]]

#: The entries each live cache held when it was last loaded or saved (any store instance:
#: the app builds several stores over the same vault).
_known: weakref.WeakKeyDictionary[msal.SerializableTokenCache, Entries] = (
    weakref.WeakKeyDictionary()
)
_known_lock = threading.Lock()


def _entries(state: dict[str, Any]) -> Entries:
    return frozenset(
        (section, key)
        for section, items in state.items()
        if isinstance(items, dict)
        for key in items
    )


def _parse(text: str) -> dict[str, Any]:
    state = json.loads(text) if text.strip() else {}
    if not isinstance(state, dict):
        raise ValueError("the token cache is not a JSON object")
    return state


def merge(stored: dict[str, Any], ours: dict[str, Any], known: Entries) -> dict[str, Any]:
    """*ours* over *stored*, without the stored entries that *ours* removed since it knew them.

    An entry in *stored* that is missing from *ours* was either added by someone else (kept)
    or removed by us (it is in *known*: dropped).
    """
    removed = known - _entries(ours)
    merged: dict[str, Any] = {}
    for section in stored.keys() | ours.keys():
        mine, theirs = ours.get(section), stored.get(section)
        if isinstance(mine, dict) or isinstance(theirs, dict):
            kept = {
                key: value
                for key, value in (theirs if isinstance(theirs, dict) else {}).items()
                if (section, key) not in removed
            }
            kept.update(mine if isinstance(mine, dict) else {})
            merged[section] = kept
        else:
            merged[section] = mine if section in ours else theirs
    return merged


class EncryptedTokenCacheStore:
    """Load, save and clear the technician's token cache.

    ``load()`` raises :class:`~desktop.core.vault.VaultUnavailableError` when the keyring
    cannot be used; a caller may then sign in with an in-memory cache for this session.
    A cache that cannot be decrypted (its key was lost) is never deleted: it is set aside
    (renamed with the time) and the technician is told, through the notice logger
    (:mod:`desktop.core.notices`), that signing in again is needed.
    """

    def __init__(self, vault: SecretVault, name: str = CACHE_NAME) -> None:
        self.vault = vault
        self.name = name
        self._lock = threading.Lock()
        self._file_lock = FileLock(vault.folder / f".{name}.lock")

    def _read_stored(self) -> dict[str, Any]:
        """What is stored now ({} when nothing, or nothing readable, is).

        An undecryptable cache is set aside first, so that the next save cannot overwrite it.
        """
        if not self.vault.exists(self.name):
            return {}
        try:
            data = self.vault.get(self.name)
        except VaultDamagedError as exc:
            kept = self.vault.set_aside(self.name)
            # The technician hears of it through the notice below; the detail is for the log.
            log.info("set aside an unreadable token cache as %s: %s", kept, exc.one_line())
            if kept is not None:
                notices.tell(
                    "The saved sign-in in this data folder could not be decrypted (its key is "
                    f"not in the OS keyring); it was kept as {kept.name}. Sign in again."
                )
            return {}
        try:
            return _parse(data.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            log.warning("ignoring a malformed token cache: %s", exc)
            return {}

    def load(self) -> msal.SerializableTokenCache:
        """The stored cache, or an empty one."""
        cache = msal.SerializableTokenCache()
        with self._lock, self._file_lock:
            state = self._read_stored()
        if state:
            cache.deserialize(json.dumps(state))
        with _known_lock:
            _known[cache] = _entries(state)
        return cache

    def save(self, cache: msal.SerializableTokenCache) -> bool:
        """Merge *cache* into the stored one if MSAL changed it; returns whether it wrote."""
        if not cache.has_state_changed:
            return False
        with self._lock, self._file_lock:
            text = cache.serialize()  # also clears has_state_changed
            try:
                ours = _parse(text)
                with _known_lock:
                    known = _known.get(cache, frozenset())
                merged = merge(self._read_stored(), ours, known)
                self.vault.put(
                    self.name,
                    json.dumps(merged).encode("utf-8"),
                    what="the sign-in token cache",
                )
            except BaseException:
                cache.has_state_changed = True  # not stored: a later save must try again
                raise
            with _known_lock:
                _known[cache] = _entries(ours)
        return True

    def check_available(self) -> None:
        """Raise :class:`~desktop.core.vault.VaultUnavailableError` unless the keyring answers,
        so a sign-in is refused before the browser opens rather than lost after it."""
        self.vault.check_keyring("store the sign-in token cache")

    def clear(self) -> None:
        """Forget every token stored in this data folder (sign out of this folder; other
        data folders keep their own keys and caches)."""
        with self._lock, self._file_lock:
            self.vault.delete(self.name)
