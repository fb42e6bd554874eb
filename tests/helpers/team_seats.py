"""Technicians of a team for CLI subprocess tests: each a data folder, a keyring and a server
login over one sandbox and one real PostgreSQL database."""

from __future__ import annotations

import json
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from desktop.core.paths import DataPaths
from desktop.core.settings import Settings
from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo
from tests.helpers.browser_cli import browser_command
from tests.helpers.file_keyring import keyring_env
from tests.helpers.fixtures import run_module
from tests.helpers.postgres import TestDatabase


@dataclass
class Seat:
    """One technician's computer: a data folder, a keyring, a server login."""

    name: str
    url: str
    home: Path
    sandbox: Sandbox
    demo: Demo

    @property
    def keyring_file(self) -> Path:
        return self.home.parent / f"{self.home.name}-keyring.json"

    def env(self) -> dict[str, str]:
        assert self.sandbox.ca_path is not None
        return {
            **self.sandbox.env(),
            **keyring_env(self.keyring_file),
            "APP_PROFILES_HOME": str(self.home),
            "APP_PROFILES_DATABASE_URL": self.url,
            "BROWSER": browser_command(
                self.sandbox.ca_path, decision="accept", log=self.home.parent / "browser.log"
            ),
        }

    def cli(self, *args: str, input_text: str | None = None) -> subprocess.CompletedProcess[str]:
        return run_module("desktop.cli", args, env=self.env(), input_text=input_text, timeout=180)

    def ok(self, *args: str, input_text: str | None = None) -> Any:
        result = self.cli(*args, "--format", "json", input_text=input_text)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout)


def seat(
    db: TestDatabase, owner: Seat, tmp_path: Path, stem: str, role: str, box: tuple[Sandbox, Demo]
) -> Seat:
    """A new technician *stem* with team *role*, Settings naming the sandbox's client IDs."""
    name, password = db.login(stem)
    assert owner.ok("team", "grant", name, "--role", role)["role"] == role
    home = tmp_path / stem
    paths = DataPaths(home).ensure()
    demo = box[1]
    Settings(sign_in_client_id=demo.sign_in_client_id, client_ids=dict(demo.client_ids)).save(
        paths.settings
    )
    return Seat(name, db.url_for(name, password), home, box[0], demo)


def check_row(who: Seat, profile_id: int) -> dict[str, Any]:
    """The check's JSON row; a check that could not run (exit 2) says why on stderr too."""
    result = who.cli("check", str(profile_id), "--format", "json")
    assert "Traceback" not in result.stderr
    assert result.returncode in (0, 1, 2), result.stderr
    (row,) = json.loads(result.stdout)
    if result.returncode == 2:
        assert row["reason"].split(": ", 1)[-1].split(".")[0] in result.stderr, result.stderr
    return dict(row)
