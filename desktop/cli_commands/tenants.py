"""``tenants add|list|lookup|remove``, and GDAP's ``connect|access|discover`` (in ``gdap``)."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli_commands import gdap
from desktop.cli_commands.common import confirm, format_parent
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit, emit_object
from desktop.core.domain import Cloud, Tenant
from desktop.core.inventory.tenants import parse_cloud

CLOUDS = [c.value for c in Cloud]


def register(subparsers: Any) -> None:
    fmt = format_parent()
    parser = subparsers.add_parser("tenants", help="customers' Microsoft Entra tenants")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = sub.add_parser("add", parents=[fmt], help="add a tenant to a customer")
    add.add_argument("--customer", required=True, metavar="NAME")
    add.add_argument("--domain", default="", help="primary domain, e.g. contoso.onmicrosoft.com")
    add.add_argument("--id", dest="tenant_id", default="", metavar="GUID", help="tenant ID")
    add.add_argument("--cloud", choices=CLOUDS, default="global")
    add.add_argument("--name", dest="display_name", default="", help="display name")
    add.add_argument("--lookup", action="store_true", help="resolve the domain's ID online")
    add.set_defaults(handler=_add)

    lst = sub.add_parser("list", parents=[fmt], help="list tenants")
    lst.add_argument("--customer", metavar="NAME")
    lst.set_defaults(handler=_list)

    lookup = sub.add_parser("lookup", parents=[fmt], help="resolve a domain to its tenant ID")
    lookup.add_argument("domain")
    lookup.add_argument("--cloud", choices=CLOUDS, default="global")
    lookup.set_defaults(handler=_lookup)

    remove = sub.add_parser("remove", parents=[fmt], help="remove a tenant and its profiles")
    remove.add_argument("key", metavar="ID|DOMAIN")
    remove.add_argument("--yes", action="store_true", help="confirm without asking")
    remove.set_defaults(handler=_remove)

    gdap.register(sub, fmt)


def _json(tenant: Tenant, customer: str) -> dict[str, Any]:
    return {
        "tenant_id": tenant.tenant_id,
        "domain": tenant.primary_domain,
        "display_name": tenant.display_name,
        "cloud": tenant.cloud.value,
        "customer": customer,
    }


def _add(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.tenant_lookup import lookup_tenant_id

    tenant = ctx.inventory.tenants.add(
        args.customer,
        domain=args.domain,
        tenant_id=args.tenant_id,
        cloud=parse_cloud(args.cloud),
        display_name=args.display_name,
        lookup=lookup_tenant_id if args.lookup else None,
    )
    emit_object(_json(tenant, args.customer), args.format)
    return 0


def _list(args: argparse.Namespace, ctx: CliContext) -> int:
    rows = [_json(t, c) for t, c in ctx.inventory.tenants.list(args.customer)]
    emit(rows, args.format, ["tenant_id", "domain", "cloud", "customer", "display_name"])
    return 0


def _lookup(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.tenant_lookup import lookup_tenant_id
    from desktop.core.tenant_name import display_name_of, technician_of
    from desktop.core.validation import normalise_domain

    cloud = parse_cloud(args.cloud)
    tid = lookup_tenant_id(args.domain, cloud)
    obj = {"domain": normalise_domain(args.domain), "tenant_id": tid, "cloud": cloud.value}
    name = display_name_of(args.domain, cloud, technician_of(ctx.paths, ctx.catalog))
    if name:
        obj["display_name"] = name
    emit_object(obj, args.format)
    return 0


def _remove(args: argparse.Namespace, ctx: CliContext) -> int:
    plan = ctx.inventory.tenants.plan_removal(args.key, ctx.catalog)
    if plan.needs_confirmation:
        confirm(plan.describe(), args.yes)
    ctx.inventory.tenants.remove(plan, ctx.catalog, ctx.remove_secret)
    emit_object(
        {"removed": plan.tenant.tenant_id, "profiles": [p.id for p in plan.profiles]},
        args.format,
    )
    return 0
