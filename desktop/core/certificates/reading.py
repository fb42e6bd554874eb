"""Open a ``.pfx``/``.p12`` file and say, in plain words, what is wrong with it.

Each bad case has its own :class:`UserError`: a wrong or missing password, a file that is not
PKCS#12 (with a special word for a bare PEM or DER certificate), no private key, a key that is
not RSA, an RSA key under 2048 bits, and (for :func:`validate_for_profile`) a certificate that
has expired or is not yet valid.
"""

from __future__ import annotations

import hashlib
import os
import stat
from datetime import UTC, datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import dsa, ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12

from desktop.core.certificates.model import (
    EXPIRY_WARNING_DAYS,
    MIN_RSA_BITS,
    CertificateInfo,
    PfxContents,
)
from desktop.core.certificates.pkcs12_limits import Damaged, NotPkcs12, TooMuchWork, check_work
from desktop.core.errors import UserError

#: Larger files are not certificates; refuse before parsing (a PFX is a few KB).
MAX_PFX_BYTES = 1024 * 1024

NEED_PFX = "Choose the .pfx (or .p12) file that holds the app's certificate and private key."


class CertificateError(UserError):
    """A certificate file cannot be used; the message says why."""


def read_pfx_bytes(path: Path) -> bytes:
    """The bytes of the certificate file at *path*, with plain words for every failure.

    Only a regular file of at most :data:`MAX_PFX_BYTES` is read: a device like ``/dev/zero``
    would never end, and a FIFO would block (it is opened without blocking, then refused).
    """
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise _not_a_file(path)
        # O_NONBLOCK: a FIFO swapped in after the stat must not hang the open.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise _not_a_file(path)
            data = handle.read(MAX_PFX_BYTES + 1)
    except FileNotFoundError as exc:
        raise CertificateError(
            f"The file {path} does not exist.", remedy="Check the path and try again."
        ) from exc
    except IsADirectoryError as exc:
        raise _not_a_file(path) from exc
    except OSError as exc:
        raise CertificateError(
            f"Cannot read {path}: {exc.strerror or exc}.",
            remedy="Check that the file exists and that you may read it.",
        ) from exc
    if len(data) > MAX_PFX_BYTES:
        raise CertificateError(
            f"{path.name} is larger than {MAX_PFX_BYTES // 1024} KB, far too large for a "
            "certificate file.",
            remedy=NEED_PFX,
        )
    return data


def _not_a_file(path: Path) -> CertificateError:
    if path.is_dir():
        return CertificateError(f"{path} is a folder, not a file.", remedy=NEED_PFX)
    return CertificateError(
        f"{path} is not a regular file (it is a device, a pipe or a socket).", remedy=NEED_PFX
    )


def read_pfx_file(path: Path, password: str | None) -> PfxContents:
    """Read and open the PKCS#12 file at *path*."""
    return read_pfx(read_pfx_bytes(path), password)


def read_pfx(data: bytes, password: str | None) -> PfxContents:
    """Open PKCS#12 *data* with *password* (None or "" for none). Raises CertificateError."""
    if not data:
        raise CertificateError("The file is empty.", remedy=NEED_PFX)
    secret = _password_bytes(password)
    _check_structure(data)
    try:
        key, cert, extra = pkcs12.load_key_and_certificates(data, secret)
    except ValueError as exc:
        if "password" not in str(exc).lower():
            raise _damaged("the certificate library cannot read it") from exc
        if secret is None:
            raise CertificateError(
                "This .pfx file is protected by a password, and none was given.",
                remedy="Enter the certificate's password.",
            ) from exc
        # A password given for a file that has none is harmless: open it without one.
        try:
            key, cert, extra = pkcs12.load_key_and_certificates(data, None)
        except ValueError:
            raise CertificateError(
                "The password is wrong for this .pfx file.",
                remedy="Check the certificate's password (it is case-sensitive) and try again.",
            ) from exc
    certs = ([cert] if cert is not None else []) + list(extra)
    if not certs:
        raise CertificateError("The .pfx file holds no certificate.", remedy=NEED_PFX)
    leaf = _certificate_for_key(key.public_key(), certs) if key else _end_entity(certs)
    return PfxContents(
        private_key=key,
        certificate=leaf,
        chain=tuple(c for c in certs if c is not leaf),
    )


