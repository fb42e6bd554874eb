"""``team enroll``, ``team approve USER``, ``team remove USER``: sharing customers'
certificates and consenting users' sign-ins between technicians of a team.

``enroll`` creates this data folder's team key pair (the private key in its vault) and, in
team mode (``APP_PROFILES_DATABASE_URL``), publishes the public key under the technician's
server identity; the fingerprint is shown to compare by voice or chat. ``approve`` shows
USER's published fingerprint, asks that it be confirmed (``--fingerprint`` for scripts) and
wraps for USER every certificate key this technician holds that USER's scope allows (run
by an admin after a scope change, it also withdraws what the scope no longer allows).
``remove`` deletes USER's wrapped keys, lists what USER could read and how to rotate each
certificate (and how to revoke each consenting user's sign-in USER could read).

The commands join the ``team`` command when another module already registered it.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from desktop.cli_commands.common import format_parent
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit_object
from desktop.core.errors import UserError

ROTATE_STEPS = (
    "create a new certificate (app-profiles-cli cert rotate ID --out DIR --pfx-password-stdin; "
    "or cert create --subject NAME --out DIR)",
    "upload its .cer to the custom app in the customer's Entra admin center "
    "(App registrations > the app > Certificates & secrets > Upload certificate)",
    "verify it (app-profiles-cli cert rotate ID --verify FILE --password-stdin, or reauthorize "
    "ID --pfx FILE), which keeps it in place of the old certificate, then delete the old one "
    "from the app registration",
)

REVOKE_STEPS = (
    "the customer's admin revokes the consenting user's sessions (Entra admin center > "
    "Users > the user > Revoke sessions), which ends every refresh token of that user",
    "re-authorize the profile with user consent (app-profiles-cli reauthorize ID --method "
    "user), so the team holds a new sign-in that the removed member never saw",
)


def _team_subparsers(sub: Any) -> Any:
    """The ``team`` command's subparsers: an existing ``team`` command's, or a new one's."""
    parser = sub.choices.get("team")
    if parser is None:
        parser = sub.add_parser("team", help="work with the team database (shared inventory)")
        team_sub = parser.add_subparsers(dest="team_command", metavar="ACTION")
        team_sub.required = True
        return team_sub
    for action in parser._actions:  # argparse keeps the subparsers action only here
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError("the team command has no subcommands")


def register(sub: Any) -> None:
    team = _team_subparsers(sub)
    enroll = team.add_parser(
        "enroll",
        parents=[format_parent()],
        help="create your team key pair and publish its public key",
    )
    enroll.add_argument(
        "--replace",
        action="store_true",
        help="make a new pair (keys shared with the old one no longer open for you)",
    )
    enroll.set_defaults(handler=_enroll)

    approve = team.add_parser(
        "approve",
        parents=[format_parent()],
        help="share the customers' certificates and consenting users' sign-ins USER's scope "
        "allows with USER",
    )
    approve.add_argument("user", metavar="USER", help="the colleague's team user name")
    approve.add_argument(
        "--fingerprint",
        metavar="FP",
        help="USER's fingerprint as USER read it to you (needed when not at a terminal)",
    )
    approve.set_defaults(handler=_approve)

    remove = team.add_parser(
        "remove",
        parents=[format_parent()],
        help="take back every certificate and sign-in shared with USER, and list what to "
        "rotate or revoke (a team admin; a member may remove only themselves)",
    )
    remove.add_argument("user", metavar="USER", help="the team user name")
    remove.set_defaults(handler=_remove)

    share = team.add_parser(
        "share-local",
        parents=[format_parent()],
        help="move the certificates and consenting users' sign-ins kept on this computer "
        "before enrolling to the team",
        description="Each certificate a team profile holds moves into the team database "
        "under the same reference, wrapped for you, and so does each consenting user's "
        "sign-in of a team tenant; then 'team approve' shares them.",
    )
    share.set_defaults(handler=_share_local)


def _team(ctx: CliContext, *, required: bool = True) -> Any:
    from desktop.core.secrets.team_wiring import open_team_secrets, team_database

    database = team_database(ctx.paths)
    if database is None:
        if not required:
            return None
        raise UserError(
            "This command needs the team database.",
            remedy="Set APP_PROFILES_DATABASE_URL (or the team database setting) to the "
            "team's PostgreSQL address.",
        )
    return open_team_secrets(ctx.paths, database)


