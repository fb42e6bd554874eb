"""``python -m desktop.sandbox``: run the sandbox identity provider for a person to try.

Prints the environment to export, then serves until Ctrl+C.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from desktop.core.errors import UserError
from desktop.core.paths import HOME_ENV
from desktop.sandbox import variants
from desktop.sandbox.demo import Demo, populate
from desktop.sandbox.launch import load_catalog_or_none, prepare_data_folder
from desktop.sandbox.server import ADMIN_PATH, Sandbox


def describe(
    sandbox: Sandbox, demo: Demo, env: dict[str, str], *, prepared: bool = False
) -> list[str]:
    """What a person needs to point the app at the sandbox: environment, client IDs, accounts."""
    lines = ["SANDBOX identity provider running. Export these to point the app at it:"]
    lines += [f"  export {key}={value}" for key, value in env.items()]
    lines.append(f"Sign-in client ID (Settings: sign_in_client_id): {demo.sign_in_client_id}")
    if demo.client_ids:
        lines.append("Publisher client IDs (Settings: client_ids, by app type):")
        lines += [f"  {app_id} = {client_id}" for app_id, client_id in demo.client_ids.items()]
    lines.append(
        "National clouds have their own registrations (Settings: cloud_sign_in_client_ids, "
        "cloud_client_ids):"
    )
    for national in demo.national:
        sign_in = demo.cloud_sign_in_client_ids.get(national.cloud, "")
        lines.append(
            f"  {national.cloud}: tenant {national.domain} ({national.tenant_id}), "
            f"admin {national.admin}, sign-in client ID {sign_in}"
        )
    lines.append(
        f"GDAP: partner tenant {demo.partner_domain} ({demo.partner_tenant_id}), technician "
        f"{demo.technician}; its relationship with {demo.domain} is "
        f"{demo.gdap_relationship_id} (scenario set_gdap_roles changes its roles)."
    )
    if not prepared:
        lines.append(
            "Tip: --data-folder EMPTY_FOLDER writes these client IDs into that data folder's "
            "Settings and adds a demo customer."
        )
    lines.append(
        f"Tenants: {demo.domain} ({demo.tenant_id}), {demo.other_domain} ({demo.other_tenant_id})"
    )
    lines.append(
        f"Accounts: {demo.admin} (admin), {demo.user} (not an admin: user consent), "
        f"{demo.other_admin}"
    )
    lines.append(
        f"Custom mode: customer-owned app {demo.custom_app_id} in {demo.domain}; upload its "
        f"certificate (.cer) at {sandbox.portal_url}"
    )
    lines.append(
        f"Browser pages are plain http on 127.0.0.1 ({sandbox.pages_url}); the token endpoint "
        "and Graph are https with the sandbox's own CA (REQUESTS_CA_BUNDLE)."
    )
    lines.append(
        f"Scenario endpoint: POST {sandbox.authority_host}{ADMIN_PATH} "
        '{"action": "revoke_consent", "tenant": "...", "client_id": "..."}'
    )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m desktop.sandbox",
        description="A local identity provider speaking the Microsoft identity platform "
        "protocol, with demo tenants and apps.",
    )
    parser.add_argument("--folder", type=Path, help="where to write the CA certificate")
    parser.add_argument(
        "--auto-accept", action="store_true", help="the admin-consent page accepts by itself"
    )
    parser.add_argument(
        "--data-folder",
        type=Path,
        help="an empty data folder to prepare for the sandbox: Settings with its client IDs, a "
        "demo customer, tenant and profiles (then export APP_PROFILES_HOME to it)",
    )
    parser.add_argument(
        "--variants",
        default="",
        metavar="NAME,…",
        help="answer in these documented variants of Microsoft's answers, comma-separated: "
        + ", ".join(sorted(variants.ALL)),
    )
    args = parser.parse_args(argv)
    try:
        chosen = variants.checked([v.strip() for v in args.variants.split(",") if v.strip()])
    except ValueError as exc:
        parser.error(str(exc))
    folder = args.folder or Path(tempfile.mkdtemp(prefix="app-profiles-sandbox-"))
    catalog = load_catalog_or_none()
    with Sandbox(folder) as sandbox:
        demo = populate(sandbox, catalog.app_types if catalog else ())
        sandbox.scenario.set_auto_accept(args.auto_accept)
        sandbox.scenario.set_variants(sorted(chosen))
        env = sandbox.env()
        if args.data_folder is not None:
            try:
                prepare_data_folder(args.data_folder.resolve(), sandbox, demo, catalog)
            except UserError as exc:
                print(exc.one_line(), file=sys.stderr)
                return 2
            env[HOME_ENV] = str(args.data_folder.resolve())
        for line in describe(sandbox, demo, env, prepared=args.data_folder is not None):
            print(line)
        print("Press Ctrl+C to stop.")
        sys.stdout.flush()
        try:
            while True:
                time.sleep(1)
        except KeyboardInterrupt:
            print("Stopped.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
