"""Runs the sandbox for the check-at-scale benchmark in its own process.

Creates N tenants, each with an administrator, the technician's sign-in app, P publisher apps
(consented, with their directory role assigned) and the custom app (its certificate PEM named
on the command line), prints one JSON line (environment, tenants, administrators and client
IDs), and serves until stdin closes. The benchmark sets the latency and reads the request
counts over ``/_sandbox/traffic``.

    python -m benchmarks.scale_host CERT.pem --tenants 200 --profiles 5
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from cryptography import x509

from benchmarks.sandbox_host import APPLICATION, CLIENT_ID, ROLE
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import SIGN_IN_CLIENT_ID
from desktop.sandbox.directory import stable_id

#: What the technician's sign-in app may read, as the demo registers it.
SIGN_IN_DELEGATED = {
    "Microsoft Graph": {
        "User.Read",
        "Application.Read.All",
        "DelegatedPermissionGrant.Read.All",
        "RoleManagement.Read.Directory",
    }
}
PUBLISHER_APPLICATION = {"Microsoft Graph": {"User.Read.All", "Sites.Read.All"}}


def publisher_client_id(index: int) -> str:
    """The client ID of the benchmark's publisher app number *index*."""
    return stable_id("bench-publisher", str(index))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("certificate", type=Path)
    parser.add_argument("--tenants", type=int, default=200)
    parser.add_argument("--profiles", type=int, default=5)
    args = parser.parse_args()
    cert = x509.load_pem_x509_certificate(args.certificate.read_bytes())
    with Sandbox(Path(tempfile.mkdtemp(prefix="bench-scale-"))) as sandbox:
        s = sandbox.scenario
        s.register_app(
            SIGN_IN_CLIENT_ID, "Technician sign-in", delegated=SIGN_IN_DELEGATED, public_client=True
        )
        publishers = [publisher_client_id(i) for i in range(args.profiles)]
        for i, client_id in enumerate(publishers):
            s.register_app(client_id, f"Publisher app {i}", application=PUBLISHER_APPLICATION)
        s.register_app(CLIENT_ID, "Custom app", application=APPLICATION, certificates=[cert])
        tenants, admins = [], []
        for i in range(args.tenants):
            tenant = s.add_tenant(f"t{i}.onmicrosoft.com", f"Tenant {i}")
            admins.append(f"admin@t{i}.onmicrosoft.com")
            s.add_user(tenant, admins[-1], admin=True)
            for client_id in [*publishers, CLIENT_ID]:
                s.grant_admin_consent(tenant, client_id)
                s.assign_directory_role(tenant, client_id, ROLE)
            tenants.append(tenant)
        s.set_auto_accept(True)
        ready = {
            "env": sandbox.env(),
            "tenants": tenants,
            "admins": admins,
            "sign_in_client_id": SIGN_IN_CLIENT_ID,
            "publishers": publishers,
            "custom_client_id": CLIENT_ID,
        }
        print(json.dumps(ready), flush=True)
        sys.stdin.read()  # serve until the benchmark closes our stdin
    return 0


if __name__ == "__main__":
    sys.exit(main())
