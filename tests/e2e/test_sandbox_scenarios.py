"""The sandbox's scenario controls produce Microsoft's answers, seen through MSAL unpatched."""

from __future__ import annotations

import msal
import pytest
import requests

from desktop.core.endpoints import endpoints_for
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession
from desktop.core.identity.tokens import aadsts_codes, decode_claims, roles
from desktop.sandbox.server import ADMIN_PATH
from tests.helpers.browser import StandInBrowser
from tests.helpers.certificates import app_certificate, credential_of
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e
APP_ID = "4d3c2b1a-0000-4000-8000-00000000c0de"


def _refresh(sb: RunningSandbox) -> dict:  # type: ignore[type-arg]
    """Sign in the admin, then ask for a token with the refresh token (a later check)."""
    cache = MemoryTokenCacheStore()
    session = TechnicianSession(
        sb.demo.sign_in_client_id, cache, open_browser=StandInBrowser(sb.sandbox.ca_path)
    )
    session.sign_in(endpoints_for(), sb.demo.tenant_id, timeout=30)
    return cache, session  # type: ignore[return-value]


def _silent_error(sb: RunningSandbox, cache: MemoryTokenCacheStore) -> dict:  # type: ignore[type-arg]
    app = msal.PublicClientApplication(
        sb.demo.sign_in_client_id,
        authority=endpoints_for().authority(sb.demo.tenant_id),
        token_cache=cache.load(),
        instance_discovery=False,
    )
    account = app.get_accounts()[0]
    result = app.acquire_token_silent_with_error(
        ["https://graph.microsoft.com/.default"], account=account, force_refresh=True
    )
    assert result is not None
    return result


@pytest.mark.parametrize(
    ("action", "code"),
    [
        (lambda s, d: s.require_mfa(d.admin), 50076),
        (lambda s, d: s.require_mfa(d.admin, 50079), 50079),
        (lambda s, d: s.change_password(d.admin), 50173),
        (lambda s, d: s.disable_user(d.admin), 50057),
        (lambda s, d: s.delete_user(d.admin), 50034),
        (lambda s, d: s.block_conditional_access(d.tenant_id), 53003),
        (lambda s, d: s.expire_refresh_tokens(d.tenant_id), 700082),
        (lambda s, d: s.expire_refresh_tokens(d.tenant_id, code=70008), 70008),
        (lambda s, d: s.revoke_consent(d.tenant_id, d.sign_in_client_id), 65001),
    ],
)
def test_delegated_scenarios(sandbox: RunningSandbox, action, code: int) -> None:  # type: ignore[no-untyped-def]
    cache, _ = _refresh(sandbox)
    action(sandbox.scenario, sandbox.demo)
    result = _silent_error(sandbox, cache)
    assert code in aadsts_codes(result), result


def _app(sb: RunningSandbox, cert_pfx=None):  # type: ignore[no-untyped-def]
    cert, pfx = app_certificate()
    from cryptography.hazmat.primitives.serialization import pkcs12

    key, loaded, _ = pkcs12.load_key_and_certificates(pfx, b"pw")
    sb.scenario.register_app(
        APP_ID,
        "Custom",
        application={"Microsoft Graph": {"Group.ReadWrite.All", "User.Read.All"}},
        certificates=[cert],
        home_tenant=sb.demo.tenant_id,
    )
    sb.scenario.grant_admin_consent(sb.demo.tenant_id, APP_ID)
    return credential_of((key, loaded))


def _client_token(sb: RunningSandbox, credential: dict[str, str]) -> dict:  # type: ignore[type-arg]
    app = msal.ConfidentialClientApplication(
        APP_ID,
        client_credential=credential,
        authority=endpoints_for().authority(sb.demo.tenant_id),
        instance_discovery=False,
    )
    return app.acquire_token_for_client([endpoints_for().graph_default_scope])


def test_roles_removed_still_gives_a_token_with_short_roles(sandbox: RunningSandbox) -> None:
    credential = _app(sandbox)
    full = roles(decode_claims(_client_token(sandbox, credential)["access_token"]))
    assert full == {"Group.ReadWrite.All", "User.Read.All"}
    sandbox.scenario.remove_roles(sandbox.demo.tenant_id, APP_ID, ["User.Read.All"])
    short = roles(decode_claims(_client_token(sandbox, credential)["access_token"]))
    assert short == {"Group.ReadWrite.All"}


@pytest.mark.parametrize(
    ("action", "code"),
    [
        (lambda s, d: s.delete_app(d.tenant_id, APP_ID), 700016),
        (lambda s, d: s.delete_app(d.tenant_id, APP_ID, code=7000229), 7000229),
        (lambda s, d: s.rotate_certificate(APP_ID), 700027),
        (lambda s, d: s.throttle(retry_after=3), 90055),
    ],
)
def test_app_scenarios(sandbox: RunningSandbox, action, code: int) -> None:  # type: ignore[no-untyped-def]
    credential = _app(sandbox)
    action(sandbox.scenario, sandbox.demo)
    result = _client_token(sandbox, credential)
    assert code in aadsts_codes(result), result


def test_server_error_and_latency_over_the_admin_endpoint(sandbox: RunningSandbox) -> None:
    credential = _app(sandbox)
    url = f"{sandbox.sandbox.authority_host}{ADMIN_PATH}"
    ca = str(sandbox.sandbox.ca_path)
    assert requests.post(
        url, json={"action": "set_latency", "seconds": 0.2}, verify=ca, timeout=10
    ).json()["ok"]
    assert requests.post(
        url, json={"action": "server_error", "status": 503}, verify=ca, timeout=10
    ).json()["ok"]
    assert requests.post(url, json={"action": "no_such"}, verify=ca, timeout=10).status_code == 400
    try:
        result = _client_token(sandbox, credential)
    except Exception:  # MSAL raises on some 5xx answers
        result = None
    assert result is None or "access_token" not in result
    assert sandbox.sandbox.issuer.latency == 0.2
