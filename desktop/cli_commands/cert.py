"""``cert inspect|create|expiry|rotate``: check a .pfx, make a self-signed app certificate,
list every custom profile's certificate expiry across customers, or rotate one."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from desktop.cli_commands.common import (
    format_parent,
    read_certificate,
    read_secret_line,
    record_id,
)
from desktop.cli_commands.context import CliContext
from desktop.cli_commands.output import emit, emit_object
from desktop.core.certificates import (
    DEFAULT_DAYS,
    EXPIRY_WARNING_DAYS,
    KEY_SIZES,
    CertificateRequest,
    PfxEncryption,
    create_self_signed,
    file_stem,
    inspect,
    iso_utc,
    read_pfx,
    read_pfx_file,
    usability_error,
    write_certificate_files,
)
from desktop.core.errors import UserError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("cert", help="inspect or create app certificates")
    sub = parser.add_subparsers(dest="cert_command", metavar="ACTION", required=True)

    insp = sub.add_parser(
        "inspect",
        help="show a .pfx/.p12 file's subject, thumbprints, validity and key",
        description="Exit 2 when the file cannot serve a Microsoft Entra app "
        "(unreadable, no private key, not RSA, RSA under 2048 bits).",
    )
    insp.add_argument("file", type=Path, metavar="FILE")
    insp.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from the first line of stdin (an empty line: no password)",
    )
    insp.add_argument("--format", choices=("text", "json"), default="text")
    insp.set_defaults(handler=run_inspect)

    create = sub.add_parser(
        "create",
        help="create a self-signed certificate: <name>.cer (and <name>.pfx with a password)",
    )
    create.add_argument("--subject", required=True, metavar="CN", help="the certificate's name")
    create.add_argument("--days", type=int, default=DEFAULT_DAYS, help="validity (default 365)")
    create.add_argument("--key-size", type=int, choices=KEY_SIZES, default=2048)
    create.add_argument("--out", type=Path, required=True, metavar="DIR")
    create.add_argument(
        "--pfx-password-stdin",
        action="store_true",
        help="read the .pfx password from the first line of stdin and write <name>.pfx",
    )
    create.add_argument(
        "--legacy-pfx",
        action="store_true",
        help="protect the .pfx with 3DES/SHA-1, for older Windows (default AES-256)",
    )
    create.add_argument("--format", choices=("text", "json"), default="text")
    create.set_defaults(handler=run_create)

    expiry = sub.add_parser(
        "expiry",
        parents=[format_parent()],
        help="every custom profile's certificate expiry across customers, soonest first",
        description="Exit 1 when a listed certificate has expired, expires within "
        f"{EXPIRY_WARNING_DAYS} days or cannot be read; a certificate not shared with you "
        "yet (team mode) is listed as waiting.",
    )
    expiry.add_argument(
        "--within",
        type=int,
        default=None,
        metavar="DAYS",
        help="only certificates expiring within DAYS (expired ones included)",
    )
    expiry.add_argument("--customer", metavar="NAME", help="only this customer's profiles")
    expiry.set_defaults(handler=run_expiry)

    rotate = sub.add_parser(
        "rotate",
        parents=[format_parent()],
        help="rotate a custom profile's certificate: create it, then verify it once uploaded",
        description="Step 1 (--out DIR --pfx-password-stdin): create a new certificate, "
        "write <name>.cer for the customer and a password-protected <name>.pfx, and show "
        "where to upload the .cer. Step 2 (--verify FILE --password-stdin), after the "
        "customer uploaded it: sign in with it; only when the tenant accepts it is it "
        "stored in place of the old one, the profile checked again, and the old one retired "
        "(how to delete it from the app registration is shown). Until then nothing changes.",
    )
    rotate.add_argument("id", type=record_id, metavar="ID")
    step = rotate.add_mutually_exclusive_group(required=True)
    step.add_argument("--out", type=Path, metavar="DIR", help="step 1: where to write the files")
    step.add_argument("--verify", type=Path, metavar="FILE", help="step 2: the new .pfx")
    rotate.add_argument("--days", type=int, default=DEFAULT_DAYS, help="validity (default 365)")
    rotate.add_argument(
        "--pfx-password-stdin",
        action="store_true",
        help="step 1: the new .pfx's password, from the first line of stdin",
    )
    rotate.add_argument(
        "--password-stdin",
        action="store_true",
        help="step 2: the .pfx password, from the first line of stdin",
    )
    rotate.set_defaults(handler=run_rotate)


def run_inspect(args: argparse.Namespace, ctx: CliContext) -> int:
    password = read_secret_line() if args.password_stdin else ""
    info = inspect(read_pfx_file(args.file, password or None))
    del password
    emit_object(info.to_json(), args.format)
    error = usability_error(info)
    if error is not None:
        raise error
    return 0


def run_create(args: argparse.Namespace, ctx: CliContext) -> int:
    password = ""
    if args.pfx_password_stdin:
        password = read_secret_line()
        if not password:
            raise UserError(
                "The .pfx password on stdin is empty.",
                remedy="Give a password to protect the private key, or leave out "
                "--pfx-password-stdin to write only the .cer.",
            )
    request = CertificateRequest(args.subject, days=args.days, key_size=args.key_size)
    contents = create_self_signed(request.validated())
    encryption = PfxEncryption.LEGACY_3DES if args.legacy_pfx else PfxEncryption.AES256
    written = write_certificate_files(
        contents, args.out, file_stem(request.subject), password or None, encryption
    )
    del password
    info = inspect(contents)
    result = {
        "subject": info.subject,
        "cer": str(written.cer),
        "pfx": str(written.pfx) if written.pfx else None,
        "thumbprint_sha1": info.thumbprint_sha1,
        "thumbprint_sha256": info.thumbprint_sha256,
        "not_after": iso_utc(info.not_after),
    }
    emit_object(result, args.format)
    if written.pfx is None:
        print(
            "Note: no .pfx was written, so the private key is gone; to sign in with this "
            "certificate, create it again with --pfx-password-stdin.",
            file=sys.stderr,
        )
    return 0


EXPIRY_COLUMNS = [
    "profile_id",
    "profile",
    "customer",
    "tenant_domain",
    "state",
    "not_after",
    "days_left",
    "thumbprint_sha1",
    "note",
]
EXPIRY_TABLE = ["profile_id", "profile", "customer", "state", "not_after", "days_left", "note"]


def run_expiry(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.secrets.expiry import certificate_expiries, within

    if args.within is not None and args.within < 0:
        raise UserError("--within must be 0 or more days.")
    holders = ctx.inventory.profiles.certificate_holders(args.customer)
    items = within(certificate_expiries(holders, ctx.certificates), args.within)
    columns = {"json": [*EXPIRY_COLUMNS, "subject"], "csv": EXPIRY_COLUMNS}
    emit(
        [i.to_json() for i in items],
        args.format,
        columns.get(args.format, EXPIRY_TABLE),
        wrap=True,
        narrow_first=("note", "customer"),
    )
    return 1 if any(i.needs_attention for i in items) else 0


def run_rotate(args: argparse.Namespace, ctx: CliContext) -> int:
    if args.out is not None:
        return _rotate_start(args, ctx)
    return _rotate_finish(args, ctx)


def _rotate_start(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.secrets.rotation import new_certificate, rotatable, upload_steps

    if args.password_stdin:
        raise UserError(
            "--password-stdin goes with --verify FILE; step 1 takes --pfx-password-stdin."
        )
    if not args.pfx_password_stdin:
        raise UserError(
            "Step 1 needs --pfx-password-stdin: the new private key is kept only in a "
            "password-protected .pfx until the customer has uploaded the certificate.",
        )
    details = ctx.inventory.profiles.details(args.id)
    profile = details.profile
    rotatable(profile)
    old = ctx.certificates.info(profile.certificate_ref) if profile.certificate_ref else None
    password = read_secret_line()
    if not password:
        raise UserError("The .pfx password on stdin is empty.", remedy="Give a password.")
    contents = new_certificate(old, profile.name, args.days)
    info = inspect(contents)
    stem = file_stem(f"{info.common_name} {info.not_after:%Y-%m-%d}")
    written = write_certificate_files(contents, args.out, stem, password, PfxEncryption.AES256)
    del password
    tenant = details.tenant.label
    steps = upload_steps(profile.custom_app_id, tenant, written.cer.name, info.thumbprint_sha1)
    steps.append(
        f"Then run: app-profiles-cli cert rotate {args.id} --verify {written.pfx} --password-stdin"
    )
    result = {
        "profile_id": args.id,
        "app_id": profile.custom_app_id,
        "cer": str(written.cer),
        "pfx": str(written.pfx),
        "thumbprint_sha1": info.thumbprint_sha1,
        "not_after": iso_utc(info.not_after),
        "old_thumbprint_sha1": old.thumbprint_sha1 if old else "",
        "old_not_after": iso_utc(old.not_after) if old else None,
        "steps": steps,
    }
    emit_object(result, args.format)
    return 0


def _rotate_finish(args: argparse.Namespace, ctx: CliContext) -> int:
    from desktop.core.checks.inventory_store import InventoryCheckStore
    from desktop.core.checks.service import exit_code
    from desktop.core.secrets.rotation import finish_rotation, retire_steps

    if args.pfx_password_stdin:
        raise UserError("--pfx-password-stdin goes with --out DIR; step 2 takes --password-stdin.")
    data = read_certificate(args.verify)
    password = read_secret_line() if args.password_stdin else ""
    contents = read_pfx(data, password or None)
    del password
    details = ctx.inventory.profiles.details(args.id)
    old = None
    if details.profile.certificate_ref:
        try:
            old = ctx.certificates.info(details.profile.certificate_ref)
        except UserError:
            old = None  # unreadable: the rotation replaces it all the same
    store = InventoryCheckStore(ctx.inventory)
    (target,) = store.targets([args.id])
    # The check after a rotation must see the new certificate's tokens, not a reused one.
    checker = ctx.services.check_service(fresh_tokens=True).checker
    result = finish_rotation(
        target,
        contents,
        checker.app_type(target.profile.app_type_id),
        certificates=ctx.certificates,
        store=store,
        checker=checker,
    )
    tenant = details.tenant.label
    out = result.to_json()
    out["retired_thumbprint_sha1"] = old.thumbprint_sha1 if old else ""
    out["steps"] = retire_steps(
        details.profile.custom_app_id, tenant, old.thumbprint_sha1 if old else ""
    )
    emit_object(out, args.format)
    return exit_code([result])
