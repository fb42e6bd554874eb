"""``customers add|list|rename|notes|services|remove``."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli_commands.common import confirm, format_parent
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit, emit_object

_EXPECTED = (
    "the version you read ('customers list --format json'); refused if a colleague changed "
    "the customer since"
)


def register(subparsers: Any) -> None:
    fmt = format_parent()
    parser = subparsers.add_parser("customers", help="the MSP's customers")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    add = sub.add_parser("add", parents=[fmt], help="add a customer")
    add.add_argument("name")
    add.add_argument("--notes", default="")
    add.set_defaults(handler=_add)

    lst = sub.add_parser("list", parents=[fmt], help="list customers")
    lst.set_defaults(handler=_list)

    rename = sub.add_parser("rename", parents=[fmt], help="rename a customer")
    rename.add_argument("old")
    rename.add_argument("new")
    rename.add_argument("--expected-version", type=int, metavar="N", help=_EXPECTED)
    rename.set_defaults(handler=_rename)

    notes = sub.add_parser("notes", parents=[fmt], help="set a customer's notes")
    notes.add_argument("name")
    notes.add_argument("notes")
    notes.add_argument("--expected-version", type=int, metavar="N", help=_EXPECTED)
    notes.set_defaults(handler=_notes)

    services = sub.add_parser(
        "services", parents=[fmt], help="set the AOS services added for a customer"
    )
    services.add_argument("name")
    services.add_argument("service_ids", nargs="*", metavar="SERVICE_ID")
    services.set_defaults(handler=_services)

    remove = sub.add_parser("remove", parents=[fmt], help="remove a customer and what it has")
    remove.add_argument("name")
    remove.add_argument("--yes", action="store_true", help="confirm without asking")
    remove.set_defaults(handler=_remove)


def _json(customer: Any, counts: dict[int, tuple[int, int]]) -> dict[str, Any]:
    tenants, profiles = counts.get(customer.id, (0, 0))
    return {
        "id": customer.id,
        "name": customer.name,
        "notes": customer.notes,
        "aos_services": list(customer.aos_service_ids),
        "tenants": tenants,
        "profiles": profiles,
        "version": customer.version,
    }


def _show(args: argparse.Namespace, ctx: CliContext, customer: Any) -> int:
    emit_object(_json(customer, ctx.inventory.customers.counts()), args.format)
    return 0


def _add(args: argparse.Namespace, ctx: CliContext) -> int:
    return _show(args, ctx, ctx.inventory.customers.add(args.name, notes=args.notes))


def _list(args: argparse.Namespace, ctx: CliContext) -> int:
    counts = ctx.inventory.customers.counts()
    rows = [_json(c, counts) for c in ctx.inventory.customers.list()]
    columns = ["id", "name", "tenants", "profiles", "aos_services", "notes", "version"]
    emit(rows, args.format, columns, narrow_first=("aos_services",))
    return 0


def _rename(args: argparse.Namespace, ctx: CliContext) -> int:
    customers = ctx.inventory.customers
    changed = customers.rename(args.old, args.new, expected_version=args.expected_version)
    return _show(args, ctx, changed)


def _notes(args: argparse.Namespace, ctx: CliContext) -> int:
    customers = ctx.inventory.customers
    changed = customers.set_notes(args.name, args.notes, expected_version=args.expected_version)
    return _show(args, ctx, changed)


def _services(args: argparse.Namespace, ctx: CliContext) -> int:
    customer = ctx.inventory.customers.set_aos_services(
        args.name, tuple(args.service_ids), ctx.catalog
    )
    return _show(args, ctx, customer)


def _remove(args: argparse.Namespace, ctx: CliContext) -> int:
    inventory = ctx.inventory
    plan = inventory.customers.plan_removal(args.name, ctx.catalog)
    if not plan.blocked:  # a refusal is raised by remove(); anything else is confirmed
        confirm(plan.describe(), args.yes)
    inventory.customers.remove(plan, ctx.catalog, ctx.remove_secret)
    emit_object(
        {
            "removed": plan.customer.name,
            "tenants": [t.tenant_id for t in plan.tenants],
            "profiles": [p.id for p in plan.profiles],
        },
        args.format,
    )
    return 0
