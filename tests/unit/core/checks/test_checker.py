"""Checking one profile, with the network replaced by a scripted gateway."""

from __future__ import annotations

from datetime import timedelta

from desktop.core.catalog.model import Catalog
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.gateway import Grants, TokenError, TransientFailure
from desktop.core.checks.status_rules import Action
from desktop.core.domain import Status, utc_now
from desktop.core.errors import UserError
from desktop.core.identity.resources import GRAPH_APP_ID
from tests.helpers.check_fakes import (
    SHAREPOINT_APP_ID,
    FakeCredentials,
    ScriptedGateway,
    profile,
    small_catalog,
)


def checker(
    gateway: ScriptedGateway | None = None, creds: FakeCredentials | None = None
) -> tuple[ProfileChecker, ScriptedGateway, FakeCredentials]:
    gateway = gateway or ScriptedGateway()
    creds = creds or FakeCredentials()
    return ProfileChecker(small_catalog(), gateway, creds), gateway, creds


def test_custom_profile_with_every_role_is_valid() -> None:
    check, gateway, _ = checker()
    result = check.check(profile())
    assert result.status is Status.VALID, result.reason
    # Its SharePoint permission is compared with a SharePoint token of its own.
    assert gateway.resources == [SHAREPOINT_APP_ID]
    assert result.warning == ""
    assert result.reason == "All 3 required permissions are granted."
    assert [k for k, _ in gateway.calls] == ["app", "app", "roles"]


def test_expired_certificate_is_expired_before_any_call() -> None:
    creds = FakeCredentials(not_after=utc_now() - timedelta(days=1))
    check, gateway, _ = checker(creds=creds)
    result = check.check(profile())
    assert result.status is Status.EXPIRED
    assert "certificate expired on" in result.reason
    assert result.action is Action.CHOOSE_CERTIFICATE
    assert gateway.calls == []


def test_certificate_expiring_within_30_days_warns_on_a_valid_profile() -> None:
    check, _, _ = checker(creds=FakeCredentials(not_after=utc_now() + timedelta(days=12)))
    result = check.check(profile())
    assert result.status is Status.VALID
    assert "expires in 11 days" in result.warning or "expires in 12 days" in result.warning
    far, _, _ = checker(creds=FakeCredentials(not_after=utc_now() + timedelta(days=31)))
    assert "expires" not in far.check(profile()).warning


def test_revoked_roles_are_listed_as_missing_permissions() -> None:
    check, _, _ = checker(ScriptedGateway(app={"roles": ["User.Read.All"]}))
    result = check.check(profile())
    assert result.status is Status.INVALID
    assert result.missing_permissions == ("Sites.Read.All",)
    assert "Sites.Read.All" in result.reason
    assert "Sites.FullControl.All" not in result.reason + result.warning  # granted in SharePoint


def test_a_revoked_permission_of_another_api_is_found_with_that_apis_token() -> None:
    gateway = ScriptedGateway(app_by_resource={SHAREPOINT_APP_ID: {"roles": []}})
    result = checker(gateway)[0].check(profile())
    assert result.status is Status.INVALID
    assert result.missing_permissions == ("SharePoint: Sites.FullControl.All",)
    assert result.reason == "Required permissions are missing: SharePoint: Sites.FullControl.All."


def test_a_token_without_any_roles_claim_lists_them_all() -> None:
    check, _, _ = checker(ScriptedGateway(app={}))
    result = check.check(profile())
    assert result.missing_permissions == ("User.Read.All", "Sites.Read.All")


def test_missing_permissions_and_roles_are_both_listed() -> None:
    gateway = ScriptedGateway(app={"roles": ["User.Read.All"]}, roles=frozenset())
    check, _, _ = checker(gateway)
    result = check.check(profile())
    assert result.status is Status.INVALID
    assert result.missing_permissions == ("Sites.Read.All",)
    assert result.missing_roles == ("Exchange Administrator",)
    assert "Sites.Read.All" in result.reason and "Exchange Administrator" in result.reason
    assert "Assign the directory roles" in result.remedy


