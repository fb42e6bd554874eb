"""Admin consent with Debian's chromium (headless) as the real system browser."""

from __future__ import annotations

import webbrowser
from pathlib import Path

import pytest

from desktop.core.endpoints import endpoints_for
from desktop.core.identity.admin_consent import run_admin_consent
from desktop.core.identity.browser import open_system_browser
from tests.helpers.chromium import chromium_path, stop_started_browsers, write_wrapper
from tests.helpers.identity_fakes import BASELINE
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e


def test_admin_consent_in_headless_chromium(
    sandbox: RunningSandbox, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if chromium_path() is None:
        pytest.skip("chromium is not installed on this machine (.ci/run installs it)")
    folder = tmp_path / "browser"
    monkeypatch.setenv("BROWSER", str(write_wrapper(folder)))
    monkeypatch.setattr(webbrowser, "_tryorder", None)  # re-read BROWSER
    monkeypatch.setattr(webbrowser, "_browsers", {})
    sandbox.scenario.set_auto_accept(True)
    try:
        result = run_admin_consent(
            endpoints_for(),
            sandbox.demo.tenant_id,
            sandbox.demo.client_ids[BASELINE.id],
            open_browser=open_system_browser,
            timeout=60,
        )
    finally:
        stop_started_browsers(folder)
    assert result.tenant_id == sandbox.demo.tenant_id
    assert sandbox.sandbox.pages.consents_granted == 1
