"""The real Re-authorize dialog against the sandbox: the identity engine's consent flow (TLS,
MSAL unpatched, the browser stand-in clicking Accept or Cancel), the real checker, the SQLite
inventory and the certificate vault. Also the ``reauthorize`` command in process."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import keyring.core
import pytest
from keyring.backend import KeyringBackend
from pytestqt.qtbot import QtBot

from desktop.cli import main as cli_main
from desktop.controllers.certificates import CertificateController
from desktop.controllers.reauthorize import ReauthorizeController
from desktop.controllers.tasks import TaskRunner
from desktop.core.cancel import CancelToken
from desktop.core.catalog.loader import load_shipped
from desktop.core.catalog.model import SetupMode
from desktop.core.certificates import msal_client_credential
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.inventory_store import InventoryCheckStore
from desktop.core.checks.msal_gateway import MsalGateway
from desktop.core.checks.result import CheckResult
from desktop.core.checks.service import CheckService
from desktop.core.checks.vault_credentials import VaultCredentials
from desktop.core.domain import AppProfile, EventKind, Status
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.consent import IdentityConsentEngine
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession
from desktop.core.inventory import Inventory
from desktop.core.paths import DataPaths
from desktop.core.reauthorize.flow import ReauthorizeRequest, options_for, reauthorize
from desktop.core.reauthorize.identity import IdentityReauthorizer
from desktop.core.settings import Settings
from desktop.core.vault import CertificateVault, open_vault
from tests.helpers.browser import StandInBrowser
from tests.helpers.certificates import app_certificate
from tests.helpers.identity_fakes import BASELINE, catalog
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.sandbox import RunningSandbox
from tests.helpers.stubs import FakeFilePicker

from desktop.ui.reauthorize_dialog import ReauthorizeDialog

pytestmark = pytest.mark.e2e
#: The shipped catalog's custom app type (the CLI reads the shipped catalog).
SHIPPED_CUSTOM = "custom-azure-app"
CUSTOM_APP_ID = "5e4d3c2b-0000-4000-8000-00000000ce27"


@dataclass
class World:
    sandbox: RunningSandbox
    paths: DataPaths
    inventory: Inventory
    browser: StandInBrowser
    vault: CertificateVault
    service: CheckService
    reauthorizer: IdentityReauthorizer
    runner: TaskRunner

    @property
    def store(self) -> InventoryCheckStore:
        return InventoryCheckStore(self.inventory)

    def add(self, **fields: object) -> AppProfile:
        fields.setdefault("app_type_id", BASELINE.id)
        fields.setdefault("service_ids", ("baseline",))
        profile = AppProfile(
            name=str(fields.pop("name", "Contoso Baseline")),
            customer_id=1,
            tenant_id=self.sandbox.demo.tenant_id,
            **fields,  # type: ignore[arg-type]
        )
        return self.inventory.profiles.add(profile, consented=False)

    def check(self, profile_id: int) -> CheckResult:
        service = self.service
        if self.store.targets([profile_id])[0].profile.app_type_id == SHIPPED_CUSTOM:
            service = CheckService(
                self.store,
                ProfileChecker(load_shipped(), MsalGateway(), VaultCredentials(self.paths)),
            )
        (result,) = service.check([profile_id]).results
        return result

    def dialog(self, qtbot: QtBot, profile_id: int, picker: object = None) -> ReauthorizeDialog:
        (target,) = self.store.targets([profile_id])
        checker = self.service.checker

        def run(request: ReauthorizeRequest, token: CancelToken) -> CheckResult:
            return reauthorize(
                request, store=self.store, engine=self.reauthorizer, checker=checker,
                token=token, certificates=self.vault,
            )  # fmt: skip

        controller = ReauthorizeController(self.runner, run)
        app = checker.app_type(target.profile.app_type_id)
        dialog = ReauthorizeDialog(
            target.profile, app.name, options_for(target.profile, app), controller,
            certificates=CertificateController(self.runner), picker=picker,  # type: ignore[arg-type]
        )  # fmt: skip
        dialog._keep = controller  # type: ignore[attr-defined]
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog


@pytest.fixture
def memory_keyring(monkeypatch: pytest.MonkeyPatch) -> KeyringBackend:
    """An in-memory keyring for this process (the vault and the CLI resolve the default one);
    whatever backend was resolved before comes back afterwards."""
    backend = MemoryKeyring()
    monkeypatch.setattr(keyring.core, "_keyring_backend", backend)
    return backend


@pytest.fixture
def world(
    sandbox: RunningSandbox, data_home: Path, memory_keyring: KeyringBackend
) -> Iterator[World]:
    demo = sandbox.demo
    paths = DataPaths(data_home).ensure()
    Settings(
        sign_in_client_id=demo.sign_in_client_id,
        client_ids={BASELINE.id: demo.client_ids[BASELINE.id]},
        consent_timeout_seconds=30,
    ).save(paths.settings)
    inventory = Inventory.open(paths)
    inventory.customers.add("Contoso")
    inventory.tenants.add("Contoso", domain=demo.domain, tenant_id=demo.tenant_id)
    browser = StandInBrowser(sandbox.sandbox.ca_path)
    cache = MemoryTokenCacheStore()
    technician = TechnicianSession(demo.sign_in_client_id, cache, open_browser=browser)
    technician.sign_in(endpoints_for(), demo.tenant_id, timeout=30)
    vault = CertificateVault(open_vault(paths))
    engine = IdentityConsentEngine(
        cache_store=cache, certificates=vault, credential_of=msal_client_credential,
        technician=technician, open_browser=browser,
    )  # fmt: skip
    cat = catalog()
    checker = ProfileChecker(
        cat, MsalGateway(graph_token=technician.graph_token), VaultCredentials(paths),
        client_id_for=lambda app: demo.client_ids[app.id],
    )  # fmt: skip
    reauthorizer = IdentityReauthorizer(
        engine, cat, inventory, lambda app: demo.client_ids[app.id], timeout=30,
        certificates=vault,
    )  # fmt: skip
    runner = TaskRunner()
    yield World(
        sandbox, paths, inventory, browser, vault,
        CheckService(InventoryCheckStore(inventory), checker), reauthorizer, runner,
    )  # fmt: skip
    runner.cancel_all()
    runner.wait_for_done(10_000)


def kinds(world: World, profile_id: int) -> list[EventKind]:
    return [e.kind for e in world.inventory.profiles.details(profile_id).history]


def revoked_profile(world: World) -> AppProfile:
    demo = world.sandbox.demo
    client_id = demo.client_ids[BASELINE.id]
    world.sandbox.scenario.grant_admin_consent(demo.tenant_id, client_id)
    profile = world.add()
    assert profile.id is not None
    assert world.check(profile.id).status is Status.VALID
    world.sandbox.scenario.revoke_consent(demo.tenant_id, client_id)
    revoked = world.check(profile.id)
    assert revoked.status is Status.INVALID, revoked
    return world.inventory.profiles.details(profile.id).profile


def test_revoked_consent_is_reauthorized_to_valid(qtbot: QtBot, world: World) -> None:
    profile = revoked_profile(world)
    assert profile.id is not None
    dialog = world.dialog(qtbot, profile.id)
    assert "Invalid" in dialog.status_label.text()
    assert "consent was revoked" in dialog.why.text()
    assert dialog.admin.isChecked()
    with qtbot.waitSignal(dialog.reauthorized, timeout=60_000) as done:
        dialog.go.click()
    result = done.args[0]
    assert result.status is Status.VALID, result
    assert "Valid" in dialog.outcome.text() and dialog.close_button.isVisible()
    assert any("adminconsent" in url for url in world.browser.visited)
    stored = world.inventory.profiles.details(profile.id).profile
    assert stored.status is Status.VALID and not stored.reauthorization_required
    history = kinds(world, profile.id)
    assert EventKind.REAUTHORIZED in history
    assert history.count(EventKind.STATUS_CHANGED) >= 2  # Valid → Invalid → Valid


def test_declined_consent_leaves_the_status_and_says_why(qtbot: QtBot, world: World) -> None:
    profile = revoked_profile(world)
    assert profile.id is not None
    before = kinds(world, profile.id)
    world.browser.decision = "cancel"
    dialog = world.dialog(qtbot, profile.id)
    dialog.go.click()
    qtbot.waitUntil(lambda: dialog.outcome.isVisible(), timeout=60_000)
    qtbot.waitUntil(lambda: dialog.go.isEnabled(), timeout=10_000)
    text = dialog.outcome.text()
    assert text.startswith("Not re-authorized:") and "declined" in text, text
    assert "AADSTS" not in text.split(".")[0]  # words first; the code is detail
    stored = world.inventory.profiles.details(profile.id).profile
    assert stored.status is Status.INVALID and stored.reason == profile.reason
    assert kinds(world, profile.id) == before


def custom_profile(world: World, app_type_id: str = BASELINE.id) -> tuple[AppProfile, str]:
    """A custom-mode profile whose stored certificate the app no longer knows (700027)."""
    demo = world.sandbox.demo
    old_cert, old_pfx = app_certificate("old certificate")
    world.sandbox.scenario.register_app(
        CUSTOM_APP_ID, "Contoso custom app",
        # Every application permission the app type lists, on each API (checks compare all).
        application={"Microsoft Graph": {"Group.ReadWrite.All", "User.ReadWrite.All",
                                         "Policy.Read.All"},
                     "SharePoint": {"Sites.FullControl.All"}},
        certificates=[old_cert], home_tenant=demo.tenant_id,
    )  # fmt: skip
    world.sandbox.scenario.grant_admin_consent(demo.tenant_id, CUSTOM_APP_ID)
    # The shipped custom app type needs this role (assigned by hand in real tenants).
    world.sandbox.scenario.assign_directory_role(
        demo.tenant_id, CUSTOM_APP_ID, "Exchange Administrator"
    )
    old_ref, _ = world.vault.import_pfx(old_pfx, "pw")
    profile = world.add(
        name="Contoso custom", mode=SetupMode.CUSTOM, custom_app_id=CUSTOM_APP_ID,
        certificate_ref=old_ref, app_type_id=app_type_id,
        service_ids=("cloud-backup-m365",) if app_type_id == SHIPPED_CUSTOM else ("baseline",),
    )  # fmt: skip
    assert profile.id is not None
    assert world.check(profile.id).status is Status.VALID
    new_cert, new_pfx = app_certificate("new certificate")
    world.sandbox.scenario.directory.apps[CUSTOM_APP_ID].certificates = [new_cert]
    changed = world.check(profile.id)
    assert changed.status is Status.INVALID and 700027 in changed.error_codes
    pfx_file = world.paths.root.parent / "new.pfx"
    pfx_file.write_bytes(new_pfx)
    return world.inventory.profiles.details(profile.id).profile, str(pfx_file)


def test_new_certificate_replaces_the_old_one_in_the_vault(qtbot: QtBot, world: World) -> None:
    profile, pfx_file = custom_profile(world)
    assert profile.id is not None
    old_ref = profile.certificate_ref
    picker = FakeFilePicker()
    picker.pfx = pfx_file
    dialog = world.dialog(qtbot, profile.id, picker)
    assert dialog.certificate is not None and "no longer knows" in dialog.why.text()
    dialog.certificate.password.setText("pw")
    dialog.certificate.browse.click()
    qtbot.waitUntil(lambda: dialog.certificate is not None and dialog.certificate.usable)
    with qtbot.waitSignal(dialog.reauthorized, timeout=60_000) as done:
        dialog.go.click()
    assert done.args[0].status is Status.VALID, done.args[0]
    stored = world.inventory.profiles.details(profile.id).profile
    assert stored.status is Status.VALID and stored.certificate_ref != old_ref
    assert world.vault.vault.names() == [stored.certificate_ref]  # the old one is gone
    assert "new certificate" in world.vault.info(stored.certificate_ref).subject
    history = world.inventory.profiles.details(profile.id).history
    marked = [e for e in history if e.kind is EventKind.MARKED]
    assert marked and "certificate" in marked[-1].detail


def test_cli_reauthorize_with_a_new_certificate(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    profile, pfx_file = custom_profile(world, SHIPPED_CUSTOM)
    assert profile.id is not None
    old_ref = profile.certificate_ref
    # The CLI opens the system browser through ``webbrowser``; the stand-in answers instead.
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: world.browser(url) or True)
    monkeypatch.setattr("sys.stdin", _Lines("pw\n"))
    code = cli_main(
        ["reauthorize", str(profile.id), "--pfx", pfx_file, "--password-stdin", "--format",
         "json"]
    )  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0, err
    printed = json.loads(out)
    assert printed["id"] == profile.id and printed["status"] == "Valid"
    stored = world.inventory.profiles.details(profile.id).profile
    assert stored.certificate_ref != old_ref
    assert world.vault.vault.names() == [stored.certificate_ref]


def test_cli_reauthorize_declined_exits_2_and_keeps_everything(
    world: World, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    profile, pfx_file = custom_profile(world, SHIPPED_CUSTOM)
    assert profile.id is not None
    world.browser.decision = "cancel"
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: world.browser(url) or True)
    monkeypatch.setattr("sys.stdin", _Lines("pw\n"))
    code = cli_main(["reauthorize", str(profile.id), "--pfx", pfx_file, "--password-stdin"])
    _out, err = capsys.readouterr()
    assert code == 2
    assert "declined" in err and "Traceback" not in err
    stored = world.inventory.profiles.details(profile.id).profile
    assert stored.status is Status.INVALID and stored.certificate_ref == profile.certificate_ref
    assert world.vault.vault.names() == [profile.certificate_ref]  # the new one never stored


class _Lines:
    def __init__(self, text: str) -> None:
        self._lines = text.splitlines(keepends=True)

    def readline(self) -> str:
        return self._lines.pop(0) if self._lines else ""
