"""Scenario controls: set up tenants, users and apps, and make the directory misbehave the way
a real tenant does, one method per status in the design (also reachable over HTTP).

Tenant arguments take a GUID or a domain; user arguments take a UPN.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from desktop.core.catalog.model import AppType, PermissionType
from desktop.sandbox.directory import App, Directory, Tenant
from desktop.sandbox.faults import ALL_GRANTS, DELEGATED_GRANTS, Fault, FaultTable
from desktop.sandbox.issuer import Issuer
from desktop.sandbox.pages import Pages
from desktop.sandbox.variants import checked as checked_variants

#: Names the admin endpoint may call.
ACTIONS = frozenset(
    {
        "add_tenant",
        "add_user",
        "revoke_consent",
        "delete_app",
        "remove_roles",
        "require_mfa",
        "change_password",
        "disable_user",
        "delete_user",
        "block_conditional_access",
        "rotate_certificate",
        "expire_refresh_tokens",
        "throttle",
        "server_error",
        "set_latency",
        "set_clock_offset",
        "set_replication_delay",
        "set_graph_page_size",
        "set_variants",
        "fault",
        "clear_faults",
        "set_browser_user",
        "set_auto_accept",
        "set_consent_error",
        "set_reply_tenant",
        "set_redirect_uris",
        "upload_certificate",
        "grant_admin_consent",
        "assign_directory_role",
        "add_partner",
        "add_gdap_relationship",
        "set_gdap_roles",
        "end_gdap_relationship",
        "customer_policy",
        "invite_guest",
        "reset",
    }
)


def throwaway_certificate(common_name: str = "sandbox") -> x509.Certificate:
    """A certificate nobody holds the key for (to make an app's registered key change)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=30))
        .sign(key, hashes.SHA256())
    )


