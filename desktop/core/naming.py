"""The one pattern app profile names follow: the wizard, the CLI, the demo data.

A name reads ``{what} – {tenant}``:

* *what* is the service when the profile serves one service that uses one app
  ("Baseline management", "Nitro"); otherwise the app type, which tells apart the apps of a
  service that has several ("Cloud Backup for Microsoft 365 (All permissions)",
  "Delegated App (Cloud Backup for Microsoft 365)");
* *tenant* is the tenant's primary domain (its ID when it has none), which tells apart the
  tenants of one customer.

The customer is left out on purpose: the list shows it in its own column, and a name that
repeated it would push what tells two profiles apart out of sight.
"""

from __future__ import annotations

from collections.abc import Sequence

from desktop.core.catalog.model import AppType, Catalog
from desktop.core.domain import Tenant

#: Between what the profile is for and the tenant it is in.
SEPARATOR = " – "


def profile_name(catalog: Catalog, app: AppType, service_ids: Sequence[str], tenant: Tenant) -> str:
    """The default name of a profile of *app* for *service_ids* in *tenant*."""
    where = tenant.primary_domain or tenant.tenant_id
    return f"{subject(catalog, app, service_ids)}{SEPARATOR}{where}"


def subject(catalog: Catalog, app: AppType, service_ids: Sequence[str]) -> str:
    """What the profile is for: its one service when that service has one app, else the app."""
    if len(service_ids) == 1:
        try:
            service = catalog.service(service_ids[0])
        except KeyError:
            return app.label
        if len(catalog.apps_for_service(service.id)) <= 1:
            return service.name
    return app.label
