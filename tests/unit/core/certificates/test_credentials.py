"""The client credential from a certificate, checked by signing an assertion with it."""

from __future__ import annotations

import base64
import json

import jwt
import pytest
from cryptography.hazmat.primitives import serialization

from desktop.core.certificates import (
    CertificateError,
    msal_client_credential,
    read_pfx_file,
    thumbprint,
)
from desktop.core.identity.assertion import signer
from tests.helpers.pfx_corpus import PfxCase


def test_credential_signs_an_assertion_entra_accepts(pfx_corpus: dict[str, PfxCase]) -> None:
    case = pfx_corpus["chain"]
    contents = read_pfx_file(case.path, case.password)
    credential = msal_client_credential(contents)
    # No SHA-1 thumbprint: MSAL (and our signer) then use PS256 with x5t#S256.
    assert set(credential) == {"private_key", "public_certificate"}
    assert credential["private_key"].startswith("-----BEGIN PRIVATE KEY-----")
    assert credential["public_certificate"].count("BEGIN CERTIFICATE") == 3
    sign = signer(
        credential["private_key"],
        credential["public_certificate"],
        "app",
        lambda: "https://login.test/token",
    )
    token = sign()
    header = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))
    assert header["alg"] == "PS256" and "x5t" not in header
    x5t256 = base64.urlsafe_b64decode(header["x5t#S256"] + "==").hex().upper()
    assert x5t256 == thumbprint(contents.certificate, "sha256")
    assert len(header["x5c"]) == 3
    public_pem = contents.certificate.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    claims = jwt.decode(
        token, public_pem, algorithms=["PS256"], audience="https://login.test/token"
    )
    assert claims["iss"] == "app"


@pytest.mark.parametrize("name", ["ec_key", "rsa_1024", "cert_only"])
def test_refuses_what_entra_refuses(pfx_corpus: dict[str, PfxCase], name: str) -> None:
    case = pfx_corpus[name]
    with pytest.raises(CertificateError):
        msal_client_credential(read_pfx_file(case.path, case.password))
