"""Build the check service from the data folder: the vault's certificates, the encrypted token
cache (consenting users' accounts), the technician's Graph sign-in, and the inventory.

Shared by the GUI and the CLI. Nothing here touches the keyring or the network until a check
runs, so it may be called on any thread; the GUI builds it inside a worker task.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import msal

from desktop.core.catalog.model import AppType, Catalog
from desktop.core.certificates import msal_client_credential, thumbprint
from desktop.core.checks.checker import CredentialSource, ProfileChecker
from desktop.core.checks.consent_adapter import IdentityReauthorizer
from desktop.core.checks.gateway import CertificateCredential, TransientFailure
from desktop.core.checks.http import CheckHttpClient
from desktop.core.checks.inventory_store import InventoryCheckStore
from desktop.core.checks.msal_gateway import MsalGateway
from desktop.core.checks.service import CheckService, CheckStore
from desktop.core.checks.token_reuse import TokenReuse
from desktop.core.domain import Cloud
from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from desktop.core.identity.consent import ConsentEngine
from desktop.core.identity.signin import TechnicianSession
from desktop.core.identity.wiring import IdentityWiring
from desktop.core.inventory import Inventory
from desktop.core.paths import DataPaths
from desktop.core.secrets import SecretStore, open_secret_store
from desktop.core.secrets.store import WAITING, NotSharedYetError
from desktop.core.settings import Settings
from desktop.core.vault_errors import VaultMissingError

log = logging.getLogger(__name__)


class VaultCredentials:
    """A custom app's certificate from the secret store, as the checks' gateway needs it."""

    def __init__(self, paths: DataPaths, vault: SecretStore | None = None) -> None:
        self._paths = paths
        self._vault = vault

    def load(self, certificate_ref: str) -> CertificateCredential:
        if not certificate_ref:
            raise VaultMissingError(
                "The app profile has no certificate stored on this computer.",
                remedy="Re-authorize it and choose the custom app's certificate.",
            )
        if self._vault is None:
            self._vault = open_secret_store(self._paths)
        try:
            contents = self._vault.load(certificate_ref)
        except NotSharedYetError as exc:  # a wait for a colleague, never Invalid
            raise TransientFailure(WAITING, remedy=exc.remedy) from exc
        credential = msal_client_credential(contents)
        return CertificateCredential(
            private_key_pem=credential["private_key"],
            certificate_pem=credential["public_certificate"],
            thumbprint_sha1=thumbprint(contents.certificate, "sha1"),
            not_after=contents.certificate.not_valid_after_utc,
        )


def _client_id_in(wiring: IdentityWiring) -> Any:
    def client_id(app: AppType, cloud: Cloud) -> str | None:
        try:
            return wiring.publisher_client_id(app, cloud)
        except UserError:
            return None  # the check says "no client ID is set" without deciding a status

    return client_id


def build_reauthorizer(
    paths: DataPaths, catalog: Catalog, inventory: Inventory, *, timeout: float | None = None
) -> tuple[CheckService, InventoryCheckStore, IdentityReauthorizer]:
    """The check service, the store and the identity engine's consent flow, for re-authorizing.

    *timeout* is the browser's time limit (default: Settings' consent_timeout_seconds)."""
    service = build_check_service(paths, catalog, inventory)
    wiring = IdentityWiring.load(paths, catalog)
    cache_store = wiring.token_cache_store()
    certificates, credential_of = wiring.certificates()
    try:
        technician: TechnicianSession | None = wiring.technician_for(cache_store)
    except UserError:
        technician = None
    engine = ConsentEngine(
        cache_store=cache_store,
        certificates=certificates,
        credential_of=credential_of,
        technician=technician,
    )
    reauthorizer = IdentityReauthorizer(
        engine,
        catalog,
        inventory,
        wiring.publisher_client_id,
        timeout=timeout if timeout is not None else float(wiring.settings.consent_timeout_seconds),
        client_id_in=wiring.publisher_client_id,
        certificates=certificates,
    )
    return service, InventoryCheckStore(inventory), reauthorizer


def build_check_service(paths: DataPaths, catalog: Catalog, inventory: Inventory) -> CheckService:
    """The check service for this data folder, with whatever sign-ins this computer holds."""
    wiring = IdentityWiring.load(paths, catalog)
    cache_store = wiring.token_cache_store()
    session: TechnicianSession | None
    try:
        session = wiring.technician_for(cache_store)
    except UserError:
        session = None
    return assemble_check_service(
        InventoryCheckStore(inventory),
        catalog,
        VaultCredentials(paths),
        technician=session,
        # Read when a check needs it (no keyring: delegated checks say the sign-in is not
        # stored here), and again for an account a consent stored after this was built.
        load_cache=cache_store.load,
        on_cache_changed=cache_store.save,
        client_id_in=_client_id_in(wiring),
        settings=wiring.settings,
    )


def assemble_check_service(
    store: CheckStore,
    catalog: Catalog,
    credentials: CredentialSource,
    *,
    technician: TechnicianSession | None,
    token_cache: msal.SerializableTokenCache | None = None,
    load_cache: Callable[[], msal.SerializableTokenCache] | None = None,
    on_cache_changed: Callable[[msal.SerializableTokenCache], object] | None = None,
    client_id_for: Callable[[AppType], str | None] = lambda app: app.client_id,
    client_id_in: Callable[[AppType, Cloud], str | None] | None = None,
    settings: Settings | None = None,
) -> CheckService:
    """The check service over *store*, from its parts (the benchmarks build it this way too).

    *client_id_in* (per cloud) wins over *client_id_for* when given, as in the checker."""
    # One HTTP client for every request of the run, the technician's token requests too: it
    # counts them, and keeps the OpenID configuration documents between checks.
    http = CheckHttpClient()
    graph_token = None
    if technician is not None:
        session = technician

        def fetch(endpoints: Endpoints, tenant_id: str) -> str | None:
            return session.graph_token(endpoints, tenant_id, http_client=http)

        # The service is built once per run: each tenant's token is asked for once in it.
        graph_token = TokenReuse(fetch)

    gateway = MsalGateway(
        token_cache=token_cache,
        load_cache=load_cache,
        on_cache_changed=on_cache_changed,
        graph_token=graph_token,
        http=http,
    )
    checker = ProfileChecker(
        catalog, gateway, credentials, client_id_for=client_id_for, client_id_in=client_id_in
    )
    return CheckService(store, checker, settings, request_count=lambda: http.request_count)
