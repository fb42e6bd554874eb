"""Every sandbox scenario gives the status and reason the design says, through the real
gateway: unpatched MSAL and requests over TLS to the sandbox identity provider."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from desktop.core.catalog.model import ConsentMethod, SetupMode
from desktop.core.checks.bulk import run_bulk_check
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.gateway import CertificateCredential
from desktop.core.checks.msal_gateway import MsalGateway
from desktop.core.domain import AppProfile, Status, utc_now
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession, interactive
from tests.helpers.browser import StandInBrowser
from tests.helpers.certificates import app_certificate
from tests.helpers.identity_fakes import catalog
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e
CUSTOM_APP_ID = "4d3c2b1a-0000-4000-8000-0000000c4ec5"
BASELINE_GRAPH = {"Group.ReadWrite.All", "User.ReadWrite.All", "Policy.Read.All"}


class _Vault:
    def __init__(self, credential: CertificateCredential) -> None:
        self.credential = credential

    def load(self, certificate_ref: str) -> CertificateCredential:
        return self.credential


def _custom_app(sb: RunningSandbox) -> CertificateCredential:
    cert, pfx = app_certificate()
    key, loaded, _ = pkcs12.load_key_and_certificates(pfx, b"pw")
    assert key is not None and loaded is not None
    sb.scenario.register_app(
        CUSTOM_APP_ID, "Contoso custom app",
        application={"Microsoft Graph": set(BASELINE_GRAPH),
                     "SharePoint": {"Sites.FullControl.All"}},
        certificates=[cert], home_tenant=sb.demo.tenant_id,
    )  # fmt: skip
    sb.scenario.grant_admin_consent(sb.demo.tenant_id, CUSTOM_APP_ID)
    return CertificateCredential(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        loaded.public_bytes(serialization.Encoding.PEM).decode(),
        hashlib.sha1(loaded.public_bytes(serialization.Encoding.DER)).hexdigest(),
        loaded.not_valid_after_utc,
    )


def _profile(sb: RunningSandbox, app_type_id: str, **kw: Any) -> AppProfile:
    # A consented profile (a deferred one has no consent time, and reads "not granted yet").
    kw.setdefault("consented_at", utc_now() - timedelta(days=10))
    return AppProfile(
        name="p", customer_id=1, tenant_id=sb.demo.tenant_id, service_ids=("baseline",),
        app_type_id=app_type_id, id=kw.pop("id", 1), **kw,
    )  # fmt: skip


def _checker(sb: RunningSandbox, credential: CertificateCredential | None = None, **gw: Any):  # type: ignore[no-untyped-def]
    vault = _Vault(credential) if credential else None
    return ProfileChecker(
        catalog(), MsalGateway(**gw), vault,  # type: ignore[arg-type]
        client_id_for=lambda app: sb.demo.client_ids[app.id],
    )  # fmt: skip


# -- custom mode ----------------------------------------------------------------------------

CUSTOM_SCENARIOS: list[tuple[Callable[[Any, Any], object], Status, str, int | None]] = [
    (lambda s, d: None, Status.VALID, "", None),
    (lambda s, d: s.remove_roles(d.tenant_id, CUSTOM_APP_ID, ["Policy.Read.All"]),
     Status.INVALID, "Required permissions are missing: Policy.Read.All", None),
    # Another API's permission: seen with that API's own token.
    (lambda s, d: s.remove_roles(d.tenant_id, CUSTOM_APP_ID, ["Sites.FullControl.All"]),
     Status.INVALID, "Required permissions are missing: SharePoint: Sites.FullControl.All", None),
    (lambda s, d: s.delete_app(d.tenant_id, CUSTOM_APP_ID), Status.INVALID, "deleted", 700016),
    (lambda s, d: s.delete_app(d.tenant_id, CUSTOM_APP_ID, code=7000229), Status.INVALID,
     "service principal", 7000229),
    (lambda s, d: s.rotate_certificate(CUSTOM_APP_ID), Status.INVALID,
     "no longer knows this certificate", 700027),
    (lambda s, d: s.block_conditional_access(d.tenant_id, apps_too=True), Status.INVALID,
     "Conditional Access", 53003),
]  # fmt: skip


@pytest.mark.parametrize(("action", "status", "words", "code"), CUSTOM_SCENARIOS)
def test_custom_app_scenarios(
    sandbox: RunningSandbox,
    action: Callable[[Any, Any], object],
    status: Status,
    words: str,
    code: int | None,
) -> None:
    checker = _checker(sandbox, _custom_app(sandbox))
    action(sandbox.scenario, sandbox.demo)
    profile = _profile(
        sandbox, "apelements_baseline", mode=SetupMode.CUSTOM, custom_app_id=CUSTOM_APP_ID,
        certificate_ref="ref",
    )  # fmt: skip
    result = checker.check(profile)
    assert result.status is status, result
    assert words in result.reason
    if code:
        assert code in result.error_codes


def test_custom_app_server_error_and_throttling_never_decide(sandbox: RunningSandbox) -> None:
    checker = _checker(sandbox, _custom_app(sandbox))
    profile = _profile(
        sandbox, "apelements_baseline", mode=SetupMode.CUSTOM, custom_app_id=CUSTOM_APP_ID,
        certificate_ref="ref", status=Status.VALID,
    )  # fmt: skip
    sandbox.scenario.server_error(503, times=1)
    failed = checker.check(profile)
    assert failed.transient and failed.status is Status.VALID
    sandbox.scenario.throttle(retry_after=1, times=1)
    outcome = run_bulk_check([profile], checker.check)
    assert outcome.retries == 1
    assert [r.status for r in outcome.results] == [Status.VALID]
    assert not outcome.results[0].transient


# -- delegated app with a consenting user ---------------------------------------------------


def _consent_as_user(sb: RunningSandbox) -> MemoryTokenCacheStore:
    store = MemoryTokenCacheStore()
    endpoints = endpoints_for()
    interactive(
        sb.demo.client_ids["cloud_backup_delegated"], endpoints, sb.demo.tenant_id,
        [endpoints.graph_default_scope], store, prompt="consent", timeout=30,
        open_browser=StandInBrowser(sb.sandbox.ca_path),
    )  # fmt: skip
    return store


DELEGATED_SCENARIOS: list[tuple[Callable[[Any, Any], object], Status, str, int | None]] = [
    (lambda s, d: None, Status.VALID, "", None),
    (lambda s, d: s.require_mfa(d.admin), Status.INVALID,
     "Multi-factor authentication was enabled for", 50076),
    (lambda s, d: s.require_mfa(d.admin, 50079), Status.INVALID, "register for multi-factor",
     50079),
    (lambda s, d: s.change_password(d.admin), Status.INVALID, "password was changed", 50173),
    (lambda s, d: s.disable_user(d.admin), Status.INVALID, "account is disabled", 50057),
    (lambda s, d: s.delete_user(d.admin), Status.INVALID, "left the company", 50034),
    (lambda s, d: s.block_conditional_access(d.tenant_id), Status.INVALID, "Conditional Access",
     53003),
    (lambda s, d: s.expire_refresh_tokens(d.tenant_id), Status.EXPIRED, "inactivity", 700082),
    (lambda s, d: s.expire_refresh_tokens(d.tenant_id, code=70008), Status.EXPIRED,
     "refresh token expired", 70008),
    (lambda s, d: s.revoke_consent(d.tenant_id, d.client_ids["cloud_backup_delegated"]),
     Status.INVALID, "revoked", 65001),
]  # fmt: skip


@pytest.mark.parametrize(("action", "status", "words", "code"), DELEGATED_SCENARIOS)
def test_delegated_app_scenarios(
    sandbox: RunningSandbox,
    action: Callable[[Any, Any], object],
    status: Status,
    words: str,
    code: int | None,
) -> None:
    store = _consent_as_user(sandbox)
    action(sandbox.scenario, sandbox.demo)
    checker = _checker(sandbox, token_cache=store.load())
    profile = _profile(
        sandbox, "cloud_backup_delegated", consent_method=ConsentMethod.USER,
        consenting_user=sandbox.demo.admin,
    )  # fmt: skip
    result = checker.check(profile)
    assert result.status is status, result
    assert words in result.reason
    if code:
        assert code in result.error_codes


# -- publisher app, technician signed in ----------------------------------------------------

PUBLISHER_SCENARIOS: list[tuple[Callable[[Any, Any], object], Status, str]] = [
    (lambda s, d: None, Status.VALID, ""),
    (lambda s, d: s.revoke_consent(d.tenant_id, d.client_ids["apelements_baseline"]),
     Status.INVALID, "The consent was revoked: none of the 5 required permissions are granted"),
    (lambda s, d: s.delete_app(d.tenant_id, d.client_ids["apelements_baseline"]),
     Status.INVALID, "deleted"),
    (lambda s, d: s.remove_roles(d.tenant_id, d.client_ids["apelements_baseline"],
                                 ["Policy.Read.All"]),
     Status.INVALID, "Policy.Read.All"),
]  # fmt: skip


@pytest.mark.parametrize(("action", "status", "words"), PUBLISHER_SCENARIOS)
def test_publisher_app_scenarios(
    sandbox: RunningSandbox, action: Callable[[Any, Any], object], status: Status, words: str
) -> None:
    sandbox.scenario.grant_admin_consent(
        sandbox.demo.tenant_id, sandbox.demo.client_ids["apelements_baseline"]
    )
    session = TechnicianSession(
        sandbox.demo.sign_in_client_id,
        MemoryTokenCacheStore(),
        open_browser=StandInBrowser(sandbox.sandbox.ca_path),
    )
    session.sign_in(endpoints_for(), sandbox.demo.tenant_id, timeout=30)
    action(sandbox.scenario, sandbox.demo)
    checker = _checker(sandbox, graph_token=session.graph_token)
    result = checker.check(_profile(sandbox, "apelements_baseline"))
    assert result.status is status, result
    assert words in result.reason


def test_publisher_app_without_a_signed_in_technician_is_not_decided(
    sandbox: RunningSandbox,
) -> None:
    checker = _checker(sandbox)
    result = checker.check(_profile(sandbox, "apelements_baseline", status=Status.VALID))
    assert result.transient and result.status is Status.VALID
    assert "sign in" in result.reason


def test_a_revoked_exchange_delegated_permission_is_found_with_exchanges_token(
    sandbox: RunningSandbox,
) -> None:
    """The user's Graph token lists Graph's scopes only; Exchange Online's are read from a
    token for Exchange, redeemed with the same sign-in. A scope revoked there is missing."""
    import dataclasses

    from desktop.core.catalog.model import PermissionType
    from tests.helpers.catalog_factory import perm
    from tests.helpers.identity_fakes import DELEGATED_APP

    exchange = "Office 365 Exchange Online"
    wanted = perm(exchange, "EWS.AccessAsUser.All", "", PermissionType.DELEGATED)
    app = dataclasses.replace(
        DELEGATED_APP, id="delegated_with_exchange",
        permissions=(*DELEGATED_APP.permissions, wanted),
    )  # fmt: skip
    client_id = "4d3c2b1a-0000-4000-8000-0000000e8c01"
    sandbox.scenario.register_app_type(app, client_id)
    store = MemoryTokenCacheStore()
    endpoints = endpoints_for()
    interactive(
        client_id, endpoints, sandbox.demo.tenant_id, [endpoints.graph_default_scope], store,
        prompt="consent", timeout=30, open_browser=StandInBrowser(sandbox.sandbox.ca_path),
    )  # fmt: skip
    base = catalog()
    checker = ProfileChecker(
        dataclasses.replace(base, app_types=(*base.app_types, app)),
        MsalGateway(token_cache=store.load()),
        None,  # type: ignore[arg-type]
        client_id_for=lambda _: client_id,
    )
    profile = _profile(
        sandbox, app.id, consent_method=ConsentMethod.USER, consenting_user=sandbox.demo.admin
    )
    assert checker.check(profile).status is Status.VALID
    tenant = sandbox.sandbox.directory.tenants[sandbox.demo.tenant_id]
    exchange_sp = tenant.sp_by_app("00000002-0000-0ff1-ce00-000000000000")
    assert exchange_sp is not None
    for grant in tenant.grants:
        if grant.resource_id == exchange_sp.id:
            grant.scopes.add("Exchange.Manage")  # something else stays granted there
            grant.scopes.discard("EWS.AccessAsUser.All")
    result = checker.check(profile)
    assert result.status is Status.INVALID, result
    assert result.missing_permissions == (f"{exchange}: EWS.AccessAsUser.All",)
