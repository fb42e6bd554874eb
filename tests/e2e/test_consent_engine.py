"""Sign-in, user consent, admin consent and verification end to end: MSAL unpatched, over TLS
to the sandbox, with the browser stand-in submitting the form_post and consent pages."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import msal
import pytest
from keyring import errors

from desktop.core.cancel import CancelToken
from desktop.core.catalog.model import ConsentMethod, Permission, PermissionType, SetupMode
from desktop.core.domain import Customer, Status, Tenant
from desktop.core.endpoints import endpoints_for
from desktop.core.errors import CancelledError, UserError
from desktop.core.identity.consent import IdentityConsentEngine, consent_link, plan_consent
from desktop.core.identity.resources import GRAPH_APP_ID, is_graph
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession
from desktop.core.identity.verify import CertificateMismatchError, verify_client_credentials
from desktop.core.status_words import (
    baseline_recorded_reason,
    missing_permissions_reason,
    uncompared_apis_warning,
)
from desktop.core.token_cache import EncryptedTokenCacheStore
from desktop.core.vault import SecretVault, VaultUnavailableError
from tests.helpers.browser import StandInBrowser
from tests.helpers.certificates import MemoryCertificateStore, app_certificate, credential_of
from tests.helpers.identity_fakes import BASELINE, DELEGATED_APP, catalog
from tests.helpers.keyrings import FailingKeyring
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e

CUSTOM_APP_ID = "4d3c2b1a-0000-4000-8000-00000000c0de"


def _tenant(sb: RunningSandbox) -> Tenant:
    return Tenant(sb.demo.tenant_id, 1, sb.demo.domain, "Contoso")


def _plan(sb: RunningSandbox, services: list[str], **kwargs):  # type: ignore[no-untyped-def]
    return plan_consent(
        catalog(),
        Customer("Contoso", id=1),
        _tenant(sb),
        services,
        client_id=lambda app: sb.demo.client_ids[app.id],
        **kwargs,
    )


def _engine(sb: RunningSandbox, browser: StandInBrowser, **kwargs):  # type: ignore[no-untyped-def]
    return IdentityConsentEngine(
        cache_store=kwargs.pop("cache", MemoryTokenCacheStore()), open_browser=browser, **kwargs
    )


def test_technician_sign_in_and_sign_out(sandbox: RunningSandbox) -> None:
    cache = MemoryTokenCacheStore()
    browser = StandInBrowser(sandbox.sandbox.ca_path)
    session = TechnicianSession(sandbox.demo.sign_in_client_id, cache, open_browser=browser)
    signed = session.sign_in(endpoints_for(), timeout=30)
    assert signed.username == sandbox.demo.admin
    assert signed.tenant_id == sandbox.demo.tenant_id
    assert "response_mode=form_post" in browser.visited[0]
    accounts = session.accounts(endpoints_for())
    assert [a.username for a in accounts] == [sandbox.demo.admin]
    assert session.graph_token(endpoints_for(), sandbox.demo.tenant_id)
    assert session.graph_token(endpoints_for(), sandbox.demo.other_tenant_id) is None
    session.sign_out()
    assert session.accounts(endpoints_for()) == []


def test_a_disabled_account_stays_on_the_sign_in_page(sandbox: RunningSandbox) -> None:
    # Microsoft shows the failure on its own sign-in page; nothing reaches the app, so the
    # wait ends when the technician cancels.
    sandbox.scenario.disable_user(sandbox.demo.admin)
    token = CancelToken()
    browser = StandInBrowser(sandbox.sandbox.ca_path, on_done=token.cancel)
    session = TechnicianSession(
        sandbox.demo.sign_in_client_id, MemoryTokenCacheStore(), open_browser=browser
    )
    with pytest.raises(CancelledError):
        session.sign_in(endpoints_for(), timeout=30, cancel=token)
    assert browser.last_response is not None and "AADSTS50057" in browser.last_response.text


def test_admin_consent_then_graph_verification_is_valid(sandbox: RunningSandbox) -> None:
    cache = MemoryTokenCacheStore()
    browser = StandInBrowser(sandbox.sandbox.ca_path)
    technician = TechnicianSession(sandbox.demo.sign_in_client_id, cache, open_browser=browser)
    technician.sign_in(endpoints_for(), sandbox.demo.tenant_id, timeout=30)
    engine = _engine(sandbox, browser, cache=cache, technician=technician)
    outcome = engine.run(_plan(sandbox, ["baseline MANAGEMENT"]), timeout=30)
    assert outcome.verification.status is Status.VALID, outcome.verification
    assert outcome.profile.status is Status.VALID
    assert outcome.profile.consent_method is ConsentMethod.ADMIN
    assert outcome.profile.consented_at is not None


def test_graph_verification_lists_what_is_missing(sandbox: RunningSandbox) -> None:
    cache = MemoryTokenCacheStore()
    browser = StandInBrowser(sandbox.sandbox.ca_path)
    technician = TechnicianSession(sandbox.demo.sign_in_client_id, cache, open_browser=browser)
    technician.sign_in(endpoints_for(), sandbox.demo.tenant_id, timeout=30)
    engine = _engine(sandbox, browser, cache=cache, technician=technician)
    plan = _plan(sandbox, ["Baseline management"])
    # The tenant drops a role right after consent (e.g. a policy strips it).
    sandbox.sandbox.pages.options.consent_error = None
    outcome = engine.run(plan, timeout=30)
    assert outcome.profile.status is Status.VALID
    sandbox.scenario.remove_roles(sandbox.demo.tenant_id, plan.client_id, ["Policy.Read.All"])
    verification = engine._verify_publisher(plan)
    assert verification.status is Status.INVALID
    assert verification.missing == ("Microsoft Graph: Policy.Read.All (Application)",)


def test_graph_outage_is_unknown_not_invalid(sandbox: RunningSandbox) -> None:
    cache = MemoryTokenCacheStore()
    browser = StandInBrowser(sandbox.sandbox.ca_path)
    technician = TechnicianSession(sandbox.demo.sign_in_client_id, cache, open_browser=browser)
    technician.sign_in(endpoints_for(), sandbox.demo.tenant_id, timeout=30)
    sandbox.scenario.server_error(503, graph=True)
    outcome = _engine(sandbox, browser, cache=cache, technician=technician).run(
        _plan(sandbox, ["Baseline management"]), timeout=30
    )
    assert outcome.profile.status is Status.UNKNOWN
    assert "could not run" in outcome.profile.reason


def test_admin_consent_without_technician_is_unknown_with_reason(sandbox: RunningSandbox) -> None:
    outcome = _engine(sandbox, StandInBrowser(sandbox.sandbox.ca_path)).run(
        _plan(sandbox, ["Baseline management"]), timeout=30
    )
    assert outcome.profile.status is Status.UNKNOWN
    assert "no technician is signed in" in outcome.profile.reason


def test_user_consent_records_the_user_and_keeps_the_account(sandbox: RunningSandbox) -> None:
    cache = MemoryTokenCacheStore()
    browser = StandInBrowser(sandbox.sandbox.ca_path, upn=None)
    sandbox.scenario.set_browser_user(sandbox.demo.user)  # not an administrator
    plan = _plan(
        sandbox,
        ["Cloud Backup for Microsoft 365"],
        method=ConsentMethod.USER,
        functions=["Restore Planner task comments"],
    )
    outcome = _engine(sandbox, browser, cache=cache).run(plan, timeout=30)
    assert "prompt=consent" in browser.visited[0]
    assert outcome.profile.consenting_user == sandbox.demo.user
    assert outcome.profile.status is Status.VALID, outcome.verification
    assert outcome.profile.functions == ("restore_planner_comments",)
    assert sandbox.demo.user in cache.load().serialize()


def test_user_consent_not_offered_for_admin_only_apps(sandbox: RunningSandbox) -> None:
    with pytest.raises(UserError, match="needs admin consent"):
        _plan(sandbox, ["Baseline management"], method=ConsentMethod.USER)


def test_custom_mode_with_the_registered_certificate(sandbox: RunningSandbox) -> None:
    cert, pfx = app_certificate()
    sandbox.scenario.register_app(
        CUSTOM_APP_ID,
        "Contoso custom app",
        application={
            "Microsoft Graph": {
                p.name
                for p in BASELINE.permissions
                if p.type.value == "Application" and p.api == "Microsoft Graph"
            },
            "SharePoint": {"Sites.FullControl.All"},
        },
        certificates=[cert],
        home_tenant=sandbox.demo.tenant_id,
    )
    store = MemoryCertificateStore()
    engine = _engine(
        sandbox,
        StandInBrowser(sandbox.sandbox.ca_path),
        certificates=store,
        credential_of=credential_of,
    )
    plan = _plan(
        sandbox, ["Baseline management"], mode=SetupMode.CUSTOM, custom_app_id=CUSTOM_APP_ID
    )
    outcome = engine.run(plan, pfx=pfx, password="pw", timeout=30)
    assert outcome.profile.status is Status.VALID, outcome.verification
    assert outcome.profile.custom_app_id == CUSTOM_APP_ID
    assert outcome.profile.certificate_ref in store.items


def test_custom_mode_with_a_certificate_that_does_not_match(sandbox: RunningSandbox) -> None:
    registered, _ = app_certificate("registered")
    _, other_pfx = app_certificate("another")
    sandbox.scenario.register_app(
        CUSTOM_APP_ID,
        "Contoso custom app",
        application={"Microsoft Graph": {"Group.ReadWrite.All"}},
        certificates=[registered],
        home_tenant=sandbox.demo.tenant_id,
    )
    store = MemoryCertificateStore()
    browser = StandInBrowser(sandbox.sandbox.ca_path)
    engine = _engine(sandbox, browser, certificates=store, credential_of=credential_of)
    plan = _plan(
        sandbox, ["Baseline management"], mode=SetupMode.CUSTOM, custom_app_id=CUSTOM_APP_ID
    )
    with pytest.raises(CertificateMismatchError) as caught:
        engine.run(plan, pfx=other_pfx, password="pw", timeout=30)
    assert "does not accept this certificate" in caught.value.message
    assert ".pfx" in caught.value.remedy
    assert "700027" in caught.value.detail
    assert store.items == {}  # nothing kept
    assert browser.visited == []  # failed before bothering the admin


def test_consent_link_names_the_tenant_app_and_graph(sandbox: RunningSandbox) -> None:
    plan = _plan(sandbox, ["Baseline management"])
    link = consent_link(plan)
    assert link.startswith(
        f"{sandbox.sandbox.authority_host}/{sandbox.demo.tenant_id}/v2.0/adminconsent?client_id="
    )
    assert plan.client_id in link and "%2F.default" in link


def test_custom_mode_with_no_application_permissions_listed_is_not_valid(
    sandbox: RunningSandbox,
) -> None:
    """The certificate works, but with nothing to diff the status says so instead of Valid."""
    cert, pfx = app_certificate()
    sandbox.scenario.register_app(
        CUSTOM_APP_ID,
        "Contoso custom app",
        application={"Microsoft Graph": {"Group.ReadWrite.All"}},
        certificates=[cert],
        home_tenant=sandbox.demo.tenant_id,
    )
    sandbox.scenario.grant_admin_consent(sandbox.demo.tenant_id, CUSTOM_APP_ID)
    unlisted = dataclasses.replace(BASELINE, name="Custom Azure app", permissions=())
    store = MemoryCertificateStore()
    ref, _ = store.import_pfx(pfx, "pw")
    verification = verify_client_credentials(
        unlisted,
        endpoints_for(),
        sandbox.demo.tenant_id,
        CUSTOM_APP_ID,
        credential_of(store.load(ref)),
    )
    # The certificate got a token, so the check ran: Valid, never Unknown; what the token
    # showed granted becomes the profile's baseline, and the reason says so.
    assert verification.status is Status.VALID, verification
    assert verification.baseline == (f"Application:{GRAPH_APP_ID}:Group.ReadWrite.All",)
    assert verification.reason == baseline_recorded_reason(1)


def test_sign_out_keeps_the_consenting_users_accounts(sandbox: RunningSandbox) -> None:
    """The technician's sign-out must not break the delegated profiles' later checks."""
    cache = MemoryTokenCacheStore()
    technician = TechnicianSession(
        sandbox.demo.sign_in_client_id, cache, open_browser=StandInBrowser(sandbox.sandbox.ca_path)
    )
    technician.sign_in(endpoints_for(), sandbox.demo.tenant_id, timeout=30)
    sandbox.scenario.set_browser_user(sandbox.demo.user)
    plan = _plan(sandbox, ["Cloud Backup for Microsoft 365"], method=ConsentMethod.USER)
    browser = StandInBrowser(sandbox.sandbox.ca_path, upn=None)
    _engine(sandbox, browser, cache=cache).run(plan, timeout=30)
    assert {sandbox.demo.admin, sandbox.demo.user} <= set(cache.load().serialize().split('"'))

    technician.sign_out()
    assert technician.accounts(endpoints_for()) == []
    assert technician.graph_token(endpoints_for(), sandbox.demo.tenant_id) is None
    kept = cache.load()
    kind = msal.TokenCache.CredentialType
    assert {rt["client_id"] for rt in kept.search(kind.REFRESH_TOKEN)} == {plan.client_id}
    assert [a["username"] for a in kept.search(kind.ACCOUNT)] == [sandbox.demo.user]
    assert sandbox.demo.admin not in kept.serialize()


def test_sign_in_without_a_keyring_is_refused_before_the_browser_opens(
    sandbox: RunningSandbox, tmp_path: Path
) -> None:
    vault = SecretVault(tmp_path / "vault", FailingKeyring(errors.NoKeyringError("none")))
    browser = StandInBrowser(sandbox.sandbox.ca_path)
    session = TechnicianSession(
        sandbox.demo.sign_in_client_id, EncryptedTokenCacheStore(vault), open_browser=browser
    )
    with pytest.raises(VaultUnavailableError, match="no secure password store"):
        session.sign_in(endpoints_for(), sandbox.demo.tenant_id, timeout=30)
    assert browser.visited == []  # nobody signed in for nothing
    assert not (tmp_path / "vault").exists() or not any((tmp_path / "vault").iterdir())


def test_user_consent_to_an_app_with_nothing_listed_records_the_user_and_warns(
    sandbox: RunningSandbox,
) -> None:
    unlisted = dataclasses.replace(DELEGATED_APP, permissions=())
    client_id = "5e4d3c2b-1a00-4000-8000-0000000a11ed"
    sandbox.scenario.register_app_type(unlisted, client_id)  # asks for User.Read, like Entra
    sandbox.scenario.set_browser_user(sandbox.demo.user)
    plan = plan_consent(
        dataclasses.replace(catalog(), app_types=(BASELINE, unlisted)),
        Customer("Contoso", id=1),
        _tenant(sandbox),
        ["Cloud Backup for Microsoft 365"],
        method=ConsentMethod.USER,
        client_id=lambda app: client_id,
    )
    browser = StandInBrowser(sandbox.sandbox.ca_path, upn=None)
    outcome = _engine(sandbox, browser).run(plan, timeout=30)
    assert outcome.profile.consenting_user == sandbox.demo.user
    assert outcome.profile.status is Status.VALID, outcome.verification
    # The user's consent (User.Read) is the baseline later checks compare against.
    assert outcome.profile.baseline == (f"Delegated:{GRAPH_APP_ID}:User.Read",)
    assert outcome.profile.reason == baseline_recorded_reason(1)


def test_custom_mode_compares_sharepoint_with_its_own_token_and_names_what_it_cannot(
    sandbox: RunningSandbox,
) -> None:
    """SharePoint's roles are read from a SharePoint token; an API with no known resource ID
    does not decide the status, and the warning names it in the checks' words."""
    cert, pfx = app_certificate()
    graph = {
        p.name for p in BASELINE.permissions if p.type.value == "Application" and is_graph(p.api)
    }
    sandbox.scenario.register_app(
        CUSTOM_APP_ID,
        "Contoso custom app",
        application={"Microsoft Graph": graph},  # SharePoint's permission left out
        certificates=[cert],
        home_tenant=sandbox.demo.tenant_id,
    )
    sandbox.scenario.grant_admin_consent(sandbox.demo.tenant_id, CUSTOM_APP_ID)
    app = dataclasses.replace(
        BASELINE,
        permissions=(
            *BASELINE.permissions,  # SharePoint's Sites.FullControl.All among them
            Permission("Contoso Backup API", "Backup.Run", "", PermissionType.APPLICATION),
        ),
    )
    store = MemoryCertificateStore()
    ref, _ = store.import_pfx(pfx, "pw")
    verification = verify_client_credentials(
        app, endpoints_for(), sandbox.demo.tenant_id, CUSTOM_APP_ID, credential_of(store.load(ref))
    )
    assert verification.status is Status.INVALID, verification
    assert verification.reason == missing_permissions_reason(["SharePoint: Sites.FullControl.All"])
    assert verification.missing == ("SharePoint: Sites.FullControl.All (Application)",)
    assert verification.warning == uncompared_apis_warning([("Contoso Backup API", "Backup.Run")])


