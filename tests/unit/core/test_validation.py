"""Tenant ID and domain syntax."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


# Every line break Python's ``$`` or ``str.splitlines`` knows; none may pass around a value.
LINE_BREAKS = st.sampled_from(["\n", "\r", "\r\n", "\v", "\f", "\x1c", "\x1d", "\x1e", "\x85",
                               "\u2028", "\u2029"])  # fmt: skip
BOUNDED = settings(derandomize=True, max_examples=200, deadline=None, database=None)


@BOUNDED
@given(st.uuids(), LINE_BREAKS, st.booleans(), st.booleans(), st.booleans())
def test_a_guid_with_a_line_break_is_refused(
    guid: uuid.UUID, brk: str, before: bool, upper: bool, braces: bool
) -> None:
    text = str(guid).upper() if upper else str(guid)
    text = f"{{{text}}}" if braces else text
    assert normalise_tenant_id(f"  {text} ") == str(guid)  # spaces, case and braces: normalised
    bad = brk + text if before else text + brk
    assert not is_guid(bad)
    with pytest.raises(UserError, match="not a tenant ID") as caught:
        normalise_tenant_id(bad)
    assert "\n" not in caught.value.one_line()


@BOUNDED
@given(
    st.lists(st.from_regex(r"[a-z0-9]{1,12}", fullmatch=True), min_size=1, max_size=3),
    st.sampled_from(["com", "onmicrosoft.com", "co.uk"]),
    LINE_BREAKS,
    st.integers(min_value=0, max_value=2),
)
def test_a_domain_with_a_line_break_is_refused(
    labels: list[str], suffix: str, brk: str, where: int
) -> None:
    domain = ".".join([*labels, suffix])
    assert normalise_domain(domain) == domain
    bad = [brk + domain, domain + brk, domain + brk + "."][where]
    assert not is_domain(bad)
    with pytest.raises(UserError, match="not a domain name") as caught:
        normalise_domain(bad)
    assert "\n" not in caught.value.one_line()
