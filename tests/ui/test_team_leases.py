"""The GUI's long operations on the team database take a lease like the CLI's: a colleague's
delete or re-authorize of the same profile refuses ours in words, before anything starts."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers.inventory import InventoryController
from desktop.controllers.reauthorize import ReauthorizeController, with_lease
from desktop.controllers.tasks import TaskRunner
from desktop.core.cancel import CancelToken
from desktop.core.checks.result import CheckResult
from desktop.core.domain import Cloud, Customer, Status, Tenant
from desktop.core.errors import UserError
from desktop.core.paths import DataPaths
from desktop.core.reauthorize.flow import ReauthorizeRequest
from desktop.core.store.postgres.connection import connect
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.team.leases import Lease, LeaseHeldError
from tests.helpers.inventory import shipped_catalog
from tests.helpers.postgres import TestDatabase
from tests.helpers.storage_builders import profile
from tests.helpers.team import member, migrated

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BASELINE = "apelements-baseline-management"


class Team:
    def __init__(self, db: TestDatabase) -> None:
        migrated(db)
        self.alice, self.alice_url = member(db, "alice", "technician")
        self.bob, self.bob_url = member(db, "bob", "technician")
        self.store = PostgresStore.open(self.alice_url)
        with self.store.unit_of_work() as uow:
            cid = uow.customers.insert(Customer(name="Contoso"))
            uow.tenants.insert(
                Tenant(TENANT, cid, "contoso.onmicrosoft.com", "Contoso", Cloud.GLOBAL)
            )
            self.profile_id = uow.profiles.insert(
                profile("Contoso Baseline", cid, TENANT, app_type_id=BASELINE)
            )

    def bob_holds(self, operation: str) -> Lease:
        return Lease(
            lambda: connect(self.bob_url),
            "profile",
            self.profile_id,
            operation,
            label="Contoso Baseline",
        )

    def exists(self) -> bool:
        with self.store.reading() as uow:
            return bool(uow.profiles.get_many([self.profile_id]))


@pytest.fixture
def team(postgres_db: TestDatabase) -> Team:
    made = Team(postgres_db)
    yield made
    made.store.close()


def test_a_delete_is_refused_while_a_colleague_deletes_the_same_profile(
    qtbot: QtBot, data_home: Path, team: Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APP_PROFILES_DATABASE_URL", team.alice_url)
    runner = TaskRunner()
    controller = InventoryController(
        DataPaths(data_home), runner, shipped_catalog(), open_store=lambda: team.store
    )
    failures: list[UserError] = []
    with team.bob_holds("delete"):
        task = controller.delete_profiles([team.profile_id])
        task.on_failure(failures.append)
        qtbot.waitUntil(lambda: task.done, timeout=15_000)
    assert failures, "the delete went ahead under a colleague's lease"
    line = failures[0].one_line()
    assert line.startswith(f"{team.bob} is deleting Contoso Baseline (since ")
    assert team.exists()

    done: list[str] = []
    task = controller.delete_profiles([team.profile_id])
    task.on_success(done.append)
    qtbot.waitUntil(lambda: task.done, timeout=15_000)
    assert done == ["Deleted 1 app profile(s)."]
    assert not team.exists()
    controller.stop_watching()
    runner.wait_for_done(10_000)


def test_a_reauthorize_holds_the_lease_while_it_runs_and_is_refused_under_anothers(
    qtbot: QtBot, team: Team
) -> None:
    seen: list[str] = []
    release = threading.Event()

    def run(request: ReauthorizeRequest, _token: CancelToken) -> CheckResult:
        try:  # while ours runs, Bob cannot start the same one
            with team.bob_holds("reauthorize"):
                seen.append("bob got in")
        except LeaseHeldError as exc:
            seen.append(exc.one_line())
        release.wait(10)
        raise UserError("stopped here")

    runner = TaskRunner()
    controller = ReauthorizeController(runner, with_lease(run, team.store))
    failures: list[UserError] = []
    controller.failed.connect(failures.append)

    with team.bob_holds("reauthorize"):
        assert controller.start(ReauthorizeRequest(team.profile_id))
        qtbot.waitUntil(lambda: not controller.running, timeout=15_000)
    assert not seen, "the consent started under a colleague's lease"
    assert (
        failures[0].one_line().startswith(f"{team.bob} is re-authorizing Contoso Baseline (since ")
    )

    failures.clear()
    assert controller.start(ReauthorizeRequest(team.profile_id))
    qtbot.waitUntil(lambda: bool(seen), timeout=15_000)
    release.set()
    qtbot.waitUntil(lambda: not controller.running, timeout=15_000)
    assert seen[0].startswith(f"{team.alice} is re-authorizing Contoso Baseline (since ")
    assert failures[0].message == "stopped here"
    runner.wait_for_done(10_000)


def test_the_reauthorize_dialog_says_who_holds_the_profile(qtbot: QtBot, team: Team) -> None:
    from desktop.core.catalog.loader import load_shipped
    from desktop.core.reauthorize.flow import options_for

    from desktop.ui.reauthorize_dialog import ReauthorizeDialog

    started: list[int] = []

    def run(request: ReauthorizeRequest, _token: CancelToken) -> CheckResult:
        started.append(request.profile_id)
        raise UserError("the consent would open the browser here")

    with team.store.reading() as uow:
        (stored,) = uow.profiles.get_many([team.profile_id])
    app = load_shipped().app_type(stored.app_type_id)
    runner = TaskRunner()
    controller = ReauthorizeController(runner, with_lease(run, team.store))
    dialog = ReauthorizeDialog(stored, app.name, options_for(stored, app), controller)
    qtbot.addWidget(dialog)
    dialog.show()
    with team.bob_holds("reauthorize"):
        dialog.go.click()
        qtbot.waitUntil(lambda: not controller.running, timeout=15_000)
    text = dialog.outcome.text()
    assert text.startswith(f"Not re-authorized: {team.bob} is re-authorizing Contoso Baseline")
    assert "Wait until it is done" in text
    assert not started
    folder = os.environ.get("CHECK_SHOTS")
    if folder:
        dialog.adjustSize()
        dialog.grab().save(str(Path(folder) / "reauthorize-lease-held.png"))
    runner.wait_for_done(10_000)


def test_the_ticket_typed_in_the_reauthorize_dialog_goes_with_its_audit_rows(
    qtbot: QtBot, team: Team, postgres_db: TestDatabase
) -> None:
    from desktop.core.catalog.loader import load_shipped
    from desktop.core.reauthorize.flow import options_for

    from desktop.ui.reauthorize_dialog import ReauthorizeDialog

    def run(request: ReauthorizeRequest, _token: CancelToken) -> CheckResult:
        with team.store.unit_of_work() as uow:  # what a re-authorization writes, in short
            uow.profiles.mark(request.profile_id, Status.INVALID, "Consent revoked", "")
        raise UserError("stopped after the write")

    with team.store.reading() as uow:
        (stored,) = uow.profiles.get_many([team.profile_id])
    app = load_shipped().app_type(stored.app_type_id)
    runner = TaskRunner()
    controller = ReauthorizeController(runner, with_lease(run, team.store))
    dialog = ReauthorizeDialog(stored, app.name, options_for(stored, app), controller)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.ticket.setText("T\x07-1")
    dialog.go.click()
    assert "ticket number must be" in dialog.outcome.text()
    assert not controller.running
    dialog.ticket.setText("  T-4711 ")
    dialog.go.click()
    qtbot.waitUntil(lambda: not controller.running, timeout=15_000)
    assert "stopped after the write" in dialog.outcome.text()
    owner = connect(postgres_db.owner_url)
    try:
        rows = owner.execute(
            "SELECT actor, ticket FROM apm.audit WHERE entity = 'profile' ORDER BY id"
        ).fetchall()
    finally:
        owner.close()
    assert rows == [(team.alice, None), (team.alice, "T-4711")]  # the insert, then the mark
    assert team.store.ticket is None  # the process-wide ticket is untouched
    runner.wait_for_done(10_000)


def test_a_delete_carries_the_ticket_typed_in_its_confirmation(
    qtbot: QtBot, data_home: Path, team: Team, postgres_db: TestDatabase
) -> None:
    runner = TaskRunner()
    controller = InventoryController(
        DataPaths(data_home), runner, shipped_catalog(), open_store=lambda: team.store
    )
    done: list[str] = []
    task = controller.delete_profiles([team.profile_id], ticket="T-4712")
    task.on_success(done.append)
    qtbot.waitUntil(lambda: task.done, timeout=15_000)
    assert done == ["Deleted 1 app profile(s)."]
    owner = connect(postgres_db.owner_url)
    try:
        rows = owner.execute(
            "SELECT change, ticket FROM apm.audit WHERE entity = 'profile' ORDER BY id"
        ).fetchall()
    finally:
        owner.close()
    assert rows == [("created", None), ("deleted", "T-4712")]
    controller.stop_watching()
    runner.wait_for_done(10_000)


def test_the_ticket_confirmation_defaults_to_cancel_and_refuses_a_bad_number(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desktop.ui.dialogs import UserDialogs
    from desktop.ui.team_ticket import TicketConfirm

    box = TicketConfirm("Delete app profiles", "Delete 1 app profile(s)?", "• A", "Delete")
    qtbot.addWidget(box)
    default = [b for b in box.buttons.buttons() if b.isDefault()]
    assert [b.text() for b in default] == ["Cancel"]

    typed = ["  T-4711 "]
    errors: list[str] = []

    def exec_(dialog: TicketConfirm) -> int:
        dialog.ticket.setText(typed[0])
        return int(TicketConfirm.DialogCode.Accepted.value)

    monkeypatch.setattr(TicketConfirm, "exec", exec_)
    dialogs = UserDialogs()
    monkeypatch.setattr(dialogs, "error", lambda _t, e: errors.append(e.one_line()))
    assert dialogs.confirm_with_ticket("Delete app profiles", "Delete?") == "T-4711"
    typed[0] = "x" * 65
    assert dialogs.confirm_with_ticket("Delete app profiles", "Delete?") is None
    assert errors and errors[0].startswith("The ticket number must be 1 to 64")
