"""Team key dialog on a real team database: Alice approves Bob after comparing his
fingerprint (Bob can then open the certificate), removes him after seeing what he could read
(and is offered its rotation); a member who holds nothing is told, in words, that they may
not approve. Each screen is rendered offscreen at normal and small size."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication, QWidget

from desktop.controllers.tasks import TaskRunner
from desktop.controllers.team_key import TeamKeyController
from desktop.core.domain import Cloud, Customer, SetupMode, Tenant
from desktop.core.paths import DataPaths, data_paths
from desktop.core.secrets.local import LocalSecretStore
from desktop.core.secrets.member_key import MemberKeys
from desktop.core.secrets.store import NotSharedYetError
from desktop.core.secrets.team import TeamSecretStore
from desktop.core.secrets.team_keys import team_key_view
from desktop.core.secrets.team_members import ADMINS_REMOVE, NOT_ALLOWED
from desktop.core.secrets.team_wiring import open_team_secrets, team_database
from desktop.core.store.postgres.credentials import ENV_URL as DATABASE_URL_ENV
from desktop.core.store.postgres.database import PostgresStore
from desktop.core.store.postgres.team_secrets import TeamSecretsDb, install
from desktop.core.vault import SecretVault, open_vault
from tests.helpers.certificates import app_certificate
from tests.helpers.file_keyring import keyring_env
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.postgres import TestDatabase
from tests.helpers.storage_builders import profile
from tests.helpers.team import member, migrated

from desktop.ui.team_key_dialog import APPROVED, WAITING, TeamKeyDialog

TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47"
PROFILE = "Contoso custom app"


@dataclass
class Bob:
    """The colleague, on his own computer (his own vault and keyring)."""

    name: str
    fingerprint: str
    store: TeamSecretStore
    db: TeamSecretsDb


@dataclass
class Team:
    alice_paths: DataPaths
    ref: str
    bob: Bob
    url_of: dict[str, str]


def _as(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, url: str, stem: str) -> None:
    """This process is *stem*'s computer from now on: their login and their keyring."""
    monkeypatch.setenv(DATABASE_URL_ENV, url)
    for key, value in keyring_env(tmp_path / f"{stem}-keyring.json").items():
        monkeypatch.setenv(key, value)


@pytest.fixture
def team(
    postgres_db: TestDatabase, data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Team]:
    migrated(postgres_db)
    with psycopg.connect(postgres_db.owner_url, autocommit=True) as owner:
        install(owner)
    alice, alice_url = member(postgres_db, "alice", "admin")
    bob_name, bob_url = member(postgres_db, "bob", "technician")
    carol, carol_url = member(postgres_db, "carol", "technician")

    # Alice's computer: her key, and a customer's certificate she stored.
    _as(monkeypatch, tmp_path, alice_url, "alice")
    paths = data_paths(data_home).ensure()
    team_key_view(paths, enroll=True)
    database = team_database(paths)
    assert database is not None
    secrets = open_team_secrets(paths, database)
    _, pfx = app_certificate("contoso custom app")
    store = secrets.store(LocalSecretStore(open_vault(paths)))
    ref, _ = store.import_pfx(pfx, "pw")
    inventory = PostgresStore.open(alice_url)
    with inventory.unit_of_work() as uow:
        customer = uow.customers.insert(Customer(name="Contoso"))
        uow.tenants.insert(
            Tenant(TENANT, customer, "contoso.onmicrosoft.com", "Contoso", Cloud.GLOBAL)
        )
        uow.profiles.insert(
            profile(PROFILE, customer, TENANT, mode=SetupMode.CUSTOM, certificate_ref=ref)
        )
    inventory.close()
    store.settle(ref)  # the saved profile ties it to Contoso
    secrets.db.close()

    # Bob's computer: his key, published.
    vault = SecretVault(tmp_path / "bob" / "vault", MemoryKeyring(), id_file=tmp_path / "bob-id")
    keys = MemberKeys(vault)
    db = TeamSecretsDb(psycopg.connect(bob_url, autocommit=True))
    enrollment = keys.enroll()
    db.publish_key(enrollment.public_key, enrollment.fingerprint)
    store = TeamSecretStore(db, keys, LocalSecretStore(vault), lambda _ref: customer, bob_name)
    bob = Bob(bob_name, enrollment.fingerprint, store, db)
    yield Team(paths, ref, bob, {alice: alice_url, carol: carol_url})
    db.close()


def _shoot(widget: QWidget, name: str) -> None:
    folder = os.environ.get("CHECK_SHOTS")
    if not folder:
        return
    normal = widget.size()
    for suffix, size in (("", normal), ("-small", widget.minimumSize())):
        widget.resize(size.expandedTo(widget.minimumSizeHint()))
        QApplication.processEvents()
        widget.grab().save(str(Path(folder) / f"{name}{suffix}.png"))
    widget.resize(normal)


def _dialog(qtbot: QtBot, paths: DataPaths, runner: TaskRunner) -> TeamKeyDialog:
    dialog = TeamKeyDialog(TeamKeyController(runner, paths))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.refresh()
    qtbot.waitUntil(lambda: dialog.members.rowCount() >= 2, timeout=15_000)
    return dialog


def _state_of(dialog: TeamKeyDialog, name: str) -> str:
    for row in range(dialog.members.rowCount()):
        if dialog.members.item(row, 0).text() == name:
            return dialog.members.item(row, 1).text()
    raise AssertionError(f"{name} is not listed")