def _password_bytes(password: str | None) -> bytes | None:
    if not password:
        return None
    try:
        return password.encode("utf-8")
    except UnicodeEncodeError as exc:  # lone surrogates from undecodable terminal input
        raise CertificateError(
            "The password holds bytes that are not text (not UTF-8).",
            remedy="Type the password again, or pass it as UTF-8 text.",
        ) from exc


def _check_structure(data: bytes) -> None:
    """Refuse what is not PKCS#12, is damaged, or would hash the password absurdly often.

    This runs before any decryption: one hostile file could otherwise cost minutes of CPU.
    """
    try:
        check_work(data)
    except NotPkcs12 as exc:
        raise _not_pkcs12(data) from exc
    except Damaged as exc:
        raise _damaged(str(exc)) from exc
    except TooMuchWork as exc:
        count = f"{exc.iterations:,}" if exc.iterations < 10**12 else "billions of"
        what = "in all" if exc.total else "for one part"
        raise CertificateError(
            f"This .pfx file asks for {count} rounds of password hashing {what}; real "
            "certificate files use a few thousand. It was not opened: it is damaged or was "
            "made to stall this app.",
            remedy="Export the certificate again (from Windows, OpenSSL or cert create) and "
            "choose the new file.",
        ) from exc


def _damaged(detail: str) -> CertificateError:
    return CertificateError(
        f"This .pfx file is damaged ({detail}).",
        remedy="Copy or export the file again and choose the new copy.",
    )


def _not_pkcs12(data: bytes) -> CertificateError:
    """The error for data that is not PKCS#12, naming what it is when we can tell."""
    head = data[:4096].lstrip()
    if head.startswith(b"-----BEGIN"):
        if b"PRIVATE KEY-----" in data and b"CERTIFICATE-----" in data:
            return CertificateError(
                "This is a PEM file with a certificate and a key, not a .pfx.",
                remedy="Convert it to a .pfx (for example: openssl pkcs12 -export -in cert.pem "
                "-inkey key.pem -out app.pfx), then choose the .pfx.",
            )
        if b"CERTIFICATE-----" in data:
            return _bare_certificate()
        return CertificateError("This is a PEM file, not a .pfx.", remedy=NEED_PFX)
    try:
        x509.load_der_x509_certificate(data)
    except ValueError:
        pass
    else:
        return _bare_certificate()
    return CertificateError("This is not a PKCS#12 (.pfx) file, or it is damaged.", remedy=NEED_PFX)


def _bare_certificate() -> CertificateError:
    return CertificateError(
        "This is a certificate without its private key; you need the .pfx.",
        remedy="The .cer/.crt file is what you upload to the app registration. Choose the .pfx "
        "(or .p12) file that was exported together with the private key.",
    )


def _same_key(a: PublicKeyTypes, b: PublicKeyTypes) -> bool:
    fmt = serialization.PublicFormat.SubjectPublicKeyInfo
    der = serialization.Encoding.DER
    return a.public_bytes(der, fmt) == b.public_bytes(der, fmt)


def _certificate_for_key(public: PublicKeyTypes, certs: list[x509.Certificate]) -> x509.Certificate:
    for cert in certs:
        if _same_key(cert.public_key(), public):
            return cert
    raise CertificateError(
        "The private key in this .pfx file does not belong to any certificate in it.",
        remedy="Export the certificate again together with its own private key.",
    )


def _end_entity(certs: list[x509.Certificate]) -> x509.Certificate:
    """The certificate that issued none of the others (the leaf of the chain)."""
    for cert in certs:
        if not any(other is not cert and other.issuer == cert.subject for other in certs):
            return cert
    return certs[0]


def thumbprint(cert: x509.Certificate, algorithm: str = "sha1") -> str:
    """The certificate's thumbprint as the Entra portal shows it: uppercase hex, no colons."""
    der = cert.public_bytes(serialization.Encoding.DER)
    return hashlib.new(algorithm, der).hexdigest().upper()


