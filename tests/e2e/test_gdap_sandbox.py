"""GDAP against the sandbox: a partner technician signs in at the partner tenant, and tokens
for a customer tenant come silently from that account once the sign-in app is connected there
(Partner Center's consent API); each failure says which case applies."""

from __future__ import annotations

import pytest

from desktop.core.checks.result import CheckResult
from desktop.core.checks.status_rules import Action
from desktop.core.domain import Status
from desktop.core.endpoints import Endpoints, endpoints_for
from desktop.core.errors import UserError
from desktop.core.identity.gdap import ConnectVia, connect_tenant, tenant_access
from desktop.core.identity.resources import GRAPH_APP_ID
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession
from desktop.core.identity.tenant_token import Problem, TenantTokenError
from tests.helpers.browser import StandInBrowser
from tests.helpers.identity_fakes import BASELINE, catalog
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e


def _technician(sb: RunningSandbox) -> TechnicianSession:
    session = TechnicianSession(
        sb.demo.sign_in_client_id,
        MemoryTokenCacheStore(),
        open_browser=StandInBrowser(sb.sandbox.ca_path),
    )
    signed = session.sign_in(
        endpoints_for(), sb.demo.partner_domain, login_hint=sb.demo.technician, timeout=30
    )
    assert signed.tenant_id == sb.demo.partner_tenant_id
    return session


def test_not_connected_until_partner_center_consents(sandbox: RunningSandbox) -> None:
    session = _technician(sandbox)
    endpoints = endpoints_for()
    with pytest.raises(TenantTokenError) as before:
        session.tenant_token(endpoints, sandbox.demo.tenant_id)
    assert before.value.problem is Problem.NOT_CONNECTED
    assert 90099 in before.value.codes
    assert before.value.action == "Connect this tenant"
    assert session.graph_token(endpoints, sandbox.demo.tenant_id) is None

    result = connect_tenant(
        session, endpoints, sandbox.demo.tenant_id, catalog(), via=ConnectVia.PARTNER_CENTER
    )
    assert result.consented
    access = result.access
    assert access.connected and access.tenant_id == sandbox.demo.tenant_id
    assert access.roles == ("Cloud Application Administrator", "Privileged Role Administrator")
    assert all(access.can_consent.values())

    token = session.tenant_token(endpoints, sandbox.demo.tenant_id)
    assert token.tenant_id == sandbox.demo.tenant_id
    assert token.username == sandbox.demo.technician
    # Connecting again changes nothing and still proves it.
    again = connect_tenant(session, endpoints, sandbox.demo.tenant_id, catalog())
    assert not again.consented and again.access.connected


def test_partner_center_refuses_without_a_consenting_gdap_role(sandbox: RunningSandbox) -> None:
    sandbox.scenario.set_gdap_roles(sandbox.demo.gdap_relationship_id, ["Directory Readers"])
    session = _technician(sandbox)
    with pytest.raises(UserError) as refused:
        connect_tenant(session, endpoints_for(), sandbox.demo.tenant_id, catalog())
    line = refused.value.one_line()
    assert "GDAP" in line and "Cloud Application Administrator" in line
    assert "\n" not in line

    # Connected by the customer's admin instead: the token's roles are the relationship's.
    sandbox.scenario.grant_admin_consent(sandbox.demo.tenant_id, sandbox.demo.sign_in_client_id)
    access = tenant_access(session, endpoints_for(), sandbox.demo.tenant_id, catalog())
    assert access.connected
    assert access.roles == ("Directory Readers",)
    assert not any(access.can_consent.values())


def test_a_tenant_without_a_relationship_is_not_reachable(sandbox: RunningSandbox) -> None:
    session = _technician(sandbox)
    access = tenant_access(session, endpoints_for(), sandbox.demo.other_tenant_id, catalog())
    assert not access.connected
    assert access.problem is Problem.NO_ACCESS
    assert "GDAP relationship" in access.reason and "50020" in access.reason


@pytest.mark.parametrize(
    ("code", "problem"),
    [
        (50076, Problem.CUSTOMER_POLICY),
        (53003, Problem.CUSTOMER_POLICY),
        (530034, Problem.CUSTOMER_POLICY),
        (500212, Problem.CUSTOMER_POLICY),
        (500213, Problem.CUSTOMER_POLICY),
        (700082, Problem.SIGN_IN_AGAIN),
        (70008, Problem.SIGN_IN_AGAIN),
        (50173, Problem.SIGN_IN_AGAIN),
    ],
)
def test_customer_policies_and_expired_sign_ins_are_told_apart(
    sandbox: RunningSandbox, code: int, problem: Problem
) -> None:
    session = _technician(sandbox)
    connect_tenant(session, endpoints_for(), sandbox.demo.tenant_id, catalog())
    sandbox.scenario.customer_policy(sandbox.demo.tenant_id, code)
    access = tenant_access(session, endpoints_for(), sandbox.demo.domain, catalog())
    assert not access.connected
    assert access.problem is problem, access
    assert f"AADSTS{code}" in access.reason


