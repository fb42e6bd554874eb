"""The Consent step says, before Authenticate, whether the signed-in account can consent for
the chosen apps in the chosen tenant (over a stand-in session), and the other routes."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard

from desktop.controllers.tasks import TaskRunner
from desktop.controllers.tenant_access import TenantAccessController
from desktop.core.identity.gdap import CLOUD_APPLICATION_ADMINISTRATOR
from desktop.core.wizard import Step
from tests.helpers.gdap_fakes import StubSession, parts_over

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
    controller = TenantAccessController(runner, parts_over(session, wizard.machine.catalog))
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
