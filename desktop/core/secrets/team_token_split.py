"""Which entries of an MSAL token cache are a consenting user's sign-in, to share in a team.

A delegated profile's check redeems the refresh token of the user who consented, for the
publisher app's client ID. Those entries (the RefreshToken, the user's Account and the
IdTokens of that account and client) form one *share*: one team secret per consenting user,
tenant and client ID. The technician's own sign-in (the sign-in app's client IDs) is never
a share, and access tokens are never kept in one (checks always refresh).

Why per user, tenant and client ID rather than per profile: one refresh token serves every
profile the user consented for that app in that tenant, and it rotates. Kept once, a
rotation is written once and every profile's check reads the same current token. The id is
derived from what every member sees on the profile (its tenant, its consenting user, the
app's client ID), so a member can tell "shared, not with you yet" from "never stored"
without reading the secret; the user name is hashed, as the server needs no more.
"""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

#: The team secrets' kind for a consenting user's sign-in.
TOKEN_KIND = "refresh-token"
TOKEN_PREFIX = "token"

#: MSAL's cache sections (msal.TokenCache.CredentialType).
ACCESS_TOKEN = "AccessToken"
REFRESH_TOKEN = "RefreshToken"
ID_TOKEN = "IdToken"
ACCOUNT = "Account"
APP_METADATA = "AppMetadata"

State = dict[str, Any]
Entry = tuple[str, str]


def user_digest(tenant_id: str, username: str) -> str:
    """The hashed (tenant, user) part of a token secret's id."""
    text = f"{tenant_id.strip().lower()}\0{username.strip().lower()}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def token_secret_id(tenant_id: str, username: str, client_id: str) -> str:
    """The team secret id of *username*'s sign-in for *client_id* in *tenant_id*."""
    return f"{TOKEN_PREFIX}-{user_digest(tenant_id, username)}-{client_id.strip().lower()}"


def is_token_secret(secret_id: str) -> bool:
    return secret_id.startswith(f"{TOKEN_PREFIX}-")


@dataclass
class Share:
    """One consenting user's sign-in for one app: the cache entries a team secret holds.

    ``state`` is a partial MSAL cache (its sections); ``dropped`` are access tokens of the
    same user and app, which are kept nowhere."""

    secret_id: str
    tenant_id: str
    username: str
    home_account_id: str
    state: State = field(default_factory=dict)
    dropped: set[Entry] = field(default_factory=set)

    def entries(self) -> set[Entry]:
        """Every cache entry of this share (dropped access tokens included)."""
        return {(s, k) for s, items in self.state.items() for k in items} | self.dropped


def _items(state: State, section: str) -> dict[str, dict[str, Any]]:
    items = state.get(section)
    if not isinstance(items, dict):
        return {}
    return {k: v for k, v in items.items() if isinstance(v, dict)}


def split(state: State, own_clients: Collection[str]) -> list[Share]:
    """The consenting users' sign-ins in *state*: one share per refresh token of a client
    not among *own_clients* (the technician's sign-in apps) and account that holds it."""
    own = {c.strip().lower() for c in own_clients}
    accounts = _items(state, ACCOUNT)
    id_tokens = _items(state, ID_TOKEN)
    access = _items(state, ACCESS_TOKEN)
    metadata = _items(state, APP_METADATA)
    shares: list[Share] = []
    for rt_key, rt in sorted(_items(state, REFRESH_TOKEN).items()):
        client = str(rt.get("client_id", "")).lower()
        home = str(rt.get("home_account_id", ""))
        env = str(rt.get("environment", ""))
        if not client or not home or client in own:
            continue
        for account_key, account in sorted(accounts.items()):
            if account.get("home_account_id") != home or account.get("environment") != env:
                continue
            realm = str(account.get("realm", ""))
            username = str(account.get("username", ""))
            if not realm or not username:
                continue
            share = Share(token_secret_id(realm, username, client), realm, username, home)
            share.state[REFRESH_TOKEN] = {rt_key: rt}
            share.state[ACCOUNT] = {account_key: account}
            share.state[ID_TOKEN] = {
                k: v
                for k, v in id_tokens.items()
                if v.get("home_account_id") == home
                and str(v.get("client_id", "")).lower() == client
                and str(v.get("realm", "")).lower() == realm.lower()
            }
            share.state[APP_METADATA] = {
                k: v for k, v in metadata.items() if str(v.get("client_id", "")).lower() == client
            }
            share.dropped = {
                (ACCESS_TOKEN, k)
                for k, v in access.items()
                if v.get("home_account_id") == home
                and str(v.get("client_id", "")).lower() == client
            }
            shares.append(share)
    return shares


def without(state: State, shares: list[Share]) -> State:
    """*state* less the entries *shares* keep (an account stays while a refresh token kept
    here still belongs to it: the technician may have consented as themself)."""
    drop: set[Entry] = set()
    for share in shares:
        drop |= share.entries()
    kept_homes = {
        str(rt.get("home_account_id", ""))
        for key, rt in _items(state, REFRESH_TOKEN).items()
        if (REFRESH_TOKEN, key) not in drop
    }
    drop = {
        (section, key)
        for section, key in drop
        if section != ACCOUNT
        or str(_items(state, ACCOUNT).get(key, {}).get("home_account_id", "")) not in kept_homes
    }
    # App metadata is not secret and other sign-ins of the same app may need it: keep it.
    drop = {(section, key) for section, key in drop if section != APP_METADATA}
    rest: State = {}
    for section, items in state.items():
        if isinstance(items, dict):
            rest[section] = {k: v for k, v in items.items() if (section, k) not in drop}
        else:
            rest[section] = items
    return rest


def merged(state: State, share_state: State) -> State:
    """*state* with a share's entries added (the share's win: it is the team's current one)."""
    out: State = {s: dict(v) if isinstance(v, dict) else v for s, v in state.items()}
    for section, items in share_state.items():
        target = out.setdefault(section, {})
        if isinstance(target, dict) and isinstance(items, dict):
            target.update(items)
    return out


def token_profiles(
    secret_ids: list[str], delegated: list[tuple[str, str, str]]
) -> dict[str, list[tuple[str, str]]]:
    """The (profile name, consenting user) pairs each token secret serves, from the
    inventory's *delegated* profiles (tenant, consenting user, name): matched by the hashed
    tenant and user in the id, as anyone can tell without reading the secret."""
    by_digest: dict[str, list[tuple[str, str]]] = {}
    for tenant, user, name in delegated:
        by_digest.setdefault(user_digest(tenant, user), []).append((name, user))
    found: dict[str, list[tuple[str, str]]] = {}
    for secret_id in secret_ids:
        parts = secret_id.split("-", 2)
        if len(parts) == 3 and parts[0] == TOKEN_PREFIX and parts[1] in by_digest:
            found[secret_id] = by_digest[parts[1]]
    return found