def test_not_signed_in_says_so(sandbox: RunningSandbox) -> None:
    session = TechnicianSession(sandbox.demo.sign_in_client_id, MemoryTokenCacheStore())
    access = tenant_access(session, endpoints_for(), sandbox.demo.tenant_id, catalog())
    assert access.problem is Problem.NOT_SIGNED_IN
    assert access.action == "Sign in"


def _publisher_check(sb: RunningSandbox, session: TechnicianSession) -> CheckResult:
    from datetime import timedelta

    from desktop.core.checks.checker import ProfileChecker
    from desktop.core.checks.msal_gateway import MsalGateway
    from desktop.core.checks.token_reuse import TokenReuse
    from desktop.core.domain import AppProfile, utc_now

    def fetch(endpoints: Endpoints, tenant_id: str) -> str | None:
        return session.tenant_token(endpoints, tenant_id).access_token

    client_id = sb.demo.client_ids[BASELINE.id]
    sb.scenario.grant_admin_consent(sb.demo.tenant_id, client_id)
    checker = ProfileChecker(
        catalog(), MsalGateway(graph_token=TokenReuse(fetch)), None,  # type: ignore[arg-type]
        client_id_for=lambda app: client_id,
    )  # fmt: skip
    profile = AppProfile(
        name="p", customer_id=1, tenant_id=sb.demo.tenant_id, service_ids=("baseline",),
        app_type_id=BASELINE.id, id=1, consented_at=utc_now() - timedelta(days=10),
    )  # fmt: skip
    return checker.check(profile)


def test_a_check_says_connect_this_tenant_then_passes_once_connected(
    sandbox: RunningSandbox,
) -> None:
    session = _technician(sandbox)
    failed = _publisher_check(sandbox, session)
    assert failed.transient and failed.status is Status.UNKNOWN
    assert failed.action is Action.CONNECT_TENANT
    assert "not authorized in" in failed.reason and "90099" in failed.reason
    assert failed.remedy.startswith("Connect this tenant")

    connect_tenant(session, endpoints_for(), sandbox.demo.tenant_id, catalog())
    passed = _publisher_check(sandbox, session)
    assert passed.status is Status.VALID, passed
    assert not passed.transient


def test_a_check_without_a_sign_in_asks_to_sign_in(sandbox: RunningSandbox) -> None:
    session = TechnicianSession(sandbox.demo.sign_in_client_id, MemoryTokenCacheStore())
    failed = _publisher_check(sandbox, session)
    assert failed.transient and failed.action is Action.SIGN_IN
    assert "not signed in" in failed.reason and "Sign in" in failed.remedy


def _expire_access_tokens(session: TechnicianSession) -> None:
    import msal

    cache = session.cache_store.load()
    for token in list(cache.search(msal.TokenCache.CredentialType.ACCESS_TOKEN)):
        cache.remove_at(token)
    session.cache_store.save(cache)


def test_a_customer_policy_is_named_in_the_check(sandbox: RunningSandbox) -> None:
    session = _technician(sandbox)
    connect_tenant(session, endpoints_for(), sandbox.demo.tenant_id, catalog())
    sandbox.scenario.customer_policy(sandbox.demo.tenant_id, 53003)
    _expire_access_tokens(session)  # the policy applies when the next token is issued
    failed = _publisher_check(sandbox, session)
    assert failed.transient and failed.action is Action.FIX_IN_TENANT
    assert "Conditional Access" in failed.reason and "administrator" in failed.remedy


def test_partner_center_consents_only_apps_of_the_partner_tenant(sandbox: RunningSandbox) -> None:
    from desktop.core.identity.partner_center import (
        grant_application_consent,
        user_impersonation_scope,
    )

    session = _technician(sandbox)
    token = session.tenant_token(
        endpoints_for(), sandbox.demo.partner_tenant_id, scopes=[user_impersonation_scope()]
    )
    vendor_app = sandbox.demo.client_ids[BASELINE.id]  # a publisher's app, not the MSP's
    with pytest.raises(UserError) as refused:
        grant_application_consent(
            token.access_token, sandbox.demo.tenant_id, vendor_app, {GRAPH_APP_ID: ["User.Read"]}
        )
    assert "registered in your partner tenant" in refused.value.one_line()
    assert "not registered in the partner's tenant" in refused.value.detail
    # A Graph token is no Partner Center token.
    graph = session.tenant_token(endpoints_for(), sandbox.demo.partner_tenant_id)
    with pytest.raises(UserError) as unauthorized:
        grant_application_consent(
            graph.access_token,
            sandbox.demo.tenant_id,
            sandbox.demo.sign_in_client_id,
            {GRAPH_APP_ID: ["User.Read"]},
        )
    assert "did not accept your sign-in" in unauthorized.value.message


