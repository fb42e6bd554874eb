"""``app-profiles-cli check``: JSON, exit codes and refusals, in a subprocess as scripts run it."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
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
from tests.helpers.fixtures import REPO_ROOT

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
        (("1", "--summary", "--format", "csv"), "--summary works with --format json or table"),
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


def test_summary_in_json_says_what_the_run_cost(cli, store: Inventory) -> None:  # type: ignore[no-untyped-def]
    done = cli("check", "--all", "--summary", "--format", "json")
    assert done.returncode == 1, done.stderr
    out = json.loads(done.stdout)
    assert sorted(o["id"] for o in out["results"]) == [1, 2, 3]
    summary = out["summary"]
    assert summary["checked"] == summary["total"] == 3 and summary["cancelled"] is False
    assert summary["statuses"] == {"Invalid": 2, "Not checked": 1}
    # None got an answer from the network: a marked one, one without its certificate, and
    # one whose check could not run.
    assert summary["requests"] == 0 and summary["throttled_seconds"] == 0.0


def test_summary_follows_the_table(cli, store: Inventory) -> None:  # type: ignore[no-untyped-def]
    done = cli("check", "--all", "--summary")
    table, _, totals = done.stdout.partition("\n\n")
    assert table.splitlines()[0].split()[:3] == ["id", "name", "status"]
    assert "requests" in totals and "throttled_seconds" in totals
    assert "Invalid 2, Not checked 1" in totals


def _many_uncheckable(store: Inventory, count: int) -> None:
    for i in range(count):
        store.profiles.add(
            AppProfile(
                name=f"No certificate {i}", customer_id=1, tenant_id=TENANT,
                service_ids=("baseline",), app_type_id="custom-azure-app", mode=SetupMode.CUSTOM,
                status=Status.VALID, custom_app_id="33333333-3333-3333-3333-333333333333",
            ),
            consented=False,
        )  # fmt: skip


def test_a_piped_stderr_gets_no_progress(cli, store: Inventory) -> None:  # type: ignore[no-untyped-def]
    _many_uncheckable(store, 17)
    done = cli("check", "--all", "--format", "json")
    assert done.returncode == 1
    assert "Checked" not in done.stderr and "Checking" not in done.stderr
    assert len(json.loads(done.stdout)) == 20


def test_a_terminal_sees_a_progress_line_per_tenth(data_home: Path, store: Inventory) -> None:
    _many_uncheckable(store, 17)  # 20 in all: each tenth is two checks
    leader, follower = pty.openpty()
    env = {**os.environ, "APP_PROFILES_HOME": str(data_home), "PYTHONPATH": str(REPO_ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", "check", "--all", "--format", "json"],
        stdout=subprocess.PIPE, stderr=follower, env=env, cwd=REPO_ROOT,
    )  # fmt: skip
    os.close(follower)
    said = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal is closed once the program has exited
            break
        if not chunk:
            break
        said += chunk
    os.close(leader)
    stdout, _ = process.communicate(timeout=120)
    assert process.returncode == 1
    assert len(json.loads(stdout)) == 20  # the output itself is unchanged
    lines = [line for line in said.decode().splitlines() if line.startswith("Check")]
    assert lines[0] == "Checking 20 app profiles…"
    assert lines[1:11] == [f"Checked {2 * n} of 20 ({10 * n}%)" for n in range(1, 11)]
    assert lines[11].startswith("Checked 20 of 20 in ") and "with 0 requests" in lines[11]
    assert "waited 0.0 s for throttling" in lines[11]
