"""``team lease list|break`` against a real team database, as a technician and as an admin."""

from __future__ import annotations

import json

from desktop.core.store.postgres.connection import connect
from desktop.core.team.leases import Lease
from tests.helpers.fixtures import run_module
from tests.helpers.postgres import TestDatabase
from tests.helpers.team import member, migrated


def _cli(url: str, *args: str) -> tuple[int, str, str]:
    done = run_module("desktop.cli", list(args), env={"APP_PROFILES_DATABASE_URL": url})
    return done.returncode, done.stdout, done.stderr


def test_lease_list_and_break(postgres_db: TestDatabase) -> None:
    migrated(postgres_db)
    bob, bob_url = member(postgres_db, "bob", "technician")
    _alice, alice_url = member(postgres_db, "alice", "technician")
    ada, ada_url = member(postgres_db, "ada", "admin")
    lease = Lease(lambda: connect(bob_url), "profile", 12, "reauthorize", label="Contoso Baseline")
    with lease:
        code, out, err = _cli(alice_url, "team", "lease", "list", "--format", "json")
        assert code == 0, err
        (row,) = json.loads(out)
        assert row["holder"] == bob and row["id"] == "12" and row["operation"] == "reauthorize"
        assert row["text"].startswith(f"{bob} is re-authorizing Contoso Baseline (since ")

        code, out, err = _cli(alice_url, "team", "lease", "break", "12")
        assert code == 2 and len(err.strip().splitlines()) == 1
        assert "Only your team's admin" in err and "Traceback" not in err

        code, out, err = _cli(
            ada_url, "team", "lease", "break", "12", "--ticket", "T-4711", "--format", "json"
        )
        assert code == 0, err
        assert json.loads(out)["holder"] == bob
        assert lease.lost.wait(lease.seconds)
    code, out, err = _cli(ada_url, "team", "lease", "break", "12")
    assert code == 2 and "Nobody holds a lease on profile 12" in err
    owner = connect(postgres_db.owner_url)
    rows = owner.execute(
        "SELECT actor, ticket FROM apm.audit WHERE entity = 'lease' AND change = 'broken'"
    ).fetchall()
    owner.close()
    assert rows == [(ada, "T-4711")]


def test_a_colleague_cannot_delete_what_someone_is_re_authorizing(
    postgres_db: TestDatabase,
) -> None:
    from desktop.core.domain import Cloud, Customer, Tenant
    from desktop.core.store.postgres.database import PostgresStore
    from tests.helpers.storage_builders import T1, profile

    migrated(postgres_db)
    bob, bob_url = member(postgres_db, "bob", "technician")
    _alice, alice_url = member(postgres_db, "alice", "technician")
    store = PostgresStore.open(bob_url)
    with store.unit_of_work() as uow:
        cid = uow.customers.insert(Customer(name="Contoso"))
        uow.tenants.insert(Tenant(T1, cid, "contoso.onmicrosoft.com", "Contoso", Cloud.GLOBAL))
        pid = uow.profiles.insert(
            profile(
                "Contoso Baseline",
                cid,
                T1,
                service_ids=("baseline-management",),
                app_type_id="apelements-baseline-management",
            )
        )
    lease = Lease(lambda: connect(bob_url), "profile", pid, "reauthorize", label="Contoso Baseline")
    with lease:
        code, _out, err = _cli(alice_url, "profiles", "delete", str(pid), "--yes")
        assert code == 2 and len(err.strip().splitlines()) == 1, err
        assert f"{bob} is re-authorizing Contoso Baseline (since " in err
    with store.reading() as uow:
        assert uow.profiles.get(pid) is not None  # nothing was deleted
    code, _out, err = _cli(alice_url, "profiles", "delete", str(pid), "--yes")
    assert code == 0, err
    store.close()


def test_an_admin_breaks_the_lease_of_a_profile_being_created(postgres_db: TestDatabase) -> None:
    from desktop.core.team.leasing import NEW_PROFILE

    migrated(postgres_db)
    bob, bob_url = member(postgres_db, "bob", "technician")
    _ada, ada_url = member(postgres_db, "ada", "admin")
    key = "8f0c2f39-7d5e-4c1f-9a7b-2d1e0c3b4a59/apelements-automation"
    label = "the APElements Automation profile for Contoso"
    lease = Lease(lambda: connect(bob_url), NEW_PROFILE, key, "create", label=label)
    with lease:
        code, out, err = _cli(ada_url, "team", "lease", "list", "--format", "json")
        assert code == 0, err
        (row,) = json.loads(out)
        assert row["id"] == key and row["text"].startswith(f"{bob} is creating {label} (since ")
        code, out, err = _cli(ada_url, "team", "lease", "break", key.upper(), "--format", "json")
        assert code == 0, err
        assert json.loads(out)["holder"] == bob
    code, _out, err = _cli(ada_url, "team", "lease", "break", "not-a-lease")
    assert code == 2 and err.strip() == (
        "“not-a-lease” is not a lease's id. Give the profile's id, or the id 'team lease list' "
        "shows."
    )
