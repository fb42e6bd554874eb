"""The wizard names the profiles a tenant already has for the apps of a run."""

from __future__ import annotations

from desktop.core.catalog.loader import load_shipped
from desktop.core.catalog.model import ServiceFamily, SetupMode
from desktop.core.domain import Customer, Tenant
from desktop.core.wizard import CreateProfileWizard
from desktop.core.wizard.duplicates import ExistingProfile, find_duplicates

TID = "8f0c2f39-7d5e-4c1f-9a7b-2d1e0c3b4a59"
OTHER = "11111111-2222-4333-8444-555555555555"


def _run(new_tenant: bool = False) -> CreateProfileWizard:
    wizard = CreateProfileWizard(load_shipped())
    wizard.set_customer(Customer("Contoso", id=1))
    wizard.set_tenant(Tenant(TID, 1, "contoso.onmicrosoft.com"), new=new_tenant)
    wizard.choose_family(ServiceFamily.PREMIUM)
    wizard.set_services(["nitro", "azure-security-management"])
    return wizard


def test_an_app_the_tenant_has_a_profile_for_is_named_with_the_remedy() -> None:
    existing = [
        ExistingProfile(9, "Nitro – contoso.onmicrosoft.com", TID, "apelements-automation",
                        SetupMode.MODERN, "Expired"),
        ExistingProfile(10, "Nitro – other", OTHER, "apelements-automation",
                        SetupMode.MODERN, "Valid"),
    ]  # fmt: skip
    (duplicate,) = find_duplicates(_run().state, existing)
    assert duplicate.existing.id == 9 and duplicate.reauthorizable
    text = duplicate.text("contoso.onmicrosoft.com")
    assert "already has an app profile for APElements Automation" in text
    assert "“Nitro – contoso.onmicrosoft.com” (Expired)" in text and "Re-authorize it" in text


def test_a_classic_profile_is_said_to_be_reauthorized_elsewhere() -> None:
    existing = [
        ExistingProfile(3, "Old", TID, "apelements-automation", SetupMode.CLASSIC, "Invalid")
    ]
    (duplicate,) = find_duplicates(_run().state, existing)
    assert not duplicate.reauthorizable
    assert "AvePoint Online Services" in duplicate.text("contoso.onmicrosoft.com")


def test_a_new_tenant_has_no_duplicates() -> None:
    existing = [ExistingProfile(9, "N", TID, "apelements-automation", SetupMode.MODERN, "Valid")]
    assert find_duplicates(_run(new_tenant=True).state, existing) == []
