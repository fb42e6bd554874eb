"""Admin consent against a sandbox that, like Entra, shows a new consent's grants only after a
replication delay: verification waits for them, and never calls the app Invalid meanwhile."""

from __future__ import annotations

import pytest

from desktop.core.domain import Customer, Status, Tenant
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.consent import ConsentEngine, plan_consent
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
    engine = ConsentEngine(
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
