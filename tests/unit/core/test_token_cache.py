"""The MSAL token cache persisted through the vault."""

from __future__ import annotations

from pathlib import Path

import msal
import pytest
from keyring import errors

from desktop.core.paths import data_paths
from desktop.core.token_cache import CACHE_NAME, TokenCacheStore
from desktop.core.vault import SecretVault, VaultUnavailableError
from tests.helpers.keyrings import FailingKeyring, MemoryKeyring

REFRESH_TOKEN = "RT-0123456789-very-secret-refresh-token"


def signed_in_cache() -> msal.SerializableTokenCache:
    cache = msal.SerializableTokenCache()
    cache.add(
        {
            "client_id": "11111111-2222-3333-4444-555555555555",
            "scope": ["User.Read"],
            "token_endpoint": "https://login.example/contoso/oauth2/v2.0/token",
            "response": {
                "access_token": "AT-short-lived",
                "refresh_token": REFRESH_TOKEN,
                "expires_in": 3600,
                "token_type": "Bearer",
            },
        }
    )
    return cache


def refresh_tokens(cache: msal.SerializableTokenCache) -> list[str]:
    found = cache.search(msal.TokenCache.CredentialType.REFRESH_TOKEN)
    return [item["secret"] for item in found]


@pytest.fixture
def folder(data_home: Path) -> Path:
    return data_paths().ensure().vault


def test_empty_when_nothing_stored(folder: Path) -> None:
    store = TokenCacheStore(SecretVault(folder, MemoryKeyring()))
    assert refresh_tokens(store.load()) == []


def test_round_trip_encrypted(folder: Path) -> None:
    backend = MemoryKeyring()
    store = TokenCacheStore(SecretVault(folder, backend))
    cache = signed_in_cache()
    assert store.save(cache) is True
    assert store.save(cache) is False, "unchanged caches are not written again"
    on_disk = (folder / f"{CACHE_NAME}.bin").read_bytes()
    assert REFRESH_TOKEN.encode() not in on_disk and b"RefreshToken" not in on_disk
    assert refresh_tokens(TokenCacheStore(SecretVault(folder, backend)).load()) == [REFRESH_TOKEN]
    store.clear()
    assert not (folder / f"{CACHE_NAME}.bin").exists() and backend.entries == {}
    assert refresh_tokens(store.load()) == []


def test_unavailable_keyring_never_writes_plaintext(folder: Path) -> None:
    store = TokenCacheStore(SecretVault(folder, FailingKeyring(errors.NoKeyringError("none"))))
    cache = signed_in_cache()
    with pytest.raises(VaultUnavailableError):
        store.save(cache)
    assert cache.has_state_changed, "a failed save is retried by the next save"
    assert list(folder.iterdir()) == []


def test_unreadable_cache_is_dropped_not_fatal(folder: Path) -> None:
    backend = MemoryKeyring()
    store = TokenCacheStore(SecretVault(folder, backend))
    store.save(signed_in_cache())
    backend.entries.clear()  # e.g. the keyring was reset
    assert refresh_tokens(store.load()) == []
    assert not (folder / f"{CACHE_NAME}.bin").exists()