def test_unreadable_roles_never_make_a_profile_invalid() -> None:
    check, _, _ = checker(ScriptedGateway(roles=None))
    assert check.check(profile()).status is Status.VALID


def test_700027_key_not_found_is_invalid_with_choose_certificate() -> None:
    error = TokenError(
        "invalid_client", (700027,), "AADSTS700027: ... The key was not found. ...", 401
    )
    check, _, _ = checker(ScriptedGateway(app=error))
    result = check.check(profile())
    assert result.status is Status.INVALID
    assert result.error_codes == (700027,)
    assert result.action is Action.CHOOSE_CERTIFICATE
    assert "AADSTS700027" in result.detail


def test_network_failure_keeps_the_previous_status() -> None:
    failure = TransientFailure("the sign-in service cannot be reached")
    check, _, _ = checker(ScriptedGateway(app=failure))
    result = check.check(profile(status=Status.VALID))
    assert result.transient
    assert result.status is Status.VALID
    assert result.reason.startswith("Last check failed: the sign-in service cannot be reached")


def test_throttling_answer_is_transient_and_keeps_retry_after() -> None:
    failure = TransientFailure("throttled", retry_after=3.0)
    check, _, _ = checker(ScriptedGateway(app=failure))
    result = check.check(profile(status=Status.EXPIRED, remedy="Do X."))
    assert result.transient and result.retry_after == 3.0
    assert result.status is Status.EXPIRED
    assert result.remedy == "Do X."


def test_a_transient_aadsts_code_is_not_invalid() -> None:
    check, _, _ = checker(ScriptedGateway(app=TokenError("invalid_request", (90055,))))
    result = check.check(profile())
    assert result.transient and result.status is Status.UNKNOWN
    assert "AADSTS90055" in result.reason


def test_vault_failure_is_reported_without_deciding() -> None:
    creds = FakeCredentials(error=UserError("The keyring is locked.", remedy="Unlock it."))
    check, _, _ = checker(creds=creds)
    result = check.check(profile(status=Status.VALID))
    assert result.transient and result.status is Status.VALID
    assert "keyring is locked" in result.reason


def test_marked_profile_stays_invalid_without_a_call() -> None:
    check, gateway, _ = checker()
    p = profile(reauthorization_required=True, reason="Re-authorization required: user left.")
    result = check.check(p)
    assert result.status is Status.INVALID
    assert result.reason == "Re-authorization required: user left."
    assert gateway.calls == []


def test_delegated_app_mfa_after_consent_names_the_user() -> None:
    error = TokenError("interaction_required", (50076,), "AADSTS50076: ...")
    check, _, _ = checker(ScriptedGateway(user=error, grants=None))
    result = check.check(profile("delegated-app", consenting_user="ann@contoso.com"))
    assert result.status is Status.INVALID
    assert result.reason == (
        "Multi-factor authentication was enabled for ann@contoso.com after the consent."
    )
    assert "administrator or user consent" in result.remedy


def test_delegated_app_missing_scope_is_listed() -> None:
    check, _, _ = checker(ScriptedGateway(user={"scp": "Files.Read"}, grants=None))
    result = check.check(profile("delegated-app", consenting_user="ann@contoso.com"))
    assert result.missing_permissions == ("Tasks.Read",)


def test_delegated_user_not_cached_here_is_transient() -> None:
    check, _, _ = checker(ScriptedGateway(user=None, grants=None))
    result = check.check(profile("delegated-app", consenting_user="ann@contoso.com"))
    assert result.transient
    assert "ann@contoso.com" in result.reason


def test_publisher_app_needs_a_signed_in_technician() -> None:
    check, _, _ = checker(ScriptedGateway(grants=None))
    result = check.check(profile("hybrid-app"))
    assert result.transient
    assert "sign in" in result.reason


