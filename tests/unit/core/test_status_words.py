"""Verification after consent and the status checks give the same status and words for the
same situation: an app whose permissions the catalog does not list, an app missing from the
tenant, and a profile whose consent was deferred and never given."""

from __future__ import annotations

import dataclasses
from typing import cast

import pytest

from desktop.core.catalog.model import Catalog
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.gateway import Grants, TokenError
from desktop.core.checks.result import CheckResult
from desktop.core.checks.status_rules import Action
from desktop.core.domain import Status
from desktop.core.identity.graph import GraphClient
from desktop.core.identity.verify import Verification, verify_delegated_token, verify_with_graph
from desktop.core.status_words import (
    CONSENT_GONE_REASON,
    CONSENT_GONE_REMEDY,
    NOT_CONSENTED_REASON,
    NOT_CONSENTED_REMEDY,
    never_consented,
    uncompared_warning,
)
from tests.helpers.check_fakes import FakeCredentials, ScriptedGateway, profile, small_catalog
from tests.helpers.identity_fakes import FakeGraph, unsigned_jwt

CLIENT = "11111111-1111-1111-1111-111111111111"  # the hybrid app's client ID in small_catalog


def _unlisted_catalog() -> Catalog:
    """small_catalog with every app type's permissions left out (as for the AOS apps)."""
    cat = small_catalog()
    apps = tuple(dataclasses.replace(a, permissions=(), directory_roles=()) for a in cat.app_types)
    return dataclasses.replace(cat, app_types=apps)


def _check(
    catalog: Catalog, gateway: ScriptedGateway, app_type_id: str, **kw: object
) -> CheckResult:
    checker = ProfileChecker(catalog, gateway, FakeCredentials())
    return checker.check(profile(app_type_id, **kw))


def _assert_valid_with_the_warning(found: CheckResult | Verification, app_name: str) -> None:
    """Valid (the check ran), never Unknown; and never Valid without the warning."""
    assert found.status is Status.VALID, found
    assert found.warning == uncompared_warning(app_name), found
    assert found.reason == found.warning  # the list's Reason column shows it


def test_publisher_app_with_nothing_listed_reads_the_same_on_both_paths() -> None:
    catalog = _unlisted_catalog()
    app = catalog.app_type("hybrid-app")
    verified = verify_with_graph(
        app, CLIENT, cast(GraphClient, FakeGraph([{"id": "sp", "appId": CLIENT}]))
    )
    checked = _check(catalog, ScriptedGateway(grants=Grants(True)), "hybrid-app")
    _assert_valid_with_the_warning(verified, app.name)
    _assert_valid_with_the_warning(checked, app.name)
    assert (verified.status, verified.reason) == (checked.status, checked.reason)


def test_delegated_app_with_nothing_listed_reads_the_same_on_both_paths() -> None:
    catalog = _unlisted_catalog()
    app = catalog.app_type("delegated-app")
    verified = verify_delegated_token(app, unsigned_jwt({"scp": "User.Read"}))
    gateway = ScriptedGateway(grants=None, user={"scp": "User.Read"})
    checked = _check(catalog, gateway, "delegated-app", consenting_user="ann@contoso.com")
    _assert_valid_with_the_warning(verified, app.name)
    _assert_valid_with_the_warning(checked, app.name)


def test_custom_app_with_nothing_listed_is_valid_with_the_warning_in_the_check() -> None:
    # The verification side of custom mode needs a real token: tests/e2e/test_consent_engine.
    catalog = _unlisted_catalog()
    checked = _check(catalog, ScriptedGateway(app={}), "custom-azure-app")
    _assert_valid_with_the_warning(checked, "Custom Azure app")
    assert checked.to_json()["warning"] == checked.warning
    assert checked.to_json()["status"] == "Valid"


def test_the_warning_comes_first_next_to_a_certificate_expiry_warning() -> None:
    from datetime import timedelta

    from desktop.core.domain import utc_now

    checker = ProfileChecker(
        _unlisted_catalog(),
        ScriptedGateway(app={}),
        FakeCredentials(not_after=utc_now() + timedelta(days=5)),
    )
    result = checker.check(profile())
    assert result.status is Status.VALID
    assert result.warning.startswith(uncompared_warning("Custom Azure app"))
    assert "The certificate expires in" in result.warning
    assert result.reason == result.warning


def test_an_app_missing_from_the_tenant_is_invalid_in_the_same_words() -> None:
    catalog = _unlisted_catalog()
    app = catalog.app_type("hybrid-app")
    verified = verify_with_graph(app, CLIENT, cast(GraphClient, FakeGraph([])))
    checked = _check(catalog, ScriptedGateway(grants=Grants(False)), "hybrid-app")
    for found in (verified, checked):
        assert found.status is Status.INVALID
        assert (found.reason, found.remedy) == (CONSENT_GONE_REASON, CONSENT_GONE_REMEDY)
        assert not found.warning


@pytest.mark.parametrize(
    ("gateway", "app_type_id"),
    [
        (ScriptedGateway(grants=Grants(False)), "hybrid-app"),
        (ScriptedGateway(app=TokenError("unauthorized_client", (7000229,))), "custom-azure-app"),
        (ScriptedGateway(app=TokenError("invalid_client", (700016,))), "custom-azure-app"),
        (ScriptedGateway(app=TokenError("invalid_grant", (65001,))), "custom-azure-app"),
        (ScriptedGateway(app={}), "custom-azure-app"),  # a token, but nothing granted
    ],
)
def test_a_deferred_profile_reads_not_consented_yet(
    gateway: ScriptedGateway, app_type_id: str
) -> None:
    checker = ProfileChecker(small_catalog(), gateway, FakeCredentials())
    deferred = checker.check(profile(app_type_id, consented_at=None))
    assert deferred.status is Status.INVALID
    assert deferred.reason == NOT_CONSENTED_REASON
    assert deferred.remedy == NOT_CONSENTED_REMEDY
    assert "Re-authorize on request" in deferred.remedy and "Ctrl+Shift+R" in deferred.remedy
    assert deferred.action is Action.REAUTHORIZE
    assert "deleted" not in deferred.reason and "revoked" not in deferred.reason
    # The same answer for a profile that was consented: the consent is gone, not deferred.
    consented = checker.check(profile(app_type_id))
    assert consented.status is Status.INVALID
    assert consented.reason != NOT_CONSENTED_REASON


def test_a_deferred_profile_with_some_permissions_granted_lists_what_is_missing() -> None:
    gateway = ScriptedGateway(app={"roles": ["User.Read.All"]})
    checker = ProfileChecker(small_catalog(), gateway, FakeCredentials())
    result = checker.check(profile(consented_at=None))
    assert result.status is Status.INVALID
    assert result.missing_permissions == ("Sites.Read.All",)


def test_a_deferred_profile_whose_consent_arrived_is_valid() -> None:
    checker = ProfileChecker(small_catalog(), ScriptedGateway(), FakeCredentials())
    assert checker.check(profile(consented_at=None)).status is Status.VALID


def test_never_consented_is_the_missing_consent_time() -> None:
    from desktop.core.domain import utc_now

    assert never_consented(None)
    assert not never_consented(utc_now())
