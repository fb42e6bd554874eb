"""Verification after consent and the status checks give the same status and words for the
same situation: an app whose permissions the catalog does not list, an app missing from the
tenant, a profile whose consent was deferred and never given, permissions of APIs other than
Microsoft Graph, and a token error after consent."""

from __future__ import annotations

import dataclasses
from typing import cast

import pytest

from desktop.core.catalog.model import Catalog, Permission, PermissionType
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.gateway import Grants, TokenError
from desktop.core.checks.result import CheckResult
from desktop.core.checks.status_rules import Action
from desktop.core.domain import Status
from desktop.core.identity.graph import GraphClient
from desktop.core.identity.resources import GRAPH_APP_ID, resource_app_id
from desktop.core.identity.verify import (
    CertificateMismatchError,
    Verification,
    from_token_error,
    verify_delegated_token,
    verify_with_graph,
)
from desktop.core.status_words import (
    CONSENT_GONE_REASON,
    CONSENT_GONE_REMEDY,
    MISSING_PERMISSIONS_REMEDY,
    MISSING_PERMISSIONS_REMEDY_CUSTOM,
    NOT_CONSENTED_REASON,
    NOT_CONSENTED_REMEDY,
    baseline_recorded_reason,
    missing_permissions_reason,
    never_consented,
    uncompared_apis_warning,
    uncompared_warning,
)
from tests.helpers.check_fakes import FakeCredentials, ScriptedGateway, profile, small_catalog
from tests.helpers.identity_fakes import FakeGraph

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
    verified = verify_delegated_token(app, ["User.Read"])
    # What the consent granted becomes the baseline; checks compare against it.
    assert verified.status is Status.VALID and not verified.warning
    assert verified.reason == baseline_recorded_reason(1)
    assert verified.baseline == (f"Delegated:{GRAPH_APP_ID}:User.Read",)
    gateway = ScriptedGateway(grants=None, user={"scp": "User.Read"})
    kw = {"consenting_user": "ann@contoso.com", "baseline": verified.baseline}
    checked = _check(catalog, gateway, "delegated-app", **kw)
    assert checked.status is Status.VALID
    assert checked.reason == "The one permission granted at consent is still granted."
    # A profile from before baselines were kept: nothing to compare, and it says so.
    _assert_valid_with_the_warning(
        _check(catalog, gateway, "delegated-app", consenting_user="ann@contoso.com"), app.name
    )
    # An empty token: nothing granted, nothing to record, and it says so.
    _assert_valid_with_the_warning(verify_delegated_token(app, []), app.name)


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
        # tokens, but nothing granted
        (ScriptedGateway(app={}, app_by_resource={}), "custom-azure-app"),
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


# -- permissions of APIs other than Microsoft Graph -------------------------------------------
SHAREPOINT = resource_app_id("SharePoint") or ""
UNKNOWN_API = "Contoso Backup API"  # no known application ID: neither path can tell it apart


def _with_other_apis(app_type_id: str, *extra: Permission) -> Catalog:
    """small_catalog with *extra* permissions added to one app type."""
    cat = small_catalog()
    apps = tuple(
        dataclasses.replace(a, permissions=(*a.permissions, *extra)) if a.id == app_type_id else a
        for a in cat.app_types
    )
    return dataclasses.replace(cat, app_types=apps)


def _tenant(granted: list[tuple[str, str, PermissionType]]) -> tuple[FakeGraph, Grants]:
    """The same tenant as Graph shows it to verification and to the checks: *granted* holds
    (resource application ID, permission value, type) for the hybrid app."""
    sps: list[dict[str, object]] = [{"id": "sp-ours", "appId": CLIENT}]
    assignments: list[dict[str, object]] = []
    grants: list[dict[str, object]] = []
    for n, (api_id, name, type_) in enumerate(granted):
        sps.append(
            {
                "id": f"sp-{n}",
                "appId": api_id,
                "appRoles": [{"id": f"role-{n}", "value": name}],
            }
        )
        if type_ is PermissionType.APPLICATION:
            assignments.append({"resourceId": f"sp-{n}", "appRoleId": f"role-{n}"})
        else:
            grants.append(
                {
                    "clientId": "sp-ours",
                    "resourceId": f"sp-{n}",
                    "scope": name,
                    "consentType": "AllPrincipals",
                }
            )
    graph = FakeGraph(sps, {"sp-ours": assignments}, grants)
    app_pairs = frozenset((a, n) for a, n, t in granted if t is PermissionType.APPLICATION)
    del_pairs = frozenset((a, n) for a, n, t in granted if t is PermissionType.DELEGATED)
    return graph, Grants(
        True,
        frozenset(n for _, n in app_pairs),
        frozenset(n for _, n in del_pairs),
        frozenset({"Exchange Administrator"}),
        app_pairs,
        del_pairs,
    )


_APP, _DEL = PermissionType.APPLICATION, PermissionType.DELEGATED
_HYBRID_GRANTED = [
    (GRAPH_APP_ID, "User.Read.All", _APP),
    (GRAPH_APP_ID, "Sites.Read.All", _APP),
    (SHAREPOINT, "Sites.FullControl.All", _APP),
    (GRAPH_APP_ID, "Files.Read", _DEL),
]


