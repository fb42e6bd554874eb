"""Building the identity engine's collaborators from the data folder: the encrypted token cache,
the certificate vault, the client IDs. Shared by the CLI, the GUI and ``--sandbox``."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.catalog.model import AppType, Catalog
from desktop.core.certificates import msal_client_credential
from desktop.core.identity.config import publisher_client_id, sign_in_client_id
from desktop.core.identity.consent import CertificateStore, CredentialOf
from desktop.core.identity.signin import TechnicianSession, TokenCacheStore
from desktop.core.paths import DataPaths
from desktop.core.settings import Settings
from desktop.core.token_cache import TokenCacheStore as EncryptedTokenCacheStore
from desktop.core.vault import CertificateVault, open_vault


@dataclass
class IdentityWiring:
    paths: DataPaths
    catalog: Catalog
    settings: Settings

    @classmethod
    def load(cls, paths: DataPaths, catalog: Catalog) -> IdentityWiring:
        return cls(paths, catalog, Settings.load(paths.settings))

    def sign_in_client_id(self) -> str:
        return sign_in_client_id(self.settings.sign_in_client_id, self.catalog, self.paths)

    def publisher_client_id(self, app_type: AppType) -> str:
        return publisher_client_id(app_type, self.settings.client_ids, self.paths)

    def token_cache_store(self) -> TokenCacheStore:
        """The technician's MSAL cache, encrypted in the vault (key in the OS keyring)."""
        return EncryptedTokenCacheStore(open_vault(self.paths))

    def technician_session(self) -> TechnicianSession:
        """The technician's own sign-in over the encrypted cache. Raises :class:`UserError`
        (saying where to set it) when no sign-in client ID is configured."""
        return TechnicianSession(self.sign_in_client_id(), self.token_cache_store())

    def certificates(self) -> tuple[CertificateStore, CredentialOf]:
        """The vault's certificate store and how to turn a stored one into an MSAL credential."""
        return CertificateVault(open_vault(self.paths)), msal_client_credential
