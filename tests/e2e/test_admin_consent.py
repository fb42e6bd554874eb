"""Admin consent end to end: our listener, the system-browser stand-in and the sandbox over TLS."""

from __future__ import annotations

import threading

import pytest

from desktop.core.cancel import CancelToken
from desktop.core.endpoints import endpoints_for
from desktop.core.errors import CancelledError, UserError
from desktop.core.identity.admin_consent import AdminConsentResult, run_admin_consent
from tests.helpers.browser import StandInBrowser
from tests.helpers.identity_fakes import BASELINE
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e


def _consent(sb: RunningSandbox, browser: StandInBrowser, **kwargs: object) -> AdminConsentResult:
    return run_admin_consent(
        endpoints_for(),
        sb.demo.tenant_id,
        sb.demo.client_ids[BASELINE.id],
        tenant_label=sb.demo.domain,
        open_browser=browser,
        timeout=kwargs.pop("timeout", 30),  # type: ignore[arg-type]
        **kwargs,  # type: ignore[arg-type]
    )


def test_accept_grants_consent_in_the_requested_tenant(sandbox: RunningSandbox) -> None:
    browser = StandInBrowser(sandbox.sandbox.ca_path)
    result = _consent(sandbox, browser)
    assert result.tenant_id == sandbox.demo.tenant_id
    assert result.scope.endswith("/.default")
    # The URL went to the authority host's adminconsent endpoint with our loopback redirect.
    url = browser.visited[0]
    assert url.startswith(
        f"{sandbox.sandbox.authority_host}/{sandbox.demo.tenant_id}/v2.0/adminconsent?"
    )
    assert "redirect_uri=http%3A%2F%2Flocalhost%3A" in url and "%2Fconsent" in url
    assert browser.last_response is not None and browser.last_response.status_code == 200
    assert "close this tab" in browser.last_response.text
    roles = sandbox.sandbox.directory.granted_roles(
        sandbox.demo.tenant_id,
        sandbox.demo.client_ids[BASELINE.id],
        "00000003-0000-0000-c000-000000000000",
    )
    assert "Group.ReadWrite.All" in roles


def test_cancel_is_declined_with_a_plain_message(sandbox: RunningSandbox) -> None:
    browser = StandInBrowser(sandbox.sandbox.ca_path, decision="cancel")
    with pytest.raises(UserError) as caught:
        _consent(sandbox, browser)
    assert "declined" in caught.value.message
    assert "65004" in caught.value.detail
    assert browser.last_response is not None and "not granted" in browser.last_response.text


def test_account_from_another_tenant_ends_on_the_sign_in_page(sandbox: RunningSandbox) -> None:
    # Microsoft shows a sign-in failure on its own page and never redirects it to the app:
    # the wait ends only when the technician cancels.
    token = CancelToken()
    browser = StandInBrowser(
        sandbox.sandbox.ca_path, upn=sandbox.demo.other_admin, on_done=token.cancel
    )
    with pytest.raises(CancelledError):
        _consent(sandbox, browser, cancel=token)
    page = browser.last_response
    assert page is not None and page.status_code == 400
    assert "AADSTS50020" in page.text
    assert page.url.startswith(sandbox.sandbox.pages_url)
    assert sandbox.sandbox.pages.consents_granted == 0


def test_non_admin_gets_a_remedy_naming_admin_roles(sandbox: RunningSandbox) -> None:
    browser = StandInBrowser(sandbox.sandbox.ca_path, upn=sandbox.demo.user)
    with pytest.raises(UserError) as caught:
        _consent(sandbox, browser)
    assert "Administrator" in caught.value.remedy


def test_error_together_with_admin_consent_true_is_an_error(sandbox: RunningSandbox) -> None:
    sandbox.scenario.set_consent_error(650056)
    browser = StandInBrowser(sandbox.sandbox.ca_path)
    with pytest.raises(UserError) as caught:
        _consent(sandbox, browser)
    assert "650056" in caught.value.detail
    assert browser.last_response is not None
    visited_redirect = browser.last_response.url
    assert "admin_consent=True" in visited_redirect and "error=" in visited_redirect


def test_success_naming_another_tenant_is_refused(sandbox: RunningSandbox) -> None:
    sandbox.scenario.set_reply_tenant(sandbox.demo.other_tenant_id)
    browser = StandInBrowser(sandbox.sandbox.ca_path)
    with pytest.raises(UserError) as caught:
        _consent(sandbox, browser)
    assert "different tenant" in caught.value.message
    assert sandbox.demo.other_tenant_id in caught.value.message


def test_timeout_when_nobody_answers(sandbox: RunningSandbox) -> None:
    browser = StandInBrowser(sandbox.sandbox.ca_path, decision=None)
    with pytest.raises(UserError) as caught:
        _consent(sandbox, browser, timeout=0.5)
    assert "No answer came from the browser" in caught.value.message


def test_cancel_token_stops_the_wait(sandbox: RunningSandbox) -> None:
    token = CancelToken()
    browser = StandInBrowser(sandbox.sandbox.ca_path, decision=None)
    timer = threading.Timer(0.3, token.cancel)
    timer.start()
    try:
        with pytest.raises(CancelledError):
            _consent(sandbox, browser, timeout=30, cancel=token)
    finally:
        timer.cancel()
