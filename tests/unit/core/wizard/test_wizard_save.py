"""Save writes a wizard run to the real SQLite store in one transaction."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.catalog.model import ServiceFamily, SetupMode
from desktop.core.domain import Customer, EventKind, Status, Tenant
from desktop.core.errors import UserError
from desktop.core.wizard import CreateProfileWizard, build_plan
from desktop.core.wizard.save import save_plan
from tests.helpers.inventory import CONTOSO_TID, FABRIKAM_TID, open_inventory, shipped_catalog

APP_ID = "0d3c6a71-5b2e-4f0a-8c9d-1e2f3a4b5c6d"


def consented(machine: CreateProfileWizard, *app_ids: str) -> None:
    for app_id in app_ids:
        machine.start_consent(app_id)
        machine.consent_granted(app_id, consenting_user="admin@contoso.com", status=Status.VALID)


def machine_for(customer: Customer, tenant: Tenant, **kw: bool) -> CreateProfileWizard:
    ids = {a.id: APP_ID for a in shipped_catalog().app_types}
    machine = CreateProfileWizard(shipped_catalog(), client_ids=ids)
    machine.set_customer(customer, new=kw.get("new_customer", False))
    machine.set_tenant(tenant, new=kw.get("new_tenant", False))
    return machine


def custom_baseline(machine: CreateProfileWizard, profile_name: str = "Custom") -> None:
    """Baseline management in custom mode, with the customer's application ID."""
    machine.choose_family(ServiceFamily.PREMIUM)
    machine.set_services(["baseline-management"])
    machine.set_mode("baseline-management", SetupMode.CUSTOM)
    machine.set_custom_details(profile_name=profile_name, application_id=APP_ID)


def test_new_customer_tenant_and_profiles_in_one_go(data_home: Path) -> None:
    inv = open_inventory(data_home)
    machine = machine_for(
        Customer("Northwind"),
        Tenant(FABRIKAM_TID, 0, "northwind.com"),
        new_customer=True,
        new_tenant=True,
    )
    machine.choose_family(ServiceFamily.AOS)
    machine.add_aos_service("insights")
    machine.set_services(["insights"])
    first, second = (r.app_id for r in machine.state.rows)
    consented(machine, first)
    machine.defer(second)
    saved = save_plan(inv.store, build_plan(machine.state, machine.catalog))
    assert all(p.id for p in saved)
    customer = inv.customers.get("Northwind")
    assert customer.aos_service_ids == ("insights",)
    tenant, owner = inv.tenants.find("northwind.com")
    assert owner.id == customer.id and tenant.tenant_id == FABRIKAM_TID
    rows = {r.app_type_id: r for r in inv.profiles.rows()}
    assert rows[first].status == "Valid" and rows[second].status == "Unknown"
    history = inv.profiles.details(saved[0].id).history  # type: ignore[arg-type]
    assert {e.kind for e in history} == {EventKind.CREATED, EventKind.CONSENTED, EventKind.CHECKED}
    deferred = inv.profiles.details(saved[1].id).history  # type: ignore[arg-type]
    assert [e.kind for e in deferred] == [EventKind.CREATED]


def test_existing_customer_gets_added_services_and_custom_profile(data_home: Path) -> None:
    inv = open_inventory(data_home)
    customer = inv.customers.add("Contoso", aos_service_ids=("fly",))
    tenant = inv.tenants.add("Contoso", domain="contoso.com", tenant_id=CONTOSO_TID)
    machine = machine_for(customer, tenant)
    custom_baseline(machine, "Contoso custom")
    consented(machine, "apelements-baseline-management")
    stored: list[str] = []
    (profile,) = save_plan(
        inv.store,
        build_plan(machine.state, machine.catalog),
        store_certificate=lambda: stored.append("c") or "cert:1",
    )
    assert stored == ["c"] and profile.certificate_ref == "cert:1"
    details = inv.profiles.details(profile.id)  # type: ignore[arg-type]
    assert details.profile.custom_app_id == APP_ID and details.profile.mode is SetupMode.CUSTOM


def test_engine_certificate_reference_is_kept(data_home: Path) -> None:
    inv = open_inventory(data_home)
    customer = inv.customers.add("Contoso")
    tenant = inv.tenants.add("Contoso", domain="contoso.com", tenant_id=CONTOSO_TID)
    machine = machine_for(customer, tenant)
    custom_baseline(machine)
    machine.start_consent("apelements-baseline-management")
    machine.consent_granted("apelements-baseline-management", certificate_ref="cert:engine")
    (profile,) = save_plan(
        inv.store, build_plan(machine.state, machine.catalog)
    )  # no second copy needed
    assert profile.certificate_ref == "cert:engine"


def test_failure_writes_nothing_and_removes_the_certificate(data_home: Path) -> None:
    inv = open_inventory(data_home)
    inv.customers.add("Northwind")  # the inline customer's name is taken meanwhile
    machine = machine_for(
        Customer("Northwind"),
        Tenant(FABRIKAM_TID, 0, "northwind.com"),
        new_customer=True,
        new_tenant=True,
    )
    custom_baseline(machine)
    consented(machine, "apelements-baseline-management")
    removed: list[str] = []
    with pytest.raises(UserError, match="already exists"):
        save_plan(
            inv.store,
            build_plan(machine.state, machine.catalog),
            store_certificate=lambda: "cert:2",
            remove_certificate=removed.append,
        )
    assert removed == ["cert:2"]
    assert inv.profiles.count() == 0 and inv.tenants.list() == []


def test_tenant_taken_by_another_customer_is_refused(data_home: Path) -> None:
    inv = open_inventory(data_home)
    inv.customers.add("Fabrikam")
    inv.tenants.add("Fabrikam", domain="fabrikam.com", tenant_id=FABRIKAM_TID)
    contoso = inv.customers.add("Contoso")
    machine = machine_for(contoso, Tenant(FABRIKAM_TID, contoso.id or 0, "x.com"), new_tenant=True)
    machine.choose_family(ServiceFamily.PREMIUM)
    machine.set_services(["nitro"])
    consented(machine, "apelements-automation")
    with pytest.raises(UserError, match="belongs to Fabrikam"):
        save_plan(inv.store, build_plan(machine.state, machine.catalog))
    assert inv.profiles.count() == 0


def test_custom_without_certificate_is_refused(data_home: Path) -> None:
    inv = open_inventory(data_home)
    customer = inv.customers.add("Contoso")
    tenant = inv.tenants.add("Contoso", domain="contoso.com", tenant_id=CONTOSO_TID)
    machine = machine_for(customer, tenant)
    custom_baseline(machine)
    consented(machine, "apelements-baseline-management")
    with pytest.raises(UserError, match="certificate is missing"):
        save_plan(inv.store, build_plan(machine.state, machine.catalog))
