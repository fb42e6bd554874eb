"""Killing custom-mode ``consent`` and ``reauthorize`` at random points leaves no certificate in
the vault (key in the keyring, encrypted file) that no profile holds.

Each run is a real ``python -m desktop.cli`` against the sandbox, stopped by SIGKILL or SIGTERM
after a random delay within the time a whole run takes; the next command (any command) then
runs, as a technician's next one would. The seed is printed for a rerun.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop.core.catalog.loader import load_catalog
from desktop.core.paths import DataPaths
from desktop.core.vault import SERVICE, open_vault
from tests.helpers.certificates import app_certificate
from tests.helpers.cli_sandbox import CUSTOMER, CliSandbox
from tests.helpers.fixtures import REPO_ROOT
from tests.helpers.inventory import open_inventory

pytestmark = pytest.mark.e2e
BASELINE = "apelements-baseline-management"
CUSTOM_APP_ID = "4d3c2b1a-0000-4000-8000-00000000c0de"
#: Kills per command: bounded, so the test stays well under a minute on a slow machine.
KILLS = 4


def _start(box: CliSandbox, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, **box.env(), "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    )
    assert proc.stdin is not None
    proc.stdin.write("pw\n")
    proc.stdin.flush()
    return proc


def _consent_args(pfx: Path) -> list[str]:
    return [
        "consent", "--customer", CUSTOMER, "--tenant", "contoso.onmicrosoft.com",
        "--service", "Baseline management", "--mode", "custom", "--app-id", CUSTOM_APP_ID,
        "--pfx", str(pfx), "--password-stdin", "--timeout", "30",
    ]  # fmt: skip


def _assert_no_orphans(box: CliSandbox) -> None:
    """After a fresh command: every vault entry belongs to a profile, and nothing is pending."""
    after = box.cli("profiles", "list", "--format", "json")
    assert after.returncode == 0, after.stderr
    held = open_inventory(box.home).profiles.certificate_refs()
    vault = open_vault(DataPaths(box.home))
    blobs = {p.stem for p in vault.folder.glob("cert-*.bin")}
    accounts = set(box.keyring.accounts(SERVICE))
    assert blobs == held, "an encrypted certificate without its profile (or the reverse)"
    assert accounts == {vault.account(ref) for ref in held}, "a key without its profile"
    assert DataPaths(box.home).pending_certificates() == []


def _kill_at_random(box: CliSandbox, args: list[str], rng: random.Random, span: float) -> None:
    for n in range(KILLS):
        how = signal.SIGKILL if n % 2 == 0 else signal.SIGTERM
        proc = _start(box, *args)
        time.sleep(rng.uniform(0, span))
        proc.send_signal(how)
        _, err = proc.communicate(timeout=60)
        if how is signal.SIGTERM and proc.returncode == 2:
            # Unwound like Ctrl+C, saying so, and never claiming what it cannot know.
            assert err.strip().splitlines()[-1] == "Stopped (SIGTERM).", err
            assert "Nothing was stored" not in err, err
        else:
            # Finished first, killed, or stopped while starting (before the handler existed).
            assert proc.returncode in (0, 1, -signal.SIGKILL, -signal.SIGTERM), err
        _assert_no_orphans(box)


def _timed(box: CliSandbox, args: list[str]) -> float:
    """How long one whole run takes here (the kills fall within it)."""
    start = time.monotonic()
    proc = _start(box, *args)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode in (0, 1), (out, err)  # 1: saved, and the check found a problem
    return time.monotonic() - start


@pytest.fixture
def custom_app(cli_sandbox: CliSandbox) -> tuple[Path, Path]:
    """The customer's own app, registered with two certificates; their .pfx files."""
    first_cert, first_pfx = app_certificate("contoso custom app")
    second_cert, second_pfx = app_certificate("contoso custom app, renewed")
    cli_sandbox.sandbox.scenario.register_app_type(
        load_catalog().catalog.app_type(BASELINE),
        CUSTOM_APP_ID,
        certificates=[first_cert, second_cert],
        home_tenant=cli_sandbox.demo.tenant_id,
    )
    first, second = cli_sandbox.folder / "first.pfx", cli_sandbox.folder / "second.pfx"
    first.write_bytes(first_pfx)
    second.write_bytes(second_pfx)
    return first, second


def test_killed_custom_consent_leaves_no_orphan(
    cli_sandbox: CliSandbox, custom_app: tuple[Path, Path]
) -> None:
    seed = random.randrange(2**32)
    print(f"seed {seed}")
    args = _consent_args(custom_app[0])
    span = _timed(cli_sandbox, args)
    _assert_no_orphans(cli_sandbox)
    _kill_at_random(cli_sandbox, args, random.Random(seed), span)


def test_killed_reauthorize_with_a_new_certificate_leaves_no_orphan(
    cli_sandbox: CliSandbox, custom_app: tuple[Path, Path]
) -> None:
    seed = random.randrange(2**32)
    print(f"seed {seed}")
    first, second = custom_app
    created = _start(cli_sandbox, *_consent_args(first))
    _, err = created.communicate(timeout=60)
    assert created.returncode == 0, err
    [profile_id] = [p["id"] for p in cli_sandbox.profiles()]
    args = ["reauthorize", str(profile_id), "--pfx", str(second), "--password-stdin"]
    span = _timed(cli_sandbox, args)
    _assert_no_orphans(cli_sandbox)
    _kill_at_random(cli_sandbox, args, random.Random(seed), span)
    [profile] = cli_sandbox.profiles()
    assert profile["id"] == profile_id, "the profile itself survives every kill"


@pytest.mark.parametrize("how", [signal.SIGHUP, signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_the_browser_wait_unwinds_and_stores_nothing(
    cli_sandbox: CliSandbox, custom_app: tuple[Path, Path], how: signal.Signals
) -> None:
    """Closing the terminal (SIGHUP), SIGTERM and Ctrl+C while the browser is open: the run
    ends through its normal clean-up, says so, and the vault holds nothing."""
    box = cli_sandbox
    env = {**os.environ, **box.env(decision="none"), "PYTHONPATH": str(REPO_ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "desktop.cli", *_consent_args(custom_app[0])],
        stdin=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=REPO_ROOT,
    )
    assert proc.stdin is not None and proc.stderr is not None
    proc.stdin.write("pw\n")
    proc.stdin.flush()
    deadline = time.monotonic() + 60
    while not box.browser_log.exists():  # the browser came and went: the wait has begun
        assert proc.poll() is None, proc.communicate()[1]
        assert time.monotonic() < deadline, "the browser was never opened"
        time.sleep(0.05)
    proc.send_signal(how)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2, err
    last = err.strip().splitlines()[-1]
    assert last == ("Cancelled." if how is signal.SIGINT else f"Stopped ({how.name}).")
    assert "Nothing was stored" not in err
    assert box.keyring.accounts(SERVICE) == []
    assert not list((box.home / "vault").glob("cert-*"))