class Scenario:
    """The sandbox's control panel."""

    def __init__(
        self, directory: Directory, faults: FaultTable, issuer: Issuer, pages: Pages
    ) -> None:
        self.directory = directory
        self.faults = faults
        self.issuer = issuer
        self.pages = pages
        #: Every sign-in host's issuer (the sandbox sets them; one per cloud's login host).
        self.issuers: list[Issuer] = [issuer]

    def _tenant(self, tenant: str) -> Tenant:
        found = self.directory.find_tenant(tenant)
        if found is None:
            raise KeyError(f"no sandbox tenant {tenant!r}")
        return found

    # -- set-up -----------------------------------------------------------------------------
    def add_tenant(
        self, domain: str, display_name: str = "", tenant_id: str = "", cloud: str = "global"
    ) -> str:
        """Add a tenant in *cloud* (global, usgov, usgov-dod or china)."""
        return self.directory.add_tenant(domain, display_name, tenant_id, cloud).tenant_id

    def add_user(self, tenant: str, upn: str, admin: bool = True, name: str = "") -> str:
        return self.directory.add_user(
            self._tenant(tenant).tenant_id, upn, admin=admin, name=name
        ).oid

    def assign_user_role(self, tenant: str, upn: str, role: str) -> None:
        """Give a user a directory role in *tenant* (e.g. Global Reader), as an administrator
        does in the Entra admin center; it shows in the user's next tokens (``wids``)."""
        with self.directory.lock:
            user = self._tenant(tenant).users[upn.casefold()]
            if role not in user.roles:
                user.roles.append(role)

    def register_app(
        self,
        client_id: str,
        display_name: str,
        *,
        application: dict[str, set[str]] | None = None,
        delegated: dict[str, set[str]] | None = None,
        certificates: list[x509.Certificate] | None = None,
        secrets: list[str] | None = None,
        home_tenant: str = "",
        public_client: bool = False,
        web_redirect_uris: list[str] | None = None,
        public_redirect_uris: list[str] | None = None,
        cloud: str = "",
    ) -> App:
        """Register an application (publisher, sign-in, or a customer's own app).

        Without *web_redirect_uris* the app has the *Web* redirect ``http://localhost/consent``
        (where admin consent answers); *public_redirect_uris* (the *Mobile and desktop*
        platform) default to ``http://localhost`` for a *public_client*, else none. The app
        lives in *cloud*, by default its home tenant's cloud or Global.
        """
        home = self._tenant(home_tenant) if home_tenant else None
        web = ["http://localhost/consent"] if web_redirect_uris is None else web_redirect_uris
        public = list(public_redirect_uris or [])
        if public_client and public_redirect_uris is None:
            public = ["http://localhost"]
        return self.directory.add_app(
            App(
                client_id.lower(),
                display_name,
                dict(application or {}),
                dict(delegated or {}),
                list(certificates or []),
                list(secrets or []),
                home.tenant_id if home else None,
                public_client,
                list(web),
                public,
                cloud or (home.cloud if home else "global"),
            )
        )

    def set_redirect_uris(
        self, client_id: str, web: list[str] | None = None, public: list[str] | None = None
    ) -> None:
        """Replace an app's redirect URIs per platform (None keeps that platform's)."""
        app = self.directory.apps[client_id.lower()]
        if web is not None:
            app.web_redirect_uris = list(web)
        if public is not None:
            app.public_redirect_uris = list(public)

    def register_app_type(self, app_type: AppType, client_id: str, **kwargs: Any) -> App:
        """Register a catalog app type's publisher app with its required permissions."""
        application: dict[str, set[str]] = {}
        delegated: dict[str, set[str]] = {}
        for perm in app_type.permissions:
            bucket = application if perm.type is PermissionType.APPLICATION else delegated
            bucket.setdefault(perm.api, set()).add(perm.name)
        if not application and not delegated:
            # The catalog lists nothing for many app types: like a new Entra registration,
            # the app asks for User.Read, so user consent still gives a token.
            delegated = {"Microsoft Graph": {"User.Read"}}
        if app_type.supports_user_consent and "public_redirect_uris" not in kwargs:
            # A vendor app that users consent to from a desktop app needs the loopback
            # redirect on the Mobile-and-desktop platform, or its codes need a secret.
            kwargs["public_redirect_uris"] = ["http://localhost"]
        return self.register_app(
            client_id, app_type.name, application=application, delegated=delegated, **kwargs
        )

    def upload_certificate(self, client_id: str, certificate: str) -> str:
        """Upload a public certificate (PEM, or base64 of a ``.cer``) to a customer-owned app,
        as its administrator does in the Entra admin center; returns its SHA-1 thumbprint."""
        from desktop.sandbox.portal import CertificateRefused, upload

        try:
            return upload(self.directory, client_id, certificate)
        except CertificateRefused as exc:
            raise ValueError(str(exc)) from exc

    def grant_admin_consent(self, tenant: str, client_id: str) -> None:
        self.directory.grant_admin_consent(self._tenant(tenant).tenant_id, client_id)

    def assign_directory_role(self, tenant: str, client_id: str, role: str) -> None:
        self.directory.assign_directory_role(self._tenant(tenant).tenant_id, client_id, role)

    # -- GDAP ------------------------------------------------------------------------------
    def add_partner(
        self, domain: str, technician: str, sign_in_client_id: str, display_name: str = ""
    ) -> str:
        """A partner (MSP) tenant with a technician, owning the sign-in app *sign_in_client_id*
        (registered in the partner tenant, consented there by the partner's admin, with
        Partner Center's ``user_impersonation``). Returns the partner tenant's ID."""
        from desktop.core.identity.resources import PARTNER_CENTER_APP_ID
        from desktop.sandbox.directory import RESOURCE_NAMES

        found = self.directory.find_tenant(domain)
        partner = found or self.directory.add_tenant(domain, display_name)
        if partner.users.get(technician.casefold()) is None:
            self.directory.add_user(partner.tenant_id, technician, admin=False)
        app = self.directory.apps[sign_in_client_id.lower()]
        app.owner_tenant = partner.tenant_id
        pc_api = RESOURCE_NAMES[PARTNER_CENTER_APP_ID]
        app.delegated_permissions.setdefault(pc_api, set()).add("user_impersonation")
        self.directory.grant_admin_consent(partner.tenant_id, app.client_id)
        return partner.tenant_id

    def add_gdap_relationship(
        self, partner: str, customer: str, roles: list[str], upns: list[str] | None = None
    ) -> str:
        """A GDAP relationship giving the partner's users (or only *upns*) the directory
        *roles* (display names) in *customer*. Returns its ID."""
        from desktop.sandbox.gdap import add_relationship

        return add_relationship(
            self.directory,
            self._tenant(partner).tenant_id,
            self._tenant(customer).tenant_id,
            roles,
            upns,
        ).id

    def set_gdap_roles(self, relationship_id: str, roles: list[str]) -> None:
        """Change a relationship's roles (new tokens carry the new ``wids``)."""
        from desktop.sandbox.gdap import relationship

        relationship(self.directory, relationship_id).roles = list(roles)

    def end_gdap_relationship(self, relationship_id: str) -> None:
        """The relationship expired or was terminated."""
        from desktop.sandbox.gdap import relationship

        relationship(self.directory, relationship_id).active = False

    def invite_guest(self, tenant: str, upn: str) -> None:
        """Invite a user of another tenant as a guest (B2B): not a partner delegated admin,
        so a token there without consent is 65001, not 90099."""
        self._tenant(tenant).guests.add(upn.casefold())

    def customer_policy(
        self, tenant: str, code: int = 53003, upn: str | None = None, times: int | None = None
    ) -> int:
        """A policy of the customer tenant stops delegated tokens there: MFA (50076),
        Conditional Access (53003), risk (530034), cross-tenant access (500212 outbound,
        500213 inbound) — or refresh tokens gone (700082, 70008, 50173)."""
        return self.faults.add(
            Fault(
                code,
                self._tenant(tenant).tenant_id,
                None,
                upn,
                frozenset({"refresh_token"}),
                times,
            )
        )

    # -- Invalid: something changed in the tenant -------------------------------------------
    def revoke_consent(self, tenant: str, client_id: str) -> None:
        """Consent revoked: grants and role assignments gone (delegated flows get 65001)."""
        self.directory.revoke_consent(self._tenant(tenant).tenant_id, client_id)

    def delete_app(self, tenant: str, client_id: str, code: int = 700016) -> None:
        """The app was deleted from the tenant: 700016, or 7000229 when *code* says so."""
        tid = self._tenant(tenant).tenant_id
        self.directory.delete_service_principal(tid, client_id)
        if code != 700016:
            self.faults.add(Fault(code, tid, client_id))

    def remove_roles(self, tenant: str, client_id: str, roles: list[str] | None = None) -> None:
        """Application permissions removed; tokens still come, with a short ``roles`` claim."""
        self.directory.remove_roles(self._tenant(tenant).tenant_id, client_id, roles)

    def require_mfa(self, upn: str, code: int = 50076) -> None:
        """MFA enabled for the user after consent: refresh tokens fail with 50076/50079."""
        self.directory.set_user(upn, mfa_code=code)

    def change_password(self, upn: str) -> None:
        """Password changed: earlier refresh tokens fail with 50173."""
        self.directory.change_password(upn)

    def disable_user(self, upn: str, disabled: bool = True) -> None:
        self.directory.set_user(upn, disabled=disabled)

    def delete_user(self, upn: str) -> None:
        self.directory.set_user(upn, deleted=True)

    def block_conditional_access(
        self, tenant: str, client_id: str | None = None, apps_too: bool = False
    ) -> int:
        """A Conditional Access policy blocks token issuance (53003)."""
        grants = ALL_GRANTS | {"authorize"} if apps_too else DELEGATED_GRANTS | {"authorize"}
        return self.faults.add(
            Fault(53003, self._tenant(tenant).tenant_id, client_id, grants=frozenset(grants))
        )

    def rotate_certificate(self, client_id: str) -> None:
        """The app's registered certificate was replaced: old assertions fail with 700027."""
        app = self.directory.apps[client_id]
        app.certificates = [throwaway_certificate(f"rotated {client_id}")]

    # -- Expired ----------------------------------------------------------------------------
    def expire_refresh_tokens(
        self, tenant: str | None = None, upn: str | None = None, code: int = 700082
    ) -> int:
        """Refresh tokens expired (700082 inactivity, or 70008)."""
        tid = self._tenant(tenant).tenant_id if tenant else None
        return sum(each.expire_refresh_tokens(tid, upn, code) for each in self.issuers)

    # -- Unknown: transient failures --------------------------------------------------------
    def throttle(
        self,
        tenant: str | None = None,
        retry_after: int = 2,
        times: int | None = None,
        graph: bool = False,
        batch: bool = False,
    ) -> int:
        """HTTP 429 with Retry-After (AADSTS90055): of token requests, of Graph requests
        (*graph*: each one, also inside a batch), or of Graph's whole ``$batch`` request
        (*batch*: the batch is refused before any request in it is answered)."""
        kinds = ({"graph"} if graph else set()) | ({"graph_batch"} if batch else set())
        grants = frozenset(kinds) or ALL_GRANTS
        tid = self._tenant(tenant).tenant_id if tenant else None
        return self.faults.add(
            Fault(90055, tid, grants=grants, times=times, retry_after=retry_after)
        )

    def server_error(
        self,
        status: int = 503,
        tenant: str | None = None,
        times: int | None = None,
        graph: bool = False,
    ) -> int:
        grants = frozenset({"graph"}) if graph else ALL_GRANTS
        tid = self._tenant(tenant).tenant_id if tenant else None
        return self.faults.add(Fault(50000, tid, grants=grants, times=times, status=status))

    def set_latency(self, seconds: float) -> None:
        """Added delay before every token answer."""
        for each in self.issuers:
            each.latency = max(0.0, float(seconds))

    def set_replication_delay(self, seconds: float) -> None:
        """After a consent, tokens and Graph show the new grants only *seconds* later."""
        self.directory.replication_delay = max(0.0, float(seconds))

    def set_graph_page_size(self, size: int) -> None:
        """Items per page of Graph's collections (clients must follow ``@odata.nextLink``)."""
        self.directory.graph_page_size = max(1, int(size))

    def set_variants(self, variants: list[str]) -> None:
        """Answer in these documented variants (names in :mod:`desktop.sandbox.variants`)."""
        self.directory.variants = checked_variants(variants)

    def fault(
        self,
        code: int,
        tenant: str | None = None,
        client_id: str | None = None,
        upn: str | None = None,
        grants: list[str] | None = None,
        times: int | None = None,
        status: int | None = None,
        retry_after: int | None = None,
    ) -> int:
        """Any AADSTS error for matching token requests."""
        tid = self._tenant(tenant).tenant_id if tenant else None
        return self.faults.add(
            Fault(
                code,
                tid,
                client_id,
                upn,
                frozenset(grants) if grants else ALL_GRANTS,
                times,
                status,
                retry_after,
            )
        )

    def clear_faults(self) -> None:
        self.faults.clear()
        for each in self.issuers:
            each.latency = 0.0

    # -- the browser pages ------------------------------------------------------------------
    def set_browser_user(self, upn: str) -> None:
        self.pages.options.browser_user = upn

    def set_auto_accept(self, enabled: bool = True) -> None:
        self.pages.options.auto_accept = enabled

    def set_consent_error(self, code: int | None) -> None:
        self.pages.options.consent_error = code

    def set_reply_tenant(self, tenant_id: str = "") -> None:
        """Make a successful consent name another tenant (to test that it is refused)."""
        self.pages.options.reply_tenant = tenant_id

    def set_clock_offset(self, seconds: float) -> None:
        """Run the token endpoint's clock *seconds* ahead of this computer's (negative:
        behind, as Microsoft's clock is for a client whose clock runs fast)."""
        self.issuer.clock_offset = seconds

    def reset(self) -> None:
        """Clear faults and page switches (the directory keeps its contents)."""
        self.clear_faults()
        self.directory.variants = frozenset()
        self.issuer.clock_offset = 0.0
        self.pages.options.auto_accept = False
        self.pages.options.consent_error = None
        self.pages.options.reply_tenant = ""
