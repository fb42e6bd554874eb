"""Building the identity engine's collaborators from the data folder: the encrypted token cache,
the certificate vault, the client IDs. Shared by the CLI, the GUI and ``--sandbox``."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any

from desktop.core.catalog.model import AppType, Catalog
from desktop.core.identity.config import publisher_client_id, sign_in_client_id
from desktop.core.identity.consent import CertificateStore, CredentialOf
from desktop.core.identity.signin import MemoryTokenCacheStore, TokenCacheStore
from desktop.core.paths import DataPaths
from desktop.core.settings import Settings


@dataclass
class IdentityWiring:
    paths: DataPaths
    catalog: Catalog
    settings: Settings
    #: False when no keyring could be used: sign-ins then last for this process only.
    cache_persistent: bool = True

    @classmethod
    def load(cls, paths: DataPaths, catalog: Catalog) -> IdentityWiring:
        return cls(paths, catalog, Settings.load(paths.settings))

    def sign_in_client_id(self) -> str:
        return sign_in_client_id(self.settings.sign_in_client_id, self.catalog, self.paths)

    def publisher_client_id(self, app_type: AppType) -> str:
        return publisher_client_id(app_type, self.settings.client_ids, self.paths)

    def _vault(self) -> Any | None:
        try:
            vault_module = importlib.import_module("desktop.core.vault")
        except ImportError:
            return None
        return vault_module.SecretVault(self.paths.vault)

    def token_cache_store(self) -> TokenCacheStore:
        """The encrypted cache in the vault; in memory only when no vault exists."""
        vault = self._vault()
        if vault is None:
            self.cache_persistent = False
            return MemoryTokenCacheStore()
        module = importlib.import_module("desktop.core.token_cache")
        store: TokenCacheStore = module.TokenCacheStore(vault)
        return store

    def certificates(self) -> tuple[CertificateStore | None, CredentialOf | None]:
        vault = self._vault()
        if vault is None:
            return None, None
        vault_module = importlib.import_module("desktop.core.vault")
        certs = importlib.import_module("desktop.core.certificates")
        return vault_module.CertificateVault(vault), certs.msal_client_credential
