"""``team init|password|grant|revoke|scope|status|import-local`` and ``audit``: team mode.

The team database is chosen by ``APP_PROFILES_DATABASE_URL`` (or the ``team_database_url``
setting); its password comes from the OS keyring (``team password set``), never from a file.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from desktop.cli_commands import team_lease, team_offline
from desktop.cli_commands.common import format_parent, read_secret_line
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit, emit_object
from desktop.core.errors import UserError

if TYPE_CHECKING:
    from desktop.core.store.postgres.connection import Connection
    from desktop.core.store.postgres.credentials import TeamDatabase


def register(subparsers: Any) -> None:
    fmt = format_parent()
    parser = subparsers.add_parser("team", help="the team's shared inventory on PostgreSQL")
    sub = parser.add_subparsers(dest="action", metavar="ACTION", required=True)

    init = sub.add_parser(
        "init", parents=[fmt], help="create or upgrade the schema and roles (database owner)"
    )
    init.set_defaults(handler=_init)

    password = sub.add_parser("password", help="the team database password in the OS keyring")
    password_sub = password.add_subparsers(dest="password_action", metavar="ACTION", required=True)
    password_set = password_sub.add_parser(
        "set", help="store the password (read from stdin, or asked for)"
    )
    password_set.set_defaults(handler=_password_set)

    grant = sub.add_parser("grant", parents=[fmt], help="give a login a team role")
    grant.add_argument("user")
    grant.add_argument("--role", required=True, choices=("readonly", "technician", "admin"))
    grant.set_defaults(handler=_grant)

    revoke = sub.add_parser("revoke", parents=[fmt], help="take a login's team role away")
    revoke.add_argument("user")
    revoke.set_defaults(handler=_revoke)

    scope = sub.add_parser("scope", help="customer groups, and who is limited to which")
    scope_sub = scope.add_subparsers(dest="scope_action", metavar="ACTION", required=True)
    assign = scope_sub.add_parser("assign", parents=[fmt], help="put a customer in groups")
    assign.add_argument("customer")
    assign.add_argument("groups", nargs="+", metavar="GROUP")
    assign.set_defaults(handler=_assign)
    unassign = scope_sub.add_parser("unassign", parents=[fmt], help="take a customer out of groups")
    unassign.add_argument("customer")
    unassign.add_argument("groups", nargs="+", metavar="GROUP")
    unassign.set_defaults(handler=_unassign)
    limit = scope_sub.add_parser(
        "limit", parents=[fmt], help="limit a login to groups' customers (no group: unlimited)"
    )
    limit.add_argument("user")
    limit.add_argument("groups", nargs="*", metavar="GROUP")
    limit.set_defaults(handler=_limit)
    show = scope_sub.add_parser("show", parents=[fmt], help="show groups and limits")
    show.set_defaults(handler=_show_scope)

    status = sub.add_parser("status", parents=[fmt], help="which store, role and connection")
    status.set_defaults(handler=_status)

    imp = sub.add_parser(
        "import-local", parents=[fmt], help="copy a local inventory into the team database"
    )
    imp.add_argument(
        "--from", dest="source", metavar="DATA_FOLDER", help="the data folder to copy from"
    )
    imp.set_defaults(handler=_import_local)

    team_lease.register(sub, fmt)
    team_offline.register(sub, fmt)

    audit = subparsers.add_parser("audit", parents=[fmt], help="who did what, when (team database)")
    audit.add_argument("--since", metavar="DATE", help="from this date or time (ISO 8601, UTC)")
    audit.add_argument("--customer", metavar="CUSTOMER", help="one customer's entries only")
    audit.set_defaults(handler=_audit)


def _team_database(ctx: CliContext) -> TeamDatabase:
    from desktop.core.store.postgres.choose import team_database
    from desktop.core.store.postgres.credentials import ENV_URL

    db = team_database(ctx.paths)
    if db is None:
        raise UserError(
            "No team database is set up; this computer uses its local store.",
            remedy=f"Set {ENV_URL} to the team database's address, e.g. "
            "postgresql://alice@db.example:5432/profiles?sslmode=verify-full.",
        )
    return db


def _password(db: TeamDatabase) -> str | None:
    from desktop.core.store.postgres.choose import password_for

    return password_for(db)


@contextmanager
def _connected(ctx: CliContext) -> Iterator[Connection]:
    import psycopg

    from desktop.core.store.postgres.connection import connect, database_error

    db = _team_database(ctx)
    conn = connect(db.url, password=_password(db))
    try:
        yield conn
    except psycopg.Error as exc:
        raise database_error(exc, db.url) from None
    finally:
        conn.close()


def _init(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.store.postgres.migrate import migrate
    from desktop.core.store.postgres.team_secrets import install

    with _connected(ctx) as conn:
        before, after = migrate(conn, _team_database(ctx).url)
        install(conn)  # the shared secrets' tables (team enroll/approve/remove)
    emit_object(
        {
            "schema_version": after,
            "upgraded_from": before,
            "roles": ["apm_readonly", "apm_technician", "apm_admin"],
            "message": "The team database is set up."
            if before < after
            else "The team database was already set up; roles and privileges were checked.",
        },
        args.format,
    )
    return 0


def _password_set(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.store.postgres.credentials import set_password

    db = _team_database(ctx)
    if sys.stdin.isatty():
        password = getpass.getpass(f"Password for {db.account.removeprefix('team-db:')}: ")
    else:
        password = read_secret_line()
    set_password(db, password)
    print("The password is stored in the OS keyring.")
    return 0


def _grant(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.store.postgres import team

    with _connected(ctx) as conn:
        login = team.grant(conn, args.user, args.role)
    emit_object({"user": login, "role": args.role}, args.format)
    return 0


def _revoke(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.store.postgres import team

    with _connected(ctx) as conn:
        login = team.revoke(conn, args.user)
    emit_object({"user": login, "role": "none"}, args.format)
    return 0


def _assign(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.store.postgres import team

    with _connected(ctx) as conn:
        team.assign(conn, args.customer, args.groups)
        return _emit_scope(args, team.scope(conn), _rescope(ctx))


def _unassign(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.store.postgres import team

    with _connected(ctx) as conn:
        team.unassign(conn, args.customer, args.groups)
        return _emit_scope(args, team.scope(conn), _rescope(ctx))


def _limit(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.store.postgres import team

    with _connected(ctx) as conn:
        team.limit(conn, args.user, args.groups)
        return _emit_scope(args, team.scope(conn), _rescope(ctx, [args.user]))


def _show_scope(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.store.postgres import team

    with _connected(ctx) as conn:
        return _emit_scope(args, team.scope(conn))


def _rescope(ctx: CliContext, members: list[str] | None = None) -> dict[str, Any] | None:
    """Match the shared certificates to the new scope with the keys this technician holds
    (:func:`desktop.core.secrets.team.rescope`); what could not be done is said, not raised:
    the scope change itself is made. None when nobody was approved yet."""
    from desktop.core.secrets.team import rescope
    from desktop.core.secrets.team_wiring import open_team_secrets

    failed = (
        "Shares not matched to the new scope: {} Run 'team approve USER' for each member "
        "whose scope changed."
    )
    try:
        secrets = open_team_secrets(ctx.paths, _team_database(ctx))
    except UserError as exc:
        return {"note": failed.format(exc.one_line())}
    try:
        if not secrets.db.approved_members():
            return None  # nobody approved yet: nothing to match
        if not secrets.keys.enrolled():
            return {
                "note": "You have no team key (team enroll), so no certificate was "
                "shared or withdrawn; a colleague who holds them runs 'team approve'."
            }
        done = rescope(secrets.db, secrets.keys, secrets.member, members)
    except UserError as exc:
        return {"note": failed.format(exc.one_line())}
    finally:
        secrets.db.close()
    return {
        member: {"shared": [s.secret_id for s in a.shared], "withdrawn": a.withdrawn}
        for member, a in done.items()
    }


def _emit_scope(args: argparse.Namespace, scope: Any, shares: dict[str, Any] | None = None) -> int:
    out: dict[str, Any] = {"groups": scope.groups, "members": scope.members}
    if shares is not None:
        out["shares"] = shares
    emit_object(out, args.format)
    return 0


def _status(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.settings import Settings
    from desktop.core.store.postgres.credentials import selected

    # Read strictly here: a settings file that cannot be read is reported, not skipped.
    db = selected(Settings.load(ctx.paths.settings).team_database_url)
    if db is None:
        from desktop.core.store import SCHEMA_VERSION

        emit_object(
            {
                "backend": "sqlite",
                "store": str(ctx.paths.store),
                "schema_version": SCHEMA_VERSION,
                "role": "owner",
                "connected": True,
                "last_sync": None,
            },
            args.format,
        )
        return 0
    from desktop.core.store.postgres import team
    from desktop.core.store.postgres.connection import connect, describe
    from desktop.core.store.postgres.migrate import schema_version

    report: dict[str, Any] = {"backend": "postgresql", "database": describe(db.url)}
    try:
        conn = connect(db.url, password=_password(db))
    except UserError as exc:
        # The same keys as when connected; the last sync is the offline copy's, if any.
        report.update(
            user=None,
            server_version=None,
            schema_version=None,
            role=None,
            groups=[],
            connected=False,
            last_sync=_last_sync(ctx, db),
            problem=exc.one_line(),
        )
        emit_object(report, args.format)
        return 2
    try:
        row = conn.execute("SELECT session_user, current_setting('server_version')").fetchone()
        assert row is not None
        role = team.current_role(conn)
        # A login without a team role may not read the schema at all.
        version = schema_version(conn) if role != "none" else None
        report.update(
            user=row[0],
            server_version=row[1],
            schema_version=version,
            role=role,
            groups=team.my_groups(conn) if version else [],
            connected=True,
            last_sync=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        )
    finally:
        conn.close()
    emit_object(report, args.format)
    return 0


def _last_sync(ctx: CliContext, db: TeamDatabase) -> str | None:
    """When this data folder's usable offline copy of *db* was synced (UTC), or None."""
    from desktop.core.team.offline import OfflineStore

    try:
        synced = OfflineStore(ctx.paths.root, db.account).load().synced_at
    except UserError:  # no copy, an expired or unreadable one: nothing synced to speak of
        return None
    return synced.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _import_local(args: argparse.Namespace, ctx: CliContext) -> int:
    from pathlib import Path

    from desktop.core.paths import DataPaths
    from desktop.core.store import Store
    from desktop.core.store.postgres.database import PostgresStore
    from desktop.core.store.postgres.import_local import import_local

    db = _team_database(ctx)
    folder = Path(args.source).expanduser() if args.source else ctx.paths.root
    paths = DataPaths(folder)
    if not paths.store.is_file():
        raise UserError(
            f"There is no local inventory in {folder} (no {paths.store.name}).",
            remedy="Give the data folder that holds it with --from.",
        )
    source = Store.open(paths)
    target = PostgresStore.open(db.url, password=_password(db))
    try:
        report = import_local(source, target)
    finally:
        target.close()
    if args.format == "table":
        print(report.summary())
    else:
        emit_object(report.as_json(), args.format)
    return 0


def _since(text: str | None) -> datetime | None:
    if text is None:
        return None
    try:
        when = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UserError(
            f"--since {text!r} is not a date.", remedy="Use e.g. 2026-12-01 or 2026-12-01T14:00."
        ) from None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


_AUDIT_COLUMNS = [
    "at",
    "actor",
    "ticket",
    "customer",
    "entity",
    "ids",
    "change",
    "name",
    "columns",
    "detail",
]


def _audit(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.store.postgres import audit

    since = _since(args.since)
    with _connected(ctx) as conn:
        rows = audit.read(conn, since=since, customer=args.customer)
    emit([r.as_json() for r in rows], args.format, _AUDIT_COLUMNS, narrow_first=("ids", "columns"))
    return 0
