"""Fixtures that run the sandbox identity provider and point the app at it."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.sandbox import Sandbox
from desktop.sandbox.demo import Demo, populate
from tests.helpers.identity_fakes import catalog


@dataclass
class RunningSandbox:
    sandbox: Sandbox
    demo: Demo

    @property
    def scenario(self):  # type: ignore[no-untyped-def]
        return self.sandbox.scenario


@pytest.fixture
def sandbox(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[RunningSandbox]:
    """A started sandbox with the demo tenants and the test catalog's apps; the environment
    (authority and Graph hosts, CA bundle) points at it."""
    with Sandbox(tmp_path / "sandbox") as running:
        demo = populate(running, catalog().app_types)
        for key, value in running.env().items():
            monkeypatch.setenv(key, value)
        yield RunningSandbox(running, demo)
