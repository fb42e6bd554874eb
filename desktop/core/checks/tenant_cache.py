"""Per run: which apps each tenant's checks will ask for, and what one read of the tenant found.

A run (one "Check all", one CLI ``check``) first tells the cache every profile's app
(:meth:`TenantGrantsCache.plan`). The first check in a tenant then reads the whole tenant at
once (:class:`~desktop.core.checks.tenant_reads.TenantReader`); the tenant's other checks take
their part of that answer, and a custom app's check takes its service principal's object ID.
An answer is handed out once: a profile checked again in the same run (a retry) is read again.
A failed read stores nothing, so the next check in the tenant tries again.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from desktop.core.checks.gateway import (
    Grants,
    GraphTokenProvider,
    PlannedApp,
    TransientFailure,
    granted_scopes,
)
from desktop.core.checks.graph_batch import GraphBatcher, GraphThrottle
from desktop.core.checks.http import CheckHttpClient
from desktop.core.checks.name_map import NameMapCache
from desktop.core.checks.tenant_reads import TenantReader
from desktop.core.endpoints import Endpoints
from desktop.core.identity.tenant_token import TenantTokenError


class Unknown:
    """Not known from a tenant read: the caller looks it up itself."""


UNKNOWN = Unknown()


@dataclass
class _Tenant:
    planned: list[PlannedApp] = field(default_factory=list)
    results: dict[PlannedApp, Grants | TransientFailure] = field(default_factory=dict)
    consumed: set[PlannedApp] = field(default_factory=set)
    sp_ids: dict[str, str | None] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


class TenantGrantsCache:
    """Reads each tenant once per run with the technician's token; thread-safe."""

    def __init__(
        self,
        http: CheckHttpClient,
        graph_token: GraphTokenProvider | None,
        *,
        names: NameMapCache | None = None,
        throttle: GraphThrottle | None = None,
    ) -> None:
        self._http = http
        self._graph_token = graph_token
        self.names = names or NameMapCache()
        self.throttle = throttle or GraphThrottle()
        self._lock = threading.Lock()
        self._tenants: dict[tuple[str, str], _Tenant] = {}

    def _tenant(self, endpoints: Endpoints, tenant_id: str) -> _Tenant:
        with self._lock:
            return self._tenants.setdefault((endpoints.graph_host, tenant_id.lower()), _Tenant())

    def plan(self, endpoints: Endpoints, tenant_id: str, app: PlannedApp) -> None:
        tenant = self._tenant(endpoints, tenant_id)
        with tenant.lock:
            if app.key() not in tenant.planned:
                tenant.planned.append(app.key())

    def grants(self, endpoints: Endpoints, tenant_id: str, app: PlannedApp) -> Grants | None:
        """*app*'s grants in the tenant; None when the technician has no token there. Raises
        :class:`TransientFailure` when Graph could not tell."""
        app = app.key()
        tenant = self._tenant(endpoints, tenant_id)
        with tenant.lock:  # the tenant's other checks wait for this one read
            if app not in tenant.results and not self._read(endpoints, tenant_id, tenant, app):
                return None
            result = tenant.results.pop(app)
            tenant.consumed.add(app)
        if isinstance(result, TransientFailure):
            raise result
        return result

    def service_principal(
        self, endpoints: Endpoints, tenant_id: str, client_id: str
    ) -> str | Unknown | None:
        """The object ID of *client_id*'s service principal as the tenant's read found it
        (None: it has none), reading the tenant now when other checks there will need it;
        :data:`UNKNOWN` otherwise."""
        client_id = client_id.lower()
        tenant = self._tenant(endpoints, tenant_id)
        with tenant.lock:
            if client_id not in tenant.sp_ids:
                if not any(not a.custom for a in tenant.planned):
                    return UNKNOWN  # a read with the technician's token would cost more
                try:
                    self._read(endpoints, tenant_id, tenant, PlannedApp(client_id, custom=True))
                except TenantTokenError:  # the custom app's own token looks it up instead
                    return UNKNOWN
            return tenant.sp_ids.get(client_id, UNKNOWN)

    def _read(self, endpoints: Endpoints, tenant_id: str, tenant: _Tenant, app: PlannedApp) -> bool:
        """Read *app* and every planned app not read yet; False without a technician token."""
        token = self._graph_token(endpoints, tenant_id) if self._graph_token else None
        if not token:
            return False
        pending = [
            a
            for a in tenant.planned
            if a not in tenant.results
            and a not in tenant.consumed
            and not (a.custom and a.client_id in tenant.sp_ids)
        ]
        if app not in pending:
            pending.append(app)
        batcher = GraphBatcher(
            self._http.session,
            endpoints.graph("").rstrip("/"),
            token,
            # Graph counts throttling per app; the technician's sign-in app is one per cloud.
            app=f"technician {endpoints.graph_host}",
            throttle=self.throttle,
            timeout=self._http.timeout_now,
        )
        read = TenantReader(
            batcher, endpoints.cloud.value, self.names, scopes=granted_scopes(token)
        ).read(pending)
        tenant.results.update(read.grants)
        tenant.sp_ids.update(read.sp_ids)
        return True
