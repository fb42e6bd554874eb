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
from desktop.core import partner_access
from desktop.core.identity.gdap import ConnectVia, TenantAccess

DISCOVER_COLUMNS = [
    "app_type",
    "consent_method",
    "consenting_user",
    "recorded",
    "profile_id",
    "status",
    "reason",
]


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


def _access_rows(access: TenantAccess) -> dict[str, Any]:
    data = access.as_json()
    yes = sorted(k for k, v in access.can_consent.items() if v)
    data["can_consent"] = ", ".join(yes) if yes else "none"
    data["roles"] = ", ".join(access.roles)
    data.pop("role_ids")
    return data


def _connect(args: argparse.Namespace, ctx: CliContext) -> int:
    via = ConnectVia(args.via)
    if via is ConnectVia.ADMIN_CONSENT:
        say("Opening the system browser for the customer's administrator to consent…")
    result = partner_access.connect(
        ctx.services, args.tenant, via, timeout=args.timeout, progress=stderr_progress
    )
    if args.format == "json":
        emit_object(result.as_json(), "json")
    else:
        emit_object({**_access_rows(result.access), "via": via.value}, args.format)
    return 0


def _access(args: argparse.Namespace, ctx: CliContext) -> int:
    access = partner_access.access(ctx.services, args.tenant)
    emit_object(access.as_json() if args.format == "json" else _access_rows(access), args.format)
    return 0


def _discover(args: argparse.Namespace, ctx: CliContext) -> int:
    found = partner_access.discover(ctx.services, args.tenant, progress=stderr_progress)
    say(found.summary())
    if args.format == "json":
        emit_object({"tenant_id": found.tenant.tenant_id, "found": found.rows()}, "json")
    else:
        emit(found.rows(), args.format, DISCOVER_COLUMNS)
    return 0
