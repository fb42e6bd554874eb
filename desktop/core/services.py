"""The core's composition root: the one place that builds the core services of a data folder.

Both front ends use it: ``app.py`` (the GUI) and the CLI's context each make one
:class:`CoreServices` and pass what it builds to whoever needs it; nothing else assembles a
service. It is Qt-free, and cheap to make: each service is built on first use (several load
msal, cryptography or keyring, or open the store), and asking for one is safe from any thread.

Settings are read again for every identity operation (:meth:`CoreServices.identity`), so a
client ID set in Settings applies without a restart.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, NamedTuple

from desktop.core.catalog.model import AppType, Catalog
from desktop.core.domain import Cloud
from desktop.core.errors import UserError
from desktop.core.paths import DataPaths
from desktop.core.settings import Settings

if TYPE_CHECKING:
    import msal

    from desktop.core.checks.checker import CredentialSource
    from desktop.core.checks.inventory_store import InventoryCheckStore
    from desktop.core.checks.name_map import NameMapCache
    from desktop.core.checks.service import CheckService, CheckStore
    from desktop.core.checks.token_memo import TokenMemo
    from desktop.core.identity.browser import BrowserOpener
    from desktop.core.identity.consent import CertificateStore, CredentialOf, IdentityConsentEngine
    from desktop.core.identity.signin import TechnicianSession, TokenCacheStore
    from desktop.core.inventory import Inventory
    from desktop.core.inventory.secrets import VaultSecretRemover
    from desktop.core.reauthorize.identity import IdentityReauthorizer
    from desktop.core.secrets import SecretStore
    from desktop.core.storage.interface import Repository
    from desktop.core.wizard.backend import WizardBackend


@dataclass
class IdentityServices:
    """The identity engine's collaborators under one reading of Settings: the client IDs, the
    encrypted token cache and the technician's sign-in. Made by :meth:`CoreServices.identity`."""

    paths: DataPaths
    catalog: Catalog
    settings: Settings

    @classmethod
    def load(cls, paths: DataPaths, catalog: Catalog) -> IdentityServices:
        return cls(paths, catalog, Settings.load(paths.settings))

    def sign_in_client_id(self, cloud: Cloud = Cloud.GLOBAL) -> str:
        """The sign-in app's client ID in *cloud*. Raises :class:`UserError` saying where to
        set it."""
        from desktop.core.identity.config import sign_in_client_id

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
        from desktop.core.identity.config import publisher_client_id

        return publisher_client_id(
            app_type, self.settings.client_ids_in(cloud.value), self.paths, cloud, self.catalog
        )

    def technician_for(
        self, cache_store: TokenCacheStore, open_browser: BrowserOpener | None = None
    ) -> TechnicianSession:
        """The technician's sign-in over *cache_store*, with the sign-in app of each cloud.
        Raises :class:`UserError` (saying where to set it) when no cloud has one."""
        from desktop.core.identity.browser import open_system_browser
        from desktop.core.identity.signin import TechnicianSession

        ids = self.sign_in_client_ids()
        if not ids:
            self.sign_in_client_id()  # raises, naming the Global setting
        return TechnicianSession(
            ids.get(Cloud.GLOBAL, ""),
            cache_store,
            open_browser or open_system_browser,
            client_ids=ids,
            missing=self.sign_in_client_id,
        )

    def technician_or_none(
        self, cache_store: TokenCacheStore, open_browser: BrowserOpener | None = None
    ) -> TechnicianSession | None:
        """:meth:`technician_for`, or None when no sign-in app is set up (consent then works
        and verification waits for a check, which says why)."""
        try:
            return self.technician_for(cache_store, open_browser)
        except UserError:
            return None

    def token_cache_store(self) -> TokenCacheStore:
        """The MSAL cache, encrypted in this computer's vault (key in the OS keyring). In team
        mode the consenting users' sign-ins in it are the team's shared secrets
        (:mod:`desktop.core.secrets.team_tokens`); the technician's own stays here."""
        from desktop.core.secrets import team_token_cache
        from desktop.core.secrets.local import LocalSecretStore
        from desktop.core.vault import open_vault

        local = LocalSecretStore(open_vault(self.paths)).token_cache()
        return team_token_cache(
            self.paths,
            local,
            lambda: set(self.sign_in_client_ids().values()),
            self.settings.team_database_url,
        )

    def technician_session(self) -> TechnicianSession:
        """The technician's own sign-in over the encrypted cache. Raises :class:`UserError`
        (saying where to set it) when no sign-in client ID is configured."""
        return self.technician_for(self.token_cache_store())

    def signed_in_technician(self) -> TechnicianSession | None:
        """The technician's sign-in, or None when no sign-in app is set up (the vault is then
        not opened) or the vault cannot be opened."""
        try:
            if not self.sign_in_client_ids():
                return None
            return self.technician_session()
        except UserError:
            return None

    def consent_engine(
        self,
        *,
        certificates: CertificateStore | None = None,
        credential_of: CredentialOf | None = None,
        open_browser: BrowserOpener | None = None,
    ) -> IdentityConsentEngine:
        """The identity engine's consent flow over the encrypted token cache, verifying with
        the technician's sign-in when one is set up. The one place it is assembled: the
        wizard, the CLI's ``consent`` and re-authorization all get theirs here.

        *certificates* is where a custom app's certificate is held during the browser wait
        (:class:`~desktop.core.identity.staged.StagedCertificates` for a new profile, the
        vault for an existing one); *credential_of* turns a held one into an MSAL credential
        (default: the one for PKCS#12 contents, when *certificates* is given)."""
        from desktop.core.identity.browser import open_system_browser
        from desktop.core.identity.consent import IdentityConsentEngine

        if certificates is not None and credential_of is None:
            from desktop.core.certificates import msal_client_credential

            credential_of = msal_client_credential
        cache = self.token_cache_store()
        return IdentityConsentEngine(
            cache_store=cache,
            certificates=certificates,
            credential_of=credential_of,
            technician=self.technician_or_none(cache, open_browser),
            open_browser=open_browser or open_system_browser,
        )


