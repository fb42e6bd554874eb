"""Compact JWS (JWT) signing and verification for the sandbox: RS256 and PS256 only."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa


class JwsError(ValueError):
    """A token that is malformed or whose signature does not verify."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def thumbprints(cert: x509.Certificate) -> tuple[str, str]:
    """``(x5t, x5t#S256)`` of *cert*: base64url SHA-1 and SHA-256 of its DER form."""
    der = cert.public_bytes(serialization.Encoding.DER)
    return b64url(hashlib.sha1(der).digest()), b64url(hashlib.sha256(der).digest())


def sign(claims: dict[str, Any], key: rsa.RSAPrivateKey, kid: str) -> str:
    """An RS256 JWT over *claims*."""
    header = {"typ": "JWT", "alg": "RS256", "kid": kid}
    signing_input = (
        b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + b64url(json.dumps(claims, separators=(",", ":")).encode())
    )
    signature = key.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    return f"{signing_input}.{b64url(signature)}"


def split(token: str) -> tuple[dict[str, Any], dict[str, Any], bytes, bytes]:
    """``(header, claims, signing_input, signature)`` of a compact JWS, unverified."""
    parts = token.split(".")
    if len(parts) != 3:
        raise JwsError("The token is not a compact JWS.")
    try:
        header = json.loads(b64url_decode(parts[0]))
        claims = json.loads(b64url_decode(parts[1]))
        signature = b64url_decode(parts[2])
    except (ValueError, TypeError) as exc:
        raise JwsError(f"The token cannot be decoded: {exc}") from exc
    if not isinstance(header, dict) or not isinstance(claims, dict):
        raise JwsError("The token's header or claims are not JSON objects.")
    return header, claims, f"{parts[0]}.{parts[1]}".encode("ascii"), signature


def verify(token: str, public_key: rsa.RSAPublicKey) -> dict[str, Any]:
    """The claims of *token* when its RS256/PS256 signature verifies with *public_key*."""
    header, claims, signing_input, signature = split(token)
    alg = header.get("alg")
    if alg == "RS256":
        pad: padding.AsymmetricPadding = padding.PKCS1v15()
    elif alg == "PS256":
        pad = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO)
    else:
        raise JwsError(f"Unsupported signing algorithm {alg!r}.")
    try:
        public_key.verify(signature, signing_input, pad, hashes.SHA256())
    except InvalidSignature as exc:
        raise JwsError("The signature does not verify.") from exc
    return claims
