"""Building the identity engine's collaborators from the data folder: the encrypted token cache,
the certificate vault, the client IDs. Shared by the CLI, the GUI and ``--sandbox``."""

from __future__ import annotations

from dataclasses import dataclass

from desktop.core.catalog.model import AppType, Catalog
from desktop.core.certificates import msal_client_credential
from desktop.core.domain import Cloud
from desktop.core.errors import UserError
from desktop.core.identity.browser import BrowserOpener, open_system_browser
from desktop.core.identity.config import publisher_client_id, sign_in_client_id
from desktop.core.identity.consent import CredentialOf
from desktop.core.identity.signin import TechnicianSession, TokenCacheStore
from desktop.core.paths import DataPaths
from desktop.core.secrets import SecretStore, open_secret_store
from desktop.core.settings import Settings


@dataclass
class IdentityWiring:
    paths: DataPaths
    catalog: Catalog
    settings: Settings

    @classmethod
    def load(cls, paths: DataPaths, catalog: Catalog) -> IdentityWiring:
        return cls(paths, catalog, Settings.load(paths.settings))

    def sign_in_client_id(self, cloud: Cloud = Cloud.GLOBAL) -> str:
        """The sign-in app's client ID in *cloud*. Raises :class:`UserError` saying where to
        set it."""
        return sign_in_client_id(
            self.settings.sign_in_client_id_in(cloud.value), self.catalog, self.paths, cloud
        )

    def sign_in_client_ids(self) -> dict[Cloud, str]:
        """The sign-in app's client ID in every cloud that has one."""
        found: dict[Cloud, str] = {}
        for cloud in Cloud:
            try:
                found[cloud] = self.sign_in_client_id(cloud)
            except UserError:
                continue
        return found

    def publisher_client_id(self, app_type: AppType, cloud: Cloud = Cloud.GLOBAL) -> str:
        """An app type's publisher client ID in *cloud*."""
        return publisher_client_id(
            app_type, self.settings.client_ids_in(cloud.value), self.paths, cloud, self.catalog
        )

    def technician_for(
        self, cache_store: TokenCacheStore, open_browser: BrowserOpener = open_system_browser
    ) -> TechnicianSession:
        """The technician's sign-in over *cache_store*, with the sign-in app of each cloud.
        Raises :class:`UserError` (saying where to set it) when no cloud has one."""
        ids = self.sign_in_client_ids()
        if not ids:
            self.sign_in_client_id()  # raises, naming the Global setting
        return TechnicianSession(
            ids.get(Cloud.GLOBAL, ""),
            cache_store,
            open_browser,
            client_ids=ids,
            missing=self.sign_in_client_id,
        )

    def token_cache_store(self) -> TokenCacheStore:
        """The technician's MSAL cache, kept by this data folder's secret store."""
        return self.secret_store().token_cache()

    def technician_session(self) -> TechnicianSession:
        """The technician's own sign-in over the encrypted cache. Raises :class:`UserError`
        (saying where to set it) when no sign-in client ID is configured."""
        return self.technician_for(self.token_cache_store())

    def secret_store(self) -> SecretStore:
        """This data folder's secret store (certificates, consenting users' tokens)."""
        return open_secret_store(self.paths)

    def certificates(self) -> tuple[SecretStore, CredentialOf]:
        """The secret store's certificates and how to turn a stored one into an MSAL
        credential."""
        return self.secret_store(), msal_client_credential
