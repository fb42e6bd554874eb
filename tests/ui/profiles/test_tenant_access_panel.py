"""Customers and tenants' "What can I do in this tenant?" panel: what it says for each case
(not connected, not signed in, roles that can or cannot consent), read off the GUI thread
through the real controller and core calls over a stand-in session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers.tasks import TaskRunner
from desktop.controllers.tenant_access import TenantAccessController
from desktop.core.domain import Tenant
from desktop.core.identity.gdap import (
    CLOUD_APPLICATION_ADMINISTRATOR,
    GLOBAL_ADMINISTRATOR,
    needs_graph_app_roles,
)
from desktop.core.identity.tenant_token import Problem
from tests.helpers.gdap_fakes import TECHNICIAN, StubCalls, StubSession
from tests.helpers.inventory import shipped_catalog

from desktop.ui.profiles.tenant_access_panel import TenantAccessPanel

DIRECTORY_READERS = "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"
TENANT = Tenant("6f2a1d8e-0b1c-4c55-9e7a-3b9d2c4e5f01", 1, "contoso.onmicrosoft.com", "Contoso")


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    pool = TaskRunner()
    yield pool
    pool.wait_for_done(5_000)


def _panel(qtbot: QtBot, runner: TaskRunner, session: StubSession) -> TenantAccessPanel:
    catalog = shipped_catalog()
    controller = TenantAccessController(runner, StubCalls(session, catalog))
    panel = TenantAccessPanel(controller, catalog)
    qtbot.addWidget(panel)
    panel.resize(520, 460)
    panel.show()
    panel.show_tenant(TENANT)
    qtbot.waitUntil(lambda: panel.access is not None, timeout=5_000)
    return panel


def _verdicts(panel: TenantAccessPanel) -> dict[str, str]:
    return {
        panel.apps.item(r, 0).text(): panel.apps.item(r, 1).text()
        for r in range(panel.apps.rowCount())
    }


def test_not_connected_says_why_and_offers_connect(qtbot: QtBot, runner: TaskRunner) -> None:
    panel = _panel(qtbot, runner, StubSession(problem=Problem.NOT_CONNECTED))
    assert panel.headline.text().startswith("Not connected: ")
    assert "AADSTS90099" in panel.headline.text()
    assert panel.connect_button.isEnabled()
    assert not panel.discover_button.isEnabled()
    assert "Connect this tenant first" in panel.discover_button.toolTip()
    assert not panel.apps.isVisible() and not panel.show_apps.isVisible()
    assert "Once the tenant is connected" in panel.why_not.text()
    assert not panel.sign_in_button.isVisible()


def test_not_signed_in_offers_sign_in(qtbot: QtBot, runner: TaskRunner) -> None:
    panel = _panel(qtbot, runner, StubSession(problem=Problem.NOT_SIGNED_IN))
    pressed: list[bool] = []
    panel.sign_in_requested.connect(lambda: pressed.append(True))
    assert "not signed in" in panel.headline.text()
    assert panel.sign_in_button.isVisible()
    panel.sign_in_button.click()
    assert pressed == [True]


def test_global_administrator_can_consent_for_every_app_type(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    panel = _panel(qtbot, runner, StubSession(frozenset({GLOBAL_ADMINISTRATOR})))
    text = panel.headline.text()
    assert f"Connected as {TECHNICIAN}" in text and "Global Administrator" in text
    assert panel.discover_button.isEnabled()
    assert panel.why_not.text() == "Your roles here can grant admin consent for every app type."
    panel.show_apps.click()
    assert panel.apps.isVisible()
    assert set(_verdicts(panel).values()) == {"Yes"}


def test_cloud_application_administrator_cannot_grant_graph_app_roles(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path
) -> None:
    panel = _panel(qtbot, runner, StubSession(frozenset({CLOUD_APPLICATION_ADMINISTRATOR})))
    catalog = panel.catalog
    verdicts = _verdicts(panel)
    for app in catalog.app_types:
        assert verdicts[app.name] == ("No" if needs_graph_app_roles(app) else "Yes"), app.id
    assert "No" in verdicts.values() and "Yes" in verdicts.values()
    why = panel.why_not.text()
    assert "needs Privileged Role Administrator or Global Administrator" in why
    assert "Microsoft Graph application permissions" in why
    assert "customer's administrator can consent instead" in why
    panel.show_apps.click()
    assert panel.grab().save(str(tmp_path / "access-panel-some.png"))


def test_directory_readers_can_consent_for_nothing(qtbot: QtBot, runner: TaskRunner) -> None:
    panel = _panel(qtbot, runner, StubSession(frozenset({DIRECTORY_READERS})))
    assert "Directory Readers" in panel.headline.text()
    assert set(_verdicts(panel).values()) == {"No"}
    assert panel.why_not.text().startswith(
        "Your roles here cannot grant admin consent for any app type."
    )


def test_a_late_answer_for_another_tenant_is_not_shown(qtbot: QtBot, runner: TaskRunner) -> None:
    panel = _panel(qtbot, runner, StubSession(frozenset({GLOBAL_ADMINISTRATOR})))
    other = Tenant("9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e", 1, "fabrikam.onmicrosoft.com")
    first = panel.access
    panel.show_tenant(other)
    assert panel.access is None and "fabrikam" in panel.headline.text()
    panel.controller.access_ready.emit(first)  # the earlier tenant's answer, arriving late
    assert panel.access is None
    qtbot.waitUntil(lambda: panel.access is not None, timeout=5_000)
    assert panel.access is not None and panel.access.tenant_id == other.tenant_id


def test_in_customers_and_tenants_it_follows_the_chosen_tenant_with_its_own_access_keys(
    qtbot: QtBot, data_home: Path, runner: TaskRunner
) -> None:
    import re

    from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel

    from desktop.controllers.inventory import InventoryController
    from desktop.core.paths import DataPaths
    from tests.helpers.dialogs import FakeDialogs

    from desktop.ui.profiles.customers_dialog import CustomersDialog

    catalog = shipped_catalog()
    session = StubSession(frozenset({GLOBAL_ADMINISTRATOR}))
    inventory = InventoryController(DataPaths(data_home), runner, catalog)
    access = TenantAccessController(runner, StubCalls(session, catalog))
    dialog = CustomersDialog(inventory, FakeDialogs(), None, access)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    panel = dialog.access_panel
    assert panel is not None and panel.tenant is None
    assert "Choose a tenant" in panel.headline.text()
    dialog.new_name.setText("Contoso")
    dialog.add_customer()
    qtbot.waitUntil(lambda: dialog.current() is not None, timeout=10_000)
    dialog.domain.setText(TENANT.primary_domain)
    dialog.tenant_id.setText(TENANT.tenant_id)
    dialog.add_tenant()
    # The new tenant is chosen and its access read, without a click.
    qtbot.waitUntil(lambda: panel.access is not None, timeout=10_000)
    assert panel.tenant is not None and panel.tenant.tenant_id == TENANT.tenant_id
    assert session.asked == [TENANT.tenant_id]
    # Every access key in the dialog is its own (Alt+key reaches one control).
    keys: list[str] = []
    for widget in dialog.findChildren(QAbstractButton) + dialog.findChildren(QLabel):
        found = re.search(r"&(\w)", widget.text())
        if found and widget.isVisibleTo(dialog):
            keys.append(found.group(1).lower())
    for box in dialog.findChildren(QGroupBox):
        found = re.search(r"&(\w)", box.title())
        if found:
            keys.append(found.group(1).lower())
    assert len(keys) == len(set(keys)), sorted(keys)
