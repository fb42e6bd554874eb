"""``reauthorize ID [--method admin|user] [--pfx FILE --password-stdin] [--app-id GUID]
[--functions F ...] [--timeout SECONDS] [--format json]``.

Runs the consent in the system browser again, checks the profile, stores both and prints the
new check (the same JSON object as ``check``). Exit 0 when the profile is Valid afterwards, 1
when it is still Expired or Invalid, 2 when the consent failed or the input was bad.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli_commands.common import add_browser_timeout, format_parent
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit_object
from desktop.core.catalog.model import ConsentMethod
from desktop.core.checks.reauthorize import ReauthorizeRequest, reauthorize
from desktop.core.checks.service import exit_code
from desktop.core.checks.wiring import build_reauthorizer
from desktop.core.errors import UserError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "reauthorize", parents=[format_parent()], help="consent again for an app profile"
    )
    parser.add_argument("id", type=int, metavar="ID")
    parser.add_argument("--method", choices=["admin", "user"], default="admin")
    parser.add_argument("--pfx", type=Path, metavar="FILE", help="a new certificate (custom)")
    parser.add_argument(
        "--password-stdin", action="store_true", help="read the .pfx password from stdin"
    )
    parser.add_argument("--app-id", metavar="GUID", help="a new application ID (custom mode)")
    parser.add_argument("--functions", nargs="*", metavar="F", help="Delegated app functions")
    add_browser_timeout(parser)
    parser.set_defaults(handler=_reauthorize)


def _read_pfx(args: argparse.Namespace) -> tuple[bytes | None, str | None]:
    if args.pfx is None:
        if args.password_stdin:
            raise UserError("--password-stdin goes with --pfx FILE.")
        return None, None
    try:
        data = args.pfx.read_bytes()
    except OSError as exc:
        raise UserError(
            f"The certificate file {args.pfx} cannot be read: {exc.strerror or exc}.",
            remedy="Check the path and try again.",
        ) from exc
    password = sys.stdin.readline().rstrip("\r\n") if args.password_stdin else None
    return data, password or None


def _reauthorize(args: argparse.Namespace, ctx: CliContext) -> int:
    pfx, password = _read_pfx(args)
    service, store, engine = build_reauthorizer(
        ctx.paths, ctx.catalog, ctx.inventory, timeout=args.timeout
    )
    request = ReauthorizeRequest(
        args.id,
        ConsentMethod(args.method),
        tuple(args.functions) if args.functions is not None else None,
        args.app_id,
        pfx,
        password,
    )
    result = reauthorize(
        request,
        store=store,
        engine=engine,
        checker=service.checker,
        certificates=engine.certificates,
    )
    emit_object(result.to_json(), args.format)
    return exit_code([result])
