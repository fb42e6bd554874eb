"""``--ticket`` on the team database: stored with the audit entries and the history event of a
deletion, and the profile's history names who did it."""

from __future__ import annotations

from desktop.core.domain import Cloud, Customer, Tenant
from desktop.core.store.postgres.connection import connect
from desktop.core.store.postgres.database import PostgresStore
from tests.helpers.fixtures import run_module
from tests.helpers.postgres import TestDatabase
from tests.helpers.storage_builders import T1, profile
from tests.helpers.team import member, migrated


def test_delete_with_a_ticket_and_history_with_actors(postgres_db: TestDatabase) -> None:
    migrated(postgres_db)
    bob, bob_url = member(postgres_db, "bob", "technician")
    store = PostgresStore.open(bob_url)
    with store.unit_of_work() as uow:
        cid = uow.customers.insert(Customer(name="Contoso"))
        uow.tenants.insert(Tenant(T1, cid, "contoso.onmicrosoft.com", "Contoso", Cloud.GLOBAL))
        made = {"service_ids": ("baseline-management",)}
        made["app_type_id"] = "apelements-baseline-management"  # type: ignore[assignment]
        gone = uow.profiles.insert(profile("Contoso Baseline", cid, T1, **made))
    store.close()
    env = {"APP_PROFILES_DATABASE_URL": bob_url}

    done = run_module(
        "desktop.cli",
        ["profiles", "delete", str(gone), "--yes", "--ticket", "T-4711", "--format", "json"],
        env=env,
    )
    assert done.returncode == 0, done.stderr
    reader = PostgresStore.open(bob_url)
    with reader.reading() as uow:
        history = uow.history.of_profile(gone)
    reader.close()
    deleted = [e for e in history if e.kind.value == "deleted"]
    assert [(e.actor, e.ticket) for e in deleted] == [(bob, "T-4711")]  # history shows who

    owner = connect(postgres_db.owner_url)
    rows = owner.execute(
        "SELECT actor, ticket, change FROM apm.audit "
        "WHERE ids = jsonb_build_object('id', %s::bigint)",
        (gone,),
    ).fetchall()
    event = owner.execute(
        "SELECT actor, ticket FROM apm.profile_events WHERE profile_id = %s AND kind = 'deleted'",
        (gone,),
    ).fetchall()
    owner.close()
    deletion = [r for r in rows if r[2] == "deleted"]
    assert deletion and all(r[0] == bob and r[1] == "T-4711" for r in deletion), rows
    assert event == [(bob, "T-4711")]


def test_a_bad_ticket_is_one_line(postgres_db: TestDatabase) -> None:
    done = run_module("desktop.cli", ["profiles", "delete", "1", "--yes", "--ticket", " "])
    assert done.returncode == 2 and "--ticket must be" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1
