"""What a certificate file holds and what a technician is told about it.

:class:`PfxContents` is the opened file (private key and certificates, in memory only);
:class:`CertificateInfo` is the readable report of it, shared by the GUI panel and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes

#: Warn this many days before a certificate expires.
EXPIRY_WARNING_DAYS = 30
#: Microsoft Entra ID refuses shorter RSA keys (AADSTS50032 WeakRsaKey).
MIN_RSA_BITS = 2048


@dataclass(frozen=True)
class PfxContents:
    """An opened PKCS#12 file: the private key (if any), its certificate and the rest.

    ``certificate`` is the certificate the key belongs to (or, without a key, the end-entity
    certificate); ``chain`` holds the other certificates in the file.
    """

    private_key: PrivateKeyTypes | None
    certificate: x509.Certificate
    chain: tuple[x509.Certificate, ...] = ()


@dataclass(frozen=True)
class CertificateInfo:
    """A readable report about one certificate file.

    ``warnings`` are about time (expired, not yet valid, expires soon); ``problems`` say why
    the file cannot serve a Microsoft Entra app (no private key, not RSA, key too short).
    """

    subject: str
    issuer: str
    serial: str
    thumbprint_sha1: str
    thumbprint_sha256: str
    not_before: datetime
    not_after: datetime
    key_type: str
    key_size: int
    has_private_key: bool
    chain_length: int
    warnings: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()
    expired: bool = False
    not_yet_valid: bool = False
    expires_soon: bool = False
    days_left: int = 0

    @property
    def usable(self) -> bool:
        """Whether the key and certificate can serve an Entra app (time aside)."""
        return not self.problems

    @property
    def common_name(self) -> str:
        """The subject's CN, or the whole subject when there is none."""
        return common_name_of(self.subject)

    def to_json(self) -> dict[str, Any]:
        """The CLI's ``cert inspect --format json`` object (keys are a stable interface)."""
        return {
            "subject": self.subject,
            "issuer": self.issuer,
            "serial": self.serial,
            "thumbprint_sha1": self.thumbprint_sha1,
            "thumbprint_sha256": self.thumbprint_sha256,
            "not_before": iso_utc(self.not_before),
            "not_after": iso_utc(self.not_after),
            "key_type": self.key_type,
            "key_size": self.key_size,
            "has_private_key": self.has_private_key,
            "chain_length": self.chain_length,
            "warnings": [*self.warnings, *self.problems],
        }


def common_name_of(name: str) -> str:
    """The CN in an RFC 4514 name (``O=Contoso,CN=App`` -> ``App``), or the whole name."""
    for part in name.split(","):
        key, _, value = part.partition("=")
        if key.strip().upper() == "CN":
            return value.strip()
    return name


def iso_utc(moment: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``: ``2025-01-31T12:00:00Z``."""
    return moment.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
