"""The notice before Authenticate (wizard's Consent step, Re-authorize dialog): whether the
signed-in account can consent for these apps in the tenant, and the other routes if not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers.tasks import TaskRunner
from desktop.controllers.tenant_access import TenantAccessController
from desktop.core.catalog.model import AppType
from desktop.core.domain import Tenant
from desktop.core.identity.gdap import CLOUD_APPLICATION_ADMINISTRATOR, needs_graph_app_roles
from desktop.core.identity.tenant_token import Problem
from tests.helpers.gdap_fakes import TECHNICIAN, StubCalls, StubSession
from tests.helpers.inventory import shipped_catalog

from desktop.ui.consent_access_notice import OTHER_ROUTES, ConsentAccessNotice

TENANT = Tenant("6f2a1d8e-0b1c-4c55-9e7a-3b9d2c4e5f01", 1, "contoso.onmicrosoft.com", "Contoso")


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    pool = TaskRunner()
    yield pool
    pool.wait_for_done(5_000)


def _apps() -> tuple[AppType, AppType]:
    """One app type with Microsoft Graph application permissions, one without."""
    apps = shipped_catalog().app_types
    graph = next(a for a in apps if needs_graph_app_roles(a))
    other = next(a for a in apps if not needs_graph_app_roles(a))
    return graph, other


def _notice(
    qtbot: QtBot, runner: TaskRunner, session: StubSession, apps: list[AppType]
) -> ConsentAccessNotice:
    controller = TenantAccessController(runner, StubCalls(session, shipped_catalog()))
    notice = ConsentAccessNotice(controller)
    qtbot.addWidget(notice)
    notice.resize(640, 120)
    notice.show_for(TENANT, apps)
    qtbot.waitUntil(lambda: notice.access is not None, timeout=5_000)
    return notice


def test_roles_that_cannot_consent_name_what_is_needed_and_the_other_routes(
    qtbot: QtBot, runner: TaskRunner, tmp_path: Path
) -> None:
    graph, other = _apps()
    session = StubSession(frozenset({CLOUD_APPLICATION_ADMINISTRATOR}))
    notice = _notice(qtbot, runner, session, [graph, other])
    text = notice.text.text()
    assert f"Signed in as {TECHNICIAN}, with Cloud Application Administrator" in text
    assert f"You cannot grant admin consent for {graph.name}" in text
    assert "Privileged Role Administrator or Global Administrator" in text
    assert other.name not in text  # that one it can consent for
    assert OTHER_ROUTES in text
    assert not notice.connect_button.isVisible()
    assert notice.grab().save(str(tmp_path / "wizard-notice-cannot.png"))


def test_roles_that_can_consent_say_so(qtbot: QtBot, runner: TaskRunner) -> None:
    _graph, other = _apps()
    session = StubSession(frozenset({CLOUD_APPLICATION_ADMINISTRATOR}))
    notice = _notice(qtbot, runner, session, [other])
    assert notice.text.text().endswith("you can grant admin consent for this app yourself.")
    assert OTHER_ROUTES not in notice.text.text()


def test_a_tenant_not_connected_offers_connect_and_the_other_routes(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    graph, _ = _apps()
    notice = _notice(qtbot, runner, StubSession(problem=Problem.NOT_CONNECTED), [graph])
    notice.show()
    assert "not connected to contoso.onmicrosoft.com" in notice.text.text()
    assert OTHER_ROUTES in notice.text.text()
    assert notice.connect_button.isVisible()


def test_not_signed_in_offers_sign_in(qtbot: QtBot, runner: TaskRunner) -> None:
    graph, _ = _apps()
    session = StubSession(problem=Problem.NOT_SIGNED_IN)
    controller = TenantAccessController(runner, StubCalls(session, shipped_catalog()))
    notice = ConsentAccessNotice(controller)
    qtbot.addWidget(notice)
    pressed: list[bool] = []
    notice.sign_in_requested.connect(lambda: pressed.append(True))
    notice.show_for(TENANT, [graph])
    qtbot.waitUntil(lambda: notice.access is not None, timeout=5_000)
    assert "You are not signed in" in notice.text.text() and OTHER_ROUTES in notice.text.text()
    assert notice.sign_in_button.isVisible()
    notice.sign_in_button.click()
    assert pressed == [True]


def test_not_signed_in_without_a_sign_in_to_open_offers_no_button(
    qtbot: QtBot, runner: TaskRunner
) -> None:
    graph, _ = _apps()
    session = StubSession(problem=Problem.NOT_SIGNED_IN)
    controller = TenantAccessController(runner, StubCalls(session, shipped_catalog()))
    notice = ConsentAccessNotice(controller)
    qtbot.addWidget(notice)
    notice.show_for(TENANT, [graph])
    qtbot.waitUntil(lambda: notice.access is not None, timeout=5_000)
    assert "You are not signed in" in notice.text.text()
    assert notice.sign_in_button.isHidden()  # nothing listens to sign_in_requested


def test_no_tenant_or_no_app_hides_it(qtbot: QtBot, runner: TaskRunner) -> None:
    graph, _ = _apps()
    session = StubSession(frozenset({CLOUD_APPLICATION_ADMINISTRATOR}))
    notice = _notice(qtbot, runner, session, [graph])
    notice.show_for(None, [graph])
    assert notice.isHidden()
    notice.show_for(TENANT, [])
    assert notice.isHidden() and session.asked == [TENANT.tenant_id]
