"""The wizard consents with the publisher client ID of the tenant's cloud."""

from __future__ import annotations

from desktop.core.catalog.model import ServiceFamily
from desktop.core.domain import Cloud, Customer, Tenant
from desktop.core.wizard import CreateProfileWizard
from tests.helpers.wizard_catalog import seed_catalog

TENANT_ID = "8f0c2f39-7d5e-4c1f-9a7b-2d1e0c3b4a59"
GOV_ID = "1a2b3c4d-0000-4000-8000-00000000a0a0"


def _wizard(cloud: Cloud) -> CreateProfileWizard:
    wizard = CreateProfileWizard(seed_catalog(), client_ids={"automation": "global-id"})
    wizard.set_client_ids({"automation": GOV_ID}, "usgov")
    wizard.set_customer(Customer("Contoso", id=7))
    wizard.set_tenant(Tenant(TENANT_ID, 7, cloud=cloud))
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["nitro"])
    return wizard


def test_a_gcc_high_tenant_gets_the_gcc_high_registration() -> None:
    wizard = _wizard(Cloud.USGOV)
    assert wizard.client_id(wizard.row("automation")) == GOV_ID


def test_a_cloud_without_its_own_registration_has_no_client_id() -> None:
    # The catalog's and Settings' single values are the Global cloud's: unknown in China.
    wizard = _wizard(Cloud.CHINA)
    assert wizard.client_id(wizard.row("automation")) is None
    [blocker] = wizard.authenticate_blockers("automation")
    assert "in the China cloud is not set" in blocker and "own app registration" in blocker
    assert _wizard(Cloud.GLOBAL).client_id(wizard.row("automation")) == "global-id"
