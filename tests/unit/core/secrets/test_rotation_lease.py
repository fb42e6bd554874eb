"""A rotation's verify step takes the profile's lease on a real team database, like a
re-authorization: while a colleague works on the profile, it is refused in words before
anything is asked of Microsoft or changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.catalog.model import SetupMode
from desktop.core.certificates import CertificateRequest, create_self_signed
from desktop.core.domain import Cloud, Customer, Tenant
from desktop.core.inventory import Inventory
from desktop.core.paths import data_paths
from desktop.core.secrets import open_secret_store
from desktop.core.secrets.rotation import verify_rotation
from desktop.core.store.postgres.connection import connect
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.team.leases import Lease, LeaseHeldError
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.postgres import TestDatabase
from tests.helpers.storage_builders import profile
from tests.helpers.team import member, migrated

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


@pytest.fixture
def alices_store(postgres_db: TestDatabase) -> Iterator[tuple[PostgresStore, str, str, int]]:
    migrated(postgres_db)
    _alice, alice_url = member(postgres_db, "alice", "technician")
    bob, bob_url = member(postgres_db, "bob", "technician")
    store = PostgresStore.open(alice_url)
    with store.unit_of_work() as uow:
        cid = uow.customers.insert(Customer(name="Contoso"))
        uow.tenants.insert(Tenant(TENANT, cid, "contoso.onmicrosoft.com", "Contoso", Cloud.GLOBAL))
        pid = uow.profiles.insert(
            profile("Contoso Baseline", cid, TENANT, mode=SetupMode.CUSTOM,
                    custom_app_id="4d3c2b1a-0000-4000-8000-00000000c0de",
                    certificate_ref="cert-" + "a" * 32)
        )  # fmt: skip
    yield store, bob, bob_url, pid
    store.close()


def test_verify_waits_for_a_colleagues_lease_and_changes_nothing(
    alices_store: tuple[PostgresStore, str, str, int],
    data_home: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    store, bob, bob_url, pid = alices_store
    monkeypatch.setenv("APP_PROFILES_DATABASE_URL", store.url)
    inventory = Inventory(store)
    certificates = open_secret_store(data_paths().ensure(), MemoryKeyring())
    new = create_self_signed(CertificateRequest("contoso custom app", days=365))
    held = Lease(lambda: connect(bob_url), "profile", pid, "reauthorize", label="Contoso Baseline")
    with held, pytest.raises(LeaseHeldError) as refused:
        verify_rotation(
            pid,
            new,
            inventory=inventory,
            certificates=certificates,
            checker=None,  # type: ignore[arg-type]  # never reached: refused first
        )
    assert refused.value.one_line().startswith(f"{bob} is re-authorizing Contoso Baseline")
    assert inventory.profiles.details(pid).profile.certificate_ref == "cert-" + "a" * 32
