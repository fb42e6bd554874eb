"""Certificates for identity tests: a self-signed app certificate as .pfx, and an in-memory
certificate store shaped like the vault's."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID


def app_certificate(name: str = "custom app") -> tuple[x509.Certificate, bytes]:
    """A certificate and its .pfx (password ``pw``)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )
    pfx = pkcs12.serialize_key_and_certificates(
        b"app", key, cert, None, serialization.BestAvailableEncryption(b"pw")
    )
    return cert, pfx


class MemoryCertificateStore:
    """Stores opened .pfx contents in memory under made-up refs."""

    def __init__(self) -> None:
        self.items: dict[str, Any] = {}

    def import_pfx(self, data: bytes, password: str | None) -> tuple[str, Any]:
        key, cert, _ = pkcs12.load_key_and_certificates(
            data, password.encode() if password else None
        )
        ref = f"cert-{uuid.uuid4().hex[:8]}"
        self.items[ref] = (key, cert)
        return ref, cert

    def load(self, ref: str) -> Any:
        return self.items[ref]

    def delete(self, ref: str) -> None:
        self.items.pop(ref, None)


def credential_of(contents: Any) -> dict[str, str]:
    key, cert = contents
    return {
        "private_key": key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ).decode(),
        "public_certificate": cert.public_bytes(serialization.Encoding.PEM).decode(),
    }
