"""A custom app's certificate from the vault, in the form the checks' gateway needs."""

from __future__ import annotations

from desktop.core.certificates import msal_client_credential, thumbprint
from desktop.core.checks.gateway import CertificateCredential
from desktop.core.paths import DataPaths
from desktop.core.vault import CertificateVault, VaultMissingError, open_vault


class VaultCredentials:
    """A custom app's certificate from the vault, as the checks' gateway needs it."""

    def __init__(self, paths: DataPaths, vault: CertificateVault | None = None) -> None:
        self._paths = paths
        self._vault = vault

    def load(self, certificate_ref: str) -> CertificateCredential:
        if not certificate_ref:
            raise VaultMissingError(
                "The app profile has no certificate stored on this computer.",
                remedy="Re-authorize it and choose the custom app's certificate.",
            )
        if self._vault is None:
            self._vault = CertificateVault(open_vault(self._paths))
        contents = self._vault.load(certificate_ref)
        credential = msal_client_credential(contents)
        return CertificateCredential(
            private_key_pem=credential["private_key"],
            certificate_pem=credential["public_certificate"],
            thumbprint_sha1=thumbprint(contents.certificate, "sha1"),
            not_after=contents.certificate.not_valid_after_utc,
        )
