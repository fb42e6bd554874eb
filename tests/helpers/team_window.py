"""The real main window on a throwaway team database, with one customer, tenant and profile.

Shared by the UI tests of team mode (following other technicians' changes, working offline).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.app import AppContext, build_context, build_window
from desktop.core.domain import Cloud, Customer, Tenant
from desktop.core.paths import data_paths
from desktop.core.store.postgres.database import PostgresStore
from tests.helpers.postgres import TestDatabase
from tests.helpers.storage_builders import profile
from tests.helpers.team import listener_pids, member, migrated

from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.page import ProfilesPage

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"


@dataclass
class TeamWindow:
    """The open window, signed in to the team database as technician Alice.

    Attributes:
        ctx: the app's services.
        window: the main window, shown, its one profile listed and its live connection open.
        page: the profile list page.
        alice: Alice's login name (to refuse or cut her connections).
        customer_id: the one customer's id (its tenant is :data:`TENANT`).
    """

    ctx: AppContext
    window: MainWindow
    page: ProfilesPage
    alice: str
    customer_id: int


@contextmanager
def open_team_window(
    qtbot: QtBot, data_home: Path, postgres_db: TestDatabase, monkeypatch: pytest.MonkeyPatch
) -> Iterator[TeamWindow]:
    """Migrate the database, add Contoso with one tenant and profile as Alice, and open the
    window on it; on leaving, stop watching, close the window and wait for its work."""
    migrated(postgres_db)
    alice, alice_url = member(postgres_db, "alice", "technician")
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
    try:
        yield TeamWindow(ctx, window, page, alice, cid)
    finally:
        ctx.inventory.stop_watching()
        window.close()
        ctx.runner.wait_for_done(10_000)