def key_description(public: PublicKeyTypes) -> tuple[str, int]:
    """``("RSA", 2048)``, ``("EC", 256)``, ... for a public key."""
    if isinstance(public, rsa.RSAPublicKey):
        return "RSA", public.key_size
    if isinstance(public, ec.EllipticCurvePublicKey):
        return "EC", public.curve.key_size
    if isinstance(public, dsa.DSAPublicKey):
        return "DSA", public.key_size
    if isinstance(public, ed25519.Ed25519PublicKey):
        return "Ed25519", 256
    if isinstance(public, ed448.Ed448PublicKey):
        return "Ed448", 456
    return type(public).__name__.removesuffix("PublicKey").lstrip("_") or "unknown", 0


def _day(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d")


def inspect(contents: PfxContents, now: datetime | None = None) -> CertificateInfo:
    """Report on an opened file: names, thumbprints, validity, key, warnings and problems."""
    now = now or datetime.now(UTC)
    cert = contents.certificate
    not_before = cert.not_valid_before_utc
    not_after = cert.not_valid_after_utc
    key_type, key_size = key_description(cert.public_key())
    days_left = (not_after - now).days
    expired = now > not_after
    not_yet_valid = now < not_before
    expires_soon = not expired and not not_yet_valid and days_left < EXPIRY_WARNING_DAYS
    warnings: list[str] = []
    if expired:
        warnings.append(f"The certificate expired on {_day(not_after)}.")
    elif not_yet_valid:
        warnings.append(f"The certificate is not valid until {_day(not_before)}.")
    elif expires_soon:
        when = "today" if days_left == 0 else f"in {days_left} day{'s' if days_left != 1 else ''}"
        warnings.append(f"The certificate expires {when} ({_day(not_after)}).")
    problems: list[str] = []
    if contents.private_key is None:
        problems.append(NO_PRIVATE_KEY)
    if key_type != "RSA":
        problems.append(
            f"The key is {key_type}, but Microsoft Entra ID accepts only RSA certificates."
        )
    elif key_size < MIN_RSA_BITS:
        problems.append(
            f"The RSA key has {key_size} bits; Microsoft Entra ID needs at least {MIN_RSA_BITS}."
        )
    return CertificateInfo(
        subject=cert.subject.rfc4514_string(),
        issuer=cert.issuer.rfc4514_string(),
        serial=format(cert.serial_number, "X"),
        thumbprint_sha1=thumbprint(cert, "sha1"),
        thumbprint_sha256=thumbprint(cert, "sha256"),
        not_before=not_before,
        not_after=not_after,
        key_type=key_type,
        key_size=key_size,
        has_private_key=contents.private_key is not None,
        chain_length=1 + len(contents.chain),
        warnings=tuple(warnings),
        problems=tuple(problems),
        expired=expired,
        not_yet_valid=not_yet_valid,
        expires_soon=expires_soon,
        days_left=days_left,
    )


NO_PRIVATE_KEY = "The file holds no private key."

_PROBLEM_REMEDY = {
    "no key": "Export the certificate again as a .pfx including its private key, and choose it.",
    "not rsa": "Create or export an RSA certificate (2048 bits or more), upload its .cer to the "
    "app registration, and choose its .pfx.",
}


def usability_error(info: CertificateInfo) -> CertificateError | None:
    """The first reason the file cannot serve an Entra app (time aside), or None."""
    if not info.has_private_key:
        return CertificateError(NO_PRIVATE_KEY, remedy=_PROBLEM_REMEDY["no key"])
    if info.problems:
        return CertificateError(info.problems[0], remedy=_PROBLEM_REMEDY["not rsa"])
    return None


def profile_error(info: CertificateInfo) -> CertificateError | None:
    """Why an app profile cannot store this certificate (key, size, or time), or None."""
    error = usability_error(info)
    if error is not None:
        return error
    if info.expired:
        return CertificateError(
            info.warnings[0],
            remedy="Renew the certificate (or create a new one), upload its .cer to the app "
            "registration, and choose the new .pfx.",
        )
    if info.not_yet_valid:
        return CertificateError(
            info.warnings[0],
            remedy="Wait until it becomes valid, or choose a certificate that is valid now.",
        )
    return None


def validate_for_profile(contents: PfxContents, now: datetime | None = None) -> CertificateInfo:
    """Refuse what an app profile cannot use; otherwise return the report."""
    info = inspect(contents, now)
    error = profile_error(info)
    if error is not None:
        raise error
    return info


def inspect_pfx(data: bytes, password: str | None, now: datetime | None = None) -> CertificateInfo:
    """Open and report in one call."""
    return inspect(read_pfx(data, password), now)
