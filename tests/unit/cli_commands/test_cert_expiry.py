"""``cert expiry``: every custom profile's certificate expiry, in a subprocess over the vault."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

from desktop.core.catalog.model import SetupMode
from desktop.core.certificates import CertificateRequest, create_self_signed
from desktop.core.paths import DataPaths
from desktop.core.vault import CertificateVault, SecretVault
from tests.helpers.file_keyring import FileKeyring, keyring_env
from tests.helpers.inventory import CONTOSO_TID, add_profile, open_inventory

Cli = Callable[..., CompletedProcess[str]]


def _two_custom_profiles(home: Path, keyring_file: Path) -> None:
    inv = open_inventory(home)
    customer = inv.customers.add("Contoso")
    assert customer.id is not None
    inv.tenants.add("Contoso", tenant_id=CONTOSO_TID)
    vault = CertificateVault(SecretVault(DataPaths(home).vault, FileKeyring(keyring_file)))
    for name, days in (("Contoso Long", 400), ("Contoso Soon", 12)):
        ref = vault.store(create_self_signed(CertificateRequest(name, days=days)))
        vault.settle(ref)
        add_profile(inv, name, customer.id, CONTOSO_TID, certificate_ref=ref,
                    mode=SetupMode.CUSTOM)  # fmt: skip


def test_json_lists_the_soonest_first_and_exits_1_on_a_warning(
    cli: Cli, data_home: Path, tmp_path: Path
) -> None:
    keyring_file = tmp_path / "keyring.json"
    _two_custom_profiles(data_home, keyring_file)
    result = cli("cert", "expiry", "--format", "json", env=keyring_env(keyring_file))
    assert result.returncode == 1, result.stderr
    rows = json.loads(result.stdout)
    assert [(r["profile"], r["state"]) for r in rows] == [
        ("Contoso Soon", "expires_soon"),
        ("Contoso Long", "ok"),
    ]
    assert rows[0]["customer"] == "Contoso" and rows[0]["not_after"].endswith("Z")


def test_within_filters_and_a_table_shows_the_state(
    cli: Cli, data_home: Path, tmp_path: Path
) -> None:
    keyring_file = tmp_path / "keyring.json"
    _two_custom_profiles(data_home, keyring_file)
    env = keyring_env(keyring_file)
    far = cli("cert", "expiry", "--within", "500", env=env)
    assert far.returncode == 1 and "expires_soon" in far.stdout and "Contoso Long" in far.stdout
    near = cli("cert", "expiry", "--within", "5", "--format", "json", env=env)
    assert near.returncode == 0, near.stderr
    assert json.loads(near.stdout) == []
    bad = cli("cert", "expiry", "--within", "-1", env=env)
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1


def test_watch_prints_an_event_for_a_certificate_expiring_within_30_days(
    cli: Cli, data_home: Path, tmp_path: Path
) -> None:
    keyring_file = tmp_path / "keyring.json"
    _two_custom_profiles(data_home, keyring_file)
    env = keyring_env(keyring_file)
    # --after-seq 0 replays the setup's changes, so --count 1 ends after the first of them.
    result = cli("watch", "--after-seq", "0", "--count", "1", "--format", "json", env=env)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["change"] for line in lines[:1]] == ["certificate_expires_soon"]
    assert lines[0]["certificate"]["profile"] == "Contoso Soon" and lines[0]["seq"] is None
    assert len(lines) == 2 and isinstance(lines[1]["seq"], int)  # then the change itself
    quiet = cli("watch", "--after-seq", "0", "--count", "1", "--format", "json",
                "--no-certificates", env=env)  # fmt: skip
    assert [json.loads(line)["seq"] for line in quiet.stdout.splitlines()] == [1]
