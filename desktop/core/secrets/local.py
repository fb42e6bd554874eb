"""The local secret store (solo mode): the data folder's vault.

Certificates are the :class:`~desktop.core.vault.CertificateVault`'s (a key per secret in the
OS keyring, the AES-GCM-encrypted bytes in the data folder); the token cache is the
vault-encrypted MSAL cache of :mod:`desktop.core.token_cache`.
"""

from __future__ import annotations

from desktop.core.identity.signin import TokenCacheStore
from desktop.core.vault import CertificateVault


class LocalSecretStore(CertificateVault):
    """:class:`~desktop.core.secrets.store.SecretStore` over one data folder's vault."""

    def token_cache(self) -> TokenCacheStore:
        from desktop.core.token_cache import EncryptedTokenCacheStore

        return EncryptedTokenCacheStore(self.vault)
