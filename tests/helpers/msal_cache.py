"""MSAL token caches as a sign-in leaves them (account, ID, access and refresh tokens), built
with MSAL's own ``add`` so the entries have its real keys and fields."""

from __future__ import annotations

import base64
import json
import secrets
from dataclasses import dataclass

import msal

AUTHORITY_HOST = "login.microsoftonline.com"


def _b64(data: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")


@dataclass(frozen=True)
class SignIn:
    """The tokens one sign-in put in the cache (to look for them afterwards)."""

    client_id: str
    tenant_id: str
    username: str
    refresh_token: str
    access_token: str
    id_token: str


def sign_in(
    cache: msal.SerializableTokenCache,
    client_id: str,
    tenant_id: str,
    username: str,
    *,
    object_id: str = "",
    refresh_token: str = "",
) -> SignIn:
    """Add *username*'s sign-in to *client_id* in *tenant_id* to *cache* (random tokens)."""
    oid = object_id or secrets.token_hex(16)
    claims = {
        "aud": client_id,
        "iss": f"https://{AUTHORITY_HOST}/{tenant_id}/v2.0",
        "tid": tenant_id,
        "oid": oid,
        "preferred_username": username,
        "iat": 1_700_000_000,
        "exp": 4_000_000_000,
    }
    id_token = f"{_b64({'alg': 'none'})}.{_b64(claims)}.sig{secrets.token_hex(16)}"
    rt = refresh_token or f"RT-{secrets.token_urlsafe(48)}"
    at = f"AT-{secrets.token_urlsafe(48)}"
    cache.add(
        {
            "client_id": client_id,
            "scope": ["https://graph.microsoft.com/.default"],
            "token_endpoint": f"https://{AUTHORITY_HOST}/{tenant_id}/oauth2/v2.0/token",
            "response": {
                "access_token": at,
                "refresh_token": rt,
                "id_token": id_token,
                "client_info": _b64({"uid": oid, "utid": tenant_id}),
                "expires_in": 3600,
                "token_type": "Bearer",
            },
        }
    )
    return SignIn(client_id, tenant_id, username, rt, at, id_token)


def secrets_in(cache: msal.SerializableTokenCache, section: str) -> list[str]:
    """The ``secret`` of every entry of *section* (RefreshToken, AccessToken, IdToken)."""
    state = json.loads(cache.serialize())
    return sorted(str(e["secret"]) for e in (state.get(section) or {}).values())
