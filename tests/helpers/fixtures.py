"""Fixtures shared across test packages."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from desktop.controllers.tasks import TaskRunner

REPO_ROOT = Path(__file__).resolve().parents[2]


def run_module(
    module: str,
    args: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    input_text: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m module args`` from the source tree and capture its output."""
    return run_python(["-m", module, *args], env=env, input_text=input_text, timeout=timeout)


def run_python(
    argv: Sequence[str],
    *,
    env: dict[str, str] | None = None,
    input_text: str | None = None,
    timeout: float = 120,
) -> subprocess.CompletedProcess[str]:
    """Run ``python argv`` (like ``-c code``) from the source tree and capture its output."""
    full_env = {**os.environ, **(env or {})}
    full_env["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT), *filter(None, [full_env.get("PYTHONPATH")])]
    )
    return subprocess.run(
        [sys.executable, *argv],
        capture_output=True,
        text=True,
        env=full_env,
        input=input_text,
        timeout=timeout,
        cwd=REPO_ROOT,
        check=False,
    )


@pytest.fixture
def cli(data_home: Path):  # type: ignore[no-untyped-def]
    """Run ``app-profiles-cli`` in a subprocess against the test's data folder."""

    def _run(
        *args: str, input_text: str | None = None, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        return run_module(
            "desktop.cli",
            args,
            env={"APP_PROFILES_HOME": str(data_home), **(env or {})},
            input_text=input_text,
        )

    return _run


@pytest.fixture
def runner() -> Iterator[TaskRunner]:
    """A task runner for controllers under test; its tasks are cancelled and waited for."""
    from desktop.controllers.tasks import TaskRunner  # Qt: only for the tests that ask

    runner = TaskRunner()
    yield runner
    runner.cancel_all()
    runner.wait_for_done(10_000)
