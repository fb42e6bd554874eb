"""The sandbox's authorization side follows Microsoft's documented rules.

Errors the app must never receive (unknown app, unregistered redirect URI, sign-in failures)
end on an error page; only consent outcomes are redirected with ``state``. Redeeming a code or
refresh token without a credential works only for a Mobile-and-desktop redirect URI.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

import pytest

from desktop.sandbox.directory import Directory
from desktop.sandbox.faults import Fault, FaultTable
from desktop.sandbox.issuer import Issuer
from desktop.sandbox.pages import Page, Pages
from desktop.sandbox.scenarios import Scenario

TID = "6f2a1d8e-0b1c-4c55-9e7a-3b9d2c4e5f01"
OTHER_TID = "9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e"
WEB_APP = "11111111-1111-4111-8111-111111111111"
DESKTOP_APP = "22222222-2222-4222-8222-222222222222"
SINGLE_TENANT_APP = "33333333-3333-4333-8333-333333333333"
ADMIN = "admin@contoso.onmicrosoft.com"
OTHER_ADMIN = "admin@fabrikam.onmicrosoft.com"
USER = "megan@contoso.onmicrosoft.com"
SECRET = "s3cret-value"
WEB_REDIRECT = "http://localhost:4711/consent"
DESKTOP_REDIRECT = "http://localhost:4712"


@dataclass
class World:
    issuer: Issuer
    pages: Pages
    scenario: Scenario


@pytest.fixture
def world() -> World:
    directory, faults = Directory(), FaultTable()
    issuer = Issuer(directory, faults)
    issuer.base_url, issuer.pages_url = "https://127.0.0.1:1", "http://127.0.0.1:2"
    pages = Pages(directory, issuer)
    scenario = Scenario(directory, faults, issuer, pages)
    scenario.add_tenant("contoso.onmicrosoft.com", "Contoso", TID)
    scenario.add_tenant("fabrikam.onmicrosoft.com", "Fabrikam", OTHER_TID)
    scenario.add_user(TID, ADMIN, admin=True)
    scenario.add_user(OTHER_TID, OTHER_ADMIN, admin=True)
    graph = {"Microsoft Graph": {"User.Read"}}
    scenario.register_app(WEB_APP, "Vendor web app", delegated=graph, secrets=[SECRET])
    scenario.register_app(
        DESKTOP_APP, "Desktop app", delegated=graph, public_redirect_uris=["http://localhost"]
    )
    scenario.register_app(
        SINGLE_TENANT_APP,
        "Contoso's own app",
        delegated=graph,
        home_tenant=TID,
        public_redirect_uris=["http://localhost"],
    )
    scenario.set_browser_user(ADMIN)
    return World(issuer, pages, scenario)


def _authorize(world: World, client_id: str, redirect: str, segment: str = TID, **q: str) -> Page:
    query = {
        "client_id": client_id,
        "redirect_uri": redirect,
        "scope": "User.Read openid offline_access",
        "state": "st-123",
        "prompt": "consent",
        "response_type": "code",
        **q,
    }
    return world.pages.authorize(segment, query)


def _redirected(page: Page) -> dict[str, str]:
    status, headers, _body = page
    assert status == 302, page
    query = parse_qs(urlsplit(headers["Location"]).query)
    return {k: v[0] for k, v in query.items()}


def _error_page(page: Page, code: int) -> None:
    status, headers, body = page
    assert status == 400 and "Location" not in headers
    assert f"AADSTS{code}" in body
    assert "st-123" not in body  # nothing is handed back to the app


def _redeem(world: World, client_id: str, redirect: str, **extra: str) -> tuple[int, dict]:
    code = _redirected(_authorize(world, client_id, redirect))["code"]
    form = {
        "client_id": client_id,
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect,
        "scope": "User.Read openid offline_access",
        **extra,
    }
    status, _headers, body = world.issuer.token(TID, form)
    return status, body


def test_an_unknown_client_id_ends_on_an_error_page(world: World) -> None:
    _error_page(_authorize(world, "44444444-4444-4444-8444-444444444444", WEB_REDIRECT), 700016)


def test_an_unregistered_redirect_uri_ends_on_an_error_page(world: World) -> None:
    _error_page(_authorize(world, WEB_APP, "http://localhost:4711/elsewhere"), 50011)
    _error_page(_authorize(world, WEB_APP, "https://attacker.example/consent"), 50011)


def test_admin_consent_refuses_the_same_way(world: World) -> None:
    query = {"client_id": WEB_APP, "redirect_uri": "http://localhost:9/nope", "state": "st-123"}
    _error_page(world.pages.admin_consent_page(TID, query), 50011)
    query = {"client_id": "44444444-4444-4444-8444-444444444444", "state": "st-123"}
    _error_page(
        world.pages.admin_consent_page(TID, {**query, "redirect_uri": WEB_REDIRECT}), 700016
    )


def test_a_web_only_app_cannot_redeem_a_code_without_a_credential(world: World) -> None:
    status, body = _redeem(world, WEB_APP, WEB_REDIRECT)
    assert status == 401 and body["error"] == "invalid_client"
    assert body["error_codes"] == [7000218]


def test_a_web_app_redeems_with_its_secret(world: World) -> None:
    status, body = _redeem(world, WEB_APP, WEB_REDIRECT, client_secret=SECRET)
    assert status == 200 and body["access_token"]


def test_a_refresh_token_of_a_web_app_needs_the_credential_too(world: World) -> None:
    _status, body = _redeem(world, WEB_APP, WEB_REDIRECT, client_secret=SECRET)
    form = {
        "client_id": WEB_APP,
        "grant_type": "refresh_token",
        "refresh_token": body["refresh_token"],
        "scope": "User.Read",
    }
    status, _headers, refused = world.issuer.token(TID, form)
    assert status == 401 and refused["error_codes"] == [7000218]
    status, _headers, _ok = world.issuer.token(TID, {**form, "client_secret": SECRET})
    assert status == 200


def test_a_mobile_and_desktop_redirect_makes_a_public_client(world: World) -> None:
    status, body = _redeem(world, DESKTOP_APP, DESKTOP_REDIRECT)
    assert status == 200
    form = {
        "client_id": DESKTOP_APP,
        "grant_type": "refresh_token",
        "refresh_token": body["refresh_token"],
        "scope": "User.Read",
    }
    assert world.issuer.token(TID, form)[0] == 200


def test_organizations_with_a_single_tenant_app_is_50194(world: World) -> None:
    _error_page(_authorize(world, SINGLE_TENANT_APP, DESKTOP_REDIRECT, "organizations"), 50194)
    form = {"client_id": SINGLE_TENANT_APP, "grant_type": "refresh_token", "refresh_token": "x"}
    status, _headers, body = world.issuer.token("organizations", form)
    assert status == 400 and body["error_codes"] == [50194]


def test_an_account_of_another_tenant_is_shown_on_the_sign_in_page(world: World) -> None:
    _error_page(_authorize(world, DESKTOP_APP, DESKTOP_REDIRECT, login_hint=OTHER_ADMIN), 50020)


def test_a_disabled_account_is_shown_on_the_sign_in_page(world: World) -> None:
    world.scenario.disable_user(ADMIN)
    _error_page(_authorize(world, DESKTOP_APP, DESKTOP_REDIRECT), 50057)


def test_conditional_access_is_shown_on_the_sign_in_page(world: World) -> None:
    world.scenario.block_conditional_access(TID)
    _error_page(_authorize(world, DESKTOP_APP, DESKTOP_REDIRECT), 53003)


def test_a_declined_consent_goes_back_with_state(world: World) -> None:
    world.scenario.faults.add(Fault(65004, TID, grants=frozenset({"authorize"})))
    answer = _redirected(_authorize(world, DESKTOP_APP, DESKTOP_REDIRECT))
    assert answer["error"] == "access_denied" and "AADSTS65004" in answer["error_description"]
    assert answer["state"] == "st-123"


def test_admin_consent_by_another_tenant_s_admin_stays_on_the_page(world: World) -> None:
    form = {
        "client_id": WEB_APP,
        "redirect_uri": WEB_REDIRECT,
        "state": "st-123",
        "decision": "accept",
        "upn": OTHER_ADMIN,
    }
    _error_page(world.pages.admin_consent_decide(TID, form), 50020)
    assert world.pages.consents_granted == 0


def test_a_non_admin_cannot_consent_to_admin_only_permissions(world: World) -> None:
    world.scenario.add_user(TID, USER, admin=False)
    world.scenario.set_browser_user(USER)
    scope = "Directory.Read.All openid offline_access"
    status, headers, body = _authorize(world, DESKTOP_APP, DESKTOP_REDIRECT, scope=scope)
    # Microsoft's "Need admin approval" page; only the user's "return" goes back (65004).
    assert status == 200 and "Location" not in headers
    assert "Need admin approval" in body and "AADSTS90094" in body
    assert "<form method='get' id='return'" in body and "AADSTS65004" in body
    # A low-risk permission is still the user's to consent to.
    assert "code" in _redirected(_authorize(world, DESKTOP_APP, DESKTOP_REDIRECT))


def test_after_admin_consent_a_non_admin_signs_in_with_admin_only_scopes(world: World) -> None:
    world.scenario.add_user(TID, USER, admin=False)
    world.scenario.register_app(
        DESKTOP_APP,
        "Desktop app",
        delegated={"Microsoft Graph": {"Directory.Read.All"}},
        public_redirect_uris=["http://localhost"],
    )
    world.scenario.grant_admin_consent(TID, DESKTOP_APP)
    world.scenario.set_browser_user(USER)
    scope = "Directory.Read.All openid offline_access"
    answer = _redirected(_authorize(world, DESKTOP_APP, DESKTOP_REDIRECT, scope=scope))
    assert "code" in answer


def test_protocol_errors_go_back_with_state(world: World) -> None:
    answer = _redirected(_authorize(world, DESKTOP_APP, DESKTOP_REDIRECT, response_type="token"))
    assert answer["error"] == "unsupported_response_type" and answer["state"] == "st-123"
    unknown = "https://nothing.example.com/.default"
    answer = _redirected(_authorize(world, DESKTOP_APP, DESKTOP_REDIRECT, scope=unknown))
    assert answer["error"] == "invalid_resource" and "AADSTS500011" in answer["error_description"]
