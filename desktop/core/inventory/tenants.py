"""Tenants: add by domain and/or tenant ID (validated, never twice), list, remove."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import ClassVar

from desktop.core.catalog.model import Catalog
from desktop.core.domain import Cloud, Customer, Tenant
from desktop.core.errors import NotFoundError, UserError
from desktop.core.inventory.customers import CustomerService
from desktop.core.inventory.removal import (
    ProfileRef,
    RemovalPlanRules,
    blocked_by_rule,
    refuse_if_changed,
    remove_profiles,
)
from desktop.core.inventory.rules import RemoveSecret
from desktop.core.storage.interface import Repository, UnitOfWork
from desktop.core.validation import is_guid, normalise_domain, normalise_tenant_id

#: ``lookup(domain, cloud) -> tenant id``; :func:`desktop.core.tenant_lookup.lookup_tenant_id`.
Lookup = Callable[[str, Cloud], str]


@dataclass(frozen=True)
class TenantRemovalPlan(RemovalPlanRules):
    kind: ClassVar[str] = "tenant"
    tenant: Tenant
    customer: str
    profiles: tuple[ProfileRef, ...]
    blocked: tuple[tuple[ProfileRef, str], ...]

    @property
    def subject(self) -> str:
        return self.tenant.label

    def describe(self) -> str:
        lines = [f"Remove the tenant {self.tenant.label} of {self.customer}?"]
        return "\n".join(lines + self.profile_lines())


def parse_cloud(text: str) -> Cloud:
    value = text.strip().lower().replace(" ", "").replace("-", "")
    # GCC (moderate) tenants live in the worldwide cloud; GCC High and DoD have their own.
    aliases = {
        "gcc": "global",
        "worldwide": "global",
        "usgovernment": "usgov",
        "gcchigh": "usgov",
        "usgovgcchigh": "usgov",
        "usgovdod": "usgov-dod",
        "dod": "usgov-dod",
        "21vianet": "china",
    }
    try:
        return Cloud(aliases.get(value, value))
    except ValueError:
        raise UserError(
            f"“{text}” is not a cloud.",
            remedy="Use global (also for GCC), usgov (GCC High), usgov-dod (DoD) or china.",
        ) from None


class TenantService:
    """Tenant operations over the store; the GUI and the CLI both call these."""

    def __init__(self, store: Repository) -> None:
        self._store = store

    def list(self, customer: str | None = None) -> list[tuple[Tenant, str]]:
        """(tenant, customer name) pairs, optionally of one customer."""
        with self._store.reading() as uow:
            names = {c.id: c.name for c in uow.customers.all()}
            cid = CustomerService._get(uow, customer).id if customer else None
            return [(t, names.get(t.customer_id, "")) for t in uow.tenants.of_customer(cid)]

    def add(
        self,
        customer: str,
        *,
        domain: str = "",
        tenant_id: str = "",
        cloud: Cloud = Cloud.GLOBAL,
        display_name: str = "",
        lookup: Lookup | None = None,
    ) -> Tenant:
        """Add a tenant. With *lookup*, a domain without an ID is resolved online first."""
        if not domain.strip() and not tenant_id.strip():
            raise UserError(
                "A tenant needs its primary domain, its tenant ID, or both.",
                remedy="Enter the domain (like contoso.onmicrosoft.com) or the tenant ID.",
            )
        name = normalise_domain(domain) if domain.strip() else ""
        tid = normalise_tenant_id(tenant_id) if tenant_id.strip() else ""
        if name and lookup is not None:
            found = lookup(name, cloud)
            if tid and found != tid:
                raise UserError(
                    f"{name} belongs to the tenant {found}, not {tid}.",
                    remedy="Check the tenant ID, or leave it empty to use the looked-up one.",
                )
            tid = found
        if not tid:
            raise UserError(
                f"The tenant ID of {name} is not known.",
                remedy="Look it up online (Look up, or --lookup on the command line), or enter "
                "the tenant ID by hand.",
            )
        with self._store.unit_of_work() as uow:
            owner = CustomerService._get(uow, customer)
            assert owner.id is not None
            self._refuse_duplicate(uow, tid, name)
            tenant = Tenant(
                tenant_id=tid,
                customer_id=owner.id,
                primary_domain=name,
                display_name=display_name.strip(),
                cloud=cloud,
            )
            uow.tenants.insert(tenant)
            return tenant

    @staticmethod
    def _refuse_duplicate(uow: UnitOfWork, tid: str, domain: str) -> None:
        existing = uow.tenants.by_id(tid) or (uow.tenants.by_domain(domain) if domain else None)
        if existing is None:
            return
        owner = uow.customers.by_id(existing.customer_id)
        owner_name = owner.name if owner else "another customer"
        what = f"tenant ID {tid}" if existing.tenant_id == tid else f"domain {domain}"
        raise UserError(
            f"The {what} is already in the store: it belongs to {owner_name}.",
            remedy=f"Use the existing tenant under {owner_name}, or remove it there first.",
        )

    def find(self, key: str) -> tuple[Tenant, Customer]:
        """A tenant by ID or primary domain, with its customer."""
        with self._store.reading() as uow:
            return self._find(uow, key)

    @staticmethod
    def _find(uow: UnitOfWork, key: str) -> tuple[Tenant, Customer]:
        text = key.strip()
        tenant = (
            uow.tenants.by_id(normalise_tenant_id(text))
            if is_guid(text)
            else uow.tenants.by_domain(normalise_domain(text))
        )
        if tenant is None:
            raise NotFoundError(
                f"There is no tenant {text} in the store.",
                remedy="`tenants list` shows every tenant.",
            )
        customer = uow.customers.by_id(tenant.customer_id)
        assert customer is not None
        return tenant, customer

    def plan_removal(self, key: str, catalog: Catalog) -> TenantRemovalPlan:
        with self._store.reading() as uow:
            tenant, customer = self._find(uow, key)
            refs = tuple(uow.profiles.refs_of_tenant(tenant.tenant_id))
        return TenantRemovalPlan(tenant, customer.name, refs, blocked_by_rule(refs, catalog))

    def remove(
        self, plan: TenantRemovalPlan, catalog: Catalog, remove_secret: RemoveSecret | None = None
    ) -> None:
        refused = plan.refusal()
        if refused is not None:
            raise refused
        with self._store.unit_of_work() as uow:
            current = tuple(uow.profiles.refs_of_tenant(plan.tenant.tenant_id))
            refuse_if_changed(current, plan.profiles, f"the tenant {plan.tenant.label}")
            remove_profiles(uow, current, catalog, remove_secret, why="tenant removed")
            uow.tenants.delete(plan.tenant.tenant_id)