class ReauthorizeParts(NamedTuple):  # not a dataclass: a tenth of the cost at start-up
    """What a re-authorization needs (built off the GUI thread)."""

    service: CheckService
    store: InventoryCheckStore
    engine: IdentityReauthorizer
    #: Where a new certificate replaces the old one (the vault).
    certificates: SecretStore | None = None


class CoreServices:
    """The core services over one data folder, each built on first use (thread-safe).

    *catalog* is the catalog to use; without one, :attr:`catalog` loads the shipped catalog
    with the data folder's override merged over it, and reports each problem with the
    override to *on_catalog_problem* (the GUI's status bar, the CLI's stderr). *inventory* is
    an inventory already open over the data folder's store (else opened on first use).
    """

    def __init__(
        self,
        paths: DataPaths,
        catalog: Catalog | None = None,
        *,
        on_catalog_problem: Callable[[str], object] | None = None,
        inventory: Inventory | None = None,
        on_offline: Callable[[str], object] | None = None,
    ) -> None:
        self.paths = paths
        #: Given, a team database that cannot be reached is read from its offline copy
        #: (read-only), and this is told the one-line warning; else the error is raised.
        self._on_offline = on_offline
        #: Whether the store is the offline copy standing in for the team database.
        self.offline = False
        self._catalog = catalog
        self._on_catalog_problem = on_catalog_problem
        self._lock = threading.RLock()
        self._store: Repository | None = None if inventory is None else inventory.store
        self._inventory = inventory
        self._certificates: SecretStore | None = None
        self._token_memo: TokenMemo | None = None

    @property
    def token_memo(self) -> TokenMemo:
        """The access tokens this process's checks got, reused while valid (memory only)."""
        with self._lock:
            if self._token_memo is None:
                from desktop.core.checks.token_memo import TokenMemo

                self._token_memo = TokenMemo()
            return self._token_memo

    # -- configuration ---------------------------------------------------------------------

    @property
    def catalog(self) -> Catalog:
        """The app catalog: shipped, with the data folder's override merged over it when
        valid (loaded once)."""
        with self._lock:
            if self._catalog is None:
                from desktop.core.catalog.loader import load_catalog

                loaded = load_catalog(self.paths.catalog_override)
                for problem in loaded.problems:
                    if self._on_catalog_problem is not None:
                        self._on_catalog_problem(problem)
                self._catalog = loaded.catalog
            return self._catalog

    def settings(self) -> Settings:
        """The organization's Settings, read now (they change while the app runs)."""
        return Settings.load(self.paths.settings)

    def identity(self) -> IdentityServices:
        """Client IDs, token cache and sign-in under the Settings as they are now."""
        return IdentityServices(self.paths, self.catalog, self.settings())

    # -- storage ---------------------------------------------------------------------------

    def store(self) -> Repository:
        """The store, opened (and migrated) on first use: call from a worker thread."""
        with self._lock:
            if self._store is None:
                from desktop.core.store import Store
                from desktop.core.store.postgres.choose import open_team_store

                # The team database when one is set (as the CLI's inventory), else the file.
                team = self._team_or_offline() if self._on_offline else None
                if team is None and not self._on_offline:
                    team = open_team_store(self.paths)
                self._store = team if team is not None else Store.open(self.paths)
            return self._store

    def _team_or_offline(self) -> Repository | None:
        """The team store; its offline copy (read-only) when the server cannot be reached."""
        from desktop.core.store.postgres.choose import open_team_store, team_database

        db = team_database(self.paths)
        if db is None:
            return None  # solo mode: the driver is not even imported
        from desktop.core.store.postgres.connection import TeamUnreachableError
        from desktop.core.team.offline import OfflineStore
        from desktop.core.team.offline_repository import OfflineRepository

        try:
            return open_team_store(self.paths)
        except TeamUnreachableError as unreachable:
            try:
                copy = OfflineStore(self.paths.root, db.account).load()
            except UserError as no_copy:
                raise TeamUnreachableError(
                    no_copy.message, remedy=no_copy.remedy, detail=unreachable.message
                ) from None
            assert self._on_offline is not None
            self._on_offline(copy.warning())
            self.offline = True
            return OfflineRepository(copy).as_repository()

    def go_online(self) -> Repository:
        """While the offline copy stands in for the team database: open the team database
        now and use it from here on (call from a worker thread). Raises ``UserError`` (e.g.
        still unreachable: the copy stays)."""
        from desktop.core.store.postgres.choose import open_team_store

        team = open_team_store(self.paths)
        if team is None:  # the team database was unset meanwhile: the copy stays
            raise UserError("There is no team database set any more.")
        with self._lock:
            self._store = team
            self._inventory = None  # it was over the copy
            self.offline = False
        return team

    def refresh_offline_copy(self) -> bool:
        """After a successful team-mode command: replace the offline copy with what the
        server holds now (one consistent read). False when there is nothing to refresh (the
        local store, the copy itself, or no store opened). Raises ``UserError``."""
        from desktop.core.store.postgres.choose import team_database
        from desktop.core.store.postgres.connection import describe
        from desktop.core.store.postgres.database import PostgresStore
        from desktop.core.store.postgres.offline_days import offline_days
        from desktop.core.team.offline import OfflineStore, keep_current

        with self._lock:
            store = self._store
        if not isinstance(store, PostgresStore):
            return False
        db = team_database(self.paths)
        if db is None:
            return False
        with store.reading() as uow:
            days = offline_days(uow.conn)
        copies = OfflineStore(self.paths.root, db.account)
        # Only what changed since the copy's seq is read, and nothing when nothing changed.
        keep_current(store, copies, describe(db.url), days)
        return True

    def inventory(self) -> Inventory:
        """The inventory's services over the store (call from a worker thread)."""
        store = self.store()
        with self._lock:
            if self._inventory is None:
                from desktop.core.inventory import Inventory

                self._inventory = Inventory(store)
            return self._inventory

    def certificates(self) -> SecretStore:
        """Profiles' certificates, in this data folder's secret store: the local vault (a key
        per certificate in the OS keyring, the encrypted file in the data folder), or the team
        store once the folder is enrolled in a team (built on first use: it loads
        cryptography)."""
        with self._lock:
            if self._certificates is None:
                from desktop.core.secrets import open_secret_store

                self._certificates = open_secret_store(self.paths)
            return self._certificates

    def opened_certificates(self) -> SecretStore | None:
        """The vault if it has been opened, else None (opens nothing)."""
        with self._lock:
            return self._certificates

    def use_certificates(self, vault: SecretStore) -> None:
        """Use *vault* for profiles' certificates from now on (one with another keyring)."""
        with self._lock:
            self._certificates = vault

    def secret_remover(self) -> VaultSecretRemover:
        """Removes a deleted profile's certificate from the vault (opened when first used)."""
        from desktop.core.inventory.secrets import VaultSecretRemover

        return VaultSecretRemover(self.certificates)

    def collect_interrupted(self) -> list[str]:
        """Remove certificates an earlier, killed run stored for a profile it never saved."""
        from desktop.core.inventory.secrets import collect_interrupted

        return collect_interrupted(self.paths, self.certificates, self.inventory)

    # -- sign-in, checks, consent ----------------------------------------------------------

    def technician_session(self) -> TechnicianSession:
        """The technician's own sign-in (Account menu, ``signin``). Raises
        :class:`UserError`, saying where to set it, when no sign-in app is set up."""
        return self.identity().technician_session()

    def signed_in_technician(self) -> TechnicianSession | None:
        """The technician's sign-in, or None when there is none to use."""
        return self.identity().signed_in_technician()

    def tenant_name(self, domain: str, cloud: Cloud) -> str | None:
        """*domain*'s tenant display name through the technician's sign-in, or None."""
        from desktop.core.tenant_name import display_name_of

        return display_name_of(domain, cloud, self.signed_in_technician())

    def check_service(self, *, fresh_tokens: bool = False) -> CheckService:
        """The check service, with whatever sign-ins this computer holds. Nothing touches the
        keyring or the network until a check runs. Its checks reuse the valid tokens of this
        process's earlier checks, unless *fresh_tokens* (a check after a consent)."""
        from desktop.core.checks.inventory_store import InventoryCheckStore
        from desktop.core.checks.name_map import NameMapCache
        from desktop.core.checks.vault_credentials import VaultCredentials

        identity = self.identity()
        cache_store = identity.token_cache_store()

        def client_id(app: AppType, cloud: Cloud) -> str | None:
            try:
                return identity.publisher_client_id(app, cloud)
            except UserError:
                return None  # the check says "no client ID is set" without deciding a status

        return assemble_check_service(
            InventoryCheckStore(self.inventory()),
            self.catalog,
            VaultCredentials(self.paths),
            technician=identity.technician_or_none(cache_store),
            # Read when a check needs it (no keyring: delegated checks say the sign-in is not
            # stored here), and again for an account a consent stored after this was built.
            load_cache=cache_store.load,
            on_cache_changed=cache_store.save,
            # In team mode: a consenting user's sign-in not shared with this member yet.
            missing_account=getattr(cache_store, "missing_account", None),
            client_id_in=client_id,
            settings=identity.settings,
            # IDs and names only (no secret), so a plain file in the data folder.
            names=NameMapCache(self.paths.root / "graph-names"),
            token_memo=self.token_memo,
            fresh_tokens=fresh_tokens,
            # Asked by the run (on its thread): the server's role, never a client setting.
            read_only=lambda: read_only_member(self.inventory().store),
        )

    def reauthorization(self, *, timeout: float | None = None) -> ReauthorizeParts:
        """The check service, the store and the identity engine's consent flow, for
        re-authorizing. *timeout* is the browser's time limit (default: Settings')."""
        from desktop.core.checks.inventory_store import InventoryCheckStore
        from desktop.core.reauthorize.identity import IdentityReauthorizer

        # The check after a re-authorization must see the new grants: fresh tokens.
        service = self.check_service(fresh_tokens=True)
        identity = self.identity()
        vault = self.certificates()
        inventory = self.inventory()
        if timeout is None:
            timeout = float(identity.settings.consent_timeout_seconds)
        reauthorizer = IdentityReauthorizer(
            self.consent_engine(certificates=vault),
            self.catalog,
            inventory,
            identity.publisher_client_id,
            timeout=timeout
            if timeout is not None
            else float(identity.settings.consent_timeout_seconds),
            client_id_in=identity.publisher_client_id,
            certificates=vault,
        )
        return ReauthorizeParts(service, InventoryCheckStore(inventory), reauthorizer, vault)

    def consent_engine(
        self,
        *,
        certificates: CertificateStore | None = None,
        credential_of: CredentialOf | None = None,
        open_browser: BrowserOpener | None = None,
    ) -> IdentityConsentEngine:
        """The identity engine's consent flow (see :meth:`IdentityServices.consent_engine`)."""
        return self.identity().consent_engine(
            certificates=certificates, credential_of=credential_of, open_browser=open_browser
        )

    def wizard_backend(self) -> WizardBackend:
        """The create wizard's ports over these services."""
        from desktop.core.wizard.backend import WizardBackend

        return WizardBackend(self)


