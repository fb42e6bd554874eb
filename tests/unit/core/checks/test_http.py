"""The checks' HTTP client counts the requests it sends on every thread; a cached answer is
not a request."""

from __future__ import annotations

import threading

from desktop.core.checks.http import CheckHttpClient
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
