"""``team offline``: synced while the server runs, read from the encrypted copy with one warning
line when it is down, and the period set by admins only."""

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


def test_offline_copy_answers_reads_when_the_server_is_down(
    own_cluster: Cluster, tmp_path: Path
) -> None:
    db = new_database(own_cluster)
    migrated(db)
    _bob, bob_url = member(db, "bob", "technician")
    _ada, ada_url = member(db, "ada", "admin")
    store = PostgresStore.open(bob_url)
    with store.unit_of_work() as uow:
        cid = uow.customers.insert(Customer(name="Contoso"))
        uow.tenants.insert(Tenant("t-1", cid, "contoso.onmicrosoft.com", "Contoso", Cloud.GLOBAL))
        uow.profiles.insert(profile("Contoso Baseline", cid, "t-1"))
    store.close()
    env = {**keyring_env(tmp_path / "keyring.json"), "APP_PROFILES_DATABASE_URL": bob_url}

    refused = run_module("desktop.cli", ["team", "offline", "period", "3"], env=env)
    assert refused.returncode == 2 and "Only your team's admin" in refused.stderr
    admin_env = {**env, "APP_PROFILES_DATABASE_URL": ada_url}
    assert (
        run_module("desktop.cli", ["team", "offline", "period", "3"], env=admin_env).returncode == 0
    )

    kept = run_module("desktop.cli", ["team", "changes-kept", "10"], env=env)
    assert kept.returncode == 2 and "Only your team's admin" in kept.stderr
    kept_json = ["team", "changes-kept", "10", "--format", "json"]
    kept = run_module("desktop.cli", kept_json, env=admin_env)
    assert kept.returncode == 0 and json.loads(kept.stdout) == {"change_log_days": 10}

    synced = run_module("desktop.cli", ["team", "offline", "sync", "--format", "json"], env=env)
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout)["profiles"] == 1

    own_cluster.stop()
    shown = run_module("desktop.cli", ["team", "offline", "show", "--format", "json"], env=env)
    assert shown.returncode == 0, shown.stderr
    assert [r["name"] for r in json.loads(shown.stdout)] == ["Contoso Baseline"]
    (warning,) = shown.stderr.strip().splitlines()
    assert "cannot be reached; showing the offline copy (synced just now" in warning

    # Another keyring (another computer, or the key removed): the copy cannot be read.
    other = {**env, **keyring_env(tmp_path / "other.json")}
    gone = run_module("desktop.cli", ["team", "offline", "show"], env=other)
    assert gone.returncode == 2 and "could not be read" in gone.stderr
    assert "Traceback" not in gone.stderr
