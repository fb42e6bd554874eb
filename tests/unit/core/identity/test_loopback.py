"""The loopback listener's handling of good and bad browser requests."""

from __future__ import annotations

import socket
import threading

import pytest
import requests

from desktop.core.cancel import CancelToken
from desktop.core.errors import CancelledError, UserError
from desktop.core.identity.admin_consent import AdminConsentResult, interpret_answer
from desktop.core.identity.loopback import LoopbackListener, is_loopback

TENANT = "6f2a1d8e-0b1c-4c55-9e7a-3b9d2c4e5f01"


def _listener() -> LoopbackListener:
    return LoopbackListener(
        "/consent", "s3cret", lambda p: interpret_answer(p, TENANT, "contoso.onmicrosoft.com")
    )


def _get(listener: LoopbackListener, path: str, **params: str) -> requests.Response:
    return requests.get(f"http://127.0.0.1:{listener.port}{path}", params=params, timeout=5)


def test_redirect_uri_is_localhost_with_the_consent_path() -> None:
    with _listener() as listener:
        assert listener.redirect_uri == f"http://localhost:{listener.port}/consent"


def test_success_after_ignoring_favicon_strays_and_wrong_state() -> None:
    listener = _listener()
    assert _get(listener, "/favicon.ico").status_code == 404
    assert _get(listener, "/other", state="s3cret").status_code == 404
    assert _get(listener, "/consent", admin_consent="True", tenant=TENANT).status_code == 400
    assert (
        _get(listener, "/consent", admin_consent="True", tenant=TENANT, state="wrong").status_code
        == 400
    )
    good = _get(
        listener,
        "/consent",
        admin_consent="True",
        tenant=TENANT,
        state="s3cret",
        scope="https://graph.microsoft.com/.default",
    )
    assert good.status_code == 200 and "close this tab" in good.text
    result = listener.wait(5)
    assert result == AdminConsentResult(TENANT, "https://graph.microsoft.com/.default")
    assert listener.stray_requests == 4


def test_second_request_is_not_processed() -> None:
    listener = _listener()
    port = listener.port
    first = _get(
        listener,
        "/consent",
        error="access_denied",
        state="s3cret",
        error_description="AADSTS65004: User declined",
        admin_consent="True",
    )
    assert first.status_code == 400
    with pytest.raises(UserError, match="declined"):
        listener.wait(5)
    # The listener is closed after the first answer: a second request finds nobody.
    with pytest.raises(requests.ConnectionError):
        requests.get(
            f"http://127.0.0.1:{port}/consent",
            params={"state": "s3cret", "admin_consent": "True", "tenant": TENANT},
            timeout=5,
        )


def test_second_request_before_close_gets_already_answered() -> None:
    with _listener() as listener:
        _get(listener, "/consent", admin_consent="True", tenant=TENANT, state="s3cret")
        again = _get(listener, "/consent", admin_consent="True", tenant=TENANT, state="s3cret")
        assert again.status_code == 409


def test_missing_parameters_end_with_a_clear_error() -> None:
    listener = _listener()
    _get(listener, "/consent", state="s3cret")
    with pytest.raises(UserError, match="incomplete"):
        listener.wait(5)


def test_error_is_checked_before_admin_consent() -> None:
    listener = _listener()
    _get(
        listener,
        "/consent",
        state="s3cret",
        admin_consent="True",
        tenant=TENANT,
        error="access_denied",
        error_description="AADSTS50020: User account from other tenant",
    )
    with pytest.raises(UserError, match="another organization"):
        listener.wait(5)


def test_other_tenant_in_a_success_is_refused() -> None:
    listener = _listener()
    _get(
        listener,
        "/consent",
        state="s3cret",
        admin_consent="True",
        tenant="9b8c7d6e-5f4a-4b3c-8d2e-1f0a9b8c7d6e",
    )
    with pytest.raises(UserError, match="different tenant"):
        listener.wait(5)


def test_form_post_answers_are_accepted() -> None:
    listener = _listener()
    response = requests.post(
        f"http://127.0.0.1:{listener.port}/consent",
        data={"state": "s3cret", "admin_consent": "True", "tenant": TENANT},
        timeout=5,
    )
    assert response.status_code == 200
    assert isinstance(listener.wait(5), AdminConsentResult)


def test_timeout_closes_the_listener() -> None:
    listener = _listener()
    port = listener.port
    with pytest.raises(UserError, match=r"No answer came from the browser within 0\.2 seconds"):
        listener.wait(0.2)
    with socket.socket() as probe, pytest.raises(OSError):
        probe.settimeout(2)
        probe.connect(("127.0.0.1", port))


def test_cancel_raises_and_closes() -> None:
    listener = _listener()
    token = CancelToken()
    threading.Timer(0.2, token.cancel).start()
    with pytest.raises(CancelledError):
        listener.wait(30, token)
    assert listener._closed


def test_non_loopback_peers_are_refused() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1")
    assert not is_loopback("192.0.2.7") and not is_loopback("localhost-ish")
    with _listener() as listener:
        server = listener._server
        assert server.verify_request(None, ("192.0.2.7", 51000)) is False
        assert server.verify_request(None, ("127.0.0.1", 51000)) is True


def _non_loopback_address() -> str | None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.1", 9))  # no packet is sent for UDP connect
            address = str(probe.getsockname()[0])
        except OSError:
            return None
    return None if is_loopback(address) else address


def test_a_real_request_from_a_non_loopback_address_gets_no_answer() -> None:
    address = _non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback IPv4 address to send from")
    listener = LoopbackListener(
        "/consent", "s3cret", lambda p: interpret_answer(p, TENANT, "x"), host="0.0.0.0"
    )
    try:
        with pytest.raises(requests.ConnectionError):
            requests.get(
                f"http://{address}:{listener.port}/consent",
                params={"state": "s3cret", "admin_consent": "True", "tenant": TENANT},
                timeout=5,
            )
        assert not listener._answered.is_set()
    finally:
        listener.close()
