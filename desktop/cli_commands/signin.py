"""``signin`` and ``signout``: the technician's own account (a public client, system browser)."""

from __future__ import annotations

import argparse
from typing import Any

from desktop.cli_commands.common import add_browser_timeout
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit_object
from desktop.cli_commands.progress import say, stderr_progress
from desktop.core.cancel import Progress
from desktop.core.domain import Cloud
from desktop.core.endpoints import endpoints_for
from desktop.core.identity.signin import TechnicianSession
from desktop.core.services import IdentityServices

PROGRESS: Progress = stderr_progress


def register(sub: Any) -> None:
    p = sub.add_parser("signin", help="sign in as the technician in the system browser")
    p.add_argument(
        "--tenant",
        default="organizations",
        help="tenant ID or domain to sign in to (default: your organization)",
    )
    p.add_argument(
        "--cloud",
        choices=[c.value for c in Cloud],
        default=Cloud.GLOBAL.value,
        help="the cloud of that tenant, whose own sign-in app is used (default: global)",
    )
    add_browser_timeout(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.set_defaults(handler=signin)
    q = sub.add_parser("signout", help="forget the technician's cached sign-in")
    q.set_defaults(handler=signout)


def _session(ctx: CliContext) -> tuple[TechnicianSession, IdentityServices]:
    wiring = IdentityServices.load(ctx.paths, ctx.catalog)
    return wiring.technician_session(), wiring


def signin(args: argparse.Namespace, ctx: CliContext) -> int:
    session, wiring = _session(ctx)
    timeout = args.timeout or wiring.settings.consent_timeout_seconds
    say("Opening the system browser to sign in…")
    endpoints = endpoints_for(Cloud(getattr(args, "cloud", Cloud.GLOBAL.value)))
    signed = session.sign_in(endpoints, args.tenant, timeout=timeout, progress=PROGRESS)
    emit_object({"signed_in": signed.username, "tenant_id": signed.tenant_id}, args.format)
    return 0


def signout(args: argparse.Namespace, ctx: CliContext) -> int:
    session, _ = _session(ctx)
    session.sign_out()
    print(
        "Signed out: the technician's cached sign-in was removed (users who gave user consent "
        "stay signed in for their profiles' checks)."
    )
    return 0
