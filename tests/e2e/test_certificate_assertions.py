"""Certificate assertions against the sandbox's token endpoint: PS256 with ``x5t#S256`` and
``nbf`` a minute back, on the one signing path verification and checks share."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import timedelta
from typing import Any

import msal
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from desktop.core.catalog.model import SetupMode
from desktop.core.checks.checker import ProfileChecker
from desktop.core.checks.gateway import CertificateCredential
from desktop.core.checks.http import CheckHttpClient
from desktop.core.checks.msal_gateway import MsalGateway
from desktop.core.domain import AppProfile, Status, utc_now
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.config import msal_options
from desktop.core.identity.verify import verify_client_credentials
from tests.helpers.certificates import app_certificate
from tests.helpers.identity_fakes import BASELINE, catalog
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e
APP_ID = "4d3c2b1a-0000-4000-8000-00000000a551"
ROLES: dict[str, set[str]] = {}
for _p in BASELINE.permissions:
    if _p.type.value == "Application":
        ROLES.setdefault(_p.api, set()).add(_p.name)


class _RecordingHttp(CheckHttpClient):
    """The checks' HTTP client, keeping the token requests that carried an assertion."""

    def __init__(self) -> None:
        super().__init__()
        self.assertion_forms: list[dict[str, str]] = []

    def post(self, url: str, **kwargs: Any) -> Any:
        data = kwargs.get("data")
        if isinstance(data, dict) and "client_assertion" in data:
            self.assertion_forms.append(data)
        return super().post(url, **kwargs)


def _register(sb: RunningSandbox) -> tuple[str, str, str]:
    """The custom app with its certificate; (key PEM, certificate PEM, SHA-1 hex)."""
    cert, pfx = app_certificate("assertions")
    key, loaded, _ = pkcs12.load_key_and_certificates(pfx, b"pw")
    assert key is not None and loaded is not None
    sb.scenario.register_app(
        APP_ID, "Contoso custom app", application=ROLES,
        certificates=[cert], home_tenant=sb.demo.tenant_id,
    )  # fmt: skip
    sb.scenario.grant_admin_consent(sb.demo.tenant_id, APP_ID)
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    cert_pem = loaded.public_bytes(serialization.Encoding.PEM).decode()
    return (
        key_pem,
        cert_pem,
        hashlib.sha1(loaded.public_bytes(serialization.Encoding.DER)).hexdigest(),
    )


def test_a_check_works_when_this_computers_clock_runs_ahead(sandbox: RunningSandbox) -> None:
    key_pem, cert_pem, sha1 = _register(sandbox)
    sandbox.scenario.set_clock_offset(-30)  # Microsoft's clock is 30 s behind ours
    http = _RecordingHttp()
    credential = CertificateCredential(key_pem, cert_pem, sha1, utc_now() + timedelta(days=300))

    class Vault:
        def load(self, ref: str) -> CertificateCredential:
            return credential

    checker = ProfileChecker(catalog(), MsalGateway(http=http), Vault())
    profile = AppProfile(
        name="p", customer_id=1, tenant_id=sandbox.demo.tenant_id, service_ids=("baseline",),
        app_type_id="apelements_baseline", id=1, mode=SetupMode.CUSTOM, custom_app_id=APP_ID,
        certificate_ref="ref", consented_at=utc_now() - timedelta(days=1),
    )  # fmt: skip
    result = checker.check(profile)
    assert result.status is Status.VALID, result
    # One token per API the app type lists (a token carries one resource's roles).
    assert http.assertion_forms
    for form in http.assertion_forms:
        header, claims = (
            json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))
            for part in form["client_assertion"].split(".")[:2]
        )
        assert header["alg"] == "PS256" and "x5t#S256" in header and "x5t" not in header
        assert claims["nbf"] <= claims["iat"] - 60


def test_verification_after_consent_signs_the_same_way(sandbox: RunningSandbox) -> None:
    key_pem, cert_pem, _ = _register(sandbox)
    sandbox.scenario.set_clock_offset(-30)
    verdict = verify_client_credentials(
        BASELINE, endpoints_for(), sandbox.demo.tenant_id, APP_ID,
        {"private_key": key_pem, "public_certificate": cert_pem},
    )  # fmt: skip
    assert verdict.status is Status.VALID, verdict
    seen = sandbox.sandbox.issuer.accepted_assertions
    assert seen and all(h["alg"] == "PS256" and "x5t#S256" in h for h, _ in seen)
    assert all(c["nbf"] <= c["iat"] - 60 for _, c in seen)


def test_the_sandbox_still_accepts_rs256_with_a_sha1_thumbprint(sandbox: RunningSandbox) -> None:
    key_pem, _, sha1 = _register(sandbox)
    endpoints = endpoints_for()
    app = msal.ConfidentialClientApplication(
        APP_ID,
        client_credential={"private_key": key_pem, "thumbprint": sha1},
        authority=endpoints.authority(sandbox.demo.tenant_id),
        **msal_options(endpoints),  # type: ignore[arg-type]
    )
    result = app.acquire_token_for_client([endpoints.graph_default_scope])
    assert "access_token" in result, result
