"""The create wizard as the installed app wires it: the main window built by ``build_context`` and
``build_window`` over a data folder pointing at the sandbox, the system browser through
``BROWSER`` (the browser stand-in program), the real vault and token cache, and the list showing
the new profile with its first status after Save."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import keyring
import pytest

from PySide6.QtWidgets import QWizard

from desktop.app import AppContext, build_context, build_window
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.signin import TechnicianSession
from desktop.core.inventory import Inventory
from desktop.core.paths import DataPaths
from desktop.core.token_cache import EncryptedTokenCacheStore
from desktop.core.vault import open_vault
from desktop.core.wizard import Step
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo
from desktop.sandbox.launch import DEMO_CUSTOMER
from tests.helpers.browser import StandInBrowser
from tests.helpers.dialogs import FakeDialogs
from tests.helpers.keyrings import MemoryKeyring
from tests.helpers.sandbox_app import sandboxed_data_folder

from desktop.ui.main_window import MainWindow
from desktop.ui.wizard.dialog import CreateProfileDialog

pytestmark = pytest.mark.e2e


@dataclass
class App:
    ctx: AppContext
    window: MainWindow
    sandbox: Sandbox
    demo: Demo
    browser_log: Path

    def open_wizard(self, qtbot) -> CreateProfileDialog:  # type: ignore[no-untyped-def]
        page = self.ctx.profiles_page
        assert page is not None
        page.create_action.trigger()
        (wizard,) = self.window.findChildren(CreateProfileDialog)
        qtbot.waitUntil(lambda: wizard.customer_page.loaded, timeout=10_000)
        return wizard


@pytest.fixture
def app(qtbot, data_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[App]:  # type: ignore[no-untyped-def]
    memory = MemoryKeyring()
    # The app's own vault and token cache, over a keyring that forgets everything afterwards.
    monkeypatch.setattr(keyring, "get_keyring", lambda: memory)
    with sandboxed_data_folder(data_home, tmp_path, monkeypatch) as folder:
        sandbox, demo, log = folder.sandbox, folder.demo, folder.browser_log
        paths = DataPaths(data_home)
        # The technician signed in to the customer's tenant earlier (the CLI's ``signin``), so
        # the consent is verified at once: the same encrypted cache the app reads.
        cache = EncryptedTokenCacheStore(open_vault(paths))
        technician = TechnicianSession(
            demo.sign_in_client_id, cache, open_browser=StandInBrowser(folder.ca_path)
        )
        technician.sign_in(endpoints_for(), demo.tenant_id, timeout=30)
        ctx = build_context(paths)
        ctx.dialogs = FakeDialogs()  # type: ignore[assignment]
        window = build_window(ctx)
        qtbot.addWidget(window)
        window.show()
        page = ctx.profiles_page
        assert page is not None
        qtbot.waitUntil(lambda: page._complete, timeout=10_000)
        yield App(ctx, window, sandbox, demo, log)
        for wizard in window.findChildren(CreateProfileDialog):
            wizard._closing = True  # no "consent already granted" question at teardown
            wizard.reject()
        ctx.runner.cancel_all()
        ctx.runner.wait_for_done(10_000)


def test_premium_run_from_the_main_window(qtbot, app: App) -> None:  # type: ignore[no-untyped-def]
    page = app.ctx.profiles_page
    assert page is not None
    before = page.model.rowCount()
    wizard = app.open_wizard(qtbot)

    def next_step() -> None:
        button = wizard.button(QWizard.WizardButton.NextButton)
        assert button.isEnabled(), wizard.currentPage().missing.text()  # type: ignore[attr-defined]
        button.click()

    customers = wizard.customer_page.customer_box
    customers.setCurrentIndex(customers.findText(DEMO_CUSTOMER))
    wizard.customer_page.tenant_box.setCurrentIndex(1)
    next_step()
    wizard.services_page.premium.setChecked(True)
    wizard.services_page.boxes["nitro"].setChecked(True)
    next_step()
    assert wizard.step() is Step.CONSENT
    row = wizard.consent_page.rows["apelements-automation"]
    assert row.authenticate.isEnabled(), row.result.text()  # the client ID came from Settings
    row.authenticate.click()
    qtbot.waitUntil(lambda: not row.busy.busy, timeout=60_000)
    text = row.result.text()
    assert "✓ Administrator consent granted" in text, (text, app.browser_log.read_text())
    assert "First check: Valid" in text, text
    # The system browser (BROWSER) went to the sandbox's admin-consent page for the app.
    assert "/v2.0/adminconsent?" in app.browser_log.read_text()
    next_step()
    assert wizard.step() is Step.SUMMARY  # Nitro's app needs no directory role
    with qtbot.waitSignal(wizard.profiles_saved, timeout=30_000) as saved:
        wizard.button(QWizard.WizardButton.FinishButton).click()
    (profile,) = saved.args[0]
    # The list reloads and shows the new profile with its first status.
    qtbot.waitUntil(lambda: page.model.rowCount() == before + 1, timeout=10_000)
    rows = [page.model.row_at(r) for r in range(page.model.rowCount())]
    new = next(r for r in rows if r.id == profile.id)
    assert (new.customer, new.status, new.app_type_id) == (
        DEMO_CUSTOMER,
        "Valid",
        "apelements-automation",
    )
    # The wizard closed itself and is gone; the next Create builds a fresh run.
    qtbot.waitUntil(lambda: not app.window.findChildren(CreateProfileDialog))
    stored = Inventory.open(app.ctx.paths).profiles.details(profile.id)
    assert [e.kind.value for e in stored.history] == ["created", "consented", "checked"]
