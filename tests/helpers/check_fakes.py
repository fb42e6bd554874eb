"""Scripted stand-ins for the check seam: a gateway that answers from a table, and a vault.

Only the unit tests of the rules use these; the end-to-end tests use MSAL and the sandbox.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from desktop.core.catalog.model import (
    Catalog,
    DelegationKind,
    DirectoryRole,
    Permission,
    PermissionType,
    RoleAssignment,
    Service,
    ServiceFamily,
    SetupMode,
)
from desktop.core.checks.gateway import (
    CertificateCredential,
    Claims,
    Grants,
    TokenError,
    TransientFailure,
)
from desktop.core.domain import AppProfile, utc_now
from desktop.core.endpoints import Endpoints
from desktop.core.errors import UserError
from tests.helpers.catalog_factory import ADMIN_OR_USER, app_type, perm

GRAPH = "Microsoft Graph"
DELEGATED = PermissionType.DELEGATED
Credential = CertificateCredential


def _perm(name: str, type_: PermissionType) -> Permission:
    return perm(GRAPH, name, name, type_)


def small_catalog() -> Catalog:
    """Three app types: custom (application), a hybrid publisher app, a delegated app."""
    app_perms = (
        _perm("User.Read.All", PermissionType.APPLICATION),
        _perm("Sites.Read.All", PermissionType.APPLICATION),
        perm("SharePoint", "Sites.FullControl.All", ""),
    )
    exchange = DirectoryRole("Exchange Administrator", {SetupMode.MODERN: RoleAssignment.AUTOMATIC})
    custom = app_type(
        "custom-azure-app",
        "Custom Azure app",
        ("backup",),
        modes=(SetupMode.CUSTOM,),
        kind=DelegationKind.APPLICATION,
        permissions=app_perms,
        directory_roles=(exchange,),
    )
    hybrid = app_type(
        "hybrid-app",
        "Hybrid app",
        ("backup",),
        consent_methods=ADMIN_OR_USER,
        permissions=(*app_perms, _perm("Files.Read", PermissionType.DELEGATED)),
        directory_roles=(exchange,),
        client_id="11111111-1111-1111-1111-111111111111",
    )
    delegated = app_type(
        "delegated-app",
        "Delegated app",
        ("backup",),
        consent_methods=ADMIN_OR_USER,
        kind=DelegationKind.DELEGATED,
        permissions=(
            _perm("Files.Read", PermissionType.DELEGATED),
            _perm("Tasks.Read", PermissionType.DELEGATED),
        ),
        client_id="22222222-2222-2222-2222-222222222222",
    )
    service = Service("backup", "Backup", ServiceFamily.AOS, (custom.id, hybrid.id, delegated.id))
    return Catalog("test", (service,), (custom, hybrid, delegated))  # fmt: skip


def profile(
    app_type_id: str = "custom-azure-app", *, id: int = 1, tenant: str = "t1", **kw: object
) -> AppProfile:
    mode = SetupMode.CUSTOM if app_type_id.startswith("custom") else SetupMode.MODERN
    defaults: dict[str, object] = {
        "mode": mode,
        "custom_app_id": "33333333-3333-3333-3333-333333333333" if mode is SetupMode.CUSTOM else "",
        "certificate_ref": "cert-1" if mode is SetupMode.CUSTOM else "",
        "consented_at": utc_now() - timedelta(days=10),
    }
    defaults.update(kw)
    return AppProfile(
        name=f"p{id}", customer_id=1, tenant_id=tenant, service_ids=("backup",),
        app_type_id=app_type_id, id=id, **defaults,  # type: ignore[arg-type]
    )  # fmt: skip


#: SharePoint Online's resource application ID (the small catalog's other API).
SHAREPOINT_APP_ID = "00000003-0000-0ff1-ce00-000000000000"


@dataclass
class FakeCredentials:
    """A vault that hands out one certificate with a chosen expiry, or fails."""

    not_after: datetime = field(default_factory=lambda: utc_now() + timedelta(days=300))
    error: UserError | None = None
    loads: int = 0

    def load(self, certificate_ref: str) -> CertificateCredential:
        self.loads += 1
        if self.error:
            raise self.error
        return CertificateCredential("KEY", "CERT", "AB" * 20, self.not_after)


Answer = Claims | TokenError | Grants | None | TransientFailure | frozenset[str]


@dataclass
class ScriptedGateway:
    """Answers each call from a per-kind value (or a callable of the tenant)."""

    app: Answer | Callable[[str], Answer] = field(
        default_factory=lambda: {"roles": ["User.Read.All", "Sites.Read.All"]}
    )
    user: Answer | Callable[[str], Answer] = field(
        default_factory=lambda: {"scp": "Files.Read Tasks.Read"}
    )
    grants: Answer | Callable[[str], Answer] = field(
        default_factory=lambda: Grants(
            True,
            frozenset({"User.Read.All", "Sites.Read.All"}),
            frozenset({"Files.Read", "Tasks.Read"}),
            frozenset({"Exchange Administrator"}),
        )
    )
    roles: Answer | Callable[[str], Answer] = field(
        default_factory=lambda: frozenset({"Exchange Administrator"})
    )
    latency: float = 0.0
    calls: list[tuple[str, str]] = field(default_factory=list)
    #: App tokens of other APIs than Graph, by resource application ID (default: no roles).
    app_by_resource: dict[str, Answer] = field(
        default_factory=lambda: {SHAREPOINT_APP_ID: {"roles": ["Sites.FullControl.All"]}}
    )
    #: The resource of each non-Graph ``app_token`` call.
    resources: list[str] = field(default_factory=list)
    #: User tokens of other APIs than Graph, by resource application ID (default: no scopes).
    user_by_resource: dict[str, Answer] = field(default_factory=dict)
    #: The resource of each non-Graph ``user_token`` call.
    user_resources: list[str] = field(default_factory=list)
    #: The ``with_roles`` of each ``publisher_grants`` call.
    with_roles: list[bool] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _answer(self, kind: str, tenant: str, value: object) -> object:
        with self._lock:
            self.calls.append((kind, tenant))
        if self.latency:
            time.sleep(self.latency)
        if callable(value):
            value = value(tenant)
        if isinstance(value, TransientFailure):
            raise value
        return value

    def app_token(
        self,
        endpoints: Endpoints,
        tenant_id: str,
        client_id: str,
        credential: CertificateCredential,
        *,
        resource: str = "",
    ) -> Claims | TokenError:
        if resource:  # another API than Microsoft Graph
            self.resources.append(resource)
            value = self.app_by_resource.get(resource, {})
            return self._answer("app", tenant_id, value)  # type: ignore[return-value]
        return self._answer("app", tenant_id, self.app)  # type: ignore[return-value]

    def user_token(
        self,
        endpoints: Endpoints,
        tenant_id: str,
        client_id: str,
        username: str,
        *,
        resource: str = "",
    ) -> Claims | TokenError | None:
        if resource:  # another API than Microsoft Graph
            self.user_resources.append(resource)
            value = self.user_by_resource.get(resource, {"scp": ""})
            return self._answer("user", tenant_id, value)  # type: ignore[return-value]
        return self._answer("user", tenant_id, self.user)  # type: ignore[return-value]

    def publisher_grants(
        self,
        endpoints: Endpoints,
        tenant_id: str,
        client_id: str,
        *,
        with_roles: bool = True,
        user: str = "",
    ) -> Grants | TokenError | None:
        self.with_roles.append(with_roles)
        return self._answer("grants", tenant_id, self.grants)  # type: ignore[return-value]

    def app_directory_roles(
        self,
        endpoints: Endpoints,
        tenant_id: str,
        client_id: str,
        credential: CertificateCredential,
    ) -> frozenset[str] | None:
        return self._answer("roles", tenant_id, self.roles)  # type: ignore[return-value]


class MemoryCheckStore:
    """The inventory as checks see it, in memory; records what a real store would."""

    def __init__(self, profiles: list[AppProfile]) -> None:
        from desktop.core.checks.service import Target

        self._targets = {p.id: Target(p) for p in profiles if p.id is not None}
        self.recorded: list[object] = []
        self.marks: list[tuple[int, object, str]] = []
        self.reauthorized: list[tuple[AppProfile, str]] = []
        self._lock = threading.Lock()

    def targets(self, ids: object) -> list:  # type: ignore[type-arg]
        if ids is None:
            return list(self._targets.values())
        return [self._targets[i] for i in ids]  # type: ignore[attr-defined]

    def record_result(self, result: object) -> None:
        with self._lock:
            self.recorded.append(result)

    def record_mark(self, profile_id: int, mark: object, detail: str) -> None:
        self.marks.append((profile_id, mark, detail))

    def save_reauthorized(self, profile: AppProfile, detail: str) -> None:
        from desktop.core.checks.service import Target

        with self._lock:
            self.reauthorized.append((profile, detail))
            assert profile.id is not None
            self._targets[profile.id] = Target(profile)


class FakeConsentEngine:
    """Stands in for the browser consent: accepts, declines, or waits for a cancel."""

    def __init__(self, outcome: str = "accept", user: str = "") -> None:
        self.outcome = outcome
        self.user = user
        self.requests: list[object] = []

    def reauthorize(self, profile: AppProfile, request: object, token: object) -> object:
        from dataclasses import replace as _replace

        from desktop.core.reauthorize.flow import Reconsented

        self.requests.append(request)
        if self.outcome == "decline":
            raise UserError(
                "The consent was declined in the browser (AADSTS65004).",
                remedy="Ask the administrator to accept the permissions, then try again.",
            )
        if self.outcome == "wait":
            while not token.wait(0.02):  # type: ignore[attr-defined]
                pass
            token.raise_if_cancelled()  # type: ignore[attr-defined]
        changes: dict[str, object] = {"consented_at": utc_now(), "status": profile.status}
        if getattr(request, "functions", None) is not None:
            changes["functions"] = request.functions  # type: ignore[attr-defined]
        if getattr(request, "custom_app_id", None):
            changes["custom_app_id"] = request.custom_app_id  # type: ignore[attr-defined]
        if self.user:
            changes["consenting_user"] = self.user
        return Reconsented(_replace(profile, **changes))  # type: ignore[arg-type]
