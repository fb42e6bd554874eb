"""The vault against a real Secret Service: gnome-keyring-daemon under dbus-run-session."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers.fixtures import REPO_ROOT
from tests.helpers.pfx_corpus import PfxCase

pytestmark = pytest.mark.e2e

MISSING = [tool for tool in ("dbus-run-session", "gnome-keyring-daemon") if not shutil.which(tool)]
#: CI (``.ci/run``) installs both and sets this: there a missing tool fails, never skips.
REQUIRED = os.environ.get("APP_PROFILES_REQUIRE_SECRET_SERVICE") == "1"
needs_secret_service = pytest.mark.skipif(
    bool(MISSING) and not REQUIRED, reason=f"not installed: {', '.join(MISSING)}"
)


def in_keyring_session(tmp_path: Path, steps: list[list[str]], *, unlock: bool = True) -> str:
    """Run each step as ``python -m tests.helpers.secret_service_roundtrip`` in one session."""
    assert not MISSING, f"the real Secret Service test needs {', '.join(MISSING)}"
    module = [sys.executable, "-m", "tests.helpers.secret_service_roundtrip"]
    commands = " && ".join(shlex.join([*module, *step]) for step in steps)
    start = (
        "echo -n test-login-pw | gnome-keyring-daemon --unlock --components=secrets >/dev/null"
        if unlock
        else "gnome-keyring-daemon --start --components=secrets >/dev/null"
    )
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {
        **os.environ,
        # A throwaway keyring: never the developer's own.
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "share"),
        "XDG_RUNTIME_DIR": str(home),
        "PYTHONPATH": str(REPO_ROOT),
        "APP_PROFILES_HOME": str(tmp_path / "data"),
    }
    env.pop("PYTHON_KEYRING_BACKEND", None)
    proc = subprocess.run(
        ["dbus-run-session", "--", "sh", "-c", f"{start}; {commands}"],
        capture_output=True,
        text=True,
        env=env,
        cwd=REPO_ROOT,
        timeout=120,
        check=False,
    )
    assert proc.returncode in (0, 4), proc.stderr
    return proc.stdout


@needs_secret_service
def test_store_read_delete_round_trip(tmp_path: Path, pfx_corpus: dict[str, PfxCase]) -> None:
    case = pfx_corpus["legacy"]
    assert case.password
    out = in_keyring_session(tmp_path, [["store", str(case.path), case.password]])
    ref = out.strip().splitlines()[-1]
    assert ref.startswith("cert-"), out
    blobs = list((tmp_path / "data" / "vault").glob("*.bin"))
    assert [b.stem for b in blobs] == [ref]
    # The daemon keeps its keyring on disk under the throwaway HOME, so a new session (as
    # after a log-out) still finds the key.
    out = in_keyring_session(tmp_path, [["load", ref], ["delete", ref]])
    assert out.split() == [case.sha1, "deleted"]
    assert list((tmp_path / "data" / "vault").glob("*.bin")) == []


@needs_secret_service
def test_locked_keyring_stores_nothing(tmp_path: Path, pfx_corpus: dict[str, PfxCase]) -> None:
    case = pfx_corpus["modern_aes"]
    assert case.password
    out = in_keyring_session(tmp_path, [["locked", str(case.path), case.password]], unlock=False)
    assert "keyring" in out.lower() and "Nothing was stored" in out, out
    vault = tmp_path / "data" / "vault"
    assert not vault.exists() or list(vault.iterdir()) == []


@needs_secret_service
def test_two_data_folders_keep_their_own_sign_in(tmp_path: Path) -> None:
    """One real keyring, two data folders: a sign-in in the second leaves the first's, signing
    out of one leaves the other, and an entry named the old way moves to its own folder."""
    first, second, old = (str(tmp_path / name) for name in ("first", "second", "old"))
    out = in_keyring_session(
        tmp_path,
        [
            ["cache-save", first, "RT-first"],
            ["cache-save", second, "RT-second"],
            ["cache-legacy", old, "RT-old"],
            ["cache-entries", old],
            ["cache-load", first],
            ["cache-clear", second],
            ["cache-load", second],
            ["cache-load", first],
            ["cache-load", old],
            ["cache-load", old],
            ["cache-entries", old],
        ],
    )
    assert out.split() == ["old", "RT-first", "-", "RT-first", "RT-old", "RT-old", "own"]
    for folder in (first, second, old):
        assert not list(Path(folder, "vault").glob("*.unreadable"))
