"""The storage backends the contract tests run against, behind one fixture.

``repository_backend`` is parametrized over the backends that can run here; each gives fresh,
empty storage per test. A backend's :meth:`~RepositoryBackend.open` returns a new repository
over the same data each call, as a second process would see it. A new backend adds its name to
:data:`BACKENDS` and a branch to :func:`_make`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest

from desktop.core.paths import DataPaths
from desktop.core.storage.interface import Repository

#: The backends the contract tests run against.
BACKENDS = ["sqlite", "postgres"]


class RepositoryBackend(Protocol):
    name: str

    def open(self) -> Repository:
        """A repository over this test's storage (a new one each call, same data)."""
        ...

    def close(self) -> None: ...


class SqliteBackend:
    """The SQLite store in the test's data folder."""

    name = "sqlite"

    def __init__(self, home: Path) -> None:
        self._paths = DataPaths(home).ensure()

    def open(self) -> Repository:
        from desktop.core.store import Store

        return Store.open(self._paths)

    def close(self) -> None:
        """Nothing stays open: the store opens a connection per unit of work."""


def _make(name: str, home: Path, request: pytest.FixtureRequest) -> RepositoryBackend:
    if name == "sqlite":
        return SqliteBackend(home)
    if name == "postgres":
        from tests.helpers.postgres import PostgresBackend

        return PostgresBackend(request.getfixturevalue("postgres_db"))
    raise ValueError(f"unknown storage backend {name!r}")


@pytest.fixture(params=BACKENDS)
def repository_backend(
    request: pytest.FixtureRequest, data_home: Path
) -> Iterator[RepositoryBackend]:
    backend = _make(str(request.param), data_home, request)
    try:
        yield backend
    finally:
        backend.close()


@pytest.fixture
def repository(repository_backend: RepositoryBackend) -> Repository:
    """A repository over fresh, empty storage of each backend."""
    return repository_backend.open()
