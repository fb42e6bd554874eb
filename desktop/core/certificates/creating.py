"""Create a self-signed certificate for a custom Entra app, and export it.

The certificate is what Microsoft documents for app authentication: RSA 2048/3072/4096,
``BasicConstraints(ca=False)``, ``KeyUsage(digitalSignature, keyEncipherment)``, EKU
clientAuth, signed with SHA-256. The ``.cer`` (DER) goes to the app registration; the ``.pfx``
keeps the private key, protected by AES-256 or, for older Windows, 3DES/SHA-1.
"""

from __future__ import annotations

import enum
import errno
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import cast

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from desktop.core.certificates.model import PfxContents
from desktop.core.disk import disk_full_error, is_full_os_error
from desktop.core.errors import UserError

KEY_SIZES = (2048, 3072, 4096)
DEFAULT_DAYS = 365
MAX_DAYS = 3650
#: Clock skew allowance: a new certificate is valid from a few minutes ago.
BACKDATE = timedelta(minutes=5)


class PfxEncryption(enum.Enum):
    """How an exported ``.pfx`` protects its contents."""

    AES256 = "aes256"
    #: PBES1 3DES with a SHA-1 MAC: opens on Windows Server 2016 / Windows 10 before 1709.
    LEGACY_3DES = "3des"


def default_subject(customer: str, app: str) -> str:
    """A subject CN from the customer's and the app's names: ``Contoso - Backup app``."""
    parts = [" ".join(p.split()) for p in (customer, app) if p and p.strip()]
    return " - ".join(parts) or "Custom app"


def file_stem(subject: str) -> str:
    """A safe file name (without extension) from a subject: ``Contoso-Backup-app``."""
    cn = subject.removeprefix("CN=").strip()
    stem = re.sub(r"[^A-Za-z0-9._]+", "-", cn).strip("-.")
    return stem[:80] or "certificate"


@dataclass(frozen=True)
class CertificateRequest:
    """What to create. ``subject`` is the CN (a leading ``CN=`` is accepted)."""

    subject: str
    days: int = DEFAULT_DAYS
    key_size: int = 2048

    def validated(self) -> CertificateRequest:
        """Check the values; raise a :class:`UserError` naming the bad one."""
        cn = self.subject.strip().removeprefix("CN=").strip()
        if not cn:
            raise UserError(
                "The certificate needs a subject.",
                remedy="Enter a name, e.g. the customer's and the app's name.",
            )
        if len(cn) > 64:
            raise UserError(
                f"The subject is {len(cn)} characters long; at most 64 are allowed.",
                remedy="Enter a shorter name.",
            )
        if not 1 <= self.days <= MAX_DAYS:
            raise UserError(
                f"The validity must be between 1 and {MAX_DAYS} days, not {self.days}.",
                remedy="Choose a validity of one or two years (365 or 730 days).",
            )
        if self.key_size not in KEY_SIZES:
            sizes = ", ".join(str(s) for s in KEY_SIZES)
            raise UserError(
                f"The key size must be one of {sizes} bits, not {self.key_size}.",
                remedy="Choose 2048 unless your organization asks for more.",
            )
        return CertificateRequest(subject=cn, days=self.days, key_size=self.key_size)


