"""``tenants connect|access|discover``: GDAP partner access to a customer's tenant.

``connect`` authorizes the sign-in app in the tenant (Partner Center's consent API, or admin
consent by the customer's administrator in the browser) and proves it with a customer-tenant
token: exit 0 only then, else exit 2 with one line saying why. ``access`` says whether the
tenant is connected, the technician's directory roles there, and for which app types they may
grant consent. ``discover`` finds the catalog's publisher apps already consented there, adds a
profile for each one not yet recorded, and checks the new profiles.
"""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli_commands.common import add_browser_timeout
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit, emit_object
from desktop.cli_commands.progress import say, stderr_progress
from desktop.core.domain import Cloud, Tenant
from desktop.core.endpoints import Endpoints, endpoints_for
from desktop.core.errors import UserError
from desktop.core.identity.gdap import ConnectVia, TenantAccess, connect_tenant, tenant_access
from desktop.core.identity.signin import TechnicianSession


def register(sub: Any, fmt: argparse.ArgumentParser) -> None:
    connect = sub.add_parser(
        "connect", parents=[fmt], help="authorize the sign-in app in a customer's tenant (GDAP)"
    )
    connect.add_argument("--tenant", required=True, metavar="ID|DOMAIN")
    connect.add_argument(
        "--via",
        choices=[v.value for v in ConnectVia],
        default=ConnectVia.PARTNER_CENTER.value,
        help="Partner Center's consent API (default), or admin consent by the customer's "
        "administrator in the browser",
    )
    add_browser_timeout(connect)
    connect.set_defaults(handler=_connect)

    access = sub.add_parser(
        "access", parents=[fmt], help="what you can do in a tenant: connected, roles, consent"
    )
    access.add_argument("--tenant", required=True, metavar="ID|DOMAIN")
    access.set_defaults(handler=_access)

    discover = sub.add_parser(
        "discover", parents=[fmt], help="find consented publisher apps and add their profiles"
    )
    discover.add_argument("--tenant", required=True, metavar="ID|DOMAIN")
    discover.set_defaults(handler=_discover)


def _target(ctx: CliContext, key: str) -> tuple[Tenant, TechnicianSession, Endpoints, int]:
    tenant, _ = ctx.inventory.tenants.find(key)
    identity = ctx.services.identity()
    session = identity.technician_session()
    return tenant, session, endpoints_for(tenant.cloud), identity.settings.consent_timeout_seconds


def _access_rows(access: TenantAccess) -> dict[str, Any]:
    data = access.as_json()
    yes = sorted(k for k, v in access.can_consent.items() if v)
    data["can_consent"] = ", ".join(yes) if yes else "none"
    data["roles"] = ", ".join(access.roles)
    data.pop("role_ids")
    return data


def _connect(args: argparse.Namespace, ctx: CliContext) -> int:
    tenant, session, endpoints, default_timeout = _target(ctx, args.tenant)
    via = ConnectVia(args.via)
    if via is ConnectVia.PARTNER_CENTER and tenant.cloud is not Cloud.GLOBAL:
        raise UserError(
            f"Partner Center's consent API serves Global tenants; {tenant.label} is in the "
            f"{tenant.cloud.label} cloud.",
            remedy="Connect it with --via admin-consent.",
        )
    if via is ConnectVia.ADMIN_CONSENT:
        say("Opening the system browser for the customer's administrator to consent…")
    result = connect_tenant(
        session,
        endpoints,
        tenant.tenant_id,
        ctx.catalog,
        via=via,
        label=tenant.label,
        timeout=args.timeout or default_timeout,
        progress=stderr_progress,
    )
    if args.format == "json":
        emit_object(result.as_json(), "json")
    else:
        emit_object({**_access_rows(result.access), "via": via.value}, args.format)
    return 0


def _access(args: argparse.Namespace, ctx: CliContext) -> int:
    tenant, session, endpoints, _ = _target(ctx, args.tenant)
    access = tenant_access(session, endpoints, tenant.tenant_id, ctx.catalog, label=tenant.label)
    emit_object(access.as_json() if args.format == "json" else _access_rows(access), args.format)
    return 0


def _discover(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.identity.onboard import discover_tenant

    tenant, session, endpoints, _ = _target(ctx, args.tenant)
    identity = ctx.services.identity()

    def client_id_in(app: Any, cloud: Cloud) -> str | None:
        try:
            return identity.publisher_client_id(app, cloud)
        except UserError:
            return None

    def check_ids(ids: list[int]) -> dict[int, tuple[str, str]]:
        outcome = ctx.services.check_service().check(ids)
        return {r.id: (r.status.value, r.reason) for r in outcome.results}

    say(f"Reading which publisher apps are consented in {tenant.label}…")
    report = discover_tenant(
        session, endpoints, tenant, ctx.catalog, ctx.inventory, client_id_in, check_ids
    )
    found, added = len(report.rows), len(report.added)
    say(
        f"Found {found} consented app{'s' if found != 1 else ''} in {tenant.label}; "
        f"added {added} profile{'s' if added != 1 else ''}."
    )
    if args.format == "json":
        emit_object(report.as_json(), "json")
    else:
        rows = [r.as_json() for r in report.rows]
        emit(rows, args.format, ["app_type", "consent_method", "consenting_user", "recorded",
                                  "profile_id", "status", "reason"])  # fmt: skip
    return 0
