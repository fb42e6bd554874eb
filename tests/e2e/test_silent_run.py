"""One run's silent tokens over many tenants: the cache is read, and its accounts found, once
for the run, and each tenant is answered as a single-tenant request would be."""

from __future__ import annotations

import msal
import pytest

from desktop.core.endpoints import endpoints_for
from desktop.core.identity.gdap import ConnectVia, connect_tenant
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession
from desktop.core.identity.silent import SilentRun
from desktop.core.identity.tenant_token import Problem, TenantTokenError
from tests.helpers.browser import StandInBrowser
from tests.helpers.identity_fakes import catalog
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e


class CountingStore(MemoryTokenCacheStore):
    """The in-memory cache, counting how often it is read."""

    def __init__(self) -> None:
        super().__init__()
        self.loads = 0

    def load(self) -> msal.SerializableTokenCache:
        self.loads += 1
        return super().load()


def test_one_run_reads_the_cache_once_and_answers_every_tenant(sandbox: RunningSandbox) -> None:
    demo = sandbox.demo
    store = CountingStore()
    session = TechnicianSession(
        demo.sign_in_client_id, store, open_browser=StandInBrowser(sandbox.sandbox.ca_path)
    )
    session.sign_in(endpoints_for(), demo.partner_domain, login_hint=demo.technician, timeout=30)
    connect_tenant(
        session, endpoints_for(), demo.tenant_id, catalog(), via=ConnectVia.PARTNER_CENTER
    )
    endpoints = endpoints_for()
    store.loads = 0

    run = SilentRun(session)
    own = run.tenant_token(endpoints, demo.partner_tenant_id)
    customer = run.tenant_token(endpoints, demo.tenant_id)
    again = run.tenant_token(endpoints, demo.tenant_id)  # what MSAL cached in this run
    with pytest.raises(TenantTokenError) as unreachable:
        run.tenant_token(endpoints, demo.other_tenant_id)

    assert store.loads == 1
    assert own.tenant_id == demo.partner_tenant_id
    assert customer.tenant_id == demo.tenant_id and customer.username == demo.technician
    assert again.access_token == customer.access_token
    assert unreachable.value.problem is Problem.NO_ACCESS
    # The same answers as one tenant at a time (each reading the cache afresh).
    alone = session.tenant_token(endpoints, demo.tenant_id)
    assert alone.access_token == customer.access_token
    assert alone.role_ids == customer.role_ids


def test_a_run_without_a_sign_in_says_so(sandbox: RunningSandbox) -> None:
    session = TechnicianSession(sandbox.demo.sign_in_client_id, MemoryTokenCacheStore())
    with pytest.raises(TenantTokenError) as missing:
        SilentRun(session).tenant_token(endpoints_for(), sandbox.demo.tenant_id)
    assert missing.value.problem is Problem.NOT_SIGNED_IN
