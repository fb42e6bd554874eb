"""The Consent step's help before Authenticate: whether the signed-in account can consent for
the chosen apps in the chosen tenant (over a stand-in session) and the other routes, and a
row whose client ID is not set opens Settings at that field."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from desktop.controllers.tasks import TaskRunner
from desktop.controllers.tenant_access import TenantAccessController
from desktop.controllers.wizard import WizardServices
from desktop.core.identity.gdap import CLOUD_APPLICATION_ADMINISTRATOR
from desktop.core.wizard import Step
from tests.helpers.gdap_fakes import StubCalls, StubSession

from desktop.ui.consent_access_notice import OTHER_ROUTES, ConsentAccessNotice
from desktop.ui.wizard.dialog import CreateProfileDialog


def _next(wizard: CreateProfileDialog) -> None:
    button = wizard.button(QWizard.WizardButton.NextButton)
    assert button.isEnabled()
    button.click()


def test_consent_step_says_which_apps_the_roles_cannot_consent_for(
    qtbot: QtBot, wizard: CreateProfileDialog, tmp_path: Path
) -> None:
    runner = TaskRunner()
    session = StubSession(frozenset({CLOUD_APPLICATION_ADMINISTRATOR}))
    controller = TenantAccessController(runner, StubCalls(session, wizard.machine.catalog))
    page = wizard.consent_page
    page.set_access_notice(ConsentAccessNotice(controller, page))
    try:
        customer = wizard.customer_page
        customer.customer_box.setCurrentIndex(customer.customer_box.findText("Contoso"))
        customer.tenant_box.setCurrentIndex(1)
        qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
        wizard.services_page.premium.setChecked(True)
        wizard.services_page.boxes["other-premium-services"].setChecked(True)
        _next(wizard)
        assert wizard.step() is Step.CONSENT
        notice = page.access_notice
        assert notice is not None
        qtbot.waitUntil(lambda: notice.access is not None, timeout=5_000)
        tenant = wizard.machine.state.tenant
        assert tenant is not None and session.asked == [tenant.tenant_id]
        text = notice.text.text()
        assert "Cloud Application Administrator" in text
        # Every app of these services has Microsoft Graph application permissions.
        for app_id in page.rows:
            assert wizard.machine.catalog.app_type(app_id).name in text
        assert "Privileged Role Administrator or Global Administrator" in text
        assert OTHER_ROUTES in text
        wizard.resize(820, 640)
        wizard.show()
        assert wizard.grab().save(str(tmp_path / "wizard-consent-notice.png"))
    finally:
        runner.wait_for_done(5_000)


def test_a_row_without_a_client_id_opens_settings_at_that_field(
    qtbot: QtBot, fakes: WizardServices
) -> None:
    from desktop.controllers.wizard import WizardController
    from desktop.core import settings_edit as edit
    from desktop.core.catalog.loader import load_shipped
    from desktop.core.settings_hint import SettingTarget
    from desktop.core.wizard import CreateProfileWizard

    runner = TaskRunner()
    machine = CreateProfileWizard(load_shipped())  # no client ID set for any app
    wizard = CreateProfileDialog(WizardController(machine, fakes, runner))
    qtbot.addWidget(wizard)
    opened: list[SettingTarget] = []
    wizard.consent_page.settings_requested.connect(opened.append)
    try:
        wizard.start()
        qtbot.waitUntil(lambda: wizard.customer_page.loaded)
        customer = wizard.customer_page
        customer.customer_box.setCurrentIndex(customer.customer_box.findText("Contoso"))
        customer.tenant_box.setCurrentIndex(1)
        _next(wizard)
        wizard.services_page.premium.setChecked(True)
        wizard.services_page.boxes["other-premium-services"].setChecked(True)
        _next(wizard)
        (app_id, row), *_ = wizard.consent_page.rows.items()
        assert not row.authenticate.isEnabled()
        assert "Set it in Settings" in row.authenticate.toolTip()
        assert row.open_settings.isVisibleTo(wizard)
        row.open_settings.click()
        assert opened == [SettingTarget(edit.CLIENT_ID, "global", app_id)]
        # Once the client ID is known, the button goes and Authenticate is enabled.
        machine.set_client_ids({app_id: "11111111-2222-4333-8444-555555555555"})
        row.refresh()
        assert not row.open_settings.isVisibleTo(wizard) and row.authenticate.isEnabled()
    finally:
        runner.cancel_all()
        runner.wait_for_done(5_000)
