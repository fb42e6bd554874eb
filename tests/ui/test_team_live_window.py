"""An open window on the team database follows another technician's changes within 2 s, and
catches up on one made while its live connection was gone."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.app import build_context, build_window
from desktop.core.domain import Cloud, Customer, Tenant
from desktop.core.paths import data_paths
from desktop.core.store.postgres.database import PostgresStore
from tests.helpers.postgres import TestDatabase
from tests.helpers.storage_builders import profile
from tests.helpers.team import listener_pids, member, migrated, terminate, write_in_other_process

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


def test_the_list_follows_another_process_on_the_team_database(
    qtbot: QtBot, data_home: Path, postgres_db: TestDatabase, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrated(postgres_db)
    alice, alice_url = member(postgres_db, "alice", "technician")
    _bob, bob_url = member(postgres_db, "bob", "technician")
    store = PostgresStore.open(alice_url)
    with store.unit_of_work() as uow:
        cid = uow.customers.insert(Customer(name="Contoso"))
        uow.tenants.insert(Tenant(TENANT, cid, "contoso.onmicrosoft.com", "Contoso", Cloud.GLOBAL))
        uow.profiles.insert(profile("Contoso Baseline", cid, TENANT))
    store.close()
    monkeypatch.setenv("APP_PROFILES_DATABASE_URL", alice_url)

    ctx = build_context(data_paths(data_home))
    window = build_window(ctx)
    qtbot.addWidget(window)
    window.show()
    page = ctx.profiles_page
    assert page is not None and ctx.inventory is not None
    qtbot.waitUntil(lambda: page.model.total() == 1, timeout=15_000)
    qtbot.waitUntil(lambda: bool(listener_pids(postgres_db, alice)), timeout=15_000)

    def names() -> set[str]:
        return {page.model.row_at(i).name for i in range(page.model.rowCount())}

    write_in_other_process(bob_url, "add-profile", "Fabrikam Nitro", str(cid), TENANT)
    qtbot.waitUntil(lambda: "Fabrikam Nitro" in names(), timeout=2000)

    postgres_db.cluster.sql([f"ALTER ROLE {alice} NOLOGIN"])
    terminate(postgres_db, listener_pids(postgres_db, alice))
    write_in_other_process(bob_url, "add-profile", "Northwind Backup", str(cid), TENANT)
    qtbot.wait(1000)
    assert "Northwind Backup" not in names()  # nothing can tell the window yet
    postgres_db.cluster.sql([f"ALTER ROLE {alice} LOGIN"])
    qtbot.waitUntil(lambda: "Northwind Backup" in names(), timeout=15_000)

    ctx.inventory.stop_watching()
    window.close()
    ctx.runner.wait_for_done(10_000)
