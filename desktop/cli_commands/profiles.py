"""``profiles list|show|delete|mark``."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli_commands.common import confirm, format_parent, record_id
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.leasing import leased
from desktop.cli_commands.output import Lines, emit, emit_object
from desktop.cli_commands.ticket import add_ticket
from desktop.core.catalog import Catalog
from desktop.core.inventory.profiles import ProfileDetails, parse_status, row_json
from desktop.core.timestamps import to_utc_text as to_db_time

LIST_COLUMNS = [
    "id",
    "name",
    "customer",
    "tenant_domain",
    "services",
    "app_type",
    "mode",
    "status",
    "reason",
    "last_checked",
]

JSON_COLUMNS = [*LIST_COLUMNS[:3], "tenant_id", *LIST_COLUMNS[3:]]
#: What fits a 120-column terminal: a profile's name already says its customer and app type.
TABLE_COLUMNS = ["id", "name", "tenant_domain", "status", "reason", "last_checked"]


def register(subparsers: Any) -> None:
    fmt = format_parent()
    parser = subparsers.add_parser("profiles", help="app profiles")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    lst = sub.add_parser("list", parents=[fmt], help="list app profiles")
    lst.add_argument("--status", help="Valid, Expired, Invalid or Unknown")
    lst.add_argument("--customer", metavar="NAME")
    lst.set_defaults(handler=_list)

    show = sub.add_parser("show", parents=[fmt], help="one profile with its history")
    show.add_argument("id", type=record_id, metavar="ID")
    show.set_defaults(handler=_show)

    delete = sub.add_parser("delete", parents=[fmt], help="delete app profiles")
    delete.add_argument("ids", type=record_id, nargs="+", metavar="ID")
    delete.add_argument("--yes", action="store_true", help="confirm without asking")
    add_ticket(delete)
    delete.set_defaults(handler=_delete)

    mark = sub.add_parser(
        "mark",
        parents=[fmt],
        help="record that the consenting user left or enabled MFA (re-authorization required)",
    )
    mark.add_argument("ids", type=record_id, nargs="+", metavar="ID")
    event = mark.add_mutually_exclusive_group(required=True)
    event.add_argument("--user-left", action="store_true", help="the consenting user left")
    event.add_argument("--mfa-enabled", action="store_true", help="MFA enabled for that user")
    mark.add_argument("--note", default="", metavar="TEXT", help="kept in the history")
    mark.set_defaults(handler=_mark)


def _list(args: argparse.Namespace, ctx: CliContext) -> int:
    status = parse_status(args.status) if args.status else None
    rows = ctx.inventory.profiles.rows(status=status, customer=args.customer)
    # JSON carries every key of a profile, CSV all but the tenant ID, the table what fits.
    columns = {"json": JSON_COLUMNS, "csv": LIST_COLUMNS}.get(args.format, TABLE_COLUMNS)
    emit([row_json(r) for r in rows], args.format, columns, narrow_first=("tenant_domain",))
    return 0


def details_json(d: ProfileDetails, catalog: Catalog | None = None) -> dict[str, Any]:
    """``profiles show``: the list keys, then every other field (with the app type's and
    services' names when *catalog* is given) and the history."""
    p = d.profile
    names: dict[str, Any] = {}
    if catalog is not None:
        names = {
            "app_type_name": _app_type_name(catalog, p.app_type_id),
            "service_names": [_service_name(catalog, s) for s in p.service_ids],
        }
    return {
        "id": p.id,
        "name": p.name,
        "customer": d.customer,
        "tenant_id": p.tenant_id,
        "tenant_domain": d.tenant.primary_domain,
        "services": list(p.service_ids),
        "app_type": p.app_type_id,
        "mode": p.mode.value,
        "status": p.status.value,
        "reason": p.reason,
        "last_checked": to_db_time(p.last_checked),
        **names,
        "remedy": p.remedy,
        "cloud": d.tenant.cloud.value,
        "consent_method": p.consent_method.value,
        "consenting_user": p.consenting_user,
        "consented_at": to_db_time(p.consented_at),
        "functions": list(p.functions),
        "custom_app_id": p.custom_app_id,
        "created_at": to_db_time(p.created_at),
        "history": [
            {
                "kind": e.kind.value,
                "at": to_db_time(e.at),
                "detail": e.detail,
                "status": e.status.value if e.status else None,
                "actor": e.actor or None,
                "ticket": e.ticket or None,
            }
            for e in d.history
        ],
    }


def _show(args: argparse.Namespace, ctx: CliContext) -> int:
    obj = details_json(ctx.inventory.profiles.details(args.id), ctx.catalog)
    if args.format == "table":  # names where a technician reads them
        obj["services"] = obj.pop("service_names")
        obj["app_type"] = f"{obj.pop('app_type_name')} ({obj['app_type']})"
    if args.format != "json":  # one history entry a line
        obj["history"] = Lines(_history_line(e) for e in obj["history"])
    emit_object(obj, args.format)
    return 0


def _history_line(event: dict[str, Any]) -> str:
    words = event["kind"].replace("_", " ")
    who = f"  by {event['actor']}" if event.get("actor") else ""
    ticket = f" (ticket {event['ticket']})" if event.get("ticket") else ""
    return f"{event['at']}  {words}  {event['detail']}".strip() + who + ticket


def _app_type_name(catalog: Catalog, app_type_id: str) -> str:
    try:
        return catalog.app_type(app_type_id).label
    except KeyError:  # an app type an override once added and no longer has
        return app_type_id


def _service_name(catalog: Catalog, service_id: str) -> str:
    try:
        return catalog.service(service_id).name
    except KeyError:
        return service_id


def _delete(args: argparse.Namespace, ctx: CliContext) -> int:
    profiles = ctx.inventory.profiles
    plan = profiles.plan_deletion(args.ids, ctx.catalog)
    if not plan.blocked:
        confirm(plan.describe(), args.yes)
    with leased(ctx, "delete", [p.id for p in plan.profiles] if not plan.blocked else []):
        profiles.delete(plan, ctx.catalog, ctx.remove_secret)
    emit_object({"deleted": [p.id for p in plan.profiles]}, args.format)
    return 0


def _mark(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.checks.inventory_store import InventoryCheckStore
    from desktop.core.checks.marking import record_event
    from desktop.core.checks.triggers import Trigger

    trigger = Trigger.USER_LEFT if args.user_left else Trigger.USER_MFA_ENABLED
    store = InventoryCheckStore(ctx.inventory)
    marks = record_event(store, ctx.catalog, args.ids, trigger, args.note)
    rows = [
        {"id": pid, "status": m.status.value, "reason": m.reason, "remedy": m.remedy}
        for pid, m in marks
    ]
    emit(rows, args.format, ["id", "status", "reason", "remedy"])
    return 0
