"""The seam between the check rules and the network.

:class:`IdentityGateway` is everything a check asks Microsoft (or the sandbox). The real one,
:mod:`desktop.core.checks.msal_gateway`, uses MSAL and requests; unit tests pass a scripted
one, so the rules are tested without sockets. A gateway returns claims or grants on success,
returns a :class:`TokenError` for an answer that says no (HTTP 400/401), and raises
:class:`TransientFailure` when no answer could be had (network, 5xx, 429).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from desktop.core.checks.status_rules import Action
from desktop.core.endpoints import Endpoints


@dataclass(frozen=True)
class TokenError:
    """A token or Graph request that Microsoft answered with a refusal."""

    error: str
    error_codes: tuple[int, ...] = ()
    description: str = ""
    http_status: int = 400
    correlation_id: str = ""

    @property
    def detail(self) -> str:
        parts = [self.description or self.error]
        if self.correlation_id:
            parts.append(f"Correlation ID: {self.correlation_id}")
        return "\n".join(parts)


class TransientFailure(Exception):
    """No verdict could be had: the network, a server error, or throttling."""

    def __init__(
        self,
        reason: str,
        *,
        retry_after: float | None = None,
        detail: str = "",
        remedy: str = "",
        action: Action = Action.CHECK_AGAIN,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after
        self.detail = detail
        #: What to fix when the failure is a misconfiguration (empty: just check again).
        self.remedy = remedy
        #: The button that fixes it (sign in, connect the tenant), else "check again".
        self.action = action


@dataclass(frozen=True)
class CertificateCredential:
    """A custom app's certificate, as MSAL needs it. Lives in memory only."""

    private_key_pem: str
    certificate_pem: str
    thumbprint_sha1: str
    not_after: datetime


@dataclass(frozen=True)
class Grants:
    """What Graph says a publisher app holds in a tenant."""

    service_principal_found: bool
    application_permissions: frozenset[str] = field(default_factory=frozenset)
    delegated_permissions: frozenset[str] = field(default_factory=frozenset)
    #: Directory role names assigned to the app's service principal; None when not readable.
    directory_roles: frozenset[str] | None = None
    #: The same grants as (resource application ID in lower case, permission value) pairs, so
    #: every API's permissions can be compared; None when the reader did not tell the APIs
    #: apart (then only Microsoft Graph's permissions are compared, by name).
    application_by_api: frozenset[tuple[str, str]] | None = None
    #: Only the tenant-wide (``AllPrincipals``) grants: one user's consent is no admin consent.
    delegated_by_api: frozenset[tuple[str, str]] | None = None
    #: Each user's own (``Principal``) grants, by the user's object ID in lower case.
    user_delegated_by_api: Mapping[str, frozenset[tuple[str, str]]] = field(default_factory=dict)
    #: Why ``directory_roles`` is None when they were asked for but could not be read.
    roles_unreadable: str = ""
    #: The consenting user's own grants, when asked for and readable (else None).
    consenting_user_delegated_by_api: frozenset[tuple[str, str]] | None = None
    #: What else the check should say (e.g. granted app role IDs the API does not name).
    notes: tuple[str, ...] = ()


Claims = Mapping[str, Any]


class GraphToken(str):
    """The technician's Graph access token (the string itself), and the delegated
    permissions its token *response* granted: the ``scope`` field, as access tokens are
    opaque. With them a refused read can say whether the sign-in lacks a permission or the
    account a directory role."""

    scopes: frozenset[str] | None

    def __new__(cls, token: str, scopes: frozenset[str] | None = None) -> GraphToken:
        made = super().__new__(cls, token)
        made.scopes = scopes
        return made


def granted_scopes(token: str) -> frozenset[str] | None:
    """What *token*'s response granted, when it came as a :class:`GraphToken` that knows."""
    return token.scopes if isinstance(token, GraphToken) else None


#: ``graph_token(endpoints, tenant_id)``: the signed-in technician's Graph token (a
#: :class:`GraphToken` when its granted scopes are known), or None; it may raise
#: :class:`~desktop.core.identity.tenant_token.TenantTokenError` saying why not.
GraphTokenProvider = Callable[[Endpoints, str], str | None]


class IdentityGateway(Protocol):
    """What a check asks the identity platform. Every call is a fresh MSAL client: no MSAL cache
    answers (a gateway may reuse valid tokens of its own, see ``token_memo``)."""

    def app_token(
        self,
        endpoints: Endpoints,
        tenant_id: str,
        client_id: str,
        credential: CertificateCredential,
        *,
        resource: str = "",
    ) -> Claims | TokenError:
        """Client-credentials token for ``{resource}/.default`` (a resource application ID;
        Microsoft Graph when empty); its decoded claims."""

    def user_token(
        self,
        endpoints: Endpoints,
        tenant_id: str,
        client_id: str,
        username: str,
        *,
        resource: str = "",
    ) -> Claims | TokenError | None:
        """A silent token for *username* from the encrypted cache, for ``{resource}/.default``
        (a resource application ID; Microsoft Graph when empty): its granted scopes as
        ``scp``. None if not cached here."""

    def publisher_grants(
        self,
        endpoints: Endpoints,
        tenant_id: str,
        client_id: str,
        *,
        with_roles: bool = True,
        user: str = "",
    ) -> Grants | TokenError | None:
        """Graph's view of the app in the tenant; None when the technician is not signed in.
        Directory roles are read only *with_roles* (the app type needs some); the grants of
        the consenting *user* (a UPN) too when given."""

    def app_directory_roles(
        self,
        endpoints: Endpoints,
        tenant_id: str,
        client_id: str,
        credential: CertificateCredential,
    ) -> frozenset[str] | None:
        """Directory roles of a custom app, read with its own token; None if not readable."""


@dataclass(frozen=True)
class PlannedApp:
    """An app whose grants a check in a tenant will ask for (see :class:`ReadPlanner`)."""

    client_id: str
    with_roles: bool = False
    #: The consenting user (UPN) whose own grants are wanted; empty for none.
    user: str = ""
    #: A custom app: only its service principal's object ID is wanted (it reads its own roles).
    custom: bool = False

    def key(self) -> PlannedApp:
        """The same app, spelled as lookups compare it."""
        user = self.user.casefold()
        return PlannedApp(self.client_id.lower(), self.with_roles, user, self.custom)


@runtime_checkable
class ReadPlanner(Protocol):
    """A gateway that reads a tenant once for every check in it, when told the run's apps."""

    def plan_read(self, endpoints: Endpoints, tenant_id: str, app: PlannedApp) -> None:
        """A check in *tenant_id* will ask for *app*'s grants (or its service principal)."""


@runtime_checkable
class CustomGrantsReader(Protocol):
    """A gateway that reads a custom app's grants with the technician's sign-in (Graph)."""

    def custom_app_grants(
        self, endpoints: Endpoints, tenant_id: str, client_id: str, *, with_roles: bool = False
    ) -> Grants | None:
        """The custom app's grants as Graph shows them; None when they cannot be read so."""
