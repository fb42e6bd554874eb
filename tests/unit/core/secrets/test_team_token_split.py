"""Which entries of an MSAL cache are a consenting user's sign-in (a team share)."""

from __future__ import annotations

import json

import msal

from desktop.core.secrets.team_token_split import (
    ACCESS_TOKEN,
    ACCOUNT,
    REFRESH_TOKEN,
    merged,
    split,
    token_profiles,
    token_secret_id,
    without,
)
from tests.helpers.msal_cache import sign_in

SIGN_IN_APP = "0a0a0a0a-0000-4000-8000-00000000a11c"
PUBLISHER = "5e5e5e5e-0000-4000-8000-0000000000b5"
PARTNER = "99999999-0000-4000-8000-000000000001"
CUSTOMER = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def _state(cache: msal.SerializableTokenCache) -> dict:
    return dict(json.loads(cache.serialize()))


def test_the_consenting_users_sign_in_is_a_share_and_the_technicians_is_not() -> None:
    cache = msal.SerializableTokenCache()
    tech = sign_in(cache, SIGN_IN_APP, PARTNER, "tech@partner.example")
    user = sign_in(cache, PUBLISHER, CUSTOMER, "Admin@Contoso.example")
    state = _state(cache)

    (share,) = split(state, {SIGN_IN_APP.upper()})  # client IDs compare case-insensitively
    assert share.secret_id == token_secret_id(CUSTOMER.upper(), "admin@contoso.example", PUBLISHER)
    assert share.username == "Admin@Contoso.example" and share.tenant_id == CUSTOMER
    kept = json.dumps(share.state)
    assert user.refresh_token in kept and user.id_token in kept
    assert user.access_token not in kept and tech.refresh_token not in kept
    assert [s for s, _ in share.dropped] == [ACCESS_TOKEN]

    rest = json.dumps(without(state, [share]))
    assert tech.refresh_token in rest and tech.access_token in rest
    for token in (user.refresh_token, user.access_token, user.id_token, "Admin@Contoso"):
        assert token not in rest

    back = merged(without(state, [share]), share.state)
    assert back[REFRESH_TOKEN] == state[REFRESH_TOKEN]


def test_an_account_the_technician_signs_in_with_too_stays_on_this_computer() -> None:
    cache = msal.SerializableTokenCache()
    sign_in(cache, SIGN_IN_APP, CUSTOMER, "admin@contoso.example", object_id="ab" * 16)
    user = sign_in(cache, PUBLISHER, CUSTOMER, "admin@contoso.example", object_id="ab" * 16)
    state = _state(cache)
    (share,) = split(state, {SIGN_IN_APP})
    rest = without(state, [share])
    assert rest[ACCOUNT] == state[ACCOUNT]  # the technician's own sign-in still needs it
    assert user.refresh_token not in json.dumps(rest)


def test_no_share_without_another_app_or_an_account() -> None:
    cache = msal.SerializableTokenCache()
    sign_in(cache, SIGN_IN_APP, PARTNER, "tech@partner.example")
    assert split(_state(cache), {SIGN_IN_APP}) == []
    sign_in(cache, PUBLISHER, CUSTOMER, "admin@contoso.example")
    state = _state(cache)
    state[ACCOUNT] = {}
    assert split(state, {SIGN_IN_APP}) == []


def test_token_secrets_are_matched_to_the_profiles_they_serve() -> None:
    sid = token_secret_id(CUSTOMER, "admin@contoso.example", PUBLISHER)
    other = token_secret_id(CUSTOMER, "someone@contoso.example", PUBLISHER)
    found = token_profiles(
        [sid, other, "cert-00"],
        [(CUSTOMER.upper(), "Admin@contoso.example", "Contoso backup"), (PARTNER, "x@y", "n")],
    )
    assert found == {sid: [("Contoso backup", "Admin@contoso.example")]}
    assert "admin" not in sid  # the server gets a hash of the user, not the name
