"""The wizard on a real team database: a consent holds the lease on the profile it creates (a
colleague's same consent is refused in words, before the browser opens, and theirs refuses
ours), released when it ends or is cancelled; the run's ticket goes with Save's audit rows."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import psycopg
import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from desktop.controllers.wizard import WizardServices
from desktop.core.catalog.loader import load_shipped
from desktop.core.domain import Cloud, Customer, Tenant
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.team.leases import LeaseHeldError
from desktop.core.team.leasing import creating
from desktop.core.wizard import ConsentState, Step
from desktop.core.wizard.backend import WizardBackend
from desktop.core.wizard.ports import Directory
from desktop.core.wizard.save import save_plan
from tests.helpers import wizard_fakes
from tests.helpers.postgres import TestDatabase
from tests.helpers.team import member, migrated

from desktop.ui.wizard.dialog import CreateProfileDialog

TENANT = wizard_fakes.TENANT_ID
APP = "apelements-automation"  # Nitro's app
LABEL = "the APElements Automation profile for Contoso"


class Team:
    """Alice runs the wizard; Bob, beside her, may take the same lease."""

    def __init__(self, db: TestDatabase) -> None:
        migrated(db)
        self.db = db
        self.alice, alice_url = member(db, "alice", "technician")
        self.bob, bob_url = member(db, "bob", "technician")
        self.store = PostgresStore.open(alice_url)
        self.theirs = PostgresStore.open(bob_url)
        with self.store.unit_of_work() as uow:
            self.cid = uow.customers.insert(Customer(name="Contoso"))
            uow.tenants.insert(
                Tenant(TENANT, self.cid, "contoso.onmicrosoft.com", "Contoso", Cloud.GLOBAL)
            )

    def directory(self) -> Directory:
        with self.store.reading() as uow:
            return Directory(tuple(uow.customers.all()), tuple(uow.tenants.of_customer()))

    def bob_creates(self) -> object:
        """Bob's lease on the same profile (a context manager)."""
        return creating(self.theirs, TENANT, APP, label=LABEL, customer_id=self.cid)

    def audit_since(self, after: int) -> list[tuple[str, str, str | None]]:
        with psycopg.connect(self.db.owner_url, autocommit=True) as conn:
            rows = conn.execute(
                "SELECT entity, change, ticket FROM apm.audit WHERE id > %s ORDER BY id",
                (after,),
            ).fetchall()
        return [(str(e), str(c), t) for e, c, t in rows]

    def last_audit(self) -> int:
        with psycopg.connect(self.db.owner_url, autocommit=True) as conn:
            row = conn.execute("SELECT coalesce(max(id), 0) FROM apm.audit").fetchone()
        return int(row[0]) if row else 0


@pytest.fixture
def team(postgres_db: TestDatabase) -> Iterator[Team]:
    made = Team(postgres_db)
    yield made
    made.store.close()
    made.theirs.close()


@pytest.fixture
def fakes(team: Team) -> WizardServices:
    """The wizard's services over the team database: the real lease and Save."""
    backend = WizardBackend(SimpleNamespace(catalog=load_shipped(), store=lambda: team.store))  # type: ignore[arg-type]
    engine = wizard_fakes.ScriptedEngine(hold=threading.Event())
    return WizardServices(
        engine=engine,
        load_directory=team.directory,
        lookup_tenant=lambda domain, cloud: TENANT,
        save=wizard_fakes.RecordingSaver(real=lambda plan, _cert: save_plan(team.store, plan)),
        lease=backend.creating,
    )


def _next(dialog: CreateProfileDialog) -> None:
    dialog.button(QWizard.WizardButton.NextButton).click()


def _to_consent(qtbot: QtBot, dialog: CreateProfileDialog) -> None:
    page = dialog.customer_page
    page.customer_box.setCurrentIndex(page.customer_box.findText("Contoso"))
    page.tenant_box.setCurrentIndex(1)
    _next(dialog)
    dialog.services_page.premium.setChecked(True)
    dialog.services_page.boxes["nitro"].setChecked(True)
    _next(dialog)
    assert dialog.step() is Step.CONSENT and list(dialog.consent_page.rows) == [APP]


