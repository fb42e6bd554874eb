"""MSAL token caches for tests: a signed-in cache, and reading its refresh tokens back."""

from __future__ import annotations

import msal

REFRESH_TOKEN = "RT-0123456789-very-secret-refresh-token"


def signed_in_cache() -> msal.SerializableTokenCache:
    """A cache holding one sign-in whose refresh token is :data:`REFRESH_TOKEN`."""
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
    """The refresh tokens in *cache*."""
    found = cache.search(msal.TokenCache.CredentialType.REFRESH_TOKEN)
    return [item["secret"] for item in found]


def add_refresh_token(cache: msal.SerializableTokenCache, name: str) -> None:
    """Add a sign-in whose refresh token is *name* (its own client ID keeps it apart)."""
    cache.add(
        {
            "client_id": f"client-{name}",
            "scope": ["User.Read"],
            "token_endpoint": "https://login.example/contoso/oauth2/v2.0/token",
            "response": {"access_token": f"AT-{name}", "refresh_token": name, "expires_in": 3600},
        }
    )
