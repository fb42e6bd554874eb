"""Redirect URIs match as Entra ID matches them: scheme, host and path; any port on localhost."""

from __future__ import annotations

import pytest

from desktop.sandbox.registrations import PUBLIC, WEB, matches, platform_of


@pytest.mark.parametrize(
    ("registered", "requested"),
    [
        ("http://localhost", "http://localhost:53124"),
        ("http://localhost/consent", "http://localhost:1234/consent"),
        ("http://localhost/consent", "http://LOCALHOST:1234/consent/"),
        ("http://127.0.0.1/cb", "http://127.0.0.1:9/cb"),
        ("https://app.contoso.com/signin", "https://app.contoso.com/signin"),
    ],
)
def test_these_match(registered: str, requested: str) -> None:
    assert matches(registered, requested)


@pytest.mark.parametrize(
    ("registered", "requested"),
    [
        ("http://localhost", "http://localhost:1234/consent"),  # another path
        ("http://localhost/consent", "http://localhost:1234"),
        ("http://localhost", "http://127.0.0.1:1234"),  # another host
        ("http://localhost", "https://localhost:1234"),  # another scheme
        ("https://app.contoso.com:8443/cb", "https://app.contoso.com:9443/cb"),  # port counts
        ("http://app.contoso.com/cb", "http://app.contoso.com/cb"),  # http only on localhost
        ("http://localhost", "http://[::1]:1234"),
        ("http://localhost", ""),
    ],
)
def test_these_do_not(registered: str, requested: str) -> None:
    assert not matches(registered, requested)


def test_the_platform_decides_public_or_confidential() -> None:
    web, public = ["http://localhost/consent"], ["http://localhost"]
    assert platform_of(web, public, "http://localhost:5/consent") == WEB
    assert platform_of(web, public, "http://localhost:5") == PUBLIC
    assert platform_of(web, [], "http://localhost:5") is None
