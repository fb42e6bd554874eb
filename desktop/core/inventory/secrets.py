"""The inventory's hook into the certificate vault: removing a deleted profile's certificate."""

from __future__ import annotations

from desktop.core.vault import CertificateVault


class VaultSecretRemover:
    """Removes profiles' certificates (key in the keyring, encrypted file) from the vault.

    Callable as :data:`~desktop.core.inventory.rules.RemoveSecret`. ``check_available`` asks
    the keyring first, so a locked or missing keyring refuses the delete before anything goes.
    """

    def __init__(self, certificates: CertificateVault) -> None:
        self.certificates = certificates

    def check_available(self) -> None:
        self.certificates.check_available("delete the app profiles' certificates")

    def __call__(self, certificate_ref: str) -> None:
        self.certificates.delete(certificate_ref)
