"""The Consent step's notice over a real partner sign-in (sandbox): a customer tenant the
sign-in app is not connected in says so, with the classified reason (AADSTS90099) and the
Connect this tenant button, not "you are not signed in"."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from desktop.controllers.tasks import TaskRunner
from desktop.controllers.tenant_access import TenantAccessController
from desktop.core.catalog.loader import load_shipped
from desktop.core.domain import Tenant
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession
from tests.helpers.browser import StandInBrowser
from tests.helpers.gdap_fakes import StubCalls
from tests.helpers.sandbox import RunningSandbox

from desktop.ui.consent_access_notice import OTHER_ROUTES, ConsentAccessNotice

pytestmark = pytest.mark.e2e


def test_an_unconnected_tenant_says_connect_with_the_button(
    qtbot: QtBot, sandbox: RunningSandbox, tmp_path: Path
) -> None:
    demo = sandbox.demo
    session = TechnicianSession(
        demo.sign_in_client_id,
        MemoryTokenCacheStore(),
        open_browser=StandInBrowser(sandbox.sandbox.ca_path),
    )
    session.sign_in(endpoints_for(), demo.partner_domain, login_hint=demo.technician, timeout=30)
    catalog = load_shipped()
    runner = TaskRunner()
    controller = TenantAccessController(runner, StubCalls(session, catalog))  # type: ignore[arg-type]
    notice = ConsentAccessNotice(controller)
    qtbot.addWidget(notice)
    notice.sign_in_requested.connect(lambda: None)
    try:
        notice.show_for(
            Tenant(demo.tenant_id, 1, primary_domain=demo.domain), catalog.app_types[:1]
        )
        qtbot.waitUntil(lambda: notice.access is not None, timeout=30_000)
        text = notice.text.text()
        assert f"not connected to {demo.domain}" in text and "AADSTS90099" in text, text
        assert "not signed in" not in text and OTHER_ROUTES in text
        assert not notice.connect_button.isHidden()
        assert notice.sign_in_button.isHidden()
        notice.resize(760, 160)
        notice.show()
        assert notice.grab().save(str(tmp_path / "notice-not-connected.png"))
    finally:
        runner.wait_for_done(5_000)
