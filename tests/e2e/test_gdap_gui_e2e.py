"""A partner technician onboards a customer in the GUI, from an empty data folder against the
sandbox: the first-run page, Settings (the sign-in app's and a publisher app's client IDs),
sign-in at the partner tenant, Connect this tenant via Partner Center in Customers and
tenants, Find existing consents (which adds and checks the profile), Check all → Valid."""

from __future__ import annotations

import webbrowser
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication, QWidget

from desktop.core import settings_edit as edit
from desktop.core.catalog.loader import load_catalog
from desktop.core.domain import Cloud
from desktop.core.paths import DataPaths
from desktop.core.settings import Settings
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo
from tests.helpers.browser_cli import browser_command
from tests.helpers.sandbox_app import first_run_sandbox, open_main_window

from desktop.ui.check_bar import CheckBar
from desktop.ui.main_window import MainWindow
from desktop.ui.profiles.customers_dialog import CustomersDialog
from desktop.ui.profiles.wiring import customers_opener

pytestmark = pytest.mark.e2e

APP = "apelements-baseline-management"


@pytest.fixture
def partner_sandbox(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[Sandbox, Demo, Path]]:
    with first_run_sandbox(tmp_path, monkeypatch) as (box, demo, log):
        # The browser is signed in with the technician's partner-tenant account.
        box.scenario.set_browser_user(demo.technician)
        yield box, demo, log


def _add_customer_and_tenant(qtbot: QtBot, dialog: CustomersDialog, demo: Demo) -> None:
    dialog.new_name.setText("Contoso")
    dialog.add_customer()
    qtbot.waitUntil(lambda: dialog.current() is not None, timeout=10_000)
    dialog.domain.setText(demo.domain)
    dialog.tenant_id.setText(demo.tenant_id)
    dialog.cloud.setCurrentIndex(dialog.cloud.findData(Cloud.GLOBAL.value))
    dialog.add_tenant()
    qtbot.waitUntil(lambda: dialog.tenants.rowCount() == 1, timeout=10_000)


# The offscreen platform cannot raise a window; the dialog is raised as on a desktop.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_partner_technician_onboards_a_customer_in_the_gui(
    qtbot: QtBot, data_home: Path, partner_sandbox: tuple[Sandbox, Demo, Path]
) -> None:
    box, demo, log = partner_sandbox
    # The customer already uses one publisher app: its admin consented before.
    box.scenario.grant_admin_consent(demo.tenant_id, demo.client_ids[APP])
    for role in load_catalog().catalog.app_type(APP).directory_roles:
        box.scenario.assign_directory_role(demo.tenant_id, demo.client_ids[APP], role.name)
    ctx, dialogs = open_main_window(qtbot, data_home)
    try:
        first_run, account, settings_ui = ctx.first_run, ctx.account, ctx.settings_ui
        assert first_run is not None and account is not None and settings_ui is not None
        assert first_run.showing

        # Settings: the sign-in app's client ID and the publisher app's.
        settings = settings_ui.open()
        settings.fields[(edit.SIGN_IN_CLIENT_ID, "global", "")].line.setText(demo.sign_in_client_id)
        settings.fields[(edit.CLIENT_ID, "global", APP)].line.setText(demo.client_ids[APP])
        with qtbot.waitSignal(settings_ui.saved, timeout=10_000):
            settings.save_button.click()

        # Sign in as the partner technician (the browser picks their account).
        with qtbot.waitSignal(account.controller.signed_in, timeout=60_000) as signed:
            account.sign_in_action.trigger()
        assert signed.args == [demo.technician], (dialogs.errors, log.read_text())
        qtbot.waitUntil(lambda: not first_run.showing, timeout=10_000)

        page = ctx.profiles_page
        assert page is not None
        page.customers_action.trigger()  # Profiles → Customers and tenants…
        dialog = customers_opener(page).dialog
        assert dialog is not None
        dialog.resize(1120, 680)  # its largest size, as on a desktop
        _add_customer_and_tenant(qtbot, dialog, demo)
        panel = dialog.access_panel
        assert panel is not None
        qtbot.waitUntil(lambda: panel.access is not None, timeout=30_000)
        assert panel.access is not None and not panel.access.connected
        assert "Not connected" in panel.headline.text()
        assert "AADSTS90099" in panel.headline.text()
        assert not panel.discover_button.isEnabled()
        _shot(dialog, data_home.parent / "gdap-access-not-connected.png")

        # Connect this tenant via Partner Center.
        with qtbot.waitSignal(panel.controller.connected, timeout=60_000):
            panel.connect_button.click()
        qtbot.waitUntil(lambda: panel.access is not None and panel.access.connected)
        assert "Connected" in panel.outcome.text() and "Partner Center" in panel.outcome.text()
        assert "Privileged Role Administrator" in panel.headline.text()
        assert demo.technician in panel.headline.text()
        assert "every app type" in panel.why_not.text() and not panel.apps.isVisible()
        panel.show_apps.click()
        assert panel.apps.isVisible()
        verdicts = [panel.apps.item(r, 1).text() for r in range(panel.apps.rowCount())]
        assert verdicts and all(v == "Yes" for v in verdicts)
        assert panel.discover_button.isEnabled()
        _shot(dialog, data_home.parent / "gdap-access-connected.png")

        # Find existing consents: the profile is added and checked.
        with qtbot.waitSignal(panel.controller.discovered, timeout=60_000) as found:
            panel.discover_button.click()
        discovery = found.args[0]
        assert [f.app_type_id for f in discovery.found] == [APP]
        (added,) = discovery.added
        assert added.id is not None and discovery.checks[added.id].status.value == "Valid"
        outcome = panel.outcome.text()
        assert outcome.endswith("added 1 profile: APElements Baseline Management (Valid).")
        qtbot.waitUntil(lambda: page.model.total() == 1, timeout=10_000)

        # Check all: Valid.
        dialog.reject()
        bar = page.findChild(CheckBar)
        assert bar is not None
        bar.check_all_action.trigger()
        qtbot.waitUntil(lambda: "Valid" in bar.summary.text(), timeout=60_000)
        assert page.model.row_at(0).status == "Valid"

        # Profiles → Connect this tenant… opens the dialog at the selected profile's tenant,
        # which now reads as connected.
        window = page.window()
        assert isinstance(window, MainWindow)
        connect = next(
            a for a in window.profiles_menu.actions() if a.objectName() == "ConnectTenantAction"
        )
        qtbot.waitUntil(lambda: customers_opener(page).dialog is None, timeout=5_000)
        page.table.selectRow(0)
        connect.trigger()
        again = customers_opener(page).dialog
        assert again is not None and again.access_panel is not None
        panel = again.access_panel
        qtbot.waitUntil(lambda: panel.access is not None and panel.access.connected)
        assert panel.tenant is not None and panel.tenant.tenant_id == demo.tenant_id
        assert not dialogs.errors
    finally:
        ctx.runner.cancel_all()
        ctx.runner.wait_for_done(10_000)


