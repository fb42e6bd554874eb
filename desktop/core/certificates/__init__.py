"""Certificates for custom Entra apps: open and inspect ``.pfx`` files, create new ones.

Nothing here writes a secret anywhere except where the caller asks (the exported ``.pfx``);
storing a certificate for a profile is the vault's job (:mod:`desktop.core.vault`).
"""

from __future__ import annotations

from desktop.core.certificates.creating import (
    DEFAULT_DAYS,
    KEY_SIZES,
    CertificateRequest,
    PfxEncryption,
    WrittenFiles,
    create_self_signed,
    default_subject,
    export_cer,
    export_pfx,
    file_stem,
    write_certificate_files,
)
from desktop.core.certificates.credentials import msal_client_credential
from desktop.core.certificates.model import (
    EXPIRY_WARNING_DAYS,
    MIN_RSA_BITS,
    CertificateInfo,
    PfxContents,
    iso_utc,
)
from desktop.core.certificates.reading import (
    CertificateError,
    inspect,
    inspect_pfx,
    profile_error,
    read_pfx,
    read_pfx_bytes,
    read_pfx_file,
    thumbprint,
    usability_error,
    validate_for_profile,
)

__all__ = [
    "DEFAULT_DAYS",
    "EXPIRY_WARNING_DAYS",
    "KEY_SIZES",
    "MIN_RSA_BITS",
    "CertificateError",
    "CertificateInfo",
    "CertificateRequest",
    "PfxContents",
    "PfxEncryption",
    "WrittenFiles",
    "create_self_signed",
    "default_subject",
    "export_cer",
    "export_pfx",
    "file_stem",
    "inspect",
    "inspect_pfx",
    "iso_utc",
    "msal_client_credential",
    "profile_error",
    "read_pfx",
    "read_pfx_bytes",
    "read_pfx_file",
    "thumbprint",
    "usability_error",
    "validate_for_profile",
    "write_certificate_files",
]
