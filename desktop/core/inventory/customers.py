"""Customers: add, rename, notes, AOS services, and removal with a plan to confirm first."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from desktop.core.catalog.model import Catalog, ServiceFamily
from desktop.core.domain import Customer, Tenant
from desktop.core.errors import NotFoundError, UserError
from desktop.core.inventory.removal import (
    ProfileRef,
    RemovalPlanRules,
    blocked_by_rule,
    refuse_if_changed,
    remove_profiles,
)
from desktop.core.inventory.rules import RemoveSecret
from desktop.core.storage.interface import Repository, UnitOfWork

MAX_NAME = 200


@dataclass(frozen=True)
class CustomerRemovalPlan(RemovalPlanRules):
    """What removing a customer takes with it; shown to the user before they confirm."""

    kind: ClassVar[str] = "customer"
    customer: Customer
    tenants: tuple[Tenant, ...]
    profiles: tuple[ProfileRef, ...]
    blocked: tuple[tuple[ProfileRef, str], ...]

    @property
    def subject(self) -> str:
        return self.customer.name

    def describe(self) -> str:
        """The confirmation text: every tenant and profile that goes."""
        lines = [f"Remove the customer {self.customer.name}?"]
        if self.tenants:
            lines.append(
                f"Tenants ({len(self.tenants)}): " + ", ".join(t.label for t in self.tenants)
            )
        return "\n".join(lines + self.profile_lines())


def check_name(name: str) -> str:
    value = " ".join(name.split())
    if not value:
        raise UserError("A customer needs a name.", remedy="Type the customer's name.")
    if len(value) > MAX_NAME:
        raise UserError(
            f"The customer name is too long ({len(value)} characters).",
            remedy=f"Use at most {MAX_NAME} characters.",
        )
    return value


class CustomerService:
    """Customer operations over the store; the GUI and the CLI both call these."""

    def __init__(self, store: Repository) -> None:
        self._store = store

    def list(self) -> list[Customer]:
        with self._store.reading() as uow:
            return uow.customers.all()

    def counts(self) -> dict[int, tuple[int, int]]:
        """(tenants, profiles) per customer id."""
        with self._store.reading() as uow:
            return uow.customers.counts()

    def get(self, name: str) -> Customer:
        with self._store.reading() as uow:
            return self._get(uow, name)

    @staticmethod
    def _get(uow: UnitOfWork, name: str) -> Customer:
        found = uow.customers.by_name(" ".join(name.split()))
        if found is None:
            raise NotFoundError(
                f"There is no customer named “{name}”.",
                remedy="Check the spelling; `customers list` shows every customer.",
            )
        return found

    def add(self, name: str, notes: str = "", aos_service_ids: tuple[str, ...] = ()) -> Customer:
        value = check_name(name)
        with self._store.unit_of_work() as uow:
            if uow.customers.by_name(value) is not None:
                raise UserError(
                    f"A customer named “{value}” already exists.",
                    remedy="Use another name, or add tenants to the existing customer.",
                )
            customer = Customer(name=value, notes=notes, aos_service_ids=aos_service_ids)
            customer.id = uow.customers.insert(customer)
            return uow.customers.by_id(customer.id) or customer  # with its version

    def versions(self, ids: Sequence[int] | None = None) -> dict[int, int]:
        """The version now of each customer of *ids* (every customer when None), for edits
        that check it; one query however many ids. Customers that are gone are missing."""
        with self._store.reading() as uow:
            return uow.customers.versions(ids)

    def rename(self, old: str | int, new: str, *, expected_version: int | None = None) -> Customer:
        """Rename *old* (a name, or the customer's id); with *expected_version* (the
        :attr:`Customer.version` the caller read), refused with
        :class:`~desktop.core.errors.StaleEditError` ("changed by Bob at 14:02") if a colleague
        changed the customer since. Returns it as stored now."""
        value = check_name(new)
        with self._store.unit_of_work() as uow:
            if isinstance(old, int):
                by_id = uow.customers.by_id(old)
                if by_id is None:
                    raise NotFoundError(
                        "That customer was removed meanwhile.", remedy="Reload the list."
                    )
                customer = by_id
            else:
                customer = self._get(uow, old)
            clash = uow.customers.by_name(value)
            if clash is not None and clash.id != customer.id:
                raise UserError(
                    f"A customer named “{value}” already exists.", remedy="Use another name."
                )
            assert customer.id is not None
            uow.customers.rename(customer.id, value, expected_version=expected_version)
            return uow.customers.by_id(customer.id) or customer

    def set_notes(self, name: str, notes: str, *, expected_version: int | None = None) -> Customer:
        """Set *name*'s notes; *expected_version* as for :meth:`rename`."""
        with self._store.unit_of_work() as uow:
            customer = self._get(uow, name)
            assert customer.id is not None
            uow.customers.set_notes(customer.id, notes.strip(), expected_version=expected_version)
            return uow.customers.by_id(customer.id) or customer

    def set_aos_services(
        self, name: str, service_ids: tuple[str, ...], catalog: Catalog
    ) -> Customer:
        """Replace the AOS services added for the customer (the wizard offers only these)."""
        for sid in service_ids:
            try:
                service = catalog.service(sid)
            except KeyError:
                raise UserError(
                    f"There is no service with the id “{sid}”.",
                    remedy="Pick one of the AOS services the catalog lists.",
                ) from None
            if service.family is not ServiceFamily.AOS:
                raise UserError(
                    f"{service.name} is not an AOS service.",
                    remedy="Only AOS services are added per customer; premium services are "
                    "always offered.",
                )
        with self._store.unit_of_work() as uow:
            customer = self._get(uow, name)
            assert customer.id is not None
            uow.customers.set_services(customer.id, service_ids)
            customer.aos_service_ids = tuple(sorted(set(service_ids)))
            return customer

    def plan_removal(self, name: str, catalog: Catalog) -> CustomerRemovalPlan:
        with self._store.reading() as uow:
            customer = self._get(uow, name)
            assert customer.id is not None
            tenants = tuple(uow.tenants.of_customer(customer.id))
            refs = tuple(uow.profiles.refs_of_customer(customer.id))
        return CustomerRemovalPlan(customer, tenants, refs, blocked_by_rule(refs, catalog))

    def remove(
        self,
        plan: CustomerRemovalPlan,
        catalog: Catalog,
        remove_secret: RemoveSecret | None = None,
    ) -> None:
        """Carry out a confirmed plan: profiles (with their secrets), tenants, the customer."""
        refused = plan.refusal()
        if refused is not None:
            raise refused
        with self._store.unit_of_work() as uow:
            customer_id = plan.customer.id
            assert customer_id is not None
            current = tuple(uow.profiles.refs_of_customer(customer_id))
            refuse_if_changed(current, plan.profiles, plan.customer.name)
            remove_profiles(uow, current, catalog, remove_secret, why="customer removed")
            uow.customers.delete(customer_id)
