"""Ordinary CLI reads answer from the offline copy when the team server is down; writes are
refused in words. The copy is refreshed by every successful command on the team database, so
no explicit ``team offline sync`` is needed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.core.domain import Cloud, Customer, Tenant
from desktop.core.store.postgres.database import PostgresStore
from tests.helpers.file_keyring import keyring_env
from tests.helpers.fixtures import run_module
from tests.helpers.postgres import Cluster, missing_reason, new_database, remove_cluster
from tests.helpers.postgres import start_cluster as start_pg
from tests.helpers.storage_builders import profile
from tests.helpers.team import member, migrated


@pytest.fixture
def own_cluster(postgres_cluster: Cluster) -> Iterator[Cluster]:
    """A cluster of this test's own, which it stops (the session's keeps running)."""
    assert missing_reason() is None
    cluster = start_pg()
    yield cluster
    remove_cluster(cluster)


def _cli(env: dict[str, str], *args: str) -> tuple[int, str, list[str]]:
    done = run_module("desktop.cli", list(args), env=env)
    assert "Traceback" not in done.stderr
    return done.returncode, done.stdout, done.stderr.strip().splitlines()


def test_reads_use_the_copy_and_writes_are_refused_while_the_server_is_down(
    own_cluster: Cluster, tmp_path: Path
) -> None:
    db = new_database(own_cluster)
    migrated(db)
    _bob, bob_url = member(db, "bob", "technician")
    store = PostgresStore.open(bob_url)
    with store.unit_of_work() as uow:
        cid = uow.customers.insert(Customer(name="Contoso"))
        uow.tenants.insert(Tenant("t-1", cid, "contoso.onmicrosoft.com", "Contoso", Cloud.GLOBAL))
        uow.profiles.insert(profile("Contoso Baseline", cid, "t-1"))
    env = {**keyring_env(tmp_path / "keyring.json"), "APP_PROFILES_DATABASE_URL": bob_url}

    code, _out, err = _cli(env, "customers", "list", "--format", "json")
    assert code == 0 and err == []  # online: no warning
    # A colleague's change after that read; the next successful read refreshes the copy.
    with store.unit_of_work() as uow:
        uow.customers.insert(Customer(name="Fabrikam"))
    store.close()
    assert _cli(env, "profiles", "list", "--format", "json")[0] == 0

    own_cluster.stop()
    code, out, err = _cli(env, "customers", "list", "--format", "json")
    assert code == 0
    assert [(c["name"], c["tenants"], c["profiles"]) for c in json.loads(out)] == [
        ("Contoso", 1, 1),
        ("Fabrikam", 0, 0),
    ]
    (warning,) = err
    assert "cannot be reached; showing the offline copy (synced just now" in warning

    code, out, err = _cli(env, "profiles", "list", "--format", "json")
    assert code == 0 and len(err) == 1
    assert [(r["name"], r["customer"]) for r in json.loads(out)] == [
        ("Contoso Baseline", "Contoso")
    ]
    code, out, err = _cli(env, "tenants", "list", "--format", "json")
    assert code == 0 and len(err) == 1
    assert [t["domain"] for t in json.loads(out)] == ["contoso.onmicrosoft.com"]

    code, _out, err = _cli(env, "customers", "add", "Northwind")
    assert code == 2
    assert "cannot be reached, so this change was refused" in err[-1]
    assert "offline copy is for reading only" in err[-1]
    code, _out, err = _cli(env, "customers", "rename", "Contoso", "Contoso Ltd")
    assert code == 2 and "this change was refused" in err[-1]

    # Without a copy (another computer's keyring): one line saying so, not a traceback.
    other = {**env, **keyring_env(tmp_path / "other.json")}
    code, _out, err = _cli(other, "customers", "list")
    assert code == 2
    assert err[-1].startswith("The offline copy of the team inventory could not be read")