def _both_publisher(
    catalog: Catalog, granted: list[tuple[str, str, PermissionType]]
) -> tuple[Verification, CheckResult]:
    graph, grants = _tenant(granted)
    app = catalog.app_type("hybrid-app")
    verified = verify_with_graph(app, CLIENT, cast(GraphClient, graph))
    checked = _check(catalog, ScriptedGateway(grants=grants), "hybrid-app")
    return verified, checked


def test_a_publisher_app_compares_sharepoint_on_both_paths_and_names_what_it_cannot() -> None:
    catalog = _with_other_apis("hybrid-app", Permission(UNKNOWN_API, "Backup.Run", "", _APP))
    verified, checked = _both_publisher(catalog, _HYBRID_GRANTED)
    warning = uncompared_apis_warning([(UNKNOWN_API, "Backup.Run")])
    assert warning.startswith(f"Permissions of {UNKNOWN_API} were not compared (1 permission)")
    for found in (verified, checked):
        assert found.status is Status.VALID, found
        assert found.warning == warning
        assert found.reason == f"All 4 required permissions are granted. {warning}"


def test_a_publisher_app_missing_a_sharepoint_permission_is_invalid_in_the_same_words() -> None:
    catalog = _with_other_apis("hybrid-app", Permission(UNKNOWN_API, "Backup.Run", "", _APP))
    granted = [g for g in _HYBRID_GRANTED if g[0] != SHAREPOINT]
    verified, checked = _both_publisher(catalog, granted)
    for found in (verified, checked):
        assert found.status is Status.INVALID, found
        assert found.reason == missing_permissions_reason(["SharePoint: Sites.FullControl.All"])
        assert found.remedy == MISSING_PERMISSIONS_REMEDY
        assert found.warning == uncompared_apis_warning([(UNKNOWN_API, "Backup.Run")])
    assert checked.missing_permissions == ("SharePoint: Sites.FullControl.All",)
    assert verified.missing == ("SharePoint: Sites.FullControl.All (Application)",)


def test_a_graph_permission_of_the_same_name_does_not_stand_in_for_sharepoints() -> None:
    granted = [g for g in _HYBRID_GRANTED if g[0] != SHAREPOINT]
    granted.append((GRAPH_APP_ID, "Sites.FullControl.All", _APP))
    verified, checked = _both_publisher(small_catalog(), granted)
    assert verified.status is checked.status is Status.INVALID
    assert verified.reason == checked.reason


def test_grants_that_do_not_tell_apis_apart_compare_graph_and_name_the_rest() -> None:
    # A reader that knows only the names (None for the pairs) cannot tell SharePoint's apart.
    grants = Grants(True, frozenset({"User.Read.All", "Sites.Read.All"}), frozenset({"Files.Read"}))
    checked = _check(small_catalog(), ScriptedGateway(grants=grants), "hybrid-app")
    assert checked.status is Status.VALID
    assert checked.warning.startswith(
        uncompared_apis_warning([("SharePoint", "Sites.FullControl.All")])
    )


def test_a_delegated_app_with_another_apis_permission_reads_the_same_on_both_paths() -> None:
    """Verification right after consent reads the Graph token only and says the other API
    was not compared; a later check asks a token of that API too and compares it (issue:
    user-consent checks compare every API, one token per resource). Graph's verdict and
    words are the same on both paths."""
    other = Permission("PowerApps Service", "User", "", _DEL)
    catalog = _with_other_apis("delegated-app", other)
    app = catalog.app_type("delegated-app")
    warning = uncompared_apis_warning([("PowerApps Service", "User")])
    powerapps = resource_app_id("PowerApps Service")
    assert powerapps is not None
    for scp, status in (("Files.Read Tasks.Read", Status.VALID), ("Files.Read", Status.INVALID)):
        verified = verify_delegated_token(app, scp.split())
        gateway = ScriptedGateway(
            grants=None, user={"scp": scp}, user_by_resource={powerapps: {"scp": "User"}}
        )
        checked = _check(catalog, gateway, "delegated-app", consenting_user="ann@contoso.com")
        for found in (verified, checked):
            assert found.status is status, found
        assert verified.warning == warning
        assert checked.warning == ""  # compared, with a token of its own
        assert gateway.user_resources == [powerapps]
        if status is Status.VALID:  # the check counts the other API's permission too
            assert checked.reason == "All 3 required permissions are granted."
            assert "were not compared" in verified.reason
    # What is missing from Graph reads the same on both paths.
    assert (verified.reason, verified.remedy) == (checked.reason, checked.remedy)
    assert checked.reason == missing_permissions_reason(["Tasks.Read"])


def test_a_custom_app_compares_sharepoint_with_a_token_of_its_own() -> None:
    # As verification does (e2e tests): one token per API the app type lists.
    checked = _check(
        small_catalog(), ScriptedGateway(app={"roles": ["User.Read.All"]}), "custom-azure-app"
    )
    assert checked.status is Status.INVALID
    assert checked.reason == missing_permissions_reason(["Sites.Read.All"])
    assert checked.remedy == MISSING_PERMISSIONS_REMEDY_CUSTOM
    assert checked.warning == ""