def test_publisher_app_deleted_from_tenant_is_invalid() -> None:
    check, _, _ = checker(ScriptedGateway(grants=Grants(False)))
    result = check.check(profile("hybrid-app"))
    assert result.status is Status.INVALID
    assert "deleted" in result.reason


def test_publisher_conditional_access_block_carries_the_note() -> None:
    error = TokenError("interaction_required", (53003,), "AADSTS53003: blocked")
    check, _, _ = checker(ScriptedGateway(user=error))
    result = check.check(profile("hybrid-app", consenting_user="ann@contoso.com"))
    assert result.status is Status.INVALID
    assert result.conditional_access


def test_automatic_roles_within_24_hours_only_warn() -> None:
    perms = frozenset({"User.Read.All", "Sites.Read.All"})
    grants = Grants(True, perms, frozenset({"Files.Read"}), directory_roles=frozenset())
    check, _, _ = checker(ScriptedGateway(grants=grants))
    fresh = check.check(profile("hybrid-app", consented_at=utc_now() - timedelta(hours=2)))
    assert fresh.status is Status.VALID
    assert "within 24 hours" in fresh.warning
    old = check.check(profile("hybrid-app", consented_at=utc_now() - timedelta(days=2)))
    assert old.status is Status.INVALID
    assert old.missing_roles == ("Exchange Administrator",)


def test_unknown_app_type_is_transient() -> None:
    check, _, _ = checker()
    result = check.check(profile("gone-app"))
    assert result.transient and "not in this version's catalog" in result.reason


def test_json_has_the_stable_keys() -> None:
    check, _, _ = checker(ScriptedGateway(app={"roles": []}))
    data = check.check(profile()).to_json()
    assert set(data) >= {
        "id", "status", "reason", "remedy", "error_codes", "missing_permissions",
        "missing_roles", "checked_at",
    }  # fmt: skip
    assert data["status"] == "Invalid" and data["checked_at"].endswith("Z")


def test_publisher_invalid_client_keeps_the_status_and_says_it_is_configuration() -> None:
    error = TokenError("invalid_client", (7000218,), "AADSTS7000218: no client_assertion", 401)
    check, _, _ = checker(ScriptedGateway(user=error))
    result = check.check(
        profile("hybrid-app", consenting_user="ann@contoso.com", status=Status.VALID)
    )
    assert result.transient and result.status is Status.VALID
    assert result.action is not Action.CHOOSE_CERTIFICATE
    assert "public client" in result.reason
    assert "Mobile and desktop" in result.remedy  # what to fix, not "check again later"


def test_custom_invalid_client_without_a_code_is_choose_certificate() -> None:
    check, _, _ = checker(ScriptedGateway(app=TokenError("invalid_client", (), "bad", 401)))
    result = check.check(profile())
    assert result.status is Status.INVALID
    assert result.action is Action.CHOOSE_CERTIFICATE


def test_a_web_only_apps_consenting_user_is_checked_from_the_grants_graph_shows() -> None:
    # No sign-in of the user is stored (the app's code could not be redeemed here): the
    # user's own (Principal) grant, read with the technician's sign-in, decides.
    def users(*names: str) -> Grants:
        mine = frozenset((GRAPH_APP_ID, n) for n in names)
        return Grants(True, consenting_user_delegated_by_api=mine)

    check, _, _ = checker(ScriptedGateway(user=None, grants=users("Files.Read", "Tasks.Read")))
    result = check.check(profile("delegated-app", consenting_user="ann@contoso.com"))
    assert not result.transient and result.status is Status.VALID, result
    check, _, _ = checker(ScriptedGateway(user=None, grants=users("Files.Read")))
    missing = check.check(profile("delegated-app", consenting_user="ann@contoso.com"))
    assert missing.status is Status.INVALID and missing.missing_permissions == ("Tasks.Read",)