# The offscreen platform cannot raise a window; the dialog is raised as on a desktop.
@pytest.mark.qt_log_ignore("This plugin does not support raise")
def test_connect_by_the_customers_admin_in_the_browser_and_cancel(
    qtbot: QtBot,
    data_home: Path,
    partner_sandbox: tuple[Sandbox, Demo, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    box, demo, log = partner_sandbox
    Settings(sign_in_client_id=demo.sign_in_client_id).save(DataPaths(data_home).ensure().settings)
    ctx, dialogs = open_main_window(qtbot, data_home)
    try:
        account = ctx.account
        assert account is not None and ctx.profiles_page is not None
        dialog = customers_opener(ctx.profiles_page).open()
        dialog.resize(1120, 680)
        _add_customer_and_tenant(qtbot, dialog, demo)
        panel = dialog.access_panel
        assert panel is not None
        qtbot.waitUntil(lambda: panel.access is not None, timeout=30_000)
        assert "not signed in" in panel.headline.text() and panel.sign_in_button.isVisible()

        # Sign in from the panel: once signed in, it reads the access again by itself.
        with qtbot.waitSignal(account.controller.signed_in, timeout=60_000):
            panel.sign_in_button.click()
        qtbot.waitUntil(lambda: "AADSTS90099" in panel.headline.text(), timeout=30_000)
        assert panel.access is not None and not panel.access.connected
        assert not panel.sign_in_button.isVisible()

        # A consent link for the customer's admin: the sign-in app's admin-consent page.
        with qtbot.waitSignal(panel.controller.link_ready, timeout=30_000) as linked:
            panel.copy_link.trigger()
        link = linked.args[1]
        assert QApplication.clipboard().text() == link
        assert f"/{demo.tenant_id}/" in link and "adminconsent" in link
        assert f"client_id={demo.sign_in_client_id}" in link
        assert panel.outcome.text().startswith("Copied a consent link.")

        # The customer's admin does not answer: the wait shows progress, and Cancel ends it.
        assert box.ca_path is not None
        monkeypatch.setenv("BROWSER", browser_command(box.ca_path, decision="none", log=log))
        monkeypatch.setattr(webbrowser, "_tryorder", None)
        panel.via_admin_consent.trigger()
        qtbot.waitUntil(lambda: "administrator" in panel.outcome.text(), timeout=30_000)
        assert panel.progress.isVisible() and panel.cancel_button.isVisible()
        assert not panel.connect_button.isEnabled()
        _shot(dialog, data_home.parent / "gdap-connect-waiting.png")
        with qtbot.waitSignal(panel.controller.cancelled, timeout=30_000):
            panel.cancel_button.click()
        assert panel.outcome.text() == (
            "Connect this tenant was cancelled; nothing changed in the tenant."
        )
        qtbot.waitUntil(lambda: not panel.progress.isVisible())

        # The customer's admin accepts in the browser: connected, and proven with a token.
        box.scenario.set_browser_user(demo.admin)
        monkeypatch.setenv("BROWSER", browser_command(box.ca_path, log=log))
        monkeypatch.setattr(webbrowser, "_tryorder", None)
        with qtbot.waitSignal(panel.controller.connected, timeout=60_000):
            panel.via_admin_consent.trigger()
        assert panel.outcome.text() == (
            f"Connected {demo.domain} through admin consent, and proved it with a token there."
        )
        qtbot.waitUntil(lambda: panel.access is not None and panel.access.connected)
        assert demo.technician in panel.headline.text()
        assert not dialogs.errors
    finally:
        ctx.runner.cancel_all()
        ctx.runner.wait_for_done(10_000)


def _shot(widget: QWidget, path: Path) -> None:
    """Render *widget* offscreen, to look at (the test's own folder keeps it)."""
    QApplication.sendPostedEvents()  # the layout follows what was just shown or hidden
    assert widget.grab().save(str(path))
