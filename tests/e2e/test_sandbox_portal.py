"""Custom mode can be finished in the sandbox: the customer-owned app's certificate is uploaded
on the sandbox's app registrations page (plain http, as a browser sees it), then the app signs
in with that certificate."""

from __future__ import annotations

import base64

import msal
import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12

from desktop.core.endpoints import endpoints_for
from desktop.sandbox.demo import CUSTOM_APP_ID
from tests.helpers.certificates import app_certificate, credential_of
from tests.helpers.sandbox import RunningSandbox

pytestmark = pytest.mark.e2e


def _client_token(sb: RunningSandbox, pfx: bytes) -> dict[str, object]:
    key, cert, _ = pkcs12.load_key_and_certificates(pfx, b"pw")
    endpoints = endpoints_for()
    app = msal.ConfidentialClientApplication(
        CUSTOM_APP_ID,
        authority=endpoints.authority(sb.demo.tenant_id),
        client_credential=credential_of((key, cert)),
        instance_discovery=False,
    )
    return dict(app.acquire_token_for_client([endpoints.graph_default_scope]))


def test_the_page_is_plain_http_and_names_the_customer_app(sandbox: RunningSandbox) -> None:
    url = sandbox.sandbox.portal_url
    assert url.startswith("http://127.0.0.1:")
    page = requests.get(url, timeout=10)
    assert page.status_code == 200
    assert CUSTOM_APP_ID in page.text and "Upload certificate" in page.text


def test_an_uploaded_certificate_lets_the_custom_app_sign_in(sandbox: RunningSandbox) -> None:
    cert, pfx = app_certificate("contoso custom app")
    refused = _client_token(sandbox, pfx)
    assert refused.get("error") == "invalid_client"  # no certificate registered yet
    der = cert.public_bytes(serialization.Encoding.DER)
    answer = requests.post(
        sandbox.sandbox.portal_url,
        data={"client_id": CUSTOM_APP_ID, "certificate": base64.b64encode(der).decode()},
        timeout=10,
    )
    assert answer.status_code == 200 and "uploaded" in answer.text
    assert "access_token" in _client_token(sandbox, pfx)


@pytest.mark.parametrize(
    ("client_id", "certificate", "words"),
    [
        (CUSTOM_APP_ID, "bm90IGEgY2VydGlmaWNhdGU=", "not a certificate file"),
        ("00000000-0000-4000-8000-000000000000", "", "No customer-owned app"),
    ],
)
def test_what_entra_would_refuse_is_refused(
    sandbox: RunningSandbox, client_id: str, certificate: str, words: str
) -> None:
    if not certificate:
        cert, _pfx = app_certificate()
        certificate = cert.public_bytes(serialization.Encoding.PEM).decode()
    answer = requests.post(
        sandbox.sandbox.portal_url,
        data={"client_id": client_id, "certificate": certificate},
        timeout=10,
    )
    assert answer.status_code == 400 and words in answer.text
