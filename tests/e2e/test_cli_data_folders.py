"""Two data folders, one keyring, through the real CLI: each folder keeps its own sign-in."""

from __future__ import annotations

import shutil
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from desktop.core.paths import DataPaths
from desktop.core.token_cache import CACHE_NAME, EncryptedTokenCacheStore
from desktop.core.vault import SERVICE, open_vault
from tests.helpers.cli_sandbox import CliSandbox
from tests.helpers.fixtures import run_module
from tests.helpers.tokens import refresh_tokens

pytestmark = pytest.mark.e2e


def _in(box: CliSandbox, home: Path, *args: str) -> CompletedProcess[str]:
    return run_module("desktop.cli", args, env={**box.env(), "APP_PROFILES_HOME": str(home)})


def _signed_in(box: CliSandbox, home: Path) -> bool:
    store = EncryptedTokenCacheStore(open_vault(DataPaths(home), box.keyring))
    return bool(refresh_tokens(store.load()))


def test_a_sign_in_in_a_second_folder_keeps_the_first(cli_sandbox: CliSandbox) -> None:
    box = cli_sandbox
    second = box.folder / "second-home"
    second.mkdir()
    shutil.copy(DataPaths(box.home).settings, DataPaths(second).settings)
    for home in (box.home, second):
        signin = _in(box, home, "signin", "--tenant", box.demo.domain, "--timeout", "30")
        assert signin.returncode == 0, signin.stderr
    assert _signed_in(box, box.home) and _signed_in(box, second)
    signout = _in(box, second, "signout")
    assert signout.returncode == 0, signout.stderr
    assert not _signed_in(box, second)
    assert _signed_in(box, box.home), "signing out of one folder leaves the other signed in"
    assert box.keyring.accounts(SERVICE) == [open_vault(DataPaths(box.home)).account(CACHE_NAME)]


def test_an_unreadable_sign_in_is_set_aside_with_one_warning(cli_sandbox: CliSandbox) -> None:
    box = cli_sandbox
    signin = box.cli("signin", "--tenant", box.demo.domain, "--timeout", "30")
    assert signin.returncode == 0, signin.stderr
    box.keyring.delete_password(SERVICE, open_vault(DataPaths(box.home)).account(CACHE_NAME))
    signout = box.cli("signout")
    assert signout.returncode == 0, signout.stderr
    lines = signout.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Warning: ") and "Sign in again" in lines[0]
    [kept] = (box.home / "vault").glob(f"{CACHE_NAME}-*.unreadable")
    assert kept.name in lines[0]