def test_approve_after_comparing_then_remove_and_offer_rotation(qtbot: QtBot, team: Team) -> None:
    bob = team.bob
    with pytest.raises(NotSharedYetError):
        bob.store.load(team.ref)
    runner = TaskRunner()
    dialog = _dialog(qtbot, team.alice_paths, runner)
    assert _state_of(dialog, bob.name) == WAITING
    assert not dialog.approve_button.isEnabled()  # nobody chosen yet
    dialog.select_member(bob.name)
    assert dialog.approve_button.isEnabled() and dialog.remove_button.isEnabled()
    _shoot(dialog, "team-members")

    dialog.approve_button.click()
    box = dialog.approve_box
    assert box is not None and box.published.text() == bob.fingerprint
    assert not box.share_button.isEnabled()
    wrong = "0000 " + bob.fingerprint[5:]
    box.typed.setText(wrong)
    assert not box.share_button.isEnabled() and "do not share" in box.hint.text()
    _shoot(box, "team-approve-mismatch")
    box.typed.setText(bob.fingerprint.lower().replace(" ", ""))  # as read out, no spaces
    assert box.share_button.isEnabled() and not box.hint.text()
    box.share_button.click()
    assert dialog.outcome.text() == f"Sharing with {bob.name}…"
    qtbot.waitUntil(lambda: dialog.outcome.text().startswith("Shared"), timeout=15_000)
    assert dialog.outcome.text() == f"Shared with {bob.name}: 1 certificate, 0 sign-ins."
    qtbot.waitUntil(lambda: _state_of(dialog, bob.name) == APPROVED, timeout=15_000)
    assert bob.store.load(team.ref).certificate is not None  # Bob opens it now
    _shoot(dialog, "team-approved")

    # A wrong fingerprint reaching the controller (say, typed by a script) shares nothing.
    dialog.controller.approve(bob.name, wrong)
    qtbot.waitUntil(lambda: "not the one" in dialog.outcome.text(), timeout=15_000)
    assert dialog.outcome.text().startswith(f"The fingerprint you typed is not the one {bob.name}")

    dialog.select_member(bob.name)
    dialog.remove_button.click()
    qtbot.waitUntil(lambda: dialog.remove_box is not None, timeout=15_000)
    removing = dialog.remove_box
    assert removing is not None
    assert removing.items.count() == 1
    assert removing.items.item(0).text() == f"Certificate of {PROFILE}"
    assert bob.db.wrapped_key(team.ref, bob.name) is not None  # listing removes nothing
    _shoot(removing, "team-remove")
    removing.remove_button.click()
    qtbot.waitUntil(lambda: not dialog._acting, timeout=15_000)
    assert dialog.outcome.text().startswith("Removed"), dialog.outcome.text()
    assert dialog.outcome.text().startswith(
        f"Removed {bob.name}'s keys: they could read 1 certificate and 0 consenting"
    )
    assert bob.db.wrapped_key(team.ref, bob.name) is None
    # Removed means approved no more: a scope change shares nothing with Bob until a colleague
    # confirms his fingerprint again.
    qtbot.waitUntil(lambda: _state_of(dialog, bob.name) == WAITING, timeout=15_000)
    with pytest.raises(NotSharedYetError):
        bob.store.load(team.ref)
    assert len(dialog.rotate_buttons) == 1
    with qtbot.waitSignal(dialog.rotate_requested) as asked:
        dialog.rotate_buttons[0].click()
    assert asked.args == [team.ref]
    _shoot(dialog, "team-removed")
    assert runner.wait_for_done(10_000)


def test_a_member_holding_nothing_may_not_approve_nor_remove(
    qtbot: QtBot, team: Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (carol_url,) = [url for name, url in team.url_of.items() if name.startswith("carol")]
    _as(monkeypatch, tmp_path, carol_url, "carol")
    paths = DataPaths(tmp_path / "carol-data").ensure()
    team_key_view(paths, enroll=True)
    runner = TaskRunner()
    dialog = _dialog(qtbot, paths, runner)
    dialog.select_member(team.bob.name)
    dialog.approve_button.click()
    box = dialog.approve_box
    assert box is not None
    box.matches.setChecked(True)  # ticked instead of typed
    box.share_button.click()
    qtbot.waitUntil(lambda: NOT_ALLOWED in dialog.outcome.text(), timeout=15_000)
    assert "Nothing was shared" in dialog.outcome.text()
    assert team.bob.db.wrapped_key(team.ref, team.bob.name) is None
    assert dialog.approve_button.isEnabled()  # free to try again

    dialog.remove_button.click()  # what Bob can read is listed to anyone; removing is not
    qtbot.waitUntil(lambda: dialog.remove_box is not None, timeout=15_000)
    assert dialog.remove_box is not None
    dialog.remove_box.remove_button.click()
    qtbot.waitUntil(lambda: ADMINS_REMOVE in dialog.outcome.text(), timeout=15_000)
    assert "Nothing was removed" in dialog.outcome.text()
    assert runner.wait_for_done(10_000)


def test_an_unreachable_database_is_said_in_words(
    qtbot: QtBot, data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _as(monkeypatch, tmp_path, "postgresql://nobody:pw@127.0.0.1:9/apm?connect_timeout=2", "x")
    runner = TaskRunner()
    dialog = TeamKeyDialog(TeamKeyController(runner, data_paths(data_home).ensure()))
    qtbot.addWidget(dialog)
    dialog.controller.approve("bob", "AAAA")
    qtbot.waitUntil(lambda: bool(dialog.outcome.text()), timeout=15_000)
    assert "Traceback" not in dialog.outcome.text()
    assert "team database" in dialog.outcome.text().lower()
    assert runner.wait_for_done(10_000)
