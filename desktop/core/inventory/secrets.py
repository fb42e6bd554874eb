"""The inventory's hook into the certificate vault: removing a deleted profile's certificate."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the vault (and cryptography) loads when a certificate is first removed
    from desktop.core.vault import CertificateVault


class VaultSecretRemover:
    """Removes profiles' certificates (key in the keyring, encrypted file) from the vault.

    Callable as :data:`~desktop.core.inventory.rules.RemoveSecret`. ``check_available`` asks
    the keyring first, so a locked or missing keyring refuses the delete before anything goes.
    *certificates* is the vault, or a function that returns it (called on first use, so
    start-up does not load the cryptography stack).
    """

    def __init__(self, certificates: CertificateVault | Callable[[], CertificateVault]) -> None:
        self._certificates = certificates

    @property
    def certificates(self) -> CertificateVault:
        from desktop.core.vault import CertificateVault

        vault = self._certificates
        return vault if isinstance(vault, CertificateVault) else vault()

    def check_available(self) -> None:
        self.certificates.check_available("delete the app profiles' certificates")

    def __call__(self, certificate_ref: str) -> None:
        self.certificates.delete(certificate_ref)
