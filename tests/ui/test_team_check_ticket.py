"""The check bar's Ticket field on a real team database: Check all and Check selected store the
typed ticket with every audit row their results write (the bulk check's worker threads too),
the field keeps it for the next checks, an empty field means none, and a bad one is refused
in words before anything runs."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers.inventory import InventoryController
from desktop.controllers.tasks import TaskRunner
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.gateway import Grants
from desktop.core.checks.inventory_store import InventoryCheckStore
from desktop.core.checks.service import CheckService
from desktop.core.demo import seed_demo
from desktop.core.paths import DataPaths
from desktop.core.store.postgres.database import PostgresStore
from tests.helpers.check_fakes import FakeCredentials, ScriptedGateway
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.inventory import shipped_catalog
from tests.helpers.postgres import TestDatabase
from tests.helpers.team import member, migrated

from desktop.ui.checks_wiring import ChecksWiring
from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.page import ProfilesPage
from desktop.ui.profiles.wiring import add_profiles_page


class Desk:
    """Alice's window over the team database, with checks against a scripted Microsoft."""

    def __init__(self, qtbot: QtBot, db: TestDatabase, home: Path) -> None:
        migrated(db)
        self.db = db
        _alice, url = member(db, "alice", "technician")
        self.store = PostgresStore.open(url)
        catalog = shipped_catalog()
        seed_demo(self.store, catalog, customers=3, profiles=12)
        self.runner = TaskRunner()
        self.dialogs = FakeDialogs()
        controller = InventoryController(
            DataPaths(home), self.runner, catalog, open_store=lambda: self.store
        )
        self.controller = controller
        self.window = MainWindow()
        qtbot.addWidget(self.window)
        self.page: ProfilesPage = add_profiles_page(self.window, controller, self.dialogs)  # type: ignore[arg-type]
        everything = frozenset({"x"})
        gateway = ScriptedGateway(
            app=lambda _tenant: {"roles": []},
            latency=0.01,
            grants=Grants(True, everything, everything, everything),
        )

        def service() -> CheckService:
            checker = ProfileChecker(
                catalog, gateway, FakeCredentials(), client_id_for=lambda _a: "c1"
            )
            return CheckService(InventoryCheckStore(controller.inventory()), checker)

        self.wiring = ChecksWiring(self.page, self.runner, catalog, self.dialogs, service)  # type: ignore[arg-type]
        self.wiring.bar.show_ticket_field(True)  # the team connection is up (app.py)
        self.window.resize(1280, 640)
        self.window.show()
        qtbot.waitUntil(lambda: self.page._complete, timeout=10_000)

    def audit_since(self, after: int) -> list[tuple[str, str | None]]:
        """(entity, ticket) of the audit rows written after row *after*."""
        with psycopg.connect(self.db.owner_url, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT entity, ticket FROM apm.audit WHERE id > %s ORDER BY id", (after,)
            ).fetchall()
        return [(str(e), t) for e, t in rows]

    def last_audit(self) -> int:
        with psycopg.connect(self.db.owner_url, autocommit=True) as conn:
            row = conn.execute("SELECT coalesce(max(id), 0) FROM apm.audit").fetchone()
        return int(row[0]) if row else 0


@pytest.fixture
def desk(qtbot: QtBot, postgres_db: TestDatabase, data_home: Path) -> Iterator[Desk]:
    made = Desk(qtbot, postgres_db, data_home)
    yield made
    made.controller.stop_watching()
    made.runner.wait_for_done(10_000)
    made.store.close()


def _check(qtbot: QtBot, desk: Desk, *, selected: bool = False) -> None:
    bar = desk.wiring.bar
    with qtbot.waitSignal(desk.wiring.controller.finished, timeout=30_000):
        (bar.selected_button if selected else bar.all_button).click()
    desk.runner.wait_for_done(10_000)


def test_check_all_and_check_selected_store_the_ticket_and_remember_it(
    qtbot: QtBot, desk: Desk
) -> None:
    bar = desk.wiring.bar
    assert bar.ticket.isVisible() and bar.ticket_label.text() == "T&icket:"
    qtbot.keyClicks(bar.ticket, " T-4711 ")
    folder = os.environ.get("CHECK_SHOTS")
    if folder:
        bar.grab().save(str(Path(folder) / "check-bar-ticket.png"))
    start = desk.last_audit()
    _check(qtbot, desk)
    written = desk.audit_since(start)
    assert len(written) >= 12, written  # a result per profile (12), from several workers
    assert {t for _e, t in written} == {"T-4711"}

    # The field keeps it for the session: the next check (one profile) is for it too.
    assert bar.ticket.text().strip() == "T-4711"
    desk.page.table.selectRow(0)
    start = desk.last_audit()
    _check(qtbot, desk, selected=True)
    written = desk.audit_since(start)
    assert written and {t for _e, t in written} == {"T-4711"}

    # Cleared: no ticket.
    bar.ticket.clear()
    start = desk.last_audit()
    _check(qtbot, desk)
    written = desk.audit_since(start)
    assert written and {t for _e, t in written} == {None}


def test_a_bad_ticket_is_refused_in_words_and_nothing_runs(qtbot: QtBot, desk: Desk) -> None:
    bar = desk.wiring.bar
    bar.ticket.setText("T" * 65)
    start = desk.last_audit()
    bar.all_button.click()
    assert desk.dialogs.shown_errors, "a bad ticket number was not refused"
    title, _error = desk.dialogs.shown_errors[0]
    assert title == "Check app profiles" and "ticket number" in desk.dialogs.errors[0]
    assert not desk.wiring.controller.running
    assert desk.audit_since(start) == []


def test_the_local_store_offers_no_ticket_field(qtbot: QtBot) -> None:
    from desktop.ui.check_bar import CheckBar

    bar = CheckBar()
    qtbot.addWidget(bar)
    bar.show()
    bar.ticket.setText("T-1")  # even if something typed it, it is not used
    assert not bar.ticket.isVisible() and bar.ticket_text() == ""
