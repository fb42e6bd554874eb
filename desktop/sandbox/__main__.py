"""``python -m desktop.sandbox``: run the sandbox identity provider for a person to try.

Prints the environment to export, then serves until Ctrl+C.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from desktop.sandbox.demo import populate
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
    args = parser.parse_args(argv)
    folder = args.folder or Path(tempfile.mkdtemp(prefix="app-profiles-sandbox-"))
    app_types = []
    try:
        from desktop.core.catalog.loader import load_catalog

        app_types = list(load_catalog().catalog.app_types)
    except Exception:  # the catalog is optional here: the sandbox still runs without it
        pass
    with Sandbox(folder) as sandbox:
        demo = populate(sandbox, app_types)
        sandbox.scenario.set_auto_accept(args.auto_accept)
        print("SANDBOX identity provider running. Export these to point the app at it:")
        for key, value in sandbox.env().items():
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
