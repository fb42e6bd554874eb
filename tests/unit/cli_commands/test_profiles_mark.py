"""``profiles mark ID --user-left | --mfa-enabled [--note TEXT]`` in a subprocess, on a real
store: the profile turns Invalid with the reason in words, and the history keeps the event."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.catalog.model import ConsentMethod
from desktop.core.domain import AppProfile, Status
from desktop.core.inventory import Inventory
from desktop.core.paths import DataPaths

TENANT = "6f2a1d8e-0b1c-4c55-9e7a-3b9d2c4e5f01"


@pytest.fixture
def inventory(data_home: Path) -> Inventory:
    inv = Inventory.open(DataPaths(data_home).ensure())
    inv.customers.add("Contoso", aos_service_ids=("cloud-backup-m365",))
    inv.tenants.add("Contoso", domain="contoso.onmicrosoft.com", tenant_id=TENANT)
    inv.profiles.add(
        AppProfile(
            name="Backup delegated", customer_id=1, tenant_id=TENANT,
            service_ids=("cloud-backup-m365",), app_type_id="cloud-backup-m365-delegated-app",
            status=Status.VALID, consent_method=ConsentMethod.USER,
            consenting_user="ann@contoso.com",
        ),
    )  # fmt: skip
    inv.profiles.add(
        AppProfile(
            name="Backup application", customer_id=1, tenant_id=TENANT,
            service_ids=("cloud-backup-m365",), app_type_id="cloud-backup-m365-all-permissions",
            status=Status.VALID,
        ),
    )  # fmt: skip
    return inv


def test_user_left_marks_the_profile_and_keeps_the_note(cli, inventory: Inventory) -> None:  # type: ignore[no-untyped-def]
    done = cli("profiles", "mark", "1", "--user-left", "--note", "HR ticket 4711",
               "--format", "json")  # fmt: skip
    assert done.returncode == 0, done.stderr
    (row,) = json.loads(done.stdout)
    assert row["id"] == 1 and row["status"] == "Invalid"
    assert "ann@contoso.com is no longer available" in row["reason"]
    listed = json.loads(cli("profiles", "list", "--format", "json").stdout)
    (first,) = [r for r in listed if r["id"] == 1]
    assert first["status"] == "Invalid" and "no longer available" in first["reason"]
    shown = json.loads(cli("profiles", "show", "1", "--format", "json").stdout)
    marked = [e for e in shown["history"] if e["kind"] == "marked"]
    assert marked and marked[0]["detail"] == "The consenting user left the company: HR ticket 4711"
    assert any(e["kind"] == "status_changed" for e in shown["history"])
    assert inventory.profiles.details(1).profile.reauthorization_required


def test_mfa_enabled_reason(cli, inventory: Inventory) -> None:  # type: ignore[no-untyped-def]
    done = cli("profiles", "mark", "1", "--mfa-enabled", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert "multi-factor authentication was enabled for ann@contoso.com" in done.stdout


def test_refusals_mark_nothing(cli, inventory: Inventory) -> None:  # type: ignore[no-untyped-def]
    both = cli("profiles", "mark", "1", "--user-left", "--mfa-enabled")
    assert both.returncode == 2 and "not allowed with" in both.stderr
    app_only = cli("profiles", "mark", "1", "2", "--user-left")
    assert app_only.returncode == 2
    assert "Backup application" in app_only.stderr and "Traceback" not in app_only.stderr
    unknown = cli("profiles", "mark", "99", "--user-left")
    assert unknown.returncode == 2 and "#99" in unknown.stderr
    assert inventory.profiles.details(1).profile.status is Status.VALID