def create_self_signed(request: CertificateRequest, now: datetime | None = None) -> PfxContents:
    """Generate an RSA key and a self-signed certificate for app authentication."""
    request = request.validated()
    now = now or datetime.now(UTC)
    key = rsa.generate_private_key(public_exponent=65537, key_size=request.key_size)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, request.subject)])
    public = key.public_key()
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        # Positive, at most 20 octets (RFC 5280).
        .serial_number(int.from_bytes(secrets.token_bytes(16), "big") >> 1)
        .not_valid_before(now - BACKDATE)
        .not_valid_after(now + timedelta(days=request.days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=True,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )
    return PfxContents(private_key=key, certificate=cert)


def export_cer(contents: PfxContents) -> bytes:
    """The certificate alone, DER-encoded: the ``.cer`` to upload to the app registration."""
    return contents.certificate.public_bytes(serialization.Encoding.DER)


def export_pfx(
    contents: PfxContents,
    password: str | None,
    encryption: PfxEncryption = PfxEncryption.AES256,
    *,
    friendly_name: str | None = None,
) -> bytes:
    """The key and certificates as PKCS#12, protected by *password* (None: unprotected)."""
    algorithm: serialization.KeySerializationEncryption
    if not password:
        algorithm = serialization.NoEncryption()
    elif encryption is PfxEncryption.LEGACY_3DES:
        algorithm = (
            serialization.PrivateFormat.PKCS12.encryption_builder()
            .kdf_rounds(2048)
            .key_cert_algorithm(pkcs12.PBES.PBESv1SHA1And3KeyTripleDESCBC)
            .hmac_hash(hashes.SHA1())
            .build(password.encode("utf-8"))
        )
    else:
        algorithm = serialization.BestAvailableEncryption(password.encode("utf-8"))
    name = friendly_name or contents.certificate.subject.rfc4514_string()
    key = cast(pkcs12.PKCS12PrivateKeyTypes | None, contents.private_key)
    return pkcs12.serialize_key_and_certificates(
        name.encode("utf-8"), key, contents.certificate, list(contents.chain) or None, algorithm
    )


def write_new_file(path: Path, data: bytes, *, private: bool = False) -> None:
    """Write *data* to a new file at *path*: never overwrite, never leave a partial file.

    The bytes go to a temporary file next to it first, which is then linked into place (a
    link, unlike a rename, fails when the name exists). A failed write (a full disk) removes
    the temporary file, so nothing blocks the retry.
    """
    if path.exists():
        raise UserError(
            f"{path} already exists.",
            remedy="Choose another folder or name; the existing file was not changed.",
        )
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        _place(tmp, path)
    except FileExistsError as exc:
        raise UserError(f"{path} already exists.", remedy="Choose another folder or name.") from exc
    except OSError as exc:
        if is_full_os_error(exc):
            raise disk_full_error(path, lost_nothing="No file was left behind.") from exc
        raise UserError(
            f"Cannot write {path}: {exc.strerror or exc}.",
            remedy="Choose a folder you can write to.",
        ) from exc
    finally:
        tmp.unlink(missing_ok=True)


def _place(tmp: Path, path: Path) -> None:
    """Give the finished *tmp* the name *path*, failing if that name exists."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
            raise
        # No hard links here (FAT, some shares): check, then rename; a tiny race, no partial file.
        if path.exists():
            raise FileExistsError(errno.EEXIST, "File exists", str(path)) from exc
        os.replace(tmp, path)


@dataclass(frozen=True)
class WrittenFiles:
    """Where :func:`write_certificate_files` put the files."""

    cer: Path
    pfx: Path | None


def write_certificate_files(
    contents: PfxContents,
    folder: Path,
    stem: str,
    password: str | None,
    encryption: PfxEncryption = PfxEncryption.AES256,
) -> WrittenFiles:
    """Write ``<stem>.cer`` and, when a password is given, ``<stem>.pfx`` into *folder*.

    Nothing is overwritten: when either file exists, neither is written.
    """
    cer = folder / f"{stem}.cer"
    pfx = folder / f"{stem}.pfx" if password else None
    for path in (cer, pfx):
        if path is not None and path.exists():
            raise UserError(
                f"{path} already exists.",
                remedy="Choose another folder or name; the existing file was not changed.",
            )
    pfx_bytes = export_pfx(contents, password, encryption) if password else None
    write_new_file(cer, export_cer(contents))
    if pfx is not None and pfx_bytes is not None:
        try:
            write_new_file(pfx, pfx_bytes, private=True)
        except UserError:
            cer.unlink(missing_ok=True)
            raise
    return WrittenFiles(cer=cer, pfx=pfx)
