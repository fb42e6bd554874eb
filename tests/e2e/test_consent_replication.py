"""Admin consent against a sandbox that, like Entra, shows a new consent's grants only after a
replication delay: verification waits for them, and never calls the app Invalid meanwhile."""

from __future__ import annotations

import pytest

from desktop.core.domain import Customer, Status, Tenant
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.consent import IdentityConsentEngine, plan_consent
from desktop.core.identity.settle import PENDING_REASON
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession
from tests.helpers.browser import StandInBrowser
from tests.helpers.identity_fakes import catalog
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e


def _run(sb: RunningSandbox, replication_wait: float):  # type: ignore[no-untyped-def]
    cache = MemoryTokenCacheStore()
    browser = StandInBrowser(sb.sandbox.ca_path)
    technician = TechnicianSession(sb.demo.sign_in_client_id, cache, open_browser=browser)
    technician.sign_in(endpoints_for(), sb.demo.tenant_id, timeout=30)
    sb.scenario.set_replication_delay(1.5)  # after the technician's own sign-in
    engine = IdentityConsentEngine(
        cache_store=cache,
        technician=technician,
        open_browser=browser,
        replication_wait=replication_wait,
    )
    plan = plan_consent(
        catalog(),
        Customer("Contoso", id=1),
        Tenant(sb.demo.tenant_id, 1, sb.demo.domain, "Contoso"),
        ["Baseline management"],
        client_id=lambda app: sb.demo.client_ids[app.id],
    )
    return engine.run(plan, timeout=30)


def test_verification_waits_for_the_consent_to_replicate(sandbox: RunningSandbox) -> None:
    outcome = _run(sandbox, replication_wait=30)
    assert outcome.verification.status is Status.VALID, outcome.verification
    assert outcome.profile.status is Status.VALID


def test_a_consent_not_applied_yet_is_pending_not_invalid(sandbox: RunningSandbox) -> None:
    outcome = _run(sandbox, replication_wait=0)
    assert outcome.verification.status is Status.UNKNOWN, outcome.verification
    assert outcome.verification.pending
    assert outcome.profile.reason.startswith(PENDING_REASON)


def test_an_app_type_that_lists_no_permissions_is_checked_against_its_consent(
    sandbox: RunningSandbox,
) -> None:
    import dataclasses

    from desktop.core.catalog.model import ConsentMethod, SetupMode
    from desktop.core.checks.checker import ProfileChecker
    from desktop.core.checks.msal_gateway import MsalGateway
    from desktop.core.identity.consent import ConsentPlan
    from tests.helpers.identity_fakes import BASELINE

    unlisted = dataclasses.replace(BASELINE, id="unlisted", name="Unlisted app", permissions=())
    client_id = "4d3c2b1a-0000-4000-8000-0000000b45e1"
    sandbox.scenario.register_app_type(unlisted, client_id)  # asks for User.Read, like Entra
    cache = MemoryTokenCacheStore()
    browser = StandInBrowser(sandbox.sandbox.ca_path)
    technician = TechnicianSession(sandbox.demo.sign_in_client_id, cache, open_browser=browser)
    technician.sign_in(endpoints_for(), sandbox.demo.tenant_id, timeout=30)
    engine = IdentityConsentEngine(cache_store=cache, technician=technician, open_browser=browser)
    base = catalog()
    plan = ConsentPlan(
        Customer("Contoso", id=1),
        Tenant(sandbox.demo.tenant_id, 1, sandbox.demo.domain, "Contoso"),
        (base.services[0],),
        unlisted,
        SetupMode.MODERN,
        ConsentMethod.ADMIN,
        client_id,
        name="Unlisted",
    )
    outcome = engine.run(plan, timeout=30)
    profile = outcome.profile
    assert profile.status is Status.VALID, profile.reason
    assert "granted at consent" in profile.reason
    assert profile.baseline == ("Delegated:00000003-0000-0000-c000-000000000000:User.Read",)
    checker = ProfileChecker(
        dataclasses.replace(base, app_types=(*base.app_types, unlisted)),
        MsalGateway(graph_token=technician.graph_token),
        None,  # type: ignore[arg-type]
        client_id_for=lambda app: client_id,
    )
    profile.id = 1
    assert checker.check(profile).reason == (
        "The one permission granted at consent is still granted."
    )
    sandbox.scenario.revoke_consent(sandbox.demo.tenant_id, client_id)
    revoked = checker.check(profile)
    assert revoked.status is Status.INVALID
    assert revoked.reason.startswith("Permissions granted at consent have disappeared: User.Read")
