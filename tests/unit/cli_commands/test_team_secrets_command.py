"""``team enroll``/``approve``/``remove`` without a team database, and after a new key."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Callable
from pathlib import Path

from tests.helpers.file_keyring import keyring_env

Cli = Callable[..., subprocess.CompletedProcess[str]]


def test_enroll_without_a_team_database_keeps_the_key_and_says_it_is_not_published(
    cli: Cli, tmp_path: Path
) -> None:
    env = keyring_env(tmp_path / "keyring.json")
    first = cli("team", "enroll", "--format", "json", env=env)
    assert first.returncode == 0, first.stderr
    shown = json.loads(first.stdout)
    assert shown["published"] is False and shown["created"] is True
    assert shown["public_key"].startswith("apm-x25519:")
    again = json.loads(cli("team", "enroll", "--format", "json", env=env).stdout)
    assert again["fingerprint"] == shown["fingerprint"] and again["created"] is False
    table = cli("team", "enroll", env=env)
    assert "Not published" in table.stdout and shown["fingerprint"] in table.stdout


def test_approve_and_remove_need_the_team_database_in_one_line(cli: Cli, tmp_path: Path) -> None:
    env = keyring_env(tmp_path / "keyring.json")
    for command in (("team", "approve", "bob"), ("team", "remove", "bob")):
        result = cli(*command, env=env)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
        assert "team database" in result.stderr


def test_a_locked_keyring_refuses_enrolling_in_one_line(cli: Cli, tmp_path: Path) -> None:
    result = cli("team", "enroll", env=keyring_env(tmp_path / "k.json", locked=True))
    assert result.returncode == 2
    assert "keyring is locked" in result.stderr and result.stderr.count("\n") == 1
