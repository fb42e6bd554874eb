"""``profiles delete`` (and ``customers remove``) in a subprocess remove the vault's secrets."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from subprocess import CompletedProcess

from desktop.core.paths import DataPaths
from desktop.core.vault import SERVICE, CertificateVault, SecretVault
from tests.helpers.certificates import app_certificate
from tests.helpers.file_keyring import FileKeyring, keyring_env
from tests.helpers.inventory import CONTOSO_TID, add_profile, open_inventory
from tests.helpers.keyrings import vault_account

Cli = Callable[..., CompletedProcess[str]]


def _profile_with_certificate(home: Path, keyring_file: Path) -> tuple[int, str, FileKeyring]:
    inv = open_inventory(home)
    customer = inv.customers.add("Contoso")
    assert customer.id is not None
    inv.tenants.add("Contoso", tenant_id=CONTOSO_TID)
    keyring = FileKeyring(keyring_file)
    certificates = CertificateVault(SecretVault(DataPaths(home).vault, keyring))
    ref, _ = certificates.import_pfx(app_certificate()[1], "pw")
    profile = add_profile(inv, "Contoso Custom", customer.id, CONTOSO_TID, certificate_ref=ref)
    assert profile.id is not None
    return profile.id, ref, keyring


def test_delete_removes_the_certificate(cli: Cli, data_home: Path, tmp_path: Path) -> None:
    keyring_file = tmp_path / "keyring.json"
    pid, ref, keyring = _profile_with_certificate(data_home, keyring_file)
    assert keyring.accounts(SERVICE) == [vault_account(data_home, ref)]
    result = cli("profiles", "delete", str(pid), "--yes", "--format", "json",
                 env=keyring_env(keyring_file))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == {"deleted": [pid]}
    assert keyring.accounts(SERVICE) == []
    assert list((data_home / "vault").glob("*.bin")) == []
    with open_inventory(data_home).store.connection() as conn:
        kinds = [
            k for (k,) in conn.execute("SELECT kind FROM profile_events WHERE profile_id=?", (pid,))
        ]
    assert kinds[-1] == "deleted"


def test_locked_keyring_exits_2_and_deletes_nothing(
    cli: Cli, data_home: Path, tmp_path: Path
) -> None:
    keyring_file = tmp_path / "keyring.json"
    pid, ref, keyring = _profile_with_certificate(data_home, keyring_file)
    for argv in (["profiles", "delete", str(pid)], ["customers", "remove", "Contoso"]):
        result = cli(*argv, "--yes", env=keyring_env(keyring_file, locked=True))
        assert result.returncode == 2
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "locked" in lines[0] and "No app profile was deleted" in lines[0]
    assert open_inventory(data_home).profiles.count() == 1
    assert keyring.accounts(SERVICE) == [vault_account(data_home, ref)]
    assert [p.stem for p in (data_home / "vault").glob("*.bin")] == [ref]


def test_removing_the_customer_removes_the_certificate(
    cli: Cli, data_home: Path, tmp_path: Path
) -> None:
    keyring_file = tmp_path / "keyring.json"
    _pid, _ref, keyring = _profile_with_certificate(data_home, keyring_file)
    result = cli("customers", "remove", "Contoso", "--yes", env=keyring_env(keyring_file))
    assert result.returncode == 0, result.stderr
    assert keyring.accounts(SERVICE) == []
    assert open_inventory(data_home).customers.list() == []
