"""GDAP against the sandbox: a partner technician signs in at the partner tenant, and tokens
for a customer tenant come silently from that account once the sign-in app is connected there
(Partner Center's consent API); each failure says which case applies."""

from __future__ import annotations

import pytest

from desktop.core.endpoints import endpoints_for
from desktop.core.errors import UserError
from desktop.core.identity.gdap import ConnectVia, connect_tenant, tenant_access
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession
from desktop.core.identity.tenant_token import Problem, TenantTokenError
from tests.helpers.browser import StandInBrowser
from tests.helpers.identity_fakes import catalog
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
