"""One naming pattern for app profiles: the wizard, the CLI's consent and the demo data."""

from __future__ import annotations

from pathlib import Path

from desktop.core.catalog.model import ServiceFamily
from desktop.core.demo import seed_demo
from desktop.core.domain import Cloud, Customer, Tenant
from desktop.core.naming import profile_name
from desktop.core.wizard import ConsentState, CreateProfileWizard, build_plan
from tests.helpers.inventory import open_inventory, shipped_catalog

TENANT = Tenant("72f988bf-86f1-41af-91ab-2d7cd011db47", 1, "contoso.onmicrosoft.com", "Contoso")


def test_a_service_with_one_app_names_the_service_and_the_tenant() -> None:
    catalog = shipped_catalog()
    app = catalog.app_type("apelements-automation")
    assert profile_name(catalog, app, ["nitro"], TENANT) == "Nitro – contoso.onmicrosoft.com"


def test_a_service_with_several_apps_names_the_app() -> None:
    catalog = shipped_catalog()
    app = catalog.app_type("cloud-backup-m365-delegated-app")
    assert profile_name(catalog, app, ["cloud-backup-m365"], TENANT) == (
        f"{app.label} – contoso.onmicrosoft.com"
    )


def test_a_tenant_without_a_domain_is_named_by_its_id() -> None:
    catalog = shipped_catalog()
    bare = Tenant(TENANT.tenant_id, 1, "", "", Cloud.GLOBAL)
    app = catalog.app_type("apelements-automation")
    assert profile_name(catalog, app, ["nitro"], bare) == f"Nitro – {TENANT.tenant_id}"


def test_the_wizard_names_profiles_by_the_pattern() -> None:
    catalog = shipped_catalog()
    wizard = CreateProfileWizard(catalog)
    wizard.set_customer(Customer(name="Contoso", id=1))
    wizard.set_tenant(TENANT)
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["nitro"])
    wizard.state.rows[0].state = ConsentState.DEFERRED
    (profile,) = build_plan(wizard.state, catalog).profiles
    assert profile.name == "Nitro – contoso.onmicrosoft.com"
    assert "Contoso " not in profile.name  # the customer has its own column


def test_demo_profiles_follow_the_pattern(data_home: Path) -> None:
    catalog = shipped_catalog()
    inv = open_inventory(data_home)
    seed_demo(inv.store, catalog, customers=3, profiles=20)
    domains = {t.tenant_id: t.primary_domain for t, _name in inv.tenants.list()}
    for row in inv.profiles.rows():
        profile = inv.profiles.details(row.id).profile
        tenant = Tenant(profile.tenant_id, profile.customer_id, domains[profile.tenant_id], "")
        app = catalog.app_type(profile.app_type_id)
        assert profile.name == profile_name(catalog, app, profile.service_ids, tenant)
