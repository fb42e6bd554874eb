"""``settings show|set|unset``: the same Settings as the GUI's Settings screen.

``show`` lists each value in use and its source (settings.json, catalog-override.json, the
shipped catalog, or the default). ``set KEY VALUE`` (``set client-id APP VALUE`` for an app
type by name or id) checks the value as the screen does and saves atomically; ``unset`` falls
back to the catalog's value or the default. Exit 2 with one line saying why on bad input.
"""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli_commands.common import format_parent
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit, emit_object
from desktop.core import settings_edit as edit
from desktop.core.catalog.loader import load_shipped
from desktop.core.catalog.names import find_app_type
from desktop.core.domain import Cloud
from desktop.core.errors import UserError
from desktop.core.settings import Settings

CLOUDS = tuple(c.value for c in Cloud)
COLUMNS = ("setting", "cloud", "app_type", "value", "source")


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("settings", help="show or change Settings (client IDs, ...)")
    sub = parser.add_subparsers(dest="settings_command", metavar="ACTION")
    sub.required = True

    show = sub.add_parser(
        "show", parents=[format_parent()], help="each value in use and where it comes from"
    )
    show.add_argument("--cloud", choices=CLOUDS, help="only this cloud's client IDs")
    show.set_defaults(handler=_show)

    keys = ", ".join(edit.KEY_NAMES)
    put = sub.add_parser(
        "set",
        parents=[format_parent()],
        help="set a value: KEY VALUE, or client-id APP VALUE",
        description=f"Keys: {keys}. Browser: a program's path, or 'default'.",
    )
    put.add_argument("key", metavar="KEY", help=keys)
    put.add_argument("values", nargs="+", metavar="VALUE", help="[APP] VALUE")
    put.add_argument("--cloud", choices=CLOUDS, default="global", help="default: global")
    put.set_defaults(handler=_set)

    drop = sub.add_parser(
        "unset", parents=[format_parent()], help="remove a value (the catalog's or default applies)"
    )
    drop.add_argument("key", metavar="KEY", help=keys)
    drop.add_argument("app", nargs="?", metavar="APP", help="the app type, for client-id")
    drop.add_argument("--cloud", choices=CLOUDS, default="global", help="default: global")
    drop.set_defaults(handler=_unset)


def _rows(ctx: CliContext, settings: Settings, cloud: str | None) -> list[dict[str, Any]]:
    catalog = ctx.catalog
    shipped = load_shipped() if len(catalog.sources) > 1 else None
    rows = []
    for entry in edit.current_values(settings, catalog, shipped):
        if cloud and entry.cloud and entry.cloud != cloud:
            continue
        national = entry.cloud not in ("", "global")
        if cloud is None and entry.key == edit.CLIENT_ID and national and not entry.value:
            continue  # 30 app types x 3 national clouds: show only those that are set
        rows.append(
            {
                "setting": entry.key,
                "cloud": entry.cloud or None,
                "app_type": entry.app_type_label or None,
                "app_type_id": entry.app_type_id or None,
                "value": entry.value or None,
                "source": entry.source,
            }
        )
    return rows


def _show(args: argparse.Namespace, ctx: CliContext) -> int:
    settings = Settings.load(ctx.paths.settings)
    rows = _rows(ctx, settings, args.cloud)
    columns = (*COLUMNS[:3], "app_type_id", *COLUMNS[3:]) if args.format == "json" else COLUMNS
    emit(rows, args.format, columns)
    return 0


def _target(ctx: CliContext, key: str, values: list[str], *, needs_value: bool) -> tuple[str, str]:
    """The app type id (for client-id) and the value from the positional *values*."""
    wanted = 2 if key == edit.CLIENT_ID else 1
    if not needs_value:
        wanted -= 1
    if len(values) != wanted:
        usage = {
            (edit.CLIENT_ID, True): 'client-id "APP TYPE" GUID',
            (edit.CLIENT_ID, False): 'client-id "APP TYPE"',
        }.get((key, needs_value), f"{key} VALUE" if needs_value else key)
        raise UserError(f"Expected: settings {'set' if needs_value else 'unset'} {usage}.")
    app_id = find_app_type(ctx.catalog, values[0]).id if key == edit.CLIENT_ID else ""
    return app_id, (values[-1] if needs_value else "")


def _set(args: argparse.Namespace, ctx: CliContext) -> int:
    key = edit.key_named(args.key).name
    app_id, text = _target(ctx, key, list(args.values), needs_value=True)
    path = ctx.paths.settings
    try:
        updated = edit.apply(Settings.load(path), key, text, cloud=args.cloud, app_type_id=app_id)
    except edit.InvalidValue as exc:
        raise UserError(f"{key}: {exc.message}", remedy=exc.remedy) from None
    updated.save(path)
    return _report(ctx, updated, key, args.cloud, app_id, args.format)


def _unset(args: argparse.Namespace, ctx: CliContext) -> int:
    key = edit.key_named(args.key).name
    app_id, _ = _target(ctx, key, [args.app] if args.app else [], needs_value=False)
    path = ctx.paths.settings
    updated = edit.unset(Settings.load(path), key, cloud=args.cloud, app_type_id=app_id)
    updated.save(path)
    return _report(ctx, updated, key, args.cloud, app_id, args.format)


def _report(
    ctx: CliContext, settings: Settings, key: str, cloud: str, app_id: str, fmt: str
) -> int:
    """Print the value now in use and its source."""
    per_cloud = edit.key_named(key).per_cloud
    for row in _rows(ctx, settings, cloud if per_cloud else None):
        same = row["setting"] == key and (row["app_type_id"] or "") == app_id
        if same and (not per_cloud or row["cloud"] == cloud):
            emit_object(row, "json" if fmt == "json" else "table")
            return 0
    return 0  # pragma: no cover - every key has a row
