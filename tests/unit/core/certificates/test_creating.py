"""Creating a self-signed app certificate and exporting .cer and .pfx, checked by openssl."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509.oid import ExtendedKeyUsageOID

from desktop.core.certificates import (
    CertificateRequest,
    PfxEncryption,
    create_self_signed,
    default_subject,
    export_cer,
    export_pfx,
    file_stem,
    inspect,
    read_pfx,
    write_certificate_files,
)
from desktop.core.errors import UserError


@pytest.fixture(scope="module")
def created():  # type: ignore[no-untyped-def]
    return create_self_signed(CertificateRequest("CN=Contoso - Backup app", days=365))


def openssl(*args: str, input_bytes: bytes | None = None) -> str:
    proc = subprocess.run(
        ["openssl", *args], input=input_bytes, capture_output=True, check=False, timeout=60
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode() + proc.stderr.decode()


def test_certificate_suits_app_authentication(created) -> None:  # type: ignore[no-untyped-def]
    cert = created.certificate
    assert cert.subject.rfc4514_string() == "CN=Contoso - Backup app"
    assert cert.issuer == cert.subject
    assert cert.signature_hash_algorithm is not None
    assert isinstance(cert.signature_hash_algorithm, hashes.SHA256)
    basic = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
    assert basic.ca is False
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.key_encipherment and not usage.key_cert_sign
    eku = cert.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
    assert list(eku) == [ExtendedKeyUsageOID.CLIENT_AUTH]
    lifetime = cert.not_valid_after_utc - cert.not_valid_before_utc
    assert 365 <= lifetime.days <= 366
    info = inspect(created)
    assert info.usable and info.warnings == () and info.key_size == 2048


@pytest.mark.parametrize("bits", [3072, 4096])
def test_larger_keys(bits: int) -> None:
    info = inspect(create_self_signed(CertificateRequest("Big", days=30, key_size=bits)))
    assert (info.key_type, info.key_size) == ("RSA", bits)


@pytest.mark.parametrize(
    ("request_", "text"),
    [
        (CertificateRequest(" "), "needs a subject"),
        (CertificateRequest("x" * 65), "at most 64"),
        (CertificateRequest("ok", days=0), "between 1 and"),
        (CertificateRequest("ok", key_size=1024), "key size must be one of"),
    ],
)
def test_bad_requests_are_refused(request_: CertificateRequest, text: str) -> None:
    with pytest.raises(UserError, match=text):
        create_self_signed(request_)


def test_cer_is_der_that_openssl_reads(created, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cer = tmp_path / "a.cer"
    cer.write_bytes(export_cer(created))
    text = openssl("x509", "-inform", "DER", "-in", str(cer), "-noout", "-fingerprint", "-sha1")
    assert text.split("=", 1)[1].strip().replace(":", "") == inspect(created).thumbprint_sha1


@pytest.mark.parametrize(
    ("encryption", "expected"),
    [
        (PfxEncryption.AES256, "AES-256-CBC"),
        (PfxEncryption.LEGACY_3DES, "pbeWithSHA1And3-KeyTripleDES-CBC"),
    ],
)
def test_pfx_opens_with_openssl(
    created,
    tmp_path: Path,
    encryption: PfxEncryption,
    expected: str,  # type: ignore[no-untyped-def]
) -> None:
    pfx = tmp_path / "a.pfx"
    pfx.write_bytes(export_pfx(created, "s3cret", encryption))
    legacy = ["-legacy"] if encryption is PfxEncryption.LEGACY_3DES else []
    info = openssl("pkcs12", *legacy, "-in", str(pfx), "-info", "-noout", "-passin", "pass:s3cret")
    assert expected in info
    if encryption is PfxEncryption.LEGACY_3DES:
        assert "MAC: sha1" in info
    reopened = read_pfx(pfx.read_bytes(), "s3cret")
    assert inspect(reopened).thumbprint_sha1 == inspect(created).thumbprint_sha1


def test_write_files_never_overwrites(created, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    written = write_certificate_files(created, tmp_path, "app", "pw")
    assert written.cer.name == "app.cer" and written.pfx is not None
    assert written.pfx.stat().st_mode & 0o077 == 0, "the .pfx is readable by its owner only"
    before = written.cer.read_bytes()
    with pytest.raises(UserError, match="already exists"):
        write_certificate_files(created, tmp_path, "app", "pw")
    assert written.cer.read_bytes() == before


def test_without_password_only_the_cer_is_written(created, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    written = write_certificate_files(created, tmp_path, "only", None)
    assert written.pfx is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["only.cer"]


def test_default_subject_and_file_stem() -> None:
    assert default_subject("  Contoso  Ltd ", "Custom app") == "Contoso Ltd - Custom app"
    assert default_subject("", "") == "Custom app"
    assert file_stem("CN=Contoso Ltd / Backup: app") == "Contoso-Ltd-Backup-app"
    assert file_stem("CN=***") == "certificate"
    assert file_stem("Contoso - App") == "Contoso-App"
