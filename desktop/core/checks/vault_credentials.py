"""A custom app's certificate from the secret store, in the form the checks' gateway needs."""

from __future__ import annotations

from collections.abc import Callable

from desktop.core.certificates import msal_client_credential, thumbprint
from desktop.core.checks.gateway import CertificateCredential, TransientFailure
from desktop.core.paths import DataPaths
from desktop.core.secrets import SecretStore, open_secret_store
from desktop.core.secrets.store import WAITING, NotSharedYetError
from desktop.core.vault_errors import VaultMissingError


class VaultCredentials:
    """A custom app's certificate from the secret store, as the checks' gateway needs it.

    *vault* is the store, or a function that returns it (called on first use); by default
    the data folder's."""

    def __init__(
        self, paths: DataPaths, vault: SecretStore | Callable[[], SecretStore] | None = None
    ) -> None:
        self._paths = paths
        self._vault = vault

    def _store(self) -> SecretStore:
        if self._vault is None:
            self._vault = open_secret_store(self._paths)
        elif callable(self._vault):
            self._vault = self._vault()
        return self._vault

    def load(self, certificate_ref: str) -> CertificateCredential:
        if not certificate_ref:
            raise VaultMissingError(
                "The app profile has no certificate stored on this computer.",
                remedy="Re-authorize it and choose the custom app's certificate.",
            )
        try:
            contents = self._store().load(certificate_ref)
        except NotSharedYetError as exc:  # a wait for a colleague, never Invalid
            raise TransientFailure(WAITING, remedy=exc.remedy) from exc
        credential = msal_client_credential(contents)
        return CertificateCredential(
            private_key_pem=credential["private_key"],
            certificate_pem=credential["public_certificate"],
            thumbprint_sha1=thumbprint(contents.certificate, "sha1"),
            not_after=contents.certificate.not_valid_after_utc,
        )
