"""The wizard's and re-authorize's own token requests use the classified customer-tenant
token: a partner technician whose sign-in app is not connected in the customer's tenant is told
to connect it (AADSTS90099), not that they are signed out, and no browser sign-in is opened."""

from __future__ import annotations

import pytest

from desktop.core.cancel import CancelToken
from desktop.core.catalog.model import ConsentMethod, SetupMode
from desktop.core.domain import Customer, Status, Tenant
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.consent import ConsentPlan, IdentityConsentEngine
from desktop.core.identity.reconsent import read_reconsent_warning
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession
from desktop.core.identity.tenant_token import Problem, TenantTokenError
from desktop.core.reauthorize.identity import classified_graph_token
from desktop.core.wizard.identity_engine import technician_token
from tests.helpers.browser import StandInBrowser
from tests.helpers.identity_fakes import BASELINE
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e


def _partner(sb: RunningSandbox, browser: StandInBrowser) -> TechnicianSession:
    session = TechnicianSession(
        sb.demo.sign_in_client_id, MemoryTokenCacheStore(), open_browser=browser
    )
    session.sign_in(
        endpoints_for(), sb.demo.partner_domain, login_hint=sb.demo.technician, timeout=30
    )
    return session


def _tenant(sb: RunningSandbox) -> Tenant:
    return Tenant(sb.demo.tenant_id, 1, primary_domain=sb.demo.domain)


def test_the_wizard_token_says_connect_and_opens_no_sign_in(sandbox: RunningSandbox) -> None:
    browser = StandInBrowser(sandbox.sandbox.ca_path)
    session = _partner(sandbox, browser)
    opened = len(browser.visited)
    with pytest.raises(TenantTokenError) as raised:
        technician_token(session, timeout=30)(_tenant(sandbox), CancelToken())
    assert raised.value.problem is Problem.NOT_CONNECTED
    assert raised.value.action == "Connect this tenant"
    assert "AADSTS90099" in raised.value.message and sandbox.demo.domain in raised.value.message
    assert len(browser.visited) == opened  # signing in again would not help


def test_the_consent_verification_names_the_classified_case(sandbox: RunningSandbox) -> None:
    session = _partner(sandbox, StandInBrowser(sandbox.sandbox.ca_path))
    engine = IdentityConsentEngine(cache_store=MemoryTokenCacheStore(), technician=session)
    plan = ConsentPlan(
        customer=Customer("Contoso", id=1),
        tenant=_tenant(sandbox),
        services=(),
        app_type=BASELINE,
        mode=SetupMode.MODERN,
        method=ConsentMethod.ADMIN,
        client_id=sandbox.demo.sign_in_client_id,
    )
    verification = engine._verify_publisher(plan)
    assert verification.status is Status.UNKNOWN
    assert "AADSTS90099" in verification.reason and "signed in" not in verification.reason
    assert verification.remedy.startswith("Connect this tenant")


def test_the_reauthorize_warning_names_the_classified_case(sandbox: RunningSandbox) -> None:
    session = _partner(sandbox, StandInBrowser(sandbox.sandbox.ca_path))
    warning = read_reconsent_warning(
        endpoints_for(),
        sandbox.demo.tenant_id,
        "any-client",
        classified_graph_token(session, sandbox.demo.domain),
    )
    assert "AADSTS90099" in warning.unreadable and "Connect this tenant" in warning.unreadable
    assert sandbox.demo.domain in warning.unreadable
    assert "signed in" not in warning.unreadable
