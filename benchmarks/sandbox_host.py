"""Runs the sandbox identity provider in its own process for the bulk-check benchmark.

Microsoft's servers do not share our interpreter's GIL, so the benchmark must not either. Reads
the custom app's certificate (PEM) from the file named on the command line, registers the app
in N tenants with every permission and the directory role the benchmark's catalog requires,
grants admin consent, turns on the latency scenario, prints one JSON line (environment and
tenant IDs), and serves until stdin closes.

    python -m benchmarks.sandbox_host CERT.pem --tenants 100 --latency 0.1
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from cryptography import x509

from desktop.sandbox import Sandbox

CLIENT_ID = "33333333-3333-3333-3333-333333333333"
APPLICATION = {
    "Microsoft Graph": {"User.Read.All", "Sites.Read.All"},
    "SharePoint": {"Sites.FullControl.All"},
}
ROLE = "Exchange Administrator"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("certificate", type=Path)
    parser.add_argument("--tenants", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.1)
    args = parser.parse_args()
    cert = x509.load_pem_x509_certificate(args.certificate.read_bytes())
    with Sandbox(Path(tempfile.mkdtemp(prefix="bench-sandbox-"))) as sandbox:
        s = sandbox.scenario
        tenant_ids = [
            s.add_tenant(f"t{i}.onmicrosoft.com", f"Tenant {i}") for i in range(args.tenants)
        ]
        # One app registration consented in every tenant (no home tenant: multi-tenant), so
        # each check costs what a customer's own app would: a token, then the role read.
        s.register_app(CLIENT_ID, "Custom app", application=APPLICATION, certificates=[cert])
        for tenant in tenant_ids:
            s.grant_admin_consent(tenant, CLIENT_ID)
            s.assign_directory_role(tenant, CLIENT_ID, ROLE)
        s.set_latency(args.latency)
        print(json.dumps({"env": sandbox.env(), "tenants": tenant_ids}), flush=True)
        sys.stdin.read()  # serve until the benchmark closes our stdin
    return 0


if __name__ == "__main__":
    sys.exit(main())
