"""Check outcomes in the real SQLite store: status, last-checked time, and the history."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.core.catalog.model import SetupMode
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.gateway import TransientFailure
from desktop.core.checks.inventory_store import InventoryCheckStore
from desktop.core.checks.service import CheckService
from desktop.core.checks.triggers import Trigger, mark_for
from desktop.core.domain import AppProfile, EventKind, Status
from desktop.core.errors import NotFoundError
from desktop.core.inventory import Inventory
from desktop.core.paths import DataPaths
from tests.helpers.check_fakes import FakeCredentials, ScriptedGateway, small_catalog

TENANT = "6f2a1d8e-0b1c-4c55-9e7a-3b9d2c4e5f01"
APP_ID = "33333333-3333-3333-3333-333333333333"


@pytest.fixture
def inventory(data_home: Path) -> Inventory:
    inv = Inventory.open(DataPaths(data_home).ensure())
    inv.customers.add("Contoso")
    inv.tenants.add("Contoso", domain="contoso.onmicrosoft.com", tenant_id=TENANT)
    for i in range(3):
        inv.profiles.add(
            AppProfile(
                name=f"Backup {i}", customer_id=1, tenant_id=TENANT, service_ids=("backup",),
                app_type_id="custom-azure-app", custom_app_id=APP_ID,
                certificate_ref="c", status=Status.VALID, mode=SetupMode.CUSTOM,
            ),
            consented=False,
        )  # fmt: skip
    return inv


def service(inventory: Inventory, gateway: ScriptedGateway) -> CheckService:
    checker = ProfileChecker(small_catalog(), gateway, FakeCredentials())
    return CheckService(InventoryCheckStore(inventory), checker)


def kinds(inventory: Inventory, pid: int) -> list[EventKind]:
    return [e.kind for e in inventory.profiles.details(pid).history]


def test_a_status_change_is_stored_with_history(inventory: Inventory) -> None:
    outcome = service(inventory, ScriptedGateway(app={"roles": ["User.Read.All"]})).check(None)
    assert len(outcome.results) == 3
    details = inventory.profiles.details(1)
    assert details.profile.status is Status.INVALID
    assert details.profile.last_checked is not None
    assert "Sites.Read.All" in details.profile.reason
    assert EventKind.CHECKED in kinds(inventory, 1)
    assert EventKind.STATUS_CHANGED in kinds(inventory, 1)


def test_a_transient_failure_keeps_status_and_records_it(inventory: Inventory) -> None:
    gateway = ScriptedGateway(app=TransientFailure("the sign-in service cannot be reached"))
    service(inventory, gateway).check([2])
    details = inventory.profiles.details(2)
    assert details.profile.status is Status.VALID
    assert details.profile.last_checked is None
    failed = [e for e in details.history if e.kind is EventKind.CHECK_FAILED]
    assert failed and "cannot be reached" in failed[0].detail


def test_unknown_ids_are_refused(inventory: Inventory) -> None:
    with pytest.raises(NotFoundError, match="#99"):
        service(inventory, ScriptedGateway()).check([1, 99])


def test_marking_and_reauthorizing_are_in_the_history(inventory: Inventory) -> None:
    store = InventoryCheckStore(inventory)
    profile = inventory.profiles.details(3).profile
    store.record_mark(3, mark_for(profile, Trigger.CERTIFICATE_CHANGED), "certificate changed")
    marked = inventory.profiles.details(3).profile
    assert marked.reauthorization_required and marked.status is Status.INVALID
    assert marked.reason.startswith("Re-authorization required")
    marked.custom_app_id = "44444444-4444-4444-4444-444444444444"
    store.save_reauthorized(marked, "administrator consent")
    again = inventory.profiles.details(3).profile
    assert not again.reauthorization_required
    assert again.custom_app_id == "44444444-4444-4444-4444-444444444444"
    assert kinds(inventory, 3)[-3:] == [
        EventKind.MARKED, EventKind.STATUS_CHANGED, EventKind.REAUTHORIZED,
    ]  # fmt: skip


def test_loading_the_profiles_to_check_is_one_query(
    inventory: Inventory, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.core.store import database

    statements: list[str] = []
    connect = database.connect

    def traced(*args, **kwargs):  # type: ignore[no-untyped-def]
        conn = connect(*args, **kwargs)
        conn.set_trace_callback(statements.append)
        return conn

    monkeypatch.setattr(database, "connect", traced)
    store = InventoryCheckStore(inventory)
    assert [t.profile.id for t in store.targets(None)] == [1, 2, 3]
    assert [t.profile.id for t in store.targets([3, 1, 3])] == [3, 1]
    assert len([s for s in statements if "FROM profiles" in s]) == 2  # one per call, not per id
