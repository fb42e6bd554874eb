"""The consent link handed to a customer's admin: where it sends them after they accept."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from desktop.core.catalog.loader import load_shipped
from desktop.core.catalog.model import ConsentMethod, SetupMode
from desktop.core.domain import Customer, Tenant
from desktop.core.errors import UserError
from desktop.core.identity.consent import LOCAL_CONSENT_REDIRECT, ConsentPlan, consent_link

TENANT = "8f0c2f39-7d5e-4c1f-9a7b-2d1e0c3b4a59"
CLIENT = "11111111-2222-4333-8444-555555555555"


def plan(mode: SetupMode = SetupMode.MODERN) -> ConsentPlan:
    catalog = load_shipped()
    return ConsentPlan(
        Customer("Contoso", id=1),
        Tenant(TENANT, 1, primary_domain="contoso.onmicrosoft.com"),
        (catalog.service("baseline-management"),),
        catalog.app_type("apelements-baseline-management"),
        mode,
        ConsentMethod.ADMIN,
        CLIENT,
    )


def redirect_of(link: str) -> str:
    return parse_qs(urlsplit(link).query)["redirect_uri"][0]


def test_without_a_landing_page_the_link_answers_to_localhost() -> None:
    link = consent_link(plan())
    assert redirect_of(link) == LOCAL_CONSENT_REDIRECT == "http://localhost/consent"
    query = parse_qs(urlsplit(link).query)
    assert query["client_id"] == [CLIENT] and query["state"] == ["link"]
    assert urlsplit(link).path == f"/{TENANT}/v2.0/adminconsent"


def test_the_organizations_landing_page_is_used_for_publisher_apps() -> None:
    landing = "https://msp.example.net/consent-done"
    assert redirect_of(consent_link(plan(), landing)) == landing
    # A custom app registers only the local address (the Setup step tells them so).
    assert redirect_of(consent_link(plan(SetupMode.CUSTOM), landing)) == LOCAL_CONSENT_REDIRECT


@pytest.mark.parametrize("landing", ["http://msp.example.net/done", "ftp://x", "https://"])
def test_a_landing_page_that_microsoft_would_refuse_is_a_clear_error(landing: str) -> None:
    with pytest.raises(UserError, match="not an https address") as caught:
        consent_link(plan(), landing)
    assert "consent_link_redirect_uri" in caught.value.remedy