def test_directory_roles_are_read_only_when_the_app_type_has_any() -> None:
    import dataclasses

    cat = small_catalog()
    no_roles = tuple(
        dataclasses.replace(a, directory_roles=()) if a.id == "hybrid-app" else a
        for a in cat.app_types
    )
    gateway = ScriptedGateway()
    ProfileChecker(cat, gateway, FakeCredentials()).check(profile("hybrid-app"))
    plain = ProfileChecker(dataclasses.replace(cat, app_types=no_roles), gateway, FakeCredentials())
    plain.check(profile("hybrid-app"))
    assert gateway.with_roles == [True, False]


def test_roles_that_could_not_be_read_are_a_warning_not_a_verdict() -> None:
    grants = Grants(
        True,
        frozenset({"User.Read.All", "Sites.Read.All"}),
        frozenset({"Files.Read"}),
        None,
        roles_unreadable="The app's directory roles could not be read (HTTP 403).",
    )
    check, _, _ = checker(ScriptedGateway(grants=grants))
    result = check.check(profile("hybrid-app", consented_at=utc_now() - timedelta(days=2)))
    assert result.status is Status.VALID and not result.transient
    assert "directory roles could not be read" in result.warning


def test_a_valid_publisher_profile_says_how_many_permissions_were_compared() -> None:
    grants = Grants(
        True,
        frozenset({"User.Read.All", "Sites.Read.All"}),
        frozenset({"Files.Read"}),
        frozenset({"Exchange Administrator"}),
    )
    check, _, _ = checker(ScriptedGateway(grants=grants))
    result = check.check(profile("hybrid-app"))
    assert result.status is Status.VALID
    assert result.reason.startswith("All 3 required permissions are granted.")
    assert result.to_json()["reason"] == result.reason


def test_a_revoked_consent_says_so_in_one_line_and_keeps_the_names() -> None:
    check, _, _ = checker(ScriptedGateway(app={}, app_by_resource={}))
    result = check.check(profile(consented_at=utc_now() - timedelta(days=3)))
    assert result.status is Status.INVALID
    assert result.reason == (
        "The consent was revoked: none of the 3 required permissions are granted."
    )
    assert result.missing_permissions == (
        "User.Read.All",
        "Sites.Read.All",
        "SharePoint: Sites.FullControl.All",
    )


EXCHANGE_APP_ID = "00000002-0000-0ff1-ce00-000000000000"


def _with_exchange_scope() -> Catalog:
    """The delegated app type also listing an Exchange Online delegated permission."""
    import dataclasses

    from desktop.core.catalog.model import PermissionType
    from tests.helpers.catalog_factory import perm

    base = small_catalog()
    types = tuple(
        dataclasses.replace(
            a,
            permissions=(
                *a.permissions,
                perm(
                    "Office 365 Exchange Online",
                    "EWS.AccessAsUser.All",
                    "",
                    PermissionType.DELEGATED,
                ),
            ),
        )
        if a.id == "delegated-app"
        else a
        for a in base.app_types
    )
    return dataclasses.replace(base, app_types=types)


def test_a_revoked_delegated_permission_of_another_api_is_found_with_that_apis_token() -> None:
    """The user's Graph token carries Graph's scopes only: Exchange's are asked for with a
    token of their own, from the same sign-in, so a revoked Exchange scope is found."""
    revoked = ScriptedGateway(grants=None, user_by_resource={EXCHANGE_APP_ID: {"scp": ""}})
    catalog = _with_exchange_scope()
    check = ProfileChecker(catalog, revoked, FakeCredentials())
    result = check.check(profile("delegated-app", consenting_user="ann@contoso.com"))
    assert revoked.user_resources == [EXCHANGE_APP_ID]
    assert result.status is Status.INVALID
    assert result.missing_permissions == ("Office 365 Exchange Online: EWS.AccessAsUser.All",)
    granted = ScriptedGateway(
        grants=None, user_by_resource={EXCHANGE_APP_ID: {"scp": "EWS.AccessAsUser.All"}}
    )
    ok = ProfileChecker(catalog, granted, FakeCredentials())
    assert ok.check(profile("delegated-app", consenting_user="ann@contoso.com")).status is (
        Status.VALID
    )
