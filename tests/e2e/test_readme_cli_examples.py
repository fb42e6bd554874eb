"""The README's command-line examples, run as written against the sandbox's demo tenant
(contoso.onmicrosoft.com) from an empty data folder, in the order the README gives them.

Only what cannot be literal is substituted, and it is named here: ``app.pfx`` is a certificate
file made by the test, and the profile ID of ``reauthorize 12`` is the profile the README's own
``consent`` example created. ``tenants connect`` acts for a partner technician (the README's
GDAP section: "A technician signs in once at the MSP's own (partner) tenant"), so that sign-in,
as the sandbox's partner technician, comes first.
"""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from tests.helpers.certificates import app_certificate
from tests.helpers.cli_sandbox import CliSandbox
from tests.helpers.fixtures import REPO_ROOT, run_module

pytestmark = pytest.mark.e2e


def readme_examples() -> list[list[str]]:
    """Every runnable ``app-profiles-cli`` example, in README order, as argv lists."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    found: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", readme, flags=re.DOTALL):
        found += [line for line in block.splitlines() if line.startswith("app-profiles-cli ")]
    found += re.findall(r"\| `(app-profiles-cli [^`]+)` \|", readme)
    # "..." and GUID placeholders mark a shape, not a command (the custom-mode line).
    return [shlex.split(line)[1:] for line in found if "..." not in line and "GUID" not in line]


def test_the_readme_lists_examples_for_every_command() -> None:
    commands = {argv[0] for argv in readme_examples()}
    assert commands >= {
        "customers", "tenants", "profiles", "apps", "permissions", "cert", "signin", "consent",
        "check", "reauthorize", "consent-link", "demo",
    }  # fmt: skip


def test_every_readme_example_works_against_the_sandbox(
    cli_sandbox: CliSandbox, tmp_path: Path
) -> None:
    box = cli_sandbox
    home = tmp_path / "readme-home"
    home.mkdir()
    (home / "settings.json").write_bytes((box.home / "settings.json").read_bytes())
    env = {**box.env(), "APP_PROFILES_HOME": str(home)}
    pfx = tmp_path / "app.pfx"
    pfx.write_bytes(app_certificate("README app")[1])
    profile_id = ""
    for argv in readme_examples():
        args = [str(pfx) if a == "app.pfx" else a for a in argv]
        if args[0] == "reauthorize":
            args[1] = profile_id
        if args[:2] == ["tenants", "connect"]:
            box.sandbox.scenario.set_browser_user(box.demo.technician)
            partner = ["signin", "--tenant", box.demo.partner_domain, "--timeout", "30"]
            signed = run_module("desktop.cli", partner, env=env)
            assert signed.returncode == 0, (partner, signed.stdout, signed.stderr)
            box.sandbox.scenario.set_browser_user(box.demo.admin)
        done = run_module("desktop.cli", args, env=env, input_text="pw\n")
        allowed = (0, 1) if args[0] in ("check", "reauthorize") else (0,)
        assert done.returncode in allowed, (argv, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr, argv
        if args[0] == "consent":
            listed = run_module("desktop.cli", ["profiles", "list", "--format", "json"], env=env)
            (profile,) = json.loads(listed.stdout)
            profile_id = str(profile["id"])
    assert profile_id, "the README's consent example made no profile"