def read_only_member(store: Repository) -> bool:
    """Whether *store* is a team database on which this login holds only the read-only role
    (asked of the server now). False for the local file and for the offline copy."""
    role = getattr(store, "team_role", None)
    return callable(role) and role() == "readonly"


def assemble_check_service(
    store: CheckStore,
    catalog: Catalog,
    credentials: CredentialSource,
    *,
    technician: TechnicianSession | None,
    token_cache: msal.SerializableTokenCache | None = None,
    load_cache: Callable[[], msal.SerializableTokenCache] | None = None,
    on_cache_changed: Callable[[msal.SerializableTokenCache], object] | None = None,
    missing_account: Callable[[str, str, str], object] | None = None,
    client_id_for: Callable[[AppType], str | None] = lambda app: app.client_id,
    client_id_in: Callable[[AppType, Cloud], str | None] | None = None,
    settings: Settings | None = None,
    names: NameMapCache | None = None,
    token_memo: TokenMemo | None = None,
    fresh_tokens: bool = False,
    read_only: Callable[[], bool] | None = None,
) -> CheckService:
    """The check service over *store*, from its parts (the benchmarks build it this way too).

    *client_id_in* (per cloud) wins over *client_id_for* when given, as in the checker. With a
    *token_memo*, checks reuse its valid tokens unless *fresh_tokens* (see
    :mod:`desktop.core.checks.token_memo`); without one, each check asks for its own.
    *read_only* says, when a run starts, that its results are to be shown but not stored."""
    from desktop.core.checks.checker import ProfileChecker
    from desktop.core.checks.http import CheckHttpClient
    from desktop.core.checks.msal_gateway import MsalGateway
    from desktop.core.checks.service import CheckService
    from desktop.core.checks.token_reuse import TokenReuse, technician_tokens

    # One HTTP client for every request of the run, the technician's token requests too: it
    # counts them, and keeps the OpenID configuration documents between checks.
    http = CheckHttpClient()
    graph_token = None
    if technician is not None:
        from desktop.core.identity.silent import SilentRun

        # The cache is read, and its accounts found, once for the run, not once per tenant.
        run = SilentRun(technician)

        # The service is built once per run: each tenant's token is asked for once in it.
        graph_token = TokenReuse(technician_tokens(run, http))

    gateway = MsalGateway(
        token_cache=token_cache,
        load_cache=load_cache,
        on_cache_changed=on_cache_changed,
        missing_account=missing_account,
        graph_token=graph_token,
        http=http,
        names=names,
        memo=token_memo,
        reuse_tokens=not fresh_tokens,
    )
    checker = ProfileChecker(
        catalog, gateway, credentials, client_id_for=client_id_for, client_id_in=client_id_in
    )
    return CheckService(
        store,
        checker,
        settings,
        request_count=lambda: http.request_count,
        throttled_seconds=lambda: gateway.tenants.throttle.throttled_seconds,
        throttle=gateway.tenants.throttle,
        read_only=read_only,
    )
