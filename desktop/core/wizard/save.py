"""Save: write a wizard run to the store in one transaction.

The inline customer and tenant, the AOS services added for the customer, the profiles and their
first history entries are written together or not at all. A custom app's certificate goes into
the vault first (its reference is stored with the profile) and is removed again if the
transaction fails, so nothing is half-saved.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from desktop.core.domain import AppProfile, Customer, Tenant
from desktop.core.errors import UserError
from desktop.core.inventory.customers import check_name
from desktop.core.inventory.profiles import insert_with_history
from desktop.core.inventory.tenants import TenantService
from desktop.core.storage.interface import Repository, UnitOfWork
from desktop.core.wizard.plan import SavePlan

#: ``store_certificate() -> reference`` and ``remove(reference)``: the vault, for custom mode.
StoreCertificate = Callable[[], str]
RemoveCertificate = Callable[[str], None]


def save_plan(
    store: Repository,
    plan: SavePlan,
    *,
    store_certificate: StoreCertificate | None = None,
    remove_certificate: RemoveCertificate | None = None,
) -> list[AppProfile]:
    """Write *plan*; return the saved profiles with their ids. Raises :class:`UserError`.

    A custom profile keeps the certificate reference the consent engine stored; one without
    a reference gets the certificate stored now.
    """
    ref = ""
    if any(p.app_type_id in plan.custom_app_ids and not p.certificate_ref for p in plan.profiles):
        if store_certificate is None:
            raise UserError(
                "The custom app's certificate is missing.",
                remedy="Go back to Setup method and open the certificate again.",
            )
        ref = store_certificate()
    try:
        return _write(store, plan, ref)
    except BaseException:
        if ref and remove_certificate is not None:
            remove_certificate(ref)
        raise


def _write(store: Repository, plan: SavePlan, ref: str) -> list[AppProfile]:
    with store.unit_of_work() as uow:
        customer = _customer(uow, plan)
        assert customer.id is not None
        tenant = _tenant(uow, plan, customer)
        saved: list[AppProfile] = []
        for draft in plan.profiles:
            custom = draft.app_type_id in plan.custom_app_ids
            profile = dataclasses.replace(
                draft,
                customer_id=customer.id,
                tenant_id=tenant.tenant_id,
                certificate_ref=(draft.certificate_ref or ref) if custom else "",
            )
            insert_with_history(
                uow,
                profile,
                consent_detail=f"{profile.consent_method.value} consent in the create wizard",
                first_check="Verified after consent.",
            )
            saved.append(profile)
        return saved


def _customer(uow: UnitOfWork, plan: SavePlan) -> Customer:
    if plan.new_customer:
        name = check_name(plan.customer.name)
        if uow.customers.by_name(name) is not None:
            raise UserError(
                f"A customer named “{name}” already exists.",
                remedy="Go back to the first step and choose the existing customer.",
            )
        customer = Customer(name=name, aos_service_ids=tuple(sorted(plan.added_aos_services)))
        customer.id = uow.customers.insert(customer)
        return customer
    if plan.customer.id is None:
        raise UserError("The customer has no id.", remedy="Choose the customer again.")
    current = uow.customers.by_id(plan.customer.id)
    if current is None:
        raise UserError(
            f"The customer {plan.customer.name} was removed meanwhile (in another window?).",
            remedy="Close the wizard, refresh the list and start again.",
        )
    if plan.added_aos_services:
        services = tuple(sorted({*current.aos_service_ids, *plan.added_aos_services}))
        assert current.id is not None
        uow.customers.set_services(current.id, services)
        current.aos_service_ids = services
    return current


def _tenant(uow: UnitOfWork, plan: SavePlan, customer: Customer) -> Tenant:
    assert customer.id is not None
    if plan.new_tenant:
        tenant = dataclasses.replace(plan.tenant, customer_id=customer.id)
        TenantService._refuse_duplicate(uow, tenant.tenant_id, tenant.primary_domain)
        uow.tenants.insert(tenant)
        return tenant
    current = uow.tenants.by_id(plan.tenant.tenant_id)
    if current is None or current.customer_id != customer.id:
        raise UserError(
            f"The tenant {plan.tenant.label} no longer belongs to {customer.name}.",
            remedy="Close the wizard, refresh the list and start again.",
        )
    return current
