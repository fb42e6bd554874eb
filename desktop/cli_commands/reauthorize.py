"""``reauthorize ID [--method admin|user] [--pfx FILE --password-stdin] [--app-id GUID]
[--functions F ...] [--yes] [--timeout SECONDS] [--format json]``.

Runs the consent in the system browser again, checks the profile, stores both and prints the
new check (the same JSON object as ``check``). Before an administrator's consent it warns on
stderr that tenant-wide consent may revoke the app's current grants, listing them, and asks at
a terminal (``--yes`` skips both). Exit 0 when the profile is Valid afterwards, 1
when it is still Expired or Invalid, 2 when the consent failed or the input was bad.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli_commands.common import (
    add_browser_timeout,
    format_parent,
    read_certificate,
    read_secret_line,
    record_id,
)
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.explain import WAITING_LINE
from desktop.cli_commands.leasing import leased
from desktop.cli_commands.output import emit_object
from desktop.cli_commands.progress import say
from desktop.cli_commands.ticket import add_ticket
from desktop.core.catalog.model import ConsentMethod
from desktop.core.checks.service import exit_code
from desktop.core.errors import UserError
from desktop.core.identity.reconsent import ReconsentWarning
from desktop.core.reauthorize.flow import ReauthorizeRequest, reauthorize, validate


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "reauthorize", parents=[format_parent()], help="consent again for an app profile"
    )
    parser.add_argument("id", type=record_id, metavar="ID")
    parser.add_argument("--method", choices=["admin", "user"], default="admin")
    parser.add_argument("--pfx", type=Path, metavar="FILE", help="a new certificate (custom)")
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the .pfx password from stdin"
    )
    parser.add_argument("--app-id", metavar="GUID", help="a new application ID (custom mode)")
    parser.add_argument("--functions", nargs="*", metavar="F", help="Delegated app functions")
    parser.add_argument(
        "--yes",
        action="store_true",
        help="administrator consent: go ahead without the warning about current grants",
    )
    add_browser_timeout(parser)
    add_ticket(parser)
    parser.set_defaults(handler=_reauthorize)


def _read_pfx(args: argparse.Namespace) -> tuple[bytes | None, str | None]:
    if args.pfx is None:
        if args.password_stdin:
            raise UserError("--password-stdin goes with --pfx FILE.")
        return None, None
    data = read_certificate(args.pfx)
    password = read_secret_line() if args.password_stdin else None
    return data, password or None


def _warn_before_reconsent(warning: ReconsentWarning) -> None:
    """Tenant-wide consent may revoke current grants: say which; ask at a terminal.

    Without a terminal on stdin the warning is printed and the consent goes ahead (the
    browser needs a person anyway); ``--yes`` skips both.
    """
    if not warning.needed:
        return
    print(warning.text(), file=sys.stderr)
    isatty = getattr(sys.stdin, "isatty", None)
    if not (isatty and isatty()):
        return
    answer = input("Consent again anyway? Type yes to go on: ").strip().lower()
    if answer not in ("y", "yes"):
        raise UserError("Nothing was changed: the re-consent was not confirmed.")


def _reauthorize(args: argparse.Namespace, ctx: CliContext) -> int:
    pfx, password = _read_pfx(args)
    service, store, engine, vault = ctx.services.reauthorization(timeout=args.timeout)
    request = ReauthorizeRequest(
        args.id,
        ConsentMethod(args.method),
        tuple(args.functions) if args.functions is not None else None,
        args.app_id,
        pfx,
        password,
    )
    if request.method is ConsentMethod.ADMIN and not args.yes:
        (target,) = store.targets([args.id])
        # Bad input is refused first, in one line, before any warning or browser.
        validate(request, service.checker.app_type(target.profile.app_type_id), target.profile)
        _warn_before_reconsent(engine.reconsent_warning(target.profile))
    with leased(ctx, "reauthorize", [args.id]):
        say(f"Opening the system browser to re-authorize app profile #{args.id}…")
        say(WAITING_LINE)
        result = reauthorize(
            request,
            store=store,
            engine=engine,
            checker=service.checker,
            certificates=vault,
        )
    emit_object(result.to_json(), args.format)
    return exit_code([result])
