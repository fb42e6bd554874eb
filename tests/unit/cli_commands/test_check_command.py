"""``app-profiles-cli check``: JSON, exit codes and refusals, in a subprocess as scripts run it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from desktop.core.catalog.model import SetupMode
from desktop.core.checks.inventory_store import InventoryCheckStore
from desktop.core.checks.triggers import Trigger, mark_for
from desktop.core.domain import AppProfile, Status
from desktop.core.inventory import Inventory
from desktop.core.paths import DataPaths
from desktop.core.vault import CertificateVault, open_vault
from tests.helpers.certificates import app_certificate
from tests.helpers.cli_tables import parse_table
from tests.helpers.file_keyring import FileKeyring, keyring_env

TENANT = "6f2a1d8e-0b1c-4c55-9e7a-3b9d2c4e5f01"
KEYS = {
    "id", "status", "reason", "remedy", "error_codes", "missing_permissions", "missing_roles",
    "checked_at",
}  # fmt: skip


@pytest.fixture
def store(data_home: Path) -> Inventory:
    inv = Inventory.open(DataPaths(data_home).ensure())
    inv.customers.add("Contoso")
    inv.tenants.add("Contoso", domain="contoso.onmicrosoft.com", tenant_id=TENANT)
    vault = CertificateVault(open_vault(DataPaths(data_home), FileKeyring(data_home / "k.json")))
    stored, _ = vault.import_pfx(app_certificate()[1], "pw")
    for name, ref in (("Marked", ""), ("No certificate", ""), ("Stored", stored)):
        inv.profiles.add(
            AppProfile(
                name=name, customer_id=1, tenant_id=TENANT, service_ids=("baseline",),
                app_type_id="custom-azure-app", mode=SetupMode.CUSTOM, status=Status.VALID,
                custom_app_id="33333333-3333-3333-3333-333333333333", certificate_ref=ref,
            ),
            consented=False,
        )  # fmt: skip
    checks = InventoryCheckStore(inv)
    checks.record_mark(1, mark_for(inv.profiles.details(1).profile, Trigger.USER_LEFT), "left")
    return inv


def test_an_invalid_profile_exits_1_with_the_json_keys(cli, store: Inventory) -> None:  # type: ignore[no-untyped-def]
    done = cli("check", "1", "--format", "json")
    assert done.returncode == 1, done.stderr
    (obj,) = json.loads(done.stdout)
    assert set(obj) >= KEYS
    assert obj["id"] == 1 and obj["name"] == "Marked" and obj["status"] == "Invalid"
    assert obj["reason"].startswith("Re-authorization required")
    assert obj["error_codes"] == [] and obj["checked_at"].endswith("Z")


def test_a_check_that_cannot_run_exits_2_and_keeps_the_status(  # type: ignore[no-untyped-def]
    cli, store: Inventory, tmp_path: Path
) -> None:
    locked = keyring_env(tmp_path / "k.json", locked=True)
    done = cli("check", "3", "--format", "json", env=locked)
    assert done.returncode == 2
    (obj,) = json.loads(done.stdout)
    assert obj["status"] == "Valid" and obj["transient"] is True
    assert "keyring is locked" in obj["reason"]
    assert store.profiles.details(3).profile.status is Status.VALID


def test_a_profile_without_its_certificate_is_invalid(cli, store: Inventory) -> None:  # type: ignore[no-untyped-def]
    done = cli("check", "2", "--format", "json")
    assert done.returncode == 1
    (obj,) = json.loads(done.stdout)
    assert obj["status"] == "Invalid" and obj["transient"] is False
    assert "no longer in this computer's vault — choose it again" in obj["reason"]
    assert "Re-authorize" in obj["remedy"]
    assert store.profiles.details(2).profile.status is Status.INVALID


def test_all_checks_every_profile(cli, store: Inventory) -> None:  # type: ignore[no-untyped-def]
    done = cli("check", "--all", "--concurrency", "2", "--format", "json")
    assert done.returncode == 1  # Invalid wins over a check that could not run
    assert sorted((o["id"], o["name"]) for o in json.loads(done.stdout)) == [
        (1, "Marked"),
        (2, "No certificate"),
        (3, "Stored"),
    ]


def test_the_table_names_each_profile(cli, store: Inventory) -> None:  # type: ignore[no-untyped-def]
    done = cli("check", "1", "2")
    rows = {r["id"]: r for r in parse_table(done.stdout, starts_row="id")}
    assert rows["1"]["name"] == "Marked" and rows["2"]["name"] == "No certificate"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ((), "Name the profiles to check, or use --all"),
        (("1", "--all"), "Name the profiles to check, or use --all"),
        (("99",), "There is no app profile #99"),
        (("1", "--concurrency", "0"), "--concurrency must be between 1 and 64"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(cli, store: Inventory, args, words) -> None:  # type: ignore[no-untyped-def]
    done = cli("check", *args)
    assert done.returncode == 2
    assert words in done.stderr and len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("2", "--method", "user"), "does not support user consent"),
        (("2", "--password-stdin"), "--password-stdin goes with --pfx FILE"),
        (("99",), "There is no app profile #99"),
        (("2", "--functions", "power-bi"), "Unknown function(s) for this app: power-bi"),
        (("2", "--pfx", "missing.pfx"), "does not exist"),
    ],
)
def test_reauthorize_refuses_bad_input_before_any_browser(
    cli, store: Inventory, args, words
) -> None:  # type: ignore[no-untyped-def]
    done = cli("reauthorize", *args)
    assert done.returncode == 2, done.stdout
    assert words in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert store.profiles.details(2).profile.status is Status.VALID
