"""Checks end to end: unpatched MSAL over TLS to a local token endpoint, scenario by scenario."""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from desktop.core.cancel import CancelToken
from desktop.core.checks.bulk import run_bulk_check
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.gateway import CertificateCredential
from desktop.core.checks.msal_gateway import MsalGateway
from desktop.core.checks.result import CheckResult
from desktop.core.checks.status_rules import Action
from desktop.core.domain import AppProfile, Status
from tests.helpers.check_fakes import profile, small_catalog
from tests.helpers.token_server import TokenServer, running_token_server

pytestmark = pytest.mark.e2e

# The token stand-in answers every resource with the same roles (SharePoint's among them).
ALL_ROLES = ["User.Read.All", "Sites.Read.All", "Sites.FullControl.All"]


def make_credential(days: int = 300) -> CertificateCredential:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "custom app")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=days))
        .sign(key, hashes.SHA256())
    )
    der = cert.public_bytes(serialization.Encoding.DER)
    return CertificateCredential(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        cert.public_bytes(serialization.Encoding.PEM).decode(),
        hashlib.sha1(der).hexdigest().upper(),
        cert.not_valid_after_utc,
    )


class Credentials:
    def __init__(self) -> None:
        self.credential = make_credential()

    def load(self, certificate_ref: str) -> CertificateCredential:
        return self.credential


@pytest.fixture(scope="module")
def credentials() -> Credentials:
    return Credentials()


@pytest.fixture
def server(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[TokenServer]:
    with running_token_server(tmp_path) as state:
        monkeypatch.setenv("APP_PROFILES_AUTHORITY_HOST", state.base)
        monkeypatch.setenv("APP_PROFILES_GRAPH_HOST", state.base)
        monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(state.ca_path))
        yield state


@pytest.fixture
def checker(server: TokenServer, credentials: Credentials) -> ProfileChecker:
    return ProfileChecker(small_catalog(), MsalGateway(), credentials)


def custom(tenant: str, id: int = 1, **kw: object) -> AppProfile:
    return profile("custom-azure-app", id=id, tenant=tenant, **kw)


def test_valid_custom_app(server: TokenServer, checker: ProfileChecker) -> None:
    server.scenario("ok").roles = ALL_ROLES
    server.scenario("ok").directory_roles = ["Exchange Administrator"]
    result = checker.check(custom("ok"))
    assert result.status is Status.VALID, result.reason


def test_every_check_asks_the_server_again(server: TokenServer, checker: ProfileChecker) -> None:
    scenario = server.scenario("again")
    scenario.roles = ALL_ROLES
    scenario.directory_roles = ["Exchange Administrator"]
    checker.check(custom("again"))
    scenario.refuse = (400, "unauthorized_client", [700016], "AADSTS700016: not found")
    # Neither MSAL's token cache nor its error cache answers the second check.
    assert checker.check(custom("again")).status is Status.INVALID
    scenario.refuse = None
    assert checker.check(custom("again")).status is Status.VALID
    # Graph and SharePoint each time, but the refused check stops at Graph's refusal.
    assert scenario.token_requests == 2 + 1 + 2


SCENARIOS = [
    ((400, "unauthorized_client", [700016], "AADSTS700016: app not found"), Status.INVALID,
     "deleted from the tenant"),
    ((400, "invalid_client", [7000229], "AADSTS7000229: missing service principal"),
     Status.INVALID, "service principal"),
    ((401, "invalid_client", [700027], "AADSTS700027: Client assertion contains an invalid "
      "signature. [Reason - The key was not found.]"), Status.INVALID,
     "no longer knows this certificate"),
    ((401, "invalid_client", [700027], "AADSTS700027: [Reason - The key used is expired.]"),
     Status.EXPIRED, "certificate has expired"),
    ((401, "invalid_client", [700027], "AADSTS700027: signature validation failed"),
     Status.INVALID, "does not match"),
    ((400, "invalid_grant", [65001], "AADSTS65001: consent"), Status.INVALID, "revoked"),
    ((400, "invalid_request", [90002], "AADSTS90002: Tenant not found"), Status.INVALID,
     "tenant was not found"),
    ((400, "invalid_client", [7000112], "AADSTS7000112: disabled"), Status.INVALID, "disabled"),
    ((400, "interaction_required", [53003], "AADSTS53003: blocked by CA"), Status.INVALID,
     "Conditional Access"),
]  # fmt: skip


