"""Checks reuse valid access tokens (one token request per resource, not one per check), and
still see what changed where it matters: real MSAL over HTTPS to the sandbox, whose token
endpoint counts every request."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from desktop.core.catalog.model import ConsentMethod, SetupMode
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.gateway import CertificateCredential
from desktop.core.checks.msal_gateway import MsalGateway
from desktop.core.checks.token_memo import TokenMemo
from desktop.core.checks.token_reuse import TokenReuse
from desktop.core.domain import AppProfile, Status, utc_now
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.signin import MemoryTokenCacheStore, TechnicianSession, interactive
from tests.helpers.browser import StandInBrowser
from tests.helpers.certificates import app_certificate
from tests.helpers.identity_fakes import catalog
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e
CUSTOM_APP_ID = "4d3c2b1a-0000-4000-8000-0000000c7e51"
GRAPH_ROLES = {"Group.ReadWrite.All", "User.ReadWrite.All", "Policy.Read.All"}


class _Vault:
    def __init__(self, credential: CertificateCredential) -> None:
        self.credential = credential

    def load(self, certificate_ref: str) -> CertificateCredential:
        return self.credential


def _custom_app(sb: RunningSandbox) -> CertificateCredential:
    """A customer-owned app holding Microsoft Graph and SharePoint roles (two resources)."""
    cert, pfx = app_certificate()
    key, loaded, _ = pkcs12.load_key_and_certificates(pfx, b"pw")
    assert key is not None and loaded is not None
    sb.scenario.register_app(
        CUSTOM_APP_ID, "Contoso custom app",
        application={"Microsoft Graph": set(GRAPH_ROLES),
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
    kw.setdefault("consented_at", utc_now() - timedelta(days=10))
    return AppProfile(
        name="p", customer_id=1, tenant_id=sb.demo.tenant_id, service_ids=("baseline",),
        app_type_id=app_type_id, id=1, **kw,
    )  # fmt: skip


def _custom_profile(sb: RunningSandbox) -> AppProfile:
    return _profile(
        sb, "apelements_baseline", mode=SetupMode.CUSTOM, custom_app_id=CUSTOM_APP_ID,
        certificate_ref="ref",
    )  # fmt: skip


def _checker(
    sb: RunningSandbox, credential: CertificateCredential | None = None, **gw: Any
) -> ProfileChecker:
    vault = _Vault(credential) if credential else None
    return ProfileChecker(
        catalog(), MsalGateway(**gw), vault,  # type: ignore[arg-type]
        client_id_for=lambda app: sb.demo.client_ids[app.id],
    )  # fmt: skip


def _token_requests(sb: RunningSandbox) -> int:
    return sb.sandbox.traffic.counts().get("token", 0)


def _signed_in_technician(sb: RunningSandbox) -> TokenReuse:
    """The technician's Graph token per tenant, asked for once (as a run's checks do)."""
    session = TechnicianSession(
        sb.demo.sign_in_client_id,
        MemoryTokenCacheStore(),
        open_browser=StandInBrowser(sb.sandbox.ca_path),
    )
    session.sign_in(endpoints_for(), sb.demo.tenant_id, timeout=30)
    return TokenReuse(session.graph_token)


# -- custom mode ----------------------------------------------------------------------------


def test_two_checks_of_a_custom_profile_ask_one_token_per_resource(
    sandbox: RunningSandbox,
) -> None:
    checker = _checker(sandbox, _custom_app(sandbox), memo=TokenMemo())
    profile = _custom_profile(sandbox)
    sandbox.sandbox.traffic.reset()
    first = checker.check(profile)
    assert first.status is Status.VALID, first
    assert _token_requests(sandbox) == 2  # Microsoft Graph and SharePoint
    second = checker.check(profile)
    assert second.status is Status.VALID, second
    assert _token_requests(sandbox) == 2  # both reused
    # Without the technician's sign-in the grants come from the reused tokens: it says when.
    assert "as of" not in first.reason
    assert "Permissions as of " in second.reason


def test_without_a_memo_each_check_asks_again(sandbox: RunningSandbox) -> None:
    checker = _checker(sandbox, _custom_app(sandbox))
    profile = _custom_profile(sandbox)
    sandbox.sandbox.traffic.reset()
    checker.check(profile)
    checker.check(profile)
    assert _token_requests(sandbox) == 4


def test_a_revocation_between_two_checks_is_seen_when_graph_decides(
    sandbox: RunningSandbox,
) -> None:
    """With the technician's sign-in, Graph shows the custom app's grants: a role revoked
    after the first check is missing in the second, though its app token is reused."""
    technician = _signed_in_technician(sandbox)
    memo = TokenMemo()
    credential = _custom_app(sandbox)
    profile = _custom_profile(sandbox)
    first = _checker(sandbox, credential, graph_token=technician, memo=memo).check(profile)
    assert first.status is Status.VALID, first
    sandbox.scenario.remove_roles(sandbox.demo.tenant_id, CUSTOM_APP_ID, ["Policy.Read.All"])
    sandbox.scenario.remove_roles(sandbox.demo.tenant_id, CUSTOM_APP_ID, ["Sites.FullControl.All"])
    sandbox.sandbox.traffic.reset()
    # The next run (a new gateway, the same process's memo).
    second = _checker(sandbox, credential, graph_token=technician, memo=memo).check(profile)
    assert second.status is Status.INVALID, second
    assert "Policy.Read.All" in second.reason
    assert "SharePoint: Sites.FullControl.All" in second.reason
    assert "as of" not in second.reason  # Graph told, now
    assert _token_requests(sandbox) == 0  # the app's token was reused; Graph decided


def test_a_check_after_reauthorization_sees_the_new_grants(sandbox: RunningSandbox) -> None:
    """A reused token still lacks a role granted since; the check that follows a consent asks
    for a fresh one (as the re-authorization's check service does), and it is then reused."""
    memo = TokenMemo()
    credential = _custom_app(sandbox)
    profile = _custom_profile(sandbox)
    sandbox.scenario.remove_roles(sandbox.demo.tenant_id, CUSTOM_APP_ID, ["Policy.Read.All"])
    bulk = _checker(sandbox, credential, memo=memo)
    assert bulk.check(profile).status is Status.INVALID
    sandbox.scenario.grant_admin_consent(sandbox.demo.tenant_id, CUSTOM_APP_ID)  # re-consent
    stale = bulk.check(profile)
    assert stale.status is Status.INVALID  # the reused token is as of before the consent
    assert "Permissions as of " in stale.reason
    after_consent = _checker(sandbox, credential, memo=memo, reuse_tokens=False)
    fresh = after_consent.check(profile)
    assert fresh.status is Status.VALID, fresh
    assert "as of" not in fresh.reason
    sandbox.sandbox.traffic.reset()
    again = bulk.check(profile)  # the fresh tokens replaced the old ones in the memo
    assert again.status is Status.VALID, again
    assert _token_requests(sandbox) == 0


def test_a_refused_token_is_not_memoised(sandbox: RunningSandbox) -> None:
    memo = TokenMemo()
    checker = _checker(sandbox, _custom_app(sandbox), memo=memo)
    profile = _custom_profile(sandbox)
    sandbox.scenario.block_conditional_access(sandbox.demo.tenant_id, apps_too=True)
    blocked = checker.check(profile)
    assert blocked.status is Status.INVALID and 53003 in blocked.error_codes, blocked
    assert len(memo) == 0
    sandbox.scenario.clear_faults()
    sandbox.sandbox.traffic.reset()
    assert checker.check(profile).status is Status.VALID
    assert _token_requests(sandbox) == 2  # asked again: the refusal was not kept
    assert len(memo) == 2


def test_a_changed_certificate_forgets_the_old_ones_tokens(sandbox: RunningSandbox) -> None:
    memo = TokenMemo()
    old = _custom_app(sandbox)
    profile = _custom_profile(sandbox)
    assert _checker(sandbox, old, memo=memo).check(profile).status is Status.VALID
    assert len(memo) == 2
    cert, pfx = app_certificate()
    sandbox.scenario.upload_certificate(
        CUSTOM_APP_ID, cert.public_bytes(serialization.Encoding.PEM).decode()
    )
    key, loaded, _ = pkcs12.load_key_and_certificates(pfx, b"pw")
    assert key is not None and loaded is not None
    new = CertificateCredential(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        loaded.public_bytes(serialization.Encoding.PEM).decode(),
        hashlib.sha1(loaded.public_bytes(serialization.Encoding.DER)).hexdigest(),
        loaded.not_valid_after_utc,
    )
    sandbox.sandbox.traffic.reset()
    assert _checker(sandbox, new, memo=memo).check(profile).status is Status.VALID
    assert _token_requests(sandbox) == 2  # the new certificate's own tokens
    assert len(memo) == 2  # the old certificate's are gone


# -- user consent ---------------------------------------------------------------------------


def _consent_as_user(sb: RunningSandbox) -> MemoryTokenCacheStore:
    store = MemoryTokenCacheStore()
    endpoints = endpoints_for()
    interactive(
        sb.demo.client_ids["cloud_backup_delegated"], endpoints, sb.demo.tenant_id,
        [endpoints.graph_default_scope], store, prompt="consent", timeout=30,
        open_browser=StandInBrowser(sb.sandbox.ca_path),
    )  # fmt: skip
    return store


def test_two_user_consent_checks_redeem_the_refresh_token_once(sandbox: RunningSandbox) -> None:
    store = _consent_as_user(sandbox)
    memo = TokenMemo()
    profile = _profile(
        sandbox, "cloud_backup_delegated", consent_method=ConsentMethod.USER,
        consenting_user=sandbox.demo.admin,
    )  # fmt: skip
    checker = _checker(sandbox, token_cache=store.load(), memo=memo)
    sandbox.sandbox.traffic.reset()
    assert checker.check(profile).status is Status.VALID
    once = _token_requests(sandbox)
    assert once >= 1
    second = checker.check(profile)
    assert second.status is Status.VALID, second
    assert _token_requests(sandbox) == once
    assert "Permissions as of " in second.reason
    # A check again (fresh) redeems the refresh token all the same.
    fresh = _checker(sandbox, token_cache=store.load(), memo=memo, reuse_tokens=False)
    assert fresh.check(profile).status is Status.VALID
    assert _token_requests(sandbox) == 2 * once


def test_a_token_graph_refuses_is_evicted(sandbox: RunningSandbox) -> None:
    """The custom app reads its directory roles with its own (reused) token; when Graph
    answers 401 (here: the identity platform rolled its signing key over), that token is
    forgotten and the next check asks for a new one."""
    from cryptography.hazmat.primitives.asymmetric import rsa

    from tests.helpers.check_fakes import profile as fake_profile
    from tests.helpers.check_fakes import small_catalog

    app_id = "4d3c2b1a-0000-4000-8000-0000000c7e52"
    cert, pfx = app_certificate()
    sandbox.scenario.register_app(
        app_id, "Contoso roles app",
        application={"Microsoft Graph": {"User.Read.All", "Sites.Read.All"},
                     "SharePoint": {"Sites.FullControl.All"}},
        certificates=[cert], home_tenant=sandbox.demo.tenant_id,
    )  # fmt: skip
    sandbox.scenario.grant_admin_consent(sandbox.demo.tenant_id, app_id)
    sandbox.scenario.assign_directory_role(sandbox.demo.tenant_id, app_id, "Exchange Administrator")
    key, loaded, _ = pkcs12.load_key_and_certificates(pfx, b"pw")
    assert key is not None and loaded is not None
    credential = CertificateCredential(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        loaded.public_bytes(serialization.Encoding.PEM).decode(),
        hashlib.sha1(loaded.public_bytes(serialization.Encoding.DER)).hexdigest(),
        loaded.not_valid_after_utc,
    )
    memo = TokenMemo()
    checker = ProfileChecker(small_catalog(), MsalGateway(memo=memo), _Vault(credential))
    target = fake_profile(tenant=sandbox.demo.tenant_id, custom_app_id=app_id)
    assert checker.check(target).status is Status.VALID
    assert len(memo) == 2
    sandbox.scenario.issuer.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    sandbox.sandbox.traffic.reset()
    refused = checker.check(target)
    assert _token_requests(sandbox) == 0  # the memo's tokens were handed out
    assert refused.status is not Status.INVALID  # roles unreadable never decide
    assert len(memo) == 1  # the Graph token Graph refused is gone
    checker.check(target)
    assert _token_requests(sandbox) == 1  # asked again for Microsoft Graph only