# -- token errors after consent ----------------------------------------------------------------
@pytest.mark.parametrize(
    ("error", "codes"),
    [
        ("invalid_grant", (65001,)),
        ("invalid_client", (700016,)),
        ("unauthorized_client", (7000229,)),
        ("invalid_request", (500011,)),
        ("unauthorized_client", (7000112,)),
        ("invalid_client", (7000215,)),
        ("invalid_client", (7000222,)),
        ("invalid_grant", (53003,)),
        ("invalid_request", (90002,)),
        ("consent_required", ()),
        ("unauthorized_client", ()),
        ("invalid_client", ()),
    ],
)
def test_a_token_error_after_consent_reads_the_same_on_both_paths(
    error: str, codes: tuple[int, ...]
) -> None:
    catalog = small_catalog()
    description = " ".join(f"AADSTS{c}: something." for c in codes) or "refused"
    result = {"error": error, "error_codes": list(codes), "error_description": description}
    verified = from_token_error(result, catalog.app_type("custom-azure-app"))
    gateway = ScriptedGateway(app=TokenError(error, codes, description))
    checked = _check(catalog, gateway, "custom-azure-app")
    assert not checked.transient
    assert (verified.status, verified.reason, verified.remedy) == (
        checked.status,
        checked.reason,
        checked.remedy,
    )
    assert verified.status in (Status.INVALID, Status.EXPIRED)
    assert "not consented in the tenant" not in verified.reason


@pytest.mark.parametrize(
    ("error", "codes"),
    [
        ("temporarily_unavailable", (90055,)),
        ("invalid_request", (50196,)),
        ("server_error", (50000,)),
        ("temporarily_unavailable", ()),
        ("temporarily_unavailable", (65001,)),  # a busy answer is never a verdict
    ],
)
def test_a_transient_error_is_unknown_on_both_paths_never_invalid(
    error: str, codes: tuple[int, ...]
) -> None:
    catalog = small_catalog()
    result = {"error": error, "error_codes": list(codes), "error_description": "busy"}
    verified = from_token_error(result, catalog.app_type("custom-azure-app"))
    assert verified.status is Status.UNKNOWN
    gateway = ScriptedGateway(app=TokenError(error, codes, "busy", http_status=503))
    checked = _check(catalog, gateway, "custom-azure-app", status=Status.UNKNOWN)
    assert checked.transient
    assert checked.status is Status.UNKNOWN
    # The same cause in the same words: "Verification could not run: …" / "Last check failed: …"
    cause = verified.reason.removeprefix("Verification could not run: ").rstrip(".")
    assert cause and cause in checked.reason


def test_a_certificate_the_tenant_does_not_accept_stays_a_creation_error() -> None:
    result = {"error": "invalid_client", "error_codes": [700027], "error_description": "x"}
    with pytest.raises(CertificateMismatchError):
        from_token_error(result, small_catalog().app_type("custom-azure-app"))


# -- an app type whose catalog lists no permissions: the baseline --------------------------------
def _no_permissions(catalog: Catalog) -> Catalog:
    apps = tuple(
        dataclasses.replace(a, permissions=()) if a.id == "hybrid-app" else a
        for a in catalog.app_types
    )
    return dataclasses.replace(catalog, app_types=apps)


def test_the_grants_seen_at_consent_become_the_baseline_and_checks_diff_against_it() -> None:
    catalog = _no_permissions(small_catalog())
    app = catalog.app_type("hybrid-app")
    graph, grants = _tenant(_HYBRID_GRANTED)
    verified = verify_with_graph(app, CLIENT, cast(GraphClient, graph))
    assert verified.status is Status.VALID
    assert verified.reason.startswith("The 4 permissions granted at consent are recorded")
    assert len(verified.baseline) == 4
    kept = _check(catalog, ScriptedGateway(grants=grants), "hybrid-app", baseline=verified.baseline)
    assert kept.status is Status.VALID
    assert kept.reason == "All 4 permissions granted at consent are still granted."
    _, fewer = _tenant([g for g in _HYBRID_GRANTED if g[1] != "Sites.FullControl.All"])
    gone = _check(catalog, ScriptedGateway(grants=fewer), "hybrid-app", baseline=verified.baseline)
    assert gone.status is Status.INVALID
    assert gone.reason.startswith(
        "Permissions granted at consent have disappeared: SharePoint: Sites.FullControl.All."
    )
    assert gone.missing_permissions == ("SharePoint: Sites.FullControl.All",)
    _, nothing = _tenant([])
    revoked = _check(
        catalog, ScriptedGateway(grants=nothing), "hybrid-app", baseline=verified.baseline
    )
    assert revoked.status is Status.INVALID
    assert revoked.reason.startswith(
        "The consent was revoked: none of the 4 permissions granted at consent are granted."
    )
    assert len(revoked.missing_permissions) == 4
