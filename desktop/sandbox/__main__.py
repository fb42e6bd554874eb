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
from desktop.sandbox.demo import populate
from desktop.sandbox.launch import load_catalog_or_none, prepare_data_folder
from desktop.sandbox.server import ADMIN_PATH, Sandbox


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
    args = parser.parse_args(argv)
    folder = args.folder or Path(tempfile.mkdtemp(prefix="app-profiles-sandbox-"))
    catalog = load_catalog_or_none()
    with Sandbox(folder) as sandbox:
        demo = populate(sandbox, catalog.app_types if catalog else ())
        sandbox.scenario.set_auto_accept(args.auto_accept)
        env = sandbox.env()
        if args.data_folder is not None:
            try:
                prepare_data_folder(args.data_folder.resolve(), sandbox, demo, catalog)
            except UserError as exc:
                print(exc.one_line(), file=sys.stderr)
                return 2
            env[HOME_ENV] = str(args.data_folder.resolve())
        print("SANDBOX identity provider running. Export these to point the app at it:")
        for key, value in env.items():
            print(f"  export {key}={value}")
        print(f"Sign-in client ID: {demo.sign_in_client_id}")
        print(f"Tenants: {demo.domain} ({demo.tenant_id}), fabrikam ({demo.other_tenant_id})")
        print(f"Accounts: {demo.admin} (admin), {demo.user}, {demo.other_admin}")
        print(
            f"Scenario endpoint: POST {sandbox.authority_host}{ADMIN_PATH} "
            '{"action": "revoke_consent", "tenant": "...", "client_id": "..."}'
        )
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