def _technician(sb: RunningSandbox, cache: MemoryTokenCacheStore) -> TechnicianSession:
    browser = StandInBrowser(sb.sandbox.ca_path, upn=sb.demo.admin)
    technician = TechnicianSession(sb.demo.sign_in_client_id, cache, open_browser=browser)
    technician.sign_in(endpoints_for(), sb.demo.tenant_id, timeout=30)
    assert "prompt=select_account" in browser.visited[0]
    return technician


def test_user_consent_to_a_web_only_app_is_verified_from_the_users_grant(
    sandbox: RunningSandbox,
) -> None:
    cache = MemoryTokenCacheStore()
    technician = _technician(sandbox, cache)
    plan = _plan(sandbox, ["Cloud Backup for Microsoft 365"], method=ConsentMethod.USER)
    # A vendor's web-only app: its code cannot be redeemed without a credential.
    sandbox.scenario.fault(7000218, client_id=plan.client_id, grants=["authorization_code"])
    sandbox.scenario.set_browser_user(sandbox.demo.user)  # not an administrator
    browser = StandInBrowser(sandbox.sandbox.ca_path, upn=None)
    outcome = _engine(sandbox, browser, cache=cache, technician=technician).run(plan, timeout=30)
    assert outcome.profile.consenting_user == sandbox.demo.user
    assert outcome.profile.status is Status.VALID, outcome.verification
    assert "public client" not in outcome.verification.reason
    kind = msal.TokenCache.CredentialType
    stored = {rt["client_id"] for rt in cache.load().search(kind.REFRESH_TOKEN)}
    assert plan.client_id not in stored  # nothing of the vendor's app is kept here


def test_user_consent_to_a_web_only_app_without_a_technician_is_unknown_not_invalid(
    sandbox: RunningSandbox,
) -> None:
    plan = _plan(sandbox, ["Cloud Backup for Microsoft 365"], method=ConsentMethod.USER)
    sandbox.scenario.fault(7000218, client_id=plan.client_id, grants=["authorization_code"])
    browser = StandInBrowser(sandbox.sandbox.ca_path, upn=None)
    outcome = _engine(sandbox, browser).run(
        dataclasses.replace(plan, login_hint=sandbox.demo.user), timeout=30
    )
    assert "login_hint=" in browser.visited[0]
    assert outcome.profile.status is Status.UNKNOWN
    assert "Consent was given" in outcome.verification.reason
    assert outcome.profile.consenting_user == sandbox.demo.user
