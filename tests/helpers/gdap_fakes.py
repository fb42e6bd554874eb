"""A stand-in for the technician's session in GDAP widget tests: it answers customer-tenant
token requests from a table (a token with directory roles, or the classified failure), so the
widgets' words can be checked for each case without an identity provider."""

from __future__ import annotations

from desktop.core.catalog.model import Catalog
from desktop.core.domain import Tenant
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.gdap import ConnectResult, TenantAccess, tenant_access
from desktop.core.identity.tenant_token import (
    Problem,
    TenantToken,
    TenantTokenError,
    not_signed_in,
)
from desktop.core.partner_access import Discovery

TECHNICIAN = "tech@northwindmsp.onmicrosoft.com"


class StubSession:
    """Answers ``tenant_token`` with *roles* (template IDs) there, or raises *problem*."""

    def __init__(self, roles: frozenset[str] = frozenset(), problem: Problem | None = None):
        self.roles = roles
        self.problem = problem
        self.asked: list[str] = []

    def tenant_token(self, endpoints: object, tenant_id: str, **kw: object) -> TenantToken:
        self.asked.append(tenant_id)
        where = str(kw.get("label") or tenant_id)
        if self.problem is Problem.NOT_SIGNED_IN:
            raise not_signed_in(where)
        if self.problem is not None:
            raise TenantTokenError(
                self.problem,
                where,
                f"The sign-in app is not authorized in {where} (AADSTS90099).",
                remedy="Connect this tenant.",
                codes=(90099,),
            )
        return TenantToken(tenant_id, "token", TECHNICIAN, self.roles)


class StubCalls:
    """The GDAP calls over *session*: access is the real core call (its words and verdicts);
    the actions are not used by these tests."""

    def __init__(self, session: StubSession, catalog: Catalog) -> None:
        self.session = session
        self.catalog = catalog

    def access(self, tenant: Tenant) -> TenantAccess:
        return tenant_access(
            self.session,  # type: ignore[arg-type]
            endpoints_for(tenant.cloud),
            tenant.tenant_id,
            self.catalog,
            label=tenant.label,
        )

    def connect(self, *args: object) -> ConnectResult:
        raise AssertionError("not used by this test")

    def consent_link(self, tenant: Tenant) -> str:
        raise AssertionError("not used by this test")

    def discover(self, *args: object) -> Discovery:
        raise AssertionError("not used by this test")