def _enroll(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.secrets.member_key import MemberKeys
    from desktop.core.vault import open_vault

    team = _team(ctx, required=False)
    keys = team.keys if team is not None else MemberKeys(open_vault(ctx.paths))
    enrollment = keys.replace() if args.replace else keys.enroll()
    member = None
    if team is not None:
        if args.replace:  # shares for the old key no longer open: let colleagues share again
            team.db.remove_member(team.member)
        team.db.publish_key(enrollment.public_key, enrollment.fingerprint)
        member = team.member
    emit_object(
        {
            "member": member,
            "fingerprint": enrollment.fingerprint,
            "public_key": enrollment.public_text,
            "created": enrollment.created,
            "published": member is not None,
        },
        args.format,
    )
    if args.format == "table":
        if member is None:
            print("Not published: set up the team database and run 'team enroll' again.")
        print("Read the fingerprint to the colleague who runs 'team approve' for you.")
    return 0


def _same(one: str, two: str) -> bool:
    return "".join(one.split()).upper() == "".join(two.split()).upper()


def _confirm(user: str, fingerprint: str, given: str | None) -> None:
    if given is not None:
        if not _same(given, fingerprint):
            raise UserError(
                f"The fingerprint you gave is not the one {user} published ({fingerprint}).",
                remedy=f"Ask {user} to run 'team enroll' and read theirs again. Nothing shared.",
            )
        return
    if not sys.stdin.isatty():
        raise UserError(
            f"{user}'s published fingerprint is {fingerprint}: confirm it before sharing.",
            remedy=f"Compare it with {user} by voice or chat, then run again with "
            f'--fingerprint "{fingerprint}".',
        )
    print(f"{user}'s published fingerprint: {fingerprint}", file=sys.stderr)
    answer = input(f"Does {user} read the same fingerprint? Type yes to share: ")
    if answer.strip().lower() != "yes":
        raise UserError("Not confirmed: nothing was shared.")


def _approve(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.secrets.team import approve, published_key

    team = _team(ctx)
    key = published_key(team.db, args.user)
    _confirm(args.user, key.fingerprint, args.fingerprint)
    approval = approve(team.db, team.keys, team.member, args.user)
    emit_object(
        {
            "user": args.user,
            "fingerprint": key.fingerprint,
            "shared": [s.secret_id for s in approval.shared],
            "count": len(approval.shared),
            "withdrawn": approval.withdrawn,
        },
        args.format,
    )
    return 0


def _remove(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.secrets.team import remove
    from desktop.core.secrets.team_token_split import TOKEN_KIND, token_profiles

    team = _team(ctx)
    held = remove(team.db, args.user)
    certificates = [s.secret_id for s in held if s.kind == "certificate"]
    profiles = team.db.profiles_holding(certificates)
    tokens = [s for s in held if s.kind == TOKEN_KIND]
    signed = token_profiles(
        [s.secret_id for s in tokens],
        team.db.delegated_profiles(sorted({s.customer_id for s in tokens if s.customer_id})),
    )
    emit_object(
        {
            "user": args.user,
            "removed": len(held),
            "could_read": [
                {
                    "secret": s.secret_id,
                    "kind": s.kind,
                    "customer_id": s.customer_id,
                    "profiles": profiles.get(s.secret_id, [])
                    or [name for name, _ in signed.get(s.secret_id, [])],
                    "consenting_user": next(
                        (user for _, user in signed.get(s.secret_id, [])), None
                    ),
                }
                for s in held
            ],
            "rotate": list(ROTATE_STEPS) if certificates else [],
            "revoke": list(REVOKE_STEPS) if tokens else [],
        },
        args.format,
    )
    if args.format == "table" and certificates:
        print(
            f"{args.user} could read {len(certificates)} certificate(s) and may have kept "
            "copies. Rotate each: " + "; then ".join(ROTATE_STEPS) + "."
        )
    if args.format == "table" and tokens:
        users = sorted({u for s in tokens for _, u in signed.get(s.secret_id, [])})
        print(
            f"{args.user} could read {len(tokens)} consenting user's sign-in(s)"
            + (f" ({', '.join(users)})" if users else "")
            + " and may have kept copies. To revoke each: "
            + "; then ".join(REVOKE_STEPS)
            + "."
        )
    return 0


def _share_local(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.secrets.local import LocalSecretStore
    from desktop.core.vault import open_vault

    team = _team(ctx)
    identity = ctx.services.identity()
    moved = team.store(
        LocalSecretStore(open_vault(ctx.paths)),
        lambda: set(identity.sign_in_client_ids().values()),
    ).share_local()
    emit_object({"moved": moved, "count": len(moved)}, args.format)
    return 0
