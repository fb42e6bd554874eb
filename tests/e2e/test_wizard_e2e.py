"""The real create wizard against the sandbox: TLS, MSAL unpatched, the browser stand-in clicking
Accept or Cancel, Graph verification, and "Assign now" writing a directory role."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from PySide6.QtWidgets import QWizard

from desktop.controllers.tasks import TaskRunner
from desktop.controllers.wizard import WizardController, WizardServices
from desktop.core.catalog.loader import load_shipped
from desktop.core.catalog.model import SetupMode
from desktop.core.domain import Status
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.consent import IdentityConsentEngine
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession
from desktop.core.inventory import Inventory
from desktop.core.paths import DataPaths
from desktop.core.services import CoreServices
from desktop.core.wizard import ConsentState, CreateProfileWizard, RoleState, Step
from desktop.core.wizard.backend import WizardBackend
from desktop.core.wizard.identity_engine import IdentityConsent, technician_token
from desktop.core.wizard.role_assign import GraphRoleAssigner
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo, populate
from tests.helpers.browser import StandInBrowser
from tests.helpers.certificates import MemoryCertificateStore, app_certificate, credential_of
from tests.helpers.wizard_fakes import RecordingSaver

from desktop.ui.wizard.dialog import CancelChoice, CreateProfileDialog

pytestmark = pytest.mark.e2e

CUSTOM_APP_ID = "6b0e2c1d-0000-4000-8000-00000000c0de"


@dataclass
class Run:
    """One wizard over the sandbox, and the pieces a test looks at."""

    dialog: CreateProfileDialog
    sandbox: Sandbox
    demo: Demo
    browser: StandInBrowser
    saver: RecordingSaver
    certificates: MemoryCertificateStore
    answers: list[CancelChoice]
    inventory: Inventory

    @property
    def machine(self) -> CreateProfileWizard:
        return self.dialog.machine

    def next(self) -> None:
        button = self.dialog.button(QWizard.WizardButton.NextButton)
        assert button.isEnabled(), self.dialog.currentPage().missing.text()
        button.click()


@pytest.fixture
def run(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Run]:  # type: ignore[no-untyped-def]
    catalog = load_shipped()
    with Sandbox(tmp_path / "sandbox") as sandbox:
        demo = populate(sandbox, catalog.app_types)
        for key, value in sandbox.env().items():
            monkeypatch.setenv(key, value)
        browser = StandInBrowser(sandbox.ca_path)
        cache = MemoryTokenCacheStore()
        technician = TechnicianSession(demo.sign_in_client_id, cache, open_browser=browser)
        technician.sign_in(endpoints_for(), demo.tenant_id, timeout=30)
        certificates = MemoryCertificateStore()
        engine = IdentityConsentEngine(
            cache_store=cache,
            certificates=certificates,
            credential_of=credential_of,
            technician=technician,
            open_browser=browser,
        )
        # The real store, through the same backend the app uses for the list and Save.
        paths = DataPaths(tmp_path / "data").ensure()
        inventory = Inventory.open(paths)
        inventory.customers.add("Contoso", aos_service_ids=("cloud-backup-m365",))
        inventory.tenants.add(
            "Contoso", domain=demo.domain, tenant_id=demo.tenant_id, display_name="Contoso"
        )
        backend = WizardBackend(CoreServices(paths, catalog, inventory=inventory))
        saver = RecordingSaver(backend.save)
        services = WizardServices(
            engine=IdentityConsent(engine, catalog, timeout=30),
            load_directory=backend.load_directory,
            lookup_tenant=backend.lookup_tenant,
            save=saver,
            roles=GraphRoleAssigner(technician_token(technician, timeout=30)),
            discard_certificate=certificates.delete,
        )
        runner = TaskRunner()
        machine = CreateProfileWizard(catalog, client_ids=demo.client_ids)
        answers: list[CancelChoice] = []

        def prompt(parent: object, warning: str) -> CancelChoice:
            # Discard when the test has no more answers (e.g. closing the wizard at teardown).
            return answers.pop(0) if answers else CancelChoice.DISCARD

        dialog = CreateProfileDialog(
            WizardController(machine, services, runner),
            cancel_prompt=prompt,
            notify=lambda parent, text: None,  # no message box in a test
            ask_discard=lambda parent, question: True,
        )
        qtbot.addWidget(dialog)
        dialog.start()
        qtbot.waitUntil(lambda: dialog.customer_page.loaded)
        yield Run(dialog, sandbox, demo, browser, saver, certificates, answers, inventory)
        runner.cancel_all()
        runner.wait_for_done(10_000)


def start(run: Run, family: str, *services: str) -> None:
    page = run.dialog.customer_page
    page.customer_box.setCurrentIndex(page.customer_box.findText("Contoso"))
    page.tenant_box.setCurrentIndex(1)
    run.next()
    getattr(run.dialog.services_page, family).setChecked(True)
    for service in services:
        run.dialog.services_page.boxes[service].setChecked(True)
    run.next()


def authenticate(qtbot, run: Run, app_id: str) -> str:  # type: ignore[no-untyped-def]
    row = run.dialog.consent_page.rows[app_id]
    row.authenticate.click()
    qtbot.waitUntil(lambda: not row.busy.busy, timeout=60_000)
    return row.result.text()


def save(qtbot, run: Run) -> list:  # type: ignore[no-untyped-def, type-arg]
    with qtbot.waitSignal(run.dialog.profiles_saved, timeout=30_000) as saved:
        run.dialog.button(QWizard.WizardButton.FinishButton).click()
    return list(saved.args[0])


def test_premium_services_in_modern_mode(qtbot, run: Run) -> None:  # type: ignore[no-untyped-def]
    start(run, "premium", "other-premium-services", "nitro")
    assert run.dialog.step() is Step.CONSENT
    for app_id in ("apelements-security-and-analysis", "apelements-automation"):
        text = authenticate(qtbot, run, app_id)
        assert "✓ Administrator consent granted" in text, text
        assert run.machine.row(app_id).status is Status.VALID, text
    # The browser really went to the sandbox's admin-consent page for each publisher app
    # (after the technician's own sign-in).
    consents = [url for url in run.browser.visited if "/v2.0/adminconsent?" in url]
    assert len(consents) == 2
    run.next()
    assert run.dialog.step() is Step.ROLES  # automatic roles, listed for the record
    assert {r.state for r in run.machine.state.roles} == {RoleState.AUTOMATIC}
    run.next()
    profiles = save(qtbot, run)
    assert [(p.app_type_id, p.status) for p in profiles] == [
        ("apelements-security-and-analysis", Status.VALID),
        ("apelements-automation", Status.VALID),
    ]
    # In the store, as the list shows them: first status from the engine's verification.
    rows = {r.app_type_id: r for r in run.inventory.profiles.rows()}
    assert {k: r.status for k, r in rows.items()} == {
        "apelements-security-and-analysis": "Valid",
        "apelements-automation": "Valid",
    }


def test_baseline_management_in_custom_mode(qtbot, run: Run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    catalog = run.machine.catalog
    baseline = catalog.app_type("apelements-baseline-management")
    cert, pfx = app_certificate("Contoso custom baseline")
    application: dict[str, set[str]] = {}
    for p in baseline.permissions:
        if p.type.value == "Application":
            application.setdefault(p.api, set()).add(p.name)
    run.sandbox.scenario.register_app(
        CUSTOM_APP_ID,
        "Contoso custom baseline app",
        application=application,
        certificates=[cert],
        home_tenant=run.demo.tenant_id,
    )
    pfx_path = tmp_path / "custom.pfx"
    pfx_path.write_bytes(pfx)
    start(run, "premium", "baseline-management")
    page = run.dialog.setup_page
    page.radios[("baseline-management", SetupMode.CUSTOM)].setChecked(True)
    page.profile_name.setText("Contoso custom baseline")
    page.app_id.setText(CUSTOM_APP_ID.upper())
    panel = run.dialog.certificate
    panel.password.setText("pw")
    with qtbot.waitSignal(panel.certificate_changed, timeout=30_000):
        panel.open_path(str(pfx_path))
    # The roles come before authorization: Assign now gives them to the customer's own app.
    assert [r.key[1] for r in page.role_rows] == [
        "Exchange Administrator",
        "Attribute Definition Reader",
        "Security Administrator",
    ]
    assert page.roles_confirmed.isVisible()
    for role_row in page.role_rows:
        assert role_row.assign.isEnabled(), role_row.assign.toolTip()
        role_row.assign.click()
        qtbot.waitUntil(lambda row=role_row: not row.busy.busy, timeout=60_000)
        assert "verified" in role_row.state.text(), role_row.state.text()
    assert not page.roles_confirmed.isVisible()  # verified: nothing to confirm by hand
    tenant = run.sandbox.directory.tenants[run.demo.tenant_id]
    sp = tenant.sp_by_app(CUSTOM_APP_ID)
    assert sp is not None
    assert sorted(r.role_name for r in tenant.directory_roles if r.principal_id == sp.id) == [
        "Attribute Definition Reader",
        "Exchange Administrator",
        "Security Administrator",
    ]
    run.next()
    text = authenticate(qtbot, run, "apelements-baseline-management")
    assert "✓" in text, text
    row = run.machine.row("apelements-baseline-management")
    assert row.status is Status.VALID and row.certificate_ref in run.certificates.items
    run.next()
    roles = run.machine.state.roles
    assert {r.state for r in roles} == {RoleState.ASSIGNED}  # on the Setup step, verified
    assert all(r.before_authorization for r in roles)
    run.next()
    (profile,) = save(qtbot, run)
    assert profile.mode is SetupMode.CUSTOM and profile.custom_app_id == CUSTOM_APP_ID
    assert profile.certificate_ref == row.certificate_ref
    assert profile.name == "Contoso custom baseline"


def test_aos_services_with_delegated_app_functions(qtbot, run: Run) -> None:  # type: ignore[no-untyped-def]
    start(run, "aos", "cloud-backup-m365")
    assert run.dialog.step() is Step.CONSENT  # no setup method to choose: skipped
    assert not run.dialog.services_page.aos_modern_note.isHidden()  # and said on Services
    rows = run.dialog.consent_page.rows
    delegated = rows["cloud-backup-m365-delegated-app"]
    assert not delegated.authenticate.isEnabled()  # functions first
    delegated.functions["power-bi"].setChecked(True)
    delegated.functions["planner-task-comments"].setChecked(True)
    # User consent, by a non-administrator of the customer (seed 000's user-consent table).
    # The documentation lists no permissions for this app: give the sandbox's one a scope.
    # Users consent from this desktop app: the vendor's app registers the loopback redirect
    # on the Mobile-and-desktop platform (a Web-only app would need a secret: 7000218).
    run.sandbox.scenario.register_app(
        run.demo.client_ids["cloud-backup-m365-delegated-app"],
        "Delegated App",
        delegated={"Microsoft Graph": {"User.Read"}},
        public_redirect_uris=["http://localhost"],
    )
    delegated.method.setCurrentIndex(delegated.method.findText("User consent"))
    run.sandbox.scenario.set_browser_user(run.demo.user)
    text = authenticate(qtbot, run, "cloud-backup-m365-delegated-app")
    assert f"✓ User consent granted by {run.demo.user}" in text, text
    run.sandbox.scenario.set_browser_user(run.demo.admin)
    assert "✓" in authenticate(qtbot, run, "cloud-backup-m365-all-permissions")
    for app_id, row in rows.items():
        if run.machine.row(app_id).state is not ConsentState.GRANTED:
            row.defer.click()
    run.next()
    run.next()
    profiles = {p.app_type_id: p for p in save(qtbot, run)}
    delegated_profile = profiles["cloud-backup-m365-delegated-app"]
    assert delegated_profile.functions == ("power-bi", "planner-task-comments")
    assert delegated_profile.consent_method.value == "user"
    assert delegated_profile.consenting_user == run.demo.user
    deferred = [p for p in profiles.values() if p.consented_at is None]
    assert deferred and all(p.status is Status.UNKNOWN for p in deferred)


def test_declined_consent_then_retry(qtbot, run: Run) -> None:  # type: ignore[no-untyped-def]
    start(run, "premium", "nitro")
    run.browser.decision = "cancel"
    text = authenticate(qtbot, run, "apelements-automation")
    row = run.dialog.consent_page.rows["apelements-automation"]
    assert "declined" in text.lower() and "65004" in row.detail.text()
    assert row.authenticate.text() == "&Retry"
    assert not run.dialog.button(QWizard.WizardButton.NextButton).isEnabled()
    run.browser.decision = "accept"
    assert "✓" in authenticate(qtbot, run, "apelements-automation")
    assert run.dialog.button(QWizard.WizardButton.NextButton).isEnabled()


def test_cancel_after_consent_warns_and_saves_anyway(qtbot, run: Run) -> None:  # type: ignore[no-untyped-def]
    start(run, "premium", "nitro", "other-premium-services")
    assert "✓" in authenticate(qtbot, run, "apelements-automation")
    run.answers.extend([CancelChoice.STAY, CancelChoice.SAVE])
    run.dialog.reject()
    assert run.dialog.isVisible() and not run.saver.plans
    with qtbot.waitSignal(run.dialog.profiles_saved, timeout=30_000) as saved:
        run.dialog.reject()
    assert [p.app_type_id for p in saved.args[0]] == ["apelements-automation"]
    assert [r.app_type_id for r in run.inventory.profiles.rows()] == ["apelements-automation"]
    qtbot.waitUntil(lambda: not run.dialog.isVisible())  # saved, and closed


def test_assign_now_gives_the_app_exchange_administrator(qtbot, run: Run) -> None:  # type: ignore[no-untyped-def]
    start(run, "aos", "cloud-backup-m365")  # on Consent: AOS has no setup method step
    assert "✓" in authenticate(qtbot, run, "cloud-backup-m365-all-permissions")
    for app_id, row in run.dialog.consent_page.rows.items():
        if app_id != "cloud-backup-m365-all-permissions":
            row.skip.click()
    run.next()
    (role_row,) = run.dialog.roles_page.role_rows
    assert role_row.assign.isEnabled()
    role_row.assign.click()
    qtbot.waitUntil(lambda: not role_row.busy.busy, timeout=60_000)
    assert "verified" in role_row.state.text(), role_row.state.text()
    client_id = run.demo.client_ids["cloud-backup-m365-all-permissions"]
    tenant = run.sandbox.directory.tenants[run.demo.tenant_id]
    sp = tenant.sp_by_app(client_id)
    assert sp is not None
    assert [r.role_name for r in tenant.directory_roles if r.principal_id == sp.id] == [
        "Exchange Administrator"
    ]


def test_consent_link_then_check_again_until_the_admin_accepts(qtbot, run: Run) -> None:  # type: ignore[no-untyped-def]
    from urllib.parse import parse_qs, urlsplit

    from PySide6.QtGui import QGuiApplication

    run.dialog.controller.check_interval = 0.2
    start(run, "premium", "nitro")
    row = run.dialog.consent_page.rows["apelements-automation"]
    QGuiApplication.clipboard().clear()  # an earlier test's link must not satisfy the wait
    row.copy_link.click()
    qtbot.waitUntil(
        lambda: (
            "/v2.0/adminconsent?" in QGuiApplication.clipboard().text() and bool(row.link.text())
        )
    )
    link = QGuiApplication.clipboard().text()
    assert row.link.text() == link and "This site can't be reached" in row.result.text()
    # Check again before the admin has done anything: it keeps checking, and says so.
    row.check.click()
    qtbot.waitUntil(lambda: "Checking again in" in row.busy.text.text(), timeout=30_000)
    assert run.machine.row("apelements-automation").state is ConsentState.IN_PROGRESS
    # The customer's admin opens the link in their own browser, on their own computer.
    admin = StandInBrowser(run.sandbox.ca_path, follow_final_redirect=False)
    admin(link)
    assert admin.last_response is not None and admin.last_response.status_code == 302
    landing = admin.last_response.headers["Location"]
    assert landing.startswith("http://localhost/consent?")  # what their browser cannot open
    assert parse_qs(urlsplit(landing).query)["admin_consent"] == ["True"]
    qtbot.waitUntil(lambda: not row.busy.busy, timeout=60_000)
    assert "✓" in row.result.text(), row.result.text()
    assert run.machine.row("apelements-automation").status is Status.VALID
    assert run.dialog.button(QWizard.WizardButton.NextButton).isEnabled()