def _held_by(who: str, error: BaseException) -> bool:
    return str(error).startswith(f"{who} is creating {LABEL} (since ")


def test_a_consent_is_refused_while_a_colleague_creates_the_same_profile(
    qtbot: QtBot, wizard: CreateProfileDialog, fakes: WizardServices, team: Team
) -> None:
    engine = fakes.engine
    assert isinstance(engine, wizard_fakes.ScriptedEngine) and engine.hold is not None
    engine.hold.set()
    _to_consent(qtbot, wizard)
    row = wizard.consent_page.rows[APP]
    with team.bob_creates():  # type: ignore[attr-defined]
        qtbot.mouseClick(row.authenticate, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: wizard.machine.row(APP).state is ConsentState.FAILED)
    message = wizard.machine.row(APP).message
    assert message.startswith(f"{team.bob} is creating {LABEL} (since "), message
    assert "break the lease" in message
    assert engine.requests == []  # the browser never opened
    folder = os.environ.get("CHECK_SHOTS")
    if folder:
        wizard.grab().save(str(Path(folder) / "wizard-consent-leased.png"))

    # Bob is done: Retry goes through.
    qtbot.mouseClick(row.authenticate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.machine.row(APP).state is ConsentState.GRANTED)
    assert len(engine.requests) == 1


def test_our_consent_holds_the_lease_until_it_ends_or_is_cancelled(
    qtbot: QtBot, wizard: CreateProfileDialog, fakes: WizardServices, team: Team
) -> None:
    engine = fakes.engine
    assert isinstance(engine, wizard_fakes.ScriptedEngine) and engine.hold is not None
    _to_consent(qtbot, wizard)
    row = wizard.consent_page.rows[APP]

    # Cancelled while the browser is open: released at once.
    qtbot.mouseClick(row.authenticate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(engine.requests) == 1)
    with pytest.raises(LeaseHeldError) as caught, team.bob_creates():  # type: ignore[attr-defined]
        pass
    assert _held_by(team.alice, caught.value), caught.value
    row.busy.cancel.click()
    qtbot.waitUntil(lambda: not row.busy.busy, timeout=10_000)
    with team.bob_creates():  # type: ignore[attr-defined]
        pass

    # Consented: released when it ends.
    qtbot.mouseClick(row.authenticate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(engine.requests) == 2)
    with pytest.raises(LeaseHeldError), team.bob_creates():  # type: ignore[attr-defined]
        pass
    engine.hold.set()
    qtbot.waitUntil(lambda: wizard.machine.row(APP).state is ConsentState.GRANTED)
    qtbot.waitUntil(lambda: not row.busy.busy, timeout=10_000)
    with team.bob_creates():  # type: ignore[attr-defined]
        pass


def test_the_runs_ticket_goes_with_saves_audit_rows(
    qtbot: QtBot, wizard: CreateProfileDialog, fakes: WizardServices, team: Team
) -> None:
    engine = fakes.engine
    assert isinstance(engine, wizard_fakes.ScriptedEngine) and engine.hold is not None
    engine.hold.set()
    _to_consent(qtbot, wizard)
    page = wizard.consent_page
    qtbot.keyClicks(page.ticket, " T-4711")
    assert wizard.machine.state.ticket == "T-4711"
    qtbot.mouseClick(page.rows[APP].authenticate, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: wizard.machine.can_advance(Step.CONSENT))
    folder = os.environ.get("CHECK_SHOTS")
    if folder:
        wizard.grab().save(str(Path(folder) / "wizard-consent-ticket.png"))
    while wizard.step() is not Step.SUMMARY:  # Roles, when the app needs any
        _next(wizard)
    assert wizard.summary_page.text.toPlainText().startswith("Ticket: T-4711\n")
    start = team.last_audit()
    with qtbot.waitSignal(wizard.profiles_saved, timeout=15_000):
        wizard.button(QWizard.WizardButton.FinishButton).click()
    written = team.audit_since(start)
    assert ("profile", "created", "T-4711") in written, written
    assert ("history", "consented", "T-4711") in written
    assert {t for _e, _c, t in written} == {"T-4711"}
