"""The sandbox for CLI subprocess tests: the shipped catalog's apps registered, the data folder's
Settings naming the sandbox's client IDs, and a demo customer and tenant added with the real CLI.

Each command runs as ``python -m desktop.cli`` with the sandbox's hosts and CA, a test keyring
(``PYTHON_KEYRING_BACKEND``), and ``BROWSER`` set to the browser stand-in program.
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from desktop.core.catalog.loader import load_catalog
from desktop.core.paths import DataPaths
from desktop.core.settings import Settings
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo, populate
from tests.helpers.browser_cli import browser_command
from tests.helpers.file_keyring import FileKeyring, keyring_env
from tests.helpers.fixtures import REPO_ROOT, run_module

CUSTOMER = "Contoso Ltd"
SECRET_SERVICE_TOOLS = ("dbus-run-session", "gnome-keyring-daemon")


@dataclass
class CliSandbox:
    sandbox: Sandbox
    demo: Demo
    home: Path
    folder: Path

    @property
    def keyring_file(self) -> Path:
        return self.folder / "keyring.json"

    @property
    def keyring(self) -> FileKeyring:
        return FileKeyring(self.keyring_file)

    @property
    def browser_log(self) -> Path:
        return self.folder / "browser.log"

    def browser(self, decision: str = "accept", upn: str = "") -> str:
        """``BROWSER`` for the stand-in that accepts, cancels or (``none``) walks away."""
        assert self.sandbox.ca_path is not None
        return browser_command(
            self.sandbox.ca_path, decision=decision, upn=upn, log=self.browser_log
        )

    def env(self, *, decision: str = "accept", upn: str = "") -> dict[str, str]:
        return {
            **self.sandbox.env(),
            **keyring_env(self.keyring_file),
            "APP_PROFILES_HOME": str(self.home),
            "BROWSER": self.browser(decision, upn),
        }

    def cli(
        self, *args: str, decision: str = "accept", upn: str = "", input_text: str | None = None
    ) -> subprocess.CompletedProcess[str]:
        return run_module(
            "desktop.cli", args, env=self.env(decision=decision, upn=upn), input_text=input_text
        )

    def profiles(self) -> list[dict[str, Any]]:
        result = self.cli("profiles", "list", "--format", "json")
        assert result.returncode == 0, result.stderr
        return list(json.loads(result.stdout))

    def in_secret_service(
        self, commands: Sequence[Sequence[str]]
    ) -> subprocess.CompletedProcess[str]:
        """Run CLI *commands* in one D-Bus session with an unlocked gnome-keyring (a throwaway
        keyring under a temporary HOME), each followed by a line ``exit N``."""
        home = self.folder / "home"
        home.mkdir(exist_ok=True)
        env = {
            **os.environ,
            **self.env(),
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "share"),
            "XDG_RUNTIME_DIR": str(home),
            "PYTHONPATH": str(REPO_ROOT),
        }
        env.pop("PYTHON_KEYRING_BACKEND", None)
        script = (
            "echo -n test-login-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null"
        )
        for command in commands:
            line = shlex.join([sys.executable, "-m", "desktop.cli", *command])
            script += f'; {line}; echo "exit $?"'
        return subprocess.run(
            ["dbus-run-session", "--", "sh", "-c", script],
            capture_output=True,
            text=True,
            env=env,
            cwd=REPO_ROOT,
            timeout=180,
            check=False,
        )


def secret_service_missing() -> list[str]:
    return [tool for tool in SECRET_SERVICE_TOOLS if not shutil.which(tool)]


@pytest.fixture
def cli_sandbox(tmp_path: Path, data_home: Path) -> Iterator[CliSandbox]:
    """A running sandbox, Settings pointing at its apps, and Contoso Ltd with its tenant."""
    catalog = load_catalog().catalog
    with Sandbox(tmp_path / "idp") as running:
        demo = populate(running, catalog.app_types)
        paths = DataPaths(data_home).ensure()
        Settings(sign_in_client_id=demo.sign_in_client_id, client_ids=dict(demo.client_ids)).save(
            paths.settings
        )
        box = CliSandbox(running, demo, data_home, tmp_path)
        for argv in (
            ["customers", "add", CUSTOMER],
            ["customers", "add", "Fabrikam"],
            [
                "tenants",
                "add",
                "--customer",
                CUSTOMER,
                "--domain",
                demo.domain,
                "--id",
                demo.tenant_id,
            ],
            ["tenants", "add", "--customer", "Fabrikam", "--id", demo.other_tenant_id],
        ):
            result = box.cli(*argv)
            assert result.returncode == 0, result.stderr
        yield box
