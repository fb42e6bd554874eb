"""Token requests per profile for a repeated "Check all": tokens asked for anew vs reused.

Custom-mode profiles (one per tenant, an app holding Microsoft Graph and SharePoint roles: two
resources) are checked with "Check all" twice in one process, as a technician does in one GUI
session. *Before*: every check asks for its tokens (no memo). *After*: the process's
:class:`~desktop.core.checks.token_memo.TokenMemo` hands out the valid tokens of the first run.
The sandbox runs in its own process and counts the token endpoint's requests at the server;
the benchmark prints the second run's token requests per profile in both modes and their ratio
(after / before; target 0: nothing expires within the run).

Run from the repository root::

    python benchmarks/bench_token_reuse.py                 # 20 tenants
    python benchmarks/bench_token_reuse.py --tenants 100 --latency 0.1
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from desktop.core.checks.checker import ProfileChecker  # noqa: E402
from desktop.core.checks.msal_gateway import MsalGateway  # noqa: E402
from desktop.core.checks.service import CheckService  # noqa: E402
from desktop.core.checks.token_memo import TokenMemo  # noqa: E402
from tests.e2e.test_checks_e2e import Credentials  # noqa: E402
from tests.helpers.check_fakes import MemoryCheckStore, profile, small_catalog  # noqa: E402


def _token_requests(env: dict[str, str], *, reset: bool = False) -> int:
    url = f"{env['APP_PROFILES_AUTHORITY_HOST']}/_sandbox/traffic"
    ca = env["REQUESTS_CA_BUNDLE"]
    if reset:
        requests.post(url, json={"reset": True}, verify=ca, timeout=30).raise_for_status()
        return 0
    answer = requests.get(url, verify=ca, timeout=30)
    answer.raise_for_status()
    return int(answer.json()["counts"].get("token", 0))


def _second_run_tokens(
    env: dict[str, str], tenants: list[str], credentials: Credentials, memo: TokenMemo | None
) -> tuple[int, int]:
    """Check all twice (a new check service per run, as the GUI builds one); the second
    run's token requests, and how many of its checks were Valid."""
    profiles = [profile(id=i + 1, tenant=t) for i, t in enumerate(tenants)]
    store = MemoryCheckStore(profiles)

    def service() -> CheckService:
        gateway = MsalGateway(memo=memo)
        return CheckService(store, ProfileChecker(small_catalog(), gateway, credentials))

    service().check(None)
    _token_requests(env, reset=True)
    outcome = service().check(None)
    valid = sum(r.status.value == "Valid" for r in outcome.results)
    return _token_requests(env), valid


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tenants", type=int, default=20)
    parser.add_argument("--latency", type=float, default=0.0)
    args = parser.parse_args()
    credentials = Credentials()
    pem = Path(tempfile.mkdtemp(prefix="bench-")) / "app.pem"
    pem.write_text(credentials.credential.certificate_pem)
    command = [sys.executable, "-m", "benchmarks.sandbox_host", str(pem),
               "--tenants", str(args.tenants), "--latency", str(args.latency)]  # fmt: skip
    server = subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    assert server.stdout is not None and server.stdin is not None
    try:
        ready = json.loads(server.stdout.readline())
        env: dict[str, str] = ready["env"]
        os.environ.update(env)
        tenants = list(ready["tenants"])
        n = len(tenants)
        before, valid_before = _second_run_tokens(env, tenants, credentials, None)
        after, valid_after = _second_run_tokens(env, tenants, credentials, TokenMemo())
        print(f"{n} custom-mode profiles (2 resources each), Check all twice in one process")
        for label, count, valid in (
            ("before (asked anew)", before, valid_before),
            ("after (reused)", after, valid_after),
        ):
            print(f"{label:20} {count / n:.2f} token requests per profile ({valid} Valid)")
        ratio = after / before if before else float("nan")
        print(f"ratio after/before: {ratio:.2f} (target 0.00 while no token expires)")
        return 0 if valid_before == valid_after == n else 1
    finally:
        server.stdin.close()
        server.wait(10)


if __name__ == "__main__":
    sys.exit(main())
