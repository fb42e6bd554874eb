"""Tenant ID and domain syntax."""

from __future__ import annotations

import pytest

from desktop.core.errors import UserError
from desktop.core.validation import is_domain, is_guid, normalise_domain, normalise_tenant_id


@pytest.mark.parametrize(
    "text",
    ["72f988bf-86f1-41af-91ab-2d7cd011db47", "{72F988BF-86F1-41AF-91AB-2D7CD011DB47}"],
)
def test_guids(text: str) -> None:
    assert is_guid(text)
    assert normalise_tenant_id(text) == "72f988bf-86f1-41af-91ab-2d7cd011db47"


@pytest.mark.parametrize("text", ["", "72f988bf", "72f988bf-86f1-41af-91ab-2d7cd011db4z", "x" * 36])
def test_not_guids(text: str) -> None:
    assert not is_guid(text)
    with pytest.raises(UserError, match="not a tenant ID"):
        normalise_tenant_id(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Contoso.onmicrosoft.com", "contoso.onmicrosoft.com"),
        ("fabrikam.co.uk.", "fabrikam.co.uk"),
        ("my-org.xn--p1ai", "my-org.xn--p1ai"),
    ],
)
def test_domains(text: str, expected: str) -> None:
    assert normalise_domain(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "contoso",
        "-bad.com",
        "bad-.com",
        "a..com",
        "con toso.com",
        "x.c",
        "a." + "b" * 64 + ".com",
        "1.2.3.4",
    ],
)
def test_not_domains(text: str) -> None:
    assert not is_domain(text)
