"""The checks' HTTP client counts the requests it sends on every thread; a cached answer is
not a request."""

from __future__ import annotations

import threading

import pytest
import requests

from desktop.core.checks.http import CheckHttpClient
from desktop.core.deadline import deadline_for
from desktop.sandbox.demo import CONTOSO_ID
from tests.helpers.sandbox import RunningSandbox


def test_requests_are_counted_across_threads_but_cached_discovery_is_not(
    sandbox: RunningSandbox,
) -> None:
    base = sandbox.sandbox.authority_host
    discovery = f"{base}/{CONTOSO_ID}/v2.0/.well-known/openid-configuration"
    client = CheckHttpClient()
    assert client.request_count == 0
    client.get(discovery)
    client.get(discovery)  # kept from the first answer: nothing sent
    client.post(f"{base}/{CONTOSO_ID}/oauth2/v2.0/token", data={})
    other = threading.Thread(target=lambda: client.session.get(f"{base}/v1.0/organization"))
    other.start()
    other.join()
    assert client.request_count == 3
    assert sandbox.sandbox.traffic.counts()["total"] == 3


def test_requests_keep_to_the_commands_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    # The technician's token requests of a run go through this client (not MSAL's bounded
    # one), so the CLI's --timeout must bound them here.
    asked: list[object] = []

    def fake_post(self: requests.Session, url: str, **kwargs: object) -> requests.Response:
        asked.append(kwargs["timeout"])
        response = requests.Response()
        response.status_code = 200
        return response

    monkeypatch.setattr(requests.Session, "post", fake_post)
    client = CheckHttpClient()
    client.post("https://login.example/token")
    with deadline_for(2.0):
        client.post("https://login.example/token")
    unbounded, bounded = asked
    assert unbounded == (10.0, 30.0)
    assert isinstance(bounded, tuple) and all(0 < part <= 2.0 for part in bounded)


def test_the_environment_is_read_once_per_host_and_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/first/ca.pem")
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    session = CheckHttpClient().session
    first = session.merge_environment_settings("https://graph.microsoft.com/v1.0/$batch", {},
                                               None, None, None)  # fmt: skip
    assert first["verify"] == "/first/ca.pem"
    assert first["proxies"]["https"] == "http://proxy.example:3128"
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/second/ca.pem")
    again = session.merge_environment_settings("https://graph.microsoft.com/v1.0/users", {},
                                               None, None, None)  # fmt: skip
    assert again == first  # same host: not read again
    again["verify"] = "changed by the caller"
    other = session.merge_environment_settings("https://login.microsoftonline.com/x", {},
                                               None, None, None)  # fmt: skip
    assert other["verify"] == "/second/ca.pem"  # another host is worked out on its own
    explicit = session.merge_environment_settings("https://graph.microsoft.com/", {},
                                                  None, "/mine.pem", None)  # fmt: skip
    assert explicit["verify"] == "/mine.pem"
    assert (
        session.merge_environment_settings(
            "https://graph.microsoft.com/v1.0/x", {}, None, None, None
        )["verify"]
        == "/first/ca.pem"
    )  # a caller's change to its copy is not kept