@pytest.mark.parametrize(("refusal", "status", "words"), SCENARIOS)
def test_scenarios_give_their_status_and_reason(
    server: TokenServer,
    checker: ProfileChecker,
    refusal: tuple[int, str, list[int], str],
    status: Status,
    words: str,
) -> None:
    server.scenario("t").refuse = refusal
    result = checker.check(custom("t"))
    assert result.status is status
    assert words in result.reason
    assert result.error_codes == tuple(refusal[2])
    assert "c0ffee00" in result.detail  # the correlation ID is kept for a ticket


def test_conditional_access_block_carries_the_note(
    server: TokenServer, checker: ProfileChecker
) -> None:
    server.scenario("ca").refuse = (400, "interaction_required", [53003], "AADSTS53003")
    result = checker.check(custom("ca"))
    assert result.conditional_access and result.action is Action.CONDITIONAL_ACCESS


def test_revoked_roles_show_as_missing(server: TokenServer, checker: ProfileChecker) -> None:
    server.scenario("r").roles = ["User.Read.All"]
    server.scenario("r").directory_roles = []
    result = checker.check(custom("r"))
    assert result.status is Status.INVALID
    # The stand-in gives every resource the same roles: SharePoint's is gone too.
    assert result.missing_permissions == ("Sites.Read.All", "SharePoint: Sites.FullControl.All")
    assert result.missing_roles == ("Exchange Administrator",)


def test_server_error_keeps_the_status(server: TokenServer, checker: ProfileChecker) -> None:
    server.scenario("5xx").server_error = True
    result = checker.check(custom("5xx", status=Status.VALID))
    assert result.transient and result.status is Status.VALID
    assert "server error" in result.reason


def test_outage_keeps_the_status(server: TokenServer, checker: ProfileChecker) -> None:
    server.scenario("down").down = True
    result = checker.check(custom("down", status=Status.VALID))
    assert result.transient and result.status is Status.VALID
    assert "cannot be reached" in result.reason


def test_429_with_retry_after_is_honoured(server: TokenServer, checker: ProfileChecker) -> None:
    scenario = server.scenario("slow")
    scenario.roles = ALL_ROLES
    scenario.directory_roles = ["Exchange Administrator"]
    scenario.throttle_times = 1
    scenario.retry_after = 1
    outcome = run_bulk_check([custom("slow")], checker.check)
    assert [r.status for r in outcome.results] == [Status.VALID]
    assert outcome.retries == 1
    first, second = scenario.token_times[:2]
    assert second - first >= 1.0  # the retry waited for Retry-After


def test_outage_in_the_middle_of_a_bulk_check_flips_nothing_to_invalid(
    server: TokenServer, checker: ProfileChecker
) -> None:
    tenants = [f"n{i}" for i in range(6)]
    for tenant in tenants:
        server.scenario(tenant).roles = ALL_ROLES
        server.scenario(tenant).directory_roles = ["Exchange Administrator"]
    profiles = [custom(tenants[i % 6], id=i + 1, status=Status.VALID) for i in range(30)]
    seen: list[CheckResult] = []
    lock = threading.Lock()

    def on_result(result: CheckResult) -> None:
        with lock:
            seen.append(result)
            if len(seen) == 8:  # the network goes away mid-run
                for tenant in tenants:
                    server.scenario(tenant).down = True

    outcome = run_bulk_check(profiles, checker.check, on_result=on_result, concurrency=4)
    assert len(outcome.results) == 30
    assert all(r.status is Status.VALID for r in outcome.results)
    assert any(r.transient for r in outcome.results)  # the outage was really seen


def test_cancel_keeps_finished_results(server: TokenServer, checker: ProfileChecker) -> None:
    server.latency = 0.05
    profiles = [custom(f"c{i}", id=i + 1) for i in range(40)]
    token = CancelToken()
    seen: list[int] = []

    def on_result(result: CheckResult) -> None:
        seen.append(result.id)
        if len(seen) == 3:
            token.cancel()

    outcome = run_bulk_check(
        profiles, checker.check, on_result=on_result, token=token, concurrency=4
    )
    assert outcome.cancelled
    assert 3 <= len(outcome.results) <= 3 + 4
    requests_made = sum(s.token_requests for s in server.scenarios.values())
    # Two tokens per check (Graph, SharePoint); nothing started after the cancel was lost.
    assert requests_made == 2 * len(outcome.results)
