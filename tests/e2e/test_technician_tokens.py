"""The technician's Graph token for a tenant comes from that tenant's own sign-in first, so a
technician signed in to many tenants pays no refresh request per other tenant on every check."""

from __future__ import annotations

import pytest

from desktop.core.endpoints import endpoints_for
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession
from tests.helpers.browser import StandInBrowser
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e


def test_a_tenants_cached_token_is_used_without_asking_with_other_accounts(
    sandbox: RunningSandbox,
) -> None:
    demo, sb = sandbox.demo, sandbox.sandbox
    store = MemoryTokenCacheStore()
    for tenant, upn in ((demo.tenant_id, demo.admin), (demo.other_tenant_id, demo.other_admin)):
        browser = StandInBrowser(sb.ca_path, upn=upn)
        TechnicianSession(demo.sign_in_client_id, store, open_browser=browser).sign_in(
            endpoints_for(), tenant, login_hint=upn, timeout=30
        )
    session = TechnicianSession(demo.sign_in_client_id, store)
    sb.traffic.reset()
    assert session.graph_token(endpoints_for(), demo.other_tenant_id)
    assert session.graph_token(endpoints_for(), demo.tenant_id)
    assert sb.traffic.counts().get("token", 0) == 0  # each tenant's sign-in token, cached


def test_a_second_run_within_the_hour_asks_for_no_token(sandbox: RunningSandbox) -> None:
    demo, sb = sandbox.demo, sandbox.sandbox
    store = MemoryTokenCacheStore()
    browser = StandInBrowser(sb.ca_path)
    TechnicianSession(demo.sign_in_client_id, store, open_browser=browser).sign_in(
        endpoints_for(), demo.tenant_id, timeout=30
    )
    sb.traffic.reset()
    for _run in range(2):  # each run builds its own session over the stored cache
        assert TechnicianSession(demo.sign_in_client_id, store).graph_token(
            endpoints_for(), demo.tenant_id
        )
    assert sb.traffic.counts().get("token", 0) == 0