def test_admin_consent_by_the_customer_connects_too(sandbox: RunningSandbox) -> None:
    session = _technician(sandbox)
    session.open_browser = StandInBrowser(sandbox.sandbox.ca_path, upn=sandbox.demo.admin)
    result = connect_tenant(
        session, endpoints_for(), sandbox.demo.tenant_id, catalog(), via=ConnectVia.ADMIN_CONSENT
    )
    assert result.via is ConnectVia.ADMIN_CONSENT
    assert result.access.connected and result.access.username == sandbox.demo.technician


def test_an_ended_relationship_leaves_no_access(sandbox: RunningSandbox) -> None:
    session = _technician(sandbox)
    connect_tenant(session, endpoints_for(), sandbox.demo.tenant_id, catalog())
    sandbox.scenario.end_gdap_relationship(sandbox.demo.gdap_relationship_id)
    _expire_access_tokens(session)
    access = tenant_access(session, endpoints_for(), sandbox.demo.tenant_id, catalog())
    assert access.problem is Problem.NO_ACCESS


def test_find_consents_tells_admin_from_user_consent(sandbox: RunningSandbox) -> None:
    from desktop.core.catalog.model import ConsentMethod
    from desktop.core.domain import Tenant
    from desktop.core.identity.discover import find_consents, new_profiles
    from tests.helpers.identity_fakes import DELEGATED_APP

    session = _technician(sandbox)
    connect_tenant(session, endpoints_for(), sandbox.demo.tenant_id, catalog())
    ids = sandbox.demo.client_ids
    sandbox.scenario.grant_admin_consent(sandbox.demo.tenant_id, ids[BASELINE.id])
    tasks = {"Microsoft Graph": {"Tasks.ReadWrite"}}
    sandbox.sandbox.directory.grant_user_consent(
        sandbox.demo.tenant_id, ids[DELEGATED_APP.id], sandbox.demo.user, tasks
    )
    token = session.tenant_token(endpoints_for(), sandbox.demo.tenant_id)
    found = find_consents(
        token.access_token, endpoints_for(), catalog(), lambda app, cloud: ids.get(app.id),
        recorded=[BASELINE.id],
    )  # fmt: skip
    by_app = {f.app_type_id: f for f in found}
    assert set(by_app) == {BASELINE.id, DELEGATED_APP.id}
    assert (by_app[BASELINE.id].method, by_app[BASELINE.id].recorded) == (
        ConsentMethod.ADMIN,
        True,
    )
    user = by_app[DELEGATED_APP.id]
    assert (user.method, user.consenting_user) == (ConsentMethod.USER, sandbox.demo.user)

    tenant = Tenant(sandbox.demo.tenant_id, 1, sandbox.demo.domain)
    [profile] = new_profiles(found, catalog(), tenant)
    assert (profile.app_type_id, profile.consent_method) == (DELEGATED_APP.id, ConsentMethod.USER)
    assert profile.consenting_user == sandbox.demo.user and profile.mode.value == "modern"


def test_a_sign_in_app_without_partner_center_permission_is_named(
    sandbox: RunningSandbox,
) -> None:
    from desktop.core.identity.resources import PARTNER_CENTER_APP_ID

    directory = sandbox.sandbox.directory
    partner = directory.tenants[sandbox.demo.partner_tenant_id]
    pc = partner.sp_by_app(PARTNER_CENTER_APP_ID)
    assert pc is not None
    partner.grants = [g for g in partner.grants if g.resource_id != pc.id]
    session = _technician(sandbox)
    with pytest.raises(UserError) as refused:
        connect_tenant(session, endpoints_for(), sandbox.demo.tenant_id, catalog())
    line = refused.value.one_line()
    assert "user_impersonation" in line and "AADSTS65001" in line


def test_partner_center_token_falls_back_to_its_resource_uri(
    sandbox: RunningSandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.core.endpoints import PARTNER_CENTER_ENV
    from desktop.core.identity.gdap import _partner_center_token
    from desktop.core.identity.tokens import decode_claims

    session = _technician(sandbox)
    # A host the identity provider does not know as Partner Center's resource (500011).
    monkeypatch.setenv(PARTNER_CENTER_ENV, f"{sandbox.sandbox.authority_host}/elsewhere")
    token = _partner_center_token(session, endpoints_for(), sandbox.demo.partner_tenant_id)
    assert decode_claims(token.access_token)["aud"] == "https://api.partnercenter.microsoft.com"


def test_a_guest_without_consent_gets_65001_not_90099(sandbox: RunningSandbox) -> None:
    sandbox.scenario.invite_guest(sandbox.demo.other_tenant_id, sandbox.demo.technician)
    session = _technician(sandbox)
    with pytest.raises(TenantTokenError) as refused:
        session.tenant_token(endpoints_for(), sandbox.demo.other_tenant_id)
    assert refused.value.codes == (65001,)
    assert refused.value.problem is Problem.NOT_CONNECTED
    fabrikam, sign_in = sandbox.demo.other_tenant_id, sandbox.demo.sign_in_client_id
    sandbox.scenario.grant_admin_consent(fabrikam, sign_in)
    token = session.tenant_token(endpoints_for(), sandbox.demo.other_tenant_id)
    assert token.role_ids == frozenset()
