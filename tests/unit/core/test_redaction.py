"""Secrets never survive :func:`redact`; what a ticket needs does."""

from __future__ import annotations

import pytest

from desktop.core.redaction import redact

JWT = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJlLXBhcnQ"
PEM = (
    "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
    "-----END PRIVATE KEY-----"
)


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("GET /consent?code=0.AXoAbc-secretcode_1&state=s1", "0.AXoAbc-secretcode_1"),
        ("client_id=abc&client_secret=Sup3r~Secret.Value&scope=x", "Sup3r~Secret.Value"),
        ("grant_type=refresh_token&refresh_token=1.ARefreshTok3n", "1.ARefreshTok3n"),
        ("client_assertion_type=jwt-bearer&client_assertion=" + JWT, JWT),
        ("password=hunter2&user=bob", "hunter2"),
        ("Authorization: Bearer " + JWT, JWT),
        ("Authorization: Bearer 0.AVOpaqueAccessToken", "0.AVOpaqueAccessToken"),
        ("headers={'Authorization': 'Basic dXNlcjpwYXNzd29yZA=='}", "dXNlcjpwYXNzd29yZA=="),
        ('{"access_token": "at-123456", "token_type": "Bearer"}', "at-123456"),
        ('{"refresh_token": "rt-\\"quoted\\"-tail"}', "quoted"),
        ("{'pfx_password': 'p@ss word'}", "p@ss word"),
        ("Password: correct-horse battery", "correct-horse"),
        ("token " + JWT + " seen", JWT),
        ("key " + PEM + " end", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEtruncatedKeyMaterial", "MIIEtruncatedKeyMaterial"),
        ("pfx blob " + "MIIK" + "A1b2" * 100, "A1b2A1b2A1b2"),
        ("vault key=3f2a9c0d1e2f3a4b5c6d7e8f9a0b1c2d", "3f2a9c0d1e2f3a4b5c6d7e8f9a0b1c2d"),
        ("key: Zm9vYmFyYmF6cXV4", "Zm9vYmFyYmF6cXV4"),
        ("x-api-key: abcdef123456", "abcdef123456"),
        ("encryption_key='Zm9vYmFyYmF6'", "Zm9vYmFyYmF6"),
        ("client-secret: abc~123.xyz", "abc~123.xyz"),
        ("DefaultEndpointsProtocol=https;AccountKey=abcd1234==;", "abcd1234=="),
        ("sas_token=sv2020sigabc", "sv2020sigabc"),
        ('{"app_password": "p4ss"}', "p4ss"),
    ],
)
def test_secret_is_removed(text: str, secret: str) -> None:
    out = redact(text)
    assert secret not in out
    assert "[REDACTED" in out


@pytest.mark.parametrize(
    "text",
    [
        "AADSTS700082: The refresh token has expired due to inactivity.",
        "tenant=72f988bf-86f1-41af-91ab-2d7cd011db47 correlation_id=4b1c-aa trace_id=77",
        '{"error": "invalid_grant", "error_codes": [50076], "suberror": "basic_action"}',
        "error_code=50076 postcode=1234 barcode=abc",
        "-----BEGIN CERTIFICATE-----\nMIIBszCCAV2gAwIBAgIU\n-----END CERTIFICATE-----",
        "Checked 12 profiles for Contoso in 3.2 s",
        '{"token_type": "Bearer", "expires_in": 3599, "key_size": 2048}',
        "AADSTS700082: The refresh token has expired due to inactivity. keys=3",
    ],
)
def test_useful_text_is_kept(text: str) -> None:
    assert redact(text) == text


def test_surrounding_text_survives() -> None:
    out = redact("consent for contoso.onmicrosoft.com: code=abc123def&state=xyz done")
    assert out == "consent for contoso.onmicrosoft.com: code=[REDACTED]&state=xyz done"


def test_empty_text() -> None:
    assert redact("") == ""
