"""MSAL's client credential from a certificate, checked by MSAL's own assertion signer."""

from __future__ import annotations

import base64
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from msal.oauth2cli.assertion import JwtAssertionCreator

from desktop.core.certificates import (
    CertificateError,
    msal_client_credential,
    read_pfx_file,
    thumbprint,
)
from tests.helpers.pfx_corpus import PfxCase


def test_credential_signs_an_assertion_entra_accepts(pfx_corpus: dict[str, PfxCase]) -> None:
    case = pfx_corpus["chain"]
    contents = read_pfx_file(case.path, case.password)
    credential = msal_client_credential(contents)
    assert set(credential) == {"private_key", "thumbprint", "public_certificate"}
    assert credential["thumbprint"] == case.sha1
    assert credential["private_key"].startswith("-----BEGIN PRIVATE KEY-----")
    assert credential["public_certificate"].count("BEGIN CERTIFICATE") == 3
    # Sign the way MSAL does with this dict (RS256 + x5t), then verify with the certificate.
    creator = JwtAssertionCreator(
        credential["private_key"], algorithm="RS256", sha1_thumbprint=credential["thumbprint"]
    )
    raw = creator.create_normal_assertion(audience="https://login.test/token", issuer="app")
    token = raw.decode() if isinstance(raw, bytes) else raw
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    x5t = base64.urlsafe_b64decode(header["x5t"] + "==").hex().upper()
    assert x5t == thumbprint(contents.certificate) == case.sha1
    public_pem = contents.certificate.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    claims = jwt.decode(
        token, public_pem, algorithms=["RS256"], audience="https://login.test/token"
    )
    assert claims["iss"] == "app"


@pytest.mark.parametrize("name", ["ec_key", "rsa_1024", "cert_only"])
def test_refuses_what_entra_refuses(pfx_corpus: dict[str, PfxCase], name: str) -> None:
    case = pfx_corpus[name]
    with pytest.raises(CertificateError):
        msal_client_credential(read_pfx_file(case.path, case.password))
