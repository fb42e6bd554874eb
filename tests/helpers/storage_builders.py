"""Domain objects for the storage contract tests (plain values, no backend)."""

from __future__ import annotations

from datetime import UTC, datetime

from desktop.core.catalog.model import ConsentMethod, SetupMode
from desktop.core.domain import AppProfile, Cloud, Customer, Status, Tenant
from desktop.core.storage.interface import UnitOfWork

T1 = "72f988bf-86f1-41af-91ab-2d7cd011db47"
T2 = "11111111-2222-4333-8444-555555555555"
CREATED = datetime(2026, 1, 2, 3, 0, 0, tzinfo=UTC)


def profile(name: str, customer_id: int, tenant_id: str = T1, **changes: object) -> AppProfile:
    made = AppProfile(
        name=name,
        customer_id=customer_id,
        tenant_id=tenant_id,
        service_ids=("nitro", "baseline"),
        app_type_id="elements_app",
        mode=SetupMode.MODERN,
        status=Status.VALID,
        consent_method=ConsentMethod.ADMIN,
        consented_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        last_checked=datetime(2026, 2, 3, 4, 5, 6, tzinfo=UTC),
        functions=("protect_power_bi",),
        baseline=("Graph: User.Read.All",),
        created_at=CREATED,
    )
    for key, value in changes.items():
        setattr(made, key, value)
    return made


def customer_with_tenant(uow: UnitOfWork, name: str = "Contoso", tenant_id: str = T1) -> int:
    """Add a customer and one tenant; returns the customer's id."""
    cid = uow.customers.insert(Customer(name=name))
    uow.tenants.insert(Tenant(tenant_id, cid, f"{name.lower()}.onmicrosoft.com", name, Cloud.USGOV))
    return cid
