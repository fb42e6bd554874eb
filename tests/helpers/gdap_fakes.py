"""A stand-in for the technician's session in GDAP widget tests: it answers customer-tenant
token requests from a table (a token with directory roles, or the classified failure), so the
widgets' words can be checked for each case without an identity provider."""

from __future__ import annotations

from collections.abc import Callable

from desktop.controllers.tenant_access import GdapParts
from desktop.core.catalog.model import Catalog
from desktop.core.identity.tenant_token import (
    Problem,
    TenantToken,
    TenantTokenError,
    not_signed_in,
)

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


def parts_over(session: StubSession, catalog: Catalog) -> Callable[[], GdapParts]:
    """A parts factory whose session is *session* (no inventory or checks behind it)."""

    def unused(*_args: object) -> dict[int, tuple[str, str]]:
        raise AssertionError("not used by this test")

    def build() -> GdapParts:
        return GdapParts(
            session,  # type: ignore[arg-type]
            catalog,
            None,  # type: ignore[arg-type]
            lambda _app, _cloud: None,
            unused,
        )

    return build
